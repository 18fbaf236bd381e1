"""How the executor completes answers it already has: read and coerce them, without the per-field machinery.

graphql-core resolves every field alike: it looks the field up, builds a ResolveInfo and a Path, calls the
resolver through Strawberry's wrappers (an Info, argument conversion, the extension chain), asks whether the
answer is awaitable, then walks complete_value down to the scalar's coercion. A participant's home is some
600 fields, nearly all of them answers already in memory: attributes (titles, dates, statuses), ids, and
the lists a page plan fetched for a whole list of relationships (schema/relationships/planned.py). For
those the machinery costs more than the work.

Here a field is completed directly when its answer needs no resolver call that could do anything but
return it:

* ATTRIBUTE: a Strawberry field without resolver, extensions or arguments (Strawberry itself reads it with
  a plain getattr);
* NODE_ID: a relay Node's `id` when the type keeps Strawberry's own resolve_id and resolve_typename;
* SELF_ONLY: a synchronous resolver that takes nothing but `self` (e.g. a meeting's title, masked by view);
* PLANNED: a resolver marked `@answers_planned`, when its object holds the answer in `planned` under the
  resolver's name; the marked resolver returns that same entry first;
* TYPENAME: `__typename`.

An object is completed directly only if every field selected on it is one of these (worked out once per
selection and kept for the request), and a list only if every item is. Whenever anything is not a plain
present value (None for a non-null field, an exception, an awaitable, a failed coercion, an answer not
planned for this object), the field goes down graphql-core's own path instead, which calls the resolver
again (each of the kinds above only reads) and raises, reports or awaits exactly as it always does. So
the answer and its errors are the same by construction; `tests/schema/test_execution.py` compares the
two paths on the same documents.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any

from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    TypeNameMetaFieldDef,
    Undefined,
    is_leaf_type,
)
from strawberry import relay
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter

# Strawberry's resolver for a field with no resolver (strawberry/schema/schema_converter.py).
ATTRIBUTE_RESOLVER_NAME = "_get_basic_result"
ATTRIBUTE, NODE_ID, SELF_ONLY, PLANNED, TYPENAME, OTHER = range(6)
_NOT_PLAIN = object()  # "not completed here": the field takes graphql-core's path
_NODE_ID_RESOLVER = relay.Node.__strawberry_definition__.fields[0].base_resolver._unbound_wrapped_func
_DEFAULT_RESOLVE_ID = relay.Node.resolve_id.__func__
_DEFAULT_RESOLVE_TYPENAME = relay.Node.resolve_typename.__func__


def answers_planned(resolve: Callable) -> Callable:
    """Marks a resolver whose answer a page plan may already hold in `self.planned[<its name>]`: that entry is
    the answer when present (the executor reads it directly); otherwise the resolver runs, and what it returns
    (an awaitable, for most) resolves the object alone."""
    name = resolve.__name__

    @functools.wraps(resolve)  # Strawberry reads the signature, annotations and module through the wrapper
    def resolver(self, *args: Any, **kwargs: Any) -> Any:
        planned = getattr(self, "planned", None)
        return planned[name] if planned is not None and name in planned else resolve(self, *args, **kwargs)

    resolver.answers_planned = name
    return resolver


def _field_plan(field_def, node) -> tuple:
    """(kind, completer of the field's type, detail) for one selected field: how it may be completed directly."""
    if field_def is TypeNameMetaFieldDef:
        return TYPENAME, None, None
    if node.directives or node.arguments or field_def.args:
        return OTHER, None, None
    field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if field is None or field.extensions:
        return OTHER, None, None
    completer = _completer(field_def.type)
    resolver = field.base_resolver
    if resolver is None:
        # Strawberry's resolver for such a field calls the default resolver (getattr) and ignores the info it
        # is given; any other (an exception handler's, say) needs the info, so the field keeps the full path.
        if (
            getattr(field_def.resolve, "__name__", None) != ATTRIBUTE_RESOLVER_NAME
            or field.default_resolver is not getattr
        ):
            return OTHER, None, None
        return ATTRIBUTE, completer, field.python_name
    function = resolver._unbound_wrapped_func
    if function is _NODE_ID_RESOLVER:
        return NODE_ID, completer, None
    if getattr(function, "answers_planned", None):
        return PLANNED, completer, function.answers_planned
    only_self = resolver.self_parameter and not (
        resolver.info_parameter or resolver.root_parameter or resolver.parent_parameter
    )
    if only_self and not resolver.is_async:
        return SELF_ONLY, completer, resolver
    return OTHER, None, None


# A completer takes (the execution, the field's details, the answer) and returns the completed value or
# _NOT_PLAIN. One is built per GraphQL type, for the schema's lifetime, so completing a value does not ask
# again what its type is made of.
Completer = Callable[["MentorgraphExecution", Any, Any], Any]
_COMPLETERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _completer(return_type) -> Completer:
    found = _COMPLETERS.get(return_type)
    if found is None:
        found = _COMPLETERS[return_type] = _build_completer(return_type)
    return found


def _build_completer(return_type) -> Completer:
    if isinstance(return_type, GraphQLNonNull):
        inner = _completer(return_type.of_type)

        def non_null(execution, field_details_list, answer):
            return _NOT_PLAIN if answer is None else inner(execution, field_details_list, answer)

        return non_null
    if isinstance(return_type, GraphQLList):
        item = _completer(return_type.of_type)

        def each(execution, field_details_list, answer):
            if answer is None:
                return None
            if not isinstance(answer, (list, tuple)):
                return _NOT_PLAIN
            completed = []
            for value in answer:
                value = item(execution, field_details_list, value)
                if value is _NOT_PLAIN:
                    return _NOT_PLAIN
                completed.append(value)
            return completed

        return each
    if is_leaf_type(return_type):
        coerce = return_type.coerce_output_value

        def leaf(execution, field_details_list, answer):
            if answer is None:
                return None
            coerced = coerce(answer)
            return _NOT_PLAIN if coerced is None or coerced is Undefined else coerced

        return leaf
    if isinstance(return_type, GraphQLObjectType):

        def object_value(execution, field_details_list, answer):
            return None if answer is None else execution._complete_object(return_type, field_details_list, answer)

        return object_value
    return lambda execution, field_details_list, answer: _NOT_PLAIN  # interfaces, unions: graphql-core's path


async def _arrived(answer: Any) -> Any:
    """An answer already awaited, for graphql-core's path to await again."""
    return answer


class MentorgraphExecution(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Keyed by id(field_details_list): graphql-core memoizes sub-selections, so the same list object comes
        # back for every object of a type in a list. Each entry keeps its list, so the id cannot be reused for
        # another one while the request runs.
        self._plans: dict[int, tuple] = {}
        self._selections: dict[tuple[GraphQLObjectType, int], tuple] = {}
        # Strawberry passes a middleware manager on every request; it wraps resolvers only when an extension
        # resolves, and then every field must go through it.
        self._wrapped_resolvers = bool(self.middleware_manager and self.middleware_manager.middlewares)

    def build_response(self, *args: Any, **kwargs: Any) -> Any:
        response = super().build_response(*args, **kwargs)
        # This execution context refers to itself through its own bound methods, so what it keeps waits for the
        # cycle collector; the plans are no longer needed once the answer is built, and go now.
        self._plans.clear()
        self._selections.clear()
        return response

    # -- which fields qualify, once per selection --------------------------------------------------------

    def _plan_for(self, parent_type: GraphQLObjectType, field_details_list) -> tuple:
        cached = self._plans.get(id(field_details_list))
        if cached is not None and cached[0] is field_details_list and cached[1] is parent_type:
            return cached[2]
        node = field_details_list[0].node
        field_def = self.schema.get_field(parent_type, node.name.value)
        plan = (OTHER, None, None) if field_def is None else _field_plan(field_def, node)
        self._plans[id(field_details_list)] = (field_details_list, parent_type, plan)
        return plan

    def _selection(self, object_type: GraphQLObjectType, field_details_list) -> tuple | None:
        """(response name, field details, plan) per field selected on the object; None if any is OTHER."""
        key = (object_type, id(field_details_list))
        cached = self._selections.get(key)
        if cached is not None and cached[0] is field_details_list:
            return cached[1]
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(object_type, field_details_list)
        fields = tuple(
            (name, details, self._plan_for(object_type, details)) for name, details in grouped_field_set.items()
        )
        direct = None if new_defer_usages or any(plan[0] == OTHER for _, _, plan in fields) else fields
        self._selections[key] = (field_details_list, direct)
        return direct

    # -- graphql-core's entry point ----------------------------------------------------------------------

    def execute_field(self, parent_type, source, field_details_list, path, position_context):
        if not self._wrapped_resolvers:
            plan = self._plan_for(parent_type, field_details_list)
            if plan[0] != OTHER:
                completed = self._complete_field(plan, parent_type, field_details_list, source)
                if completed is not _NOT_PLAIN:
                    return completed
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    async def complete_awaitable_value(self, return_type, field_details_list, info, path, result, position_context):
        # An async resolver's answer (a page of relationships, the at-risk list) is completed directly too,
        # whole, once it has arrived; otherwise graphql-core completes it as ever, from the same answer.
        if self._wrapped_resolvers:
            return await super().complete_awaitable_value(
                return_type, field_details_list, info, path, result, position_context
            )
        try:
            answer = await self.with_abort_signal(result)
        except Exception as raw_error:  # noqa: BLE001 - reported as graphql-core reports a resolver's error
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        if not isinstance(answer, Exception):
            try:
                completed = _completer(return_type)(self, field_details_list, answer)
            except Exception:  # noqa: BLE001 - graphql-core's path meets it again and reports it
                completed = _NOT_PLAIN
            if completed is not _NOT_PLAIN:
                return completed
        return await super().complete_awaitable_value(
            return_type, field_details_list, info, path, _arrived(answer), position_context
        )

    # -- completing directly; _NOT_PLAIN hands the field back ------------------------------------------

    def _complete_field(self, plan: tuple, parent_type: GraphQLObjectType, field_details_list, source) -> Any:
        kind, completer, detail = plan
        try:
            if kind == ATTRIBUTE:
                return completer(self, field_details_list, getattr(source, detail))
            if kind == TYPENAME:
                return parent_type.name
            if kind == NODE_ID:
                return completer(self, field_details_list, self._node_id(parent_type, source))
            if kind == SELF_ONLY:
                answer = detail(source)
            else:
                planned = getattr(source, "planned", None)
                if planned is None or detail not in planned:
                    return _NOT_PLAIN
                answer = planned[detail]
            # What a resolver returned may be an exception to raise or a value to await: graphql-core's path
            # does both (calling the resolver again; a coroutine made here is closed so it is not left behind).
            if isinstance(answer, Exception) or self.is_awaitable(answer):
                if hasattr(answer, "close"):
                    answer.close()
                return _NOT_PLAIN
            return completer(self, field_details_list, answer)
        except Exception:  # noqa: BLE001 - graphql-core's path raises it again and reports it with the field's path
            return _NOT_PLAIN

    @staticmethod
    def _node_id(parent_type: GraphQLObjectType, source: Any) -> Any:
        node_type = type(source)
        if (
            not isinstance(source, relay.Node)
            or node_type.resolve_id.__func__ is not _DEFAULT_RESOLVE_ID
            or node_type.resolve_typename.__func__ is not _DEFAULT_RESOLVE_TYPENAME
        ):
            return _NOT_PLAIN
        node_id = getattr(source, node_type.resolve_id_attr())
        # Strawberry's resolver: the type name is the path's (the parent type), the id its string.
        return _NOT_PLAIN if node_id is None else relay.GlobalID(type_name=parent_type.name, node_id=str(node_id))

    def _complete_object(self, object_type: GraphQLObjectType, field_details_list, source: Any) -> Any:
        if object_type.is_type_of is not None and object_type.is_type_of(source, None) is not True:
            return _NOT_PLAIN
        selection = self._selection(object_type, field_details_list)
        if selection is None:
            return _NOT_PLAIN
        completed = {}
        for response_name, details, plan in selection:
            value = self._complete_field(plan, object_type, details, source)
            if value is _NOT_PLAIN:
                return _NOT_PLAIN
            completed[response_name] = value
        return completed

    def get_stream_usage(self, field_details_list, path):
        # @stream is a directive on the field's node: a node with none is never streamed, and graphql-core
        # would otherwise read the directives afresh for every list it completes.
        if not field_details_list[0].node.directives:
            return None
        return super().get_stream_usage(field_details_list, path)

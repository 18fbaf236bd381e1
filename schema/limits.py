"""The safety limits on a document (depth, aliases, tokens, one operation to run), each naming the operation.

Every message reads alike ("Operation 'X' ...; the maximum ... is N.") and carries its own code.
"""

from __future__ import annotations

import re

from graphql import FragmentDefinitionNode, GraphQLError, OperationDefinitionNode, ValidationRule
from strawberry.extensions import MaxTokensLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.extensions.max_aliases import count_fields_with_alias

from schema.error_codes import GRAPHQL_VALIDATION_FAILED, QUERY_TOO_DEEP, TOO_MANY_ALIASES, TOO_MANY_TOKENS

_OPERATION_NAME = re.compile(r"^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)")
# Strawberry's depth rule names the operation 'anonymous' when it has no name.
_TOO_DEEP = re.compile(r"^'(?P<name>.*)' exceeds maximum operation depth of \d+$")


def _operation_label(node: OperationDefinitionNode | None, requested: str | None = None) -> str:
    name = node.name.value if node is not None and node.name else requested
    return f"Operation '{name}'" if name else "The anonymous operation"


def max_aliases_rule(max_aliases: int) -> type[ValidationRule]:
    """Counts aliases per operation (fragments included) and names the operation that uses too many."""

    class MaxAliases(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_) -> None:
            fragments = {
                definition.name.value: definition
                for definition in self.context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }
            count = count_fields_with_alias(node, fragments)
            if count > max_aliases:
                self.report_error(
                    GraphQLError(
                        f"{_operation_label(node)} uses {count} aliases; the maximum alias count is {max_aliases}.",
                        node,
                        extensions={"code": TOO_MANY_ALIASES},
                    )
                )

    return MaxAliases


class MaxDepth(QueryDepthLimiter):
    """Strawberry's depth rule, with an error worded and coded like the alias and token limits."""

    def __init__(self, *, max_depth: int) -> None:
        super().__init__(max_depth=max_depth)
        self.max_depth = max_depth

    def on_validate(self):
        yield from super().on_validate()
        errors = self.execution_context.pre_execution_errors or []
        for index, error in enumerate(errors):
            found = _TOO_DEEP.match(error.message)
            if found and error.original_error is None:
                name = found.group("name")
                label = _operation_label(None, None if name == "anonymous" else name)
                # Replaced in place: the result already holds this list.
                errors[index] = GraphQLError(
                    f"{label} is more than {self.max_depth} levels deep; the maximum operation depth is "
                    f"{self.max_depth}.",
                    error.nodes,
                    extensions={"code": QUERY_TOO_DEEP},
                )


class MaxTokens(MaxTokensLimiter):
    """Strawberry's token limit (parsing stops at the limit), with an error that names the operation."""

    def on_operation(self):
        yield from super().on_operation()
        errors = getattr(self.execution_context.result, "errors", None) or []
        for index, error in enumerate(errors):
            if error.original_error is None and "tokens. Parsing aborted" in error.message:
                # The document was never parsed: its operation name comes from the request or the text.
                found = _OPERATION_NAME.match(self.execution_context.query or "")
                label = _operation_label(None, self.execution_context.operation_name or (found and found.group(1)))
                errors[index] = GraphQLError(
                    f"{label} has more than {self.max_token_count} tokens; the maximum token count is "
                    f"{self.max_token_count}.",
                    source=error.source,
                    positions=error.positions,
                    extensions={"code": TOO_MANY_TOKENS},
                )


class OperationNameWhenSeveral(SchemaExtension):
    """A document with several operations runs only the one `operationName` names, as the spec requires."""

    def on_validate(self):
        context = self.execution_context
        document = context.graphql_document
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)] if document else []
        # `operation_name` falls back to the first operation's; only the name the request gave counts here.
        if len(operations) > 1 and context._provided_operation_name is None:
            # Set before validation runs, so validation (and execution) are skipped with this one error.
            context.pre_execution_errors = [
                GraphQLError(
                    f"The document has {len(operations)} operations: name the one to run with operationName.",
                    operations,
                    extensions={"code": GRAPHQL_VALIDATION_FAILED},
                )
            ]
        yield

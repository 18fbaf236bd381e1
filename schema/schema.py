"""The schema: every concept's queries and mutations merged, with the safety limits switched on."""

from __future__ import annotations

import functools
import logging

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.extensions import MaskErrors, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter

from domain.errors import DomainError
from schema.errors import ERROR_TYPES
from schema.people.mutations import PeopleMutations
from schema.people.queries import PeopleQueries
from schema.programs.mutations import ProgramMutations
from schema.programs.queries import ProgramQueries
from schema.skills.queries import SkillQueries

log = logging.getLogger("mentorgraph.graphql")


@strawberry.type
class Query(PeopleQueries, ProgramQueries, SkillQueries):
    node: relay.Node | None = relay.node(description="Any object by its global ID; null if you may not see it.")


@strawberry.type
class Mutation(PeopleMutations, ProgramMutations):
    pass


def _should_mask(error: GraphQLError) -> bool:
    """Hide unexpected exceptions; validation errors and domain errors keep their message."""
    original = error.original_error
    if original is None or isinstance(original, (GraphQLError, DomainError)):
        return False
    log.error("unexpected error at %s", error.path, exc_info=original)
    return True


@functools.cache
def build_schema(*, max_depth: int, max_tokens: int, max_aliases: int) -> strawberry.Schema:
    """One schema per set of limits and process: Strawberry binds `relay.node()`'s resolver to the shared field
    when it builds a schema, so building a second one from the same root types fails."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=list(ERROR_TYPES),
        extensions=[
            lambda: QueryDepthLimiter(max_depth=max_depth),
            lambda: MaxTokensLimiter(max_token_count=max_tokens),
            lambda: MaxAliasesLimiter(max_alias_count=max_aliases),
            lambda: MaskErrors(should_mask_error=_should_mask),
        ],
    )

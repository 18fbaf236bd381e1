"""The schema: every concept's queries and mutations merged, with the safety limits switched on."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.extensions import MaskErrors, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter

from domain.errors import DomainError
from schema.errors import ERROR_TYPES
from schema.meetings.health import HealthQueries
from schema.meetings.mutations import MeetingMutations
from schema.meetings.queries import MeetingQueries
from schema.people.import_mutations import PeopleImportMutations
from schema.people.mutations import PeopleMutations
from schema.people.queries import PeopleQueries
from schema.programs.mutations import ProgramMutations
from schema.programs.queries import ProgramQueries
from schema.skills.mutations import SkillMutations
from schema.skills.queries import SkillQueries

log = logging.getLogger("mentorgraph.graphql")


@strawberry.type
class Query(PeopleQueries, ProgramQueries, SkillQueries, MeetingQueries, HealthQueries):
    node: relay.Node | None = relay.node(description="Any object by its global ID; null if you may not see it.")


@strawberry.type
class Mutation(
    PeopleMutations,
    PeopleImportMutations,
    ProgramMutations,
    SkillMutations,
    MeetingMutations,
):
    pass


def _should_mask(error: GraphQLError) -> bool:
    """Hide unexpected exceptions; validation errors and domain errors keep their message."""
    original = error.original_error
    if original is None or isinstance(original, (GraphQLError, DomainError)):
        return False
    log.error("unexpected error at %s", error.path, exc_info=original)
    return True


def build_schema(*, max_depth: int, max_tokens: int, max_aliases: int) -> strawberry.Schema:
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

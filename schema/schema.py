"""The schema: every concept's queries and mutations merged, with the safety limits switched on."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.extensions import AddValidationRules

from domain.errors import DomainError
from schema.agreements.mutations import AgreementMutations
from schema.agreements.queries import AgreementQueries
from schema.context import Info
from schema.error_codes import CodedErrors
from schema.errors import ERROR_TYPES
from schema.fresh_loaders import refresh_loaders_after_every_mutation
from schema.goals.mutations import GoalMutations
from schema.goals.queries import GoalQueries
from schema.input_rules import InputRules
from schema.limits import MaxDepth, MaxTokens, OperationNameWhenSeveral, max_aliases_rule
from schema.meetings.batch_slots import BatchSchedulingQueries
from schema.meetings.health import HealthQueries
from schema.meetings.mutations import MeetingMutations
from schema.meetings.queries import MeetingQueries
from schema.meetings.scheduling import SchedulingMutations, SchedulingQueries
from schema.people.import_mutations import PeopleImportMutations
from schema.people.mutations import PeopleMutations
from schema.people.queries import PeopleQueries
from schema.programs.mutations import ProgramMutations
from schema.programs.queries import ProgramQueries
from schema.relationships.mutations import RelationshipMutations
from schema.relationships.queries import RelationshipQueries
from schema.skills.mutations import SkillMutations
from schema.skills.queries import SkillQueries

log = logging.getLogger("mentorgraph.graphql")


@strawberry.type
class Query(
    PeopleQueries,
    ProgramQueries,
    SkillQueries,
    RelationshipQueries,
    AgreementQueries,
    GoalQueries,
    MeetingQueries,
    HealthQueries,
    SchedulingQueries,
    BatchSchedulingQueries,
):
    @strawberry.field(description="Any object by its global ID; null if there is none or you may not see it.")
    async def node(self, info: Info, id: relay.GlobalID) -> relay.Node | None:
        # Resolved here rather than with relay.node(), whose shared field ties the root type to one schema.
        try:
            return await id.resolve_node(info, required=False)
        except (KeyError, ValueError):  # a type name this schema does not have, or a malformed key
            return None


@strawberry.type
class Mutation(
    PeopleMutations,
    PeopleImportMutations,
    ProgramMutations,
    SkillMutations,
    RelationshipMutations,
    AgreementMutations,
    GoalMutations,
    MeetingMutations,
    SchedulingMutations,
):
    pass


refresh_loaders_after_every_mutation(Mutation)


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
            lambda: MaxDepth(max_depth=max_depth),
            lambda: MaxTokens(max_token_count=max_tokens),
            lambda: AddValidationRules([max_aliases_rule(max_aliases)]),
            OperationNameWhenSeveral,
            InputRules,
            lambda: CodedErrors(should_mask=_should_mask),
        ],
    )

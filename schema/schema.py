"""The schema: every concept's queries and mutations merged, with the safety limits switched on."""

from __future__ import annotations

import logging
from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.extensions import AddValidationRules

from domain.errors import DomainError
from schema.agreements.mutations import AgreementMutations
from schema.agreements.queries import AgreementQueries
from schema.analytics.queries import AnalyticsQueries
from schema.analytics.recognition import AnalyticsMutations
from schema.calendar.mutations import CalendarMutations
from schema.calendar.queries import CalendarQueries
from schema.context import Info
from schema.error_codes import CodedErrors
from schema.errors import ERROR_TYPES
from schema.execution import MentorgraphExecution
from schema.feedback.mutations import FeedbackMutations
from schema.feedback.queries import FeedbackQueries
from schema.fresh_loaders import refresh_loaders_after_every_mutation
from schema.goals.mutations import GoalMutations
from schema.goals.queries import GoalQueries
from schema.input_rules import check_root_arguments
from schema.limits import MaxDepth, MaxTokens, OperationNameWhenSeveral, max_aliases_rule
from schema.matching.mutations import MatchingMutations
from schema.matching.queries import MatchingQueries
from schema.meetings.batch_slots import BatchSchedulingQueries
from schema.meetings.health import HealthQueries
from schema.meetings.mutations import MeetingMutations
from schema.meetings.queries import MeetingQueries
from schema.meetings.scheduling import SchedulingMutations, SchedulingQueries
from schema.people.import_jobs import ImportJobQueries
from schema.people.import_mutations import PeopleImportMutations
from schema.people.mutations import PeopleMutations
from schema.people.queries import PeopleQueries
from schema.persisted import ReusePersistedDocuments
from schema.profile_required import require_profile
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
    CalendarQueries,
    FeedbackQueries,
    MatchingQueries,
    AnalyticsQueries,
    ImportJobQueries,
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
    CalendarMutations,
    FeedbackMutations,
    MatchingMutations,
    AnalyticsMutations,
):
    pass


refresh_loaders_after_every_mutation(Mutation)
require_profile(query_type=Query, mutation_type=Mutation)


SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
UNAVAILABLE_MESSAGE = "The service cannot reach its database just now; retry shortly."


def _never(error: BaseException) -> bool:
    return False


class MaskUnexpectedErrors(CodedErrors):
    """Hides unexpected exceptions; validation and domain errors keep their message. Every error gets a code.

    An outage (`is_outage`: the database unreachable, frozen or locked) is no bug of ours: it becomes a
    SERVICE_UNAVAILABLE error the HTTP layer answers with 503, and is logged as a warning without a traceback.
    """

    def __init__(self, is_outage: Callable[[BaseException], bool] = _never) -> None:
        super().__init__(should_mask=self._should_mask)
        self._is_outage = is_outage

    @staticmethod
    def _should_mask(error: GraphQLError) -> bool:
        original = error.original_error
        return original is not None and not isinstance(original, (GraphQLError, DomainError))

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if not self._is_outage(original):
            log.error("unexpected error at %s", error.path, exc_info=original)
            return super().anonymise_error(error)
        log.warning("database unavailable at %s: %s", error.path, repr(original)[:300])
        return GraphQLError(
            UNAVAILABLE_MESSAGE,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": SERVICE_UNAVAILABLE},
        )


CLIENT_ERROR_LOG_CHARS = 300


def truncated(text: str, limit: int = CLIENT_ERROR_LOG_CHARS) -> str:
    """A log line's worth of text that may hold a client's input (a 1 MB literal stays out of the log)."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


class MentorgraphSchema(strawberry.Schema):
    """Logs a client's mistakes at INFO, one truncated line without a traceback; what is our fault is logged
    at ERROR where it is masked (MaskUnexpectedErrors), and an outage as a warning there."""

    def process_errors(self, errors: list[GraphQLError], execution_context=None) -> None:
        for error in errors:
            original = error.original_error
            if original is None or isinstance(original, (GraphQLError, DomainError)):
                log.info("client error at %s: %s", error.path, truncated(error.message))


def build_schema(
    *, max_depth: int, max_tokens: int, max_aliases: int, is_outage: Callable[[BaseException], bool] = _never
) -> strawberry.Schema:
    schema = MentorgraphSchema(
        query=Query,
        mutation=Mutation,
        types=list(ERROR_TYPES),
        execution_context_class=MentorgraphExecution,
        extensions=[
            ReusePersistedDocuments,
            lambda: MaxDepth(max_depth=max_depth),
            lambda: MaxTokens(max_token_count=max_tokens),
            lambda: AddValidationRules([max_aliases_rule(max_aliases)]),
            OperationNameWhenSeveral,
            lambda: MaskUnexpectedErrors(is_outage),
        ],
    )
    check_root_arguments(schema)
    return schema

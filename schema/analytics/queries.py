"""Analytics queries; each answers with its figures or a typed error (bad period, not allowed)."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.analytics import insights
from schema.analytics.types import MentoringNetwork, PeriodInput, ProgramInsights
from schema.context import Info
from schema.errors import result_union, run_mutation
from schema.relay_ids import decode_id

ProgramInsightsResult = result_union("ProgramInsightsResult", ProgramInsights)
MentoringNetworkResult = result_union("MentoringNetworkResult", MentoringNetwork)


@strawberry.type
class AnalyticsQueries:
    @strawberry.field(
        description="A program's figures over a period: for analysts, admins and the program's coordinators. "
        "Groups under 5 people are suppressed; a period with no data gives empty figures."
    )
    async def program_insights(
        self, info: Info, program_id: relay.GlobalID, period: PeriodInput
    ) -> ProgramInsightsResult:
        return await run_mutation(
            lambda: insights.program_insights(
                info.context.viewer,
                program_id=decode_id(program_id, "Program", field="programId"),
                period=period.to_domain(),
            ),
            ProgramInsights.from_domain,
        )

    @strawberry.field(
        description="Who learns from whom across the organisation over a period, as aggregates: for analysts, "
        "coordinators and admins."
    )
    async def mentoring_network(self, info: Info, period: PeriodInput) -> MentoringNetworkResult:
        viewer = info.context.viewer
        return await run_mutation(
            lambda: insights.mentoring_network(viewer, period=period.to_domain()),
            lambda report: MentoringNetwork.from_domain(report, viewer_is_admin=viewer.is_admin),
        )

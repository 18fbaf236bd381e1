"""Analytics queries; each answers with its figures or a typed error (bad period, not allowed)."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.analytics import equity, insights, intergenerational, recognition, roi
from schema.analytics.equity import EquityReport, IntergenerationalInsights
from schema.analytics.recognition import MentorRecognition
from schema.analytics.roi import ProgramRoi, RoiAssumptionsInput
from schema.analytics.types import MentoringNetwork, PeriodInput, ProgramInsights
from schema.context import Info
from schema.errors import result_union, run_mutation
from schema.relay_ids import decode_id

ProgramInsightsResult = result_union("ProgramInsightsResult", ProgramInsights)
MentoringNetworkResult = result_union("MentoringNetworkResult", MentoringNetwork)
EquityReportResult = result_union("EquityReportResult", EquityReport)
ProgramRoiResult = result_union("ProgramRoiResult", ProgramRoi)
IntergenerationalInsightsResult = result_union("IntergenerationalInsightsResult", IntergenerationalInsights)
MentorRecognitionResult = result_union("MentorRecognitionResult", MentorRecognition)


async def _program_report(info: Info, report, program_id: relay.GlobalID, period: PeriodInput, present):
    """One program's report over a period: the shape programInsights, equityReport and their kin share."""
    return await run_mutation(
        lambda: report(
            info.context.viewer,
            program_id=decode_id(program_id, "Program", field="programId"),
            period=period.to_domain(),
        ),
        present,
    )


@strawberry.type
class AnalyticsQueries:
    @strawberry.field(
        description="A program's figures over a period: for analysts, admins and the program's coordinators. "
        "Groups under 5 people are suppressed; all but satisfaction and the named mentor hours cover the whole "
        "calendar quarters the period touches, withheld where 1 to 4 people (or, for the relationship figures, "
        "relationships) changed in one; a period with no data gives empty figures."
    )
    async def program_insights(
        self, info: Info, program_id: relay.GlobalID, period: PeriodInput
    ) -> ProgramInsightsResult:
        return await _program_report(info, insights.program_insights, program_id, period, ProgramInsights.from_domain)

    @strawberry.field(
        description="Who learns from whom across the organisation over the whole calendar quarters a period "
        "touches, as aggregates: for analysts, coordinators and admins. Withheld where 1 to 4 relationships began "
        "or ended in one of them."
    )
    async def mentoring_network(self, info: Info, period: PeriodInput) -> MentoringNetworkResult:
        viewer = info.context.viewer
        return await run_mutation(
            lambda: insights.mentoring_network(viewer, period=period.to_domain()),
            lambda report: MentoringNetwork.from_domain(report, viewer_is_admin=viewer.is_admin),
        )

    @strawberry.field(
        description="A program's participation, match rate, time to first meeting, goal completion and "
        "satisfaction per self-reported group, with the four-fifths flag, over the whole calendar quarters the "
        "period touches: for analysts, admins and the program's coordinators. Suppressed groups are null."
    )
    async def equity_report(self, info: Info, program_id: relay.GlobalID, period: PeriodInput) -> EquityReportResult:
        return await _program_report(info, equity.equity_report, program_id, period, EquityReport.from_domain)

    @strawberry.field(
        description="The program's business case over the whole calendar quarters a period touches: turnover "
        "avoided against comparable non-participants, valued at the assumed replacement costs, less the program's "
        "costs. For analysts, admins and the program's coordinators; writes nothing."
    )
    async def program_roi(
        self, info: Info, program_id: relay.GlobalID, period: PeriodInput, assumptions: RoiAssumptionsInput
    ) -> ProgramRoiResult:
        return await run_mutation(
            lambda: roi.program_roi(
                info.context.viewer,
                program_id=decode_id(program_id, "Program", field="programId"),
                period=period.to_domain(),
                assumptions=assumptions.to_domain(),
            ),
            ProgramRoi.from_domain,
        )

    @strawberry.field(
        description="Participation, retention and promotion by self-reported age band and generation, and the "
        "guide's question on changed views, over the whole calendar quarters the period touches: for "
        "analysts, admins and the program's coordinators."
    )
    async def intergenerational_insights(
        self, info: Info, program_id: relay.GlobalID, period: PeriodInput
    ) -> IntergenerationalInsightsResult:
        return await _program_report(
            info, intergenerational.intergenerational_report, program_id, period, IntergenerationalInsights.from_domain
        )

    @strawberry.field(
        description="A mentor's recognition over a period (yours when mentorId is left out): always for the "
        "mentor, and for their programs' coordinators and admins only while the mentor shares it."
    )
    async def mentor_recognition(
        self, info: Info, period: PeriodInput, mentor_id: relay.GlobalID | None = None
    ) -> MentorRecognitionResult:
        return await run_mutation(
            lambda: recognition.mentor_recognition(
                info.context.viewer,
                mentor_id=None if mentor_id is None else decode_id(mentor_id, "Person", field="mentorId"),
                period=period.to_domain(),
            ),
            MentorRecognition.from_domain,
        )

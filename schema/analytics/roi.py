"""GraphQL types for programRoi: the assumptions in, the business case out with the assumptions echoed."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.analytics import csv_export, roi
from schema.analytics.types import CsvTable
from schema.relay_ids import encode_id


@strawberry.input(description="One level's average, never a person's salary.")
class LevelCostInput:
    level: int
    average_annual_salary: float
    replacement_cost_percent: float = strawberry.field(description="50 to 200: the guide's share of annual salary.")


@strawberry.input(
    description="What the business case assumes; annual amounts are spread over the days of the answer's quarters."
)
class RoiAssumptionsInput:
    levels: list[LevelCostInput]
    coordination_fte: float = 0.0
    coordinator_annual_cost: float = 0.0
    training_cost: float = strawberry.field(default=0.0, description="Spent on training in the period.")
    platform_annual_cost: float = 0.0
    mentor_hourly_cost: float = 0.0

    def to_domain(self) -> roi.RoiAssumptions:
        return roi.RoiAssumptions(
            levels=tuple(
                roi.LevelCost(lc.level, lc.average_annual_salary, lc.replacement_cost_percent) for lc in self.levels
            ),
            coordination_fte=self.coordination_fte,
            coordinator_annual_cost=self.coordinator_annual_cost,
            training_cost=self.training_cost,
            platform_annual_cost=self.platform_annual_cost,
            mentor_hourly_cost=self.mentor_hourly_cost,
        )


@strawberry.type
class LevelCost:
    level: int
    average_annual_salary: float
    replacement_cost_percent: float
    replacement_cost: float


@strawberry.type(description="The assumptions the answer was computed with, as given.")
class RoiAssumptions:
    levels: list[LevelCost]
    coordination_fte: float
    coordinator_annual_cost: float
    training_cost: float
    platform_annual_cost: float
    mentor_hourly_cost: float


@strawberry.type(description="Employed on the quarters' first day (people), and how many had left by their end.")
class Turnover:
    people: int | None
    leavers: int | None
    rate: float | None
    suppressed: bool = strawberry.field(
        description="Either group has fewer than 5 people, or 1 to 4 people arrived, left, enrolled, or began or "
        "ended a relationship in one of the quarters."
    )


@strawberry.type(description="The program's costs over the answer's quarters.")
class RoiCosts:
    coordination: float
    training: float
    platform: float
    mentor_hours: float | None = strawberry.field(
        description="Hours of held meetings mentors spent in the period; null where a quarter's mentors with "
        "meetings, or those of them not sharing recognition, are 1 to 4 (as programInsights' mentorHoursTotal)."
    )
    mentor_time: float | None = strawberry.field(
        description="Mentor hours at the assumed hourly cost; null with mentorHours unless an hour costs nothing."
    )
    total: float | None = strawberry.field(description="Null with mentorTime.")


@strawberry.type(
    description="Over the whole calendar quarters the period touches (start to end): participants' turnover "
    "against comparable non-participants' (not in the program, at a level someone who took part in it holds), "
    "the turnover avoided valued at the assumed replacement costs, less the program's costs."
)
class ProgramRoi:
    program_id: relay.GlobalID
    start: datetime.date
    end: datetime.date
    assumptions: RoiAssumptions
    participants: Turnover
    comparison: Turnover
    avoided_leavers: float | None = strawberry.field(
        description="(Comparison rate - participants' rate) x participants; negative when participants left more."
    )
    savings: float | None
    costs: RoiCosts
    net_benefit: float | None
    roi: float | None = strawberry.field(description="Net benefit over costs; null when withheld or nothing spent.")
    unpriced_levels: list[int | None] = strawberry.field(
        description="Participants' levels with no assumed cost (null: no level); valued at the mean of those given."
    )
    csv: CsvTable = strawberry.field(description="The assumptions and every figure as one figure-value table.")

    @classmethod
    def from_domain(cls, value: roi.ProgramRoi) -> ProgramRoi:
        a, costs = value.assumptions, value.costs
        table = csv_export.roi_table(value)

        def turnover(t: roi.Turnover) -> Turnover:
            return Turnover(people=t.people, leavers=t.leavers, rate=t.rate, suppressed=t.suppressed)

        return cls(
            program_id=encode_id("Program", value.program_id),
            start=value.period.start,
            end=value.period.end,
            assumptions=RoiAssumptions(
                levels=[
                    LevelCost(
                        level=lc.level,
                        average_annual_salary=lc.average_annual_salary,
                        replacement_cost_percent=lc.replacement_cost_percent,
                        replacement_cost=round(lc.replacement_cost, 2),
                    )
                    for lc in a.levels
                ],
                coordination_fte=a.coordination_fte,
                coordinator_annual_cost=a.coordinator_annual_cost,
                training_cost=a.training_cost,
                platform_annual_cost=a.platform_annual_cost,
                mentor_hourly_cost=a.mentor_hourly_cost,
            ),
            participants=turnover(value.participants),
            comparison=turnover(value.comparison),
            avoided_leavers=value.avoided_leavers,
            savings=value.savings,
            costs=RoiCosts(
                coordination=costs.coordination,
                training=costs.training,
                platform=costs.platform,
                mentor_hours=costs.mentor_hours,
                mentor_time=costs.mentor_time,
                total=costs.total,
            ),
            net_benefit=value.net_benefit,
            roi=value.roi,
            unpriced_levels=list(value.unpriced_levels),
            csv=CsvTable(name=table.name, content=table.content),
        )

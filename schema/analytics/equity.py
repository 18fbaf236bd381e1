"""GraphQL types for the equity report: per self-reported group, each figure null where suppressed."""

from __future__ import annotations

import datetime
from enum import Enum

import strawberry
from strawberry import relay

from domain.analytics import csv_export, intergenerational
from domain.analytics import equity as domain
from schema.analytics.types import CsvTable
from schema.relay_ids import encode_id


@strawberry.enum(description="A self-reported demographic dimension.")
class EquityDimensionName(Enum):
    GENDER = "gender"
    ETHNICITY = "ethnicity"
    AGE_BAND = "age_band"
    GENERATION = "generation"


@strawberry.type(
    description="One figure of one group: `count` of `of` among `people`, and its `value`; every number null when "
    "suppressed (fewer than 5 people, a figure a total would give away, or one that 1 to 4 people changed in a "
    "quarter of the period)."
)
class EquityMeasure:
    people: int | None
    of: int | None
    count: int | None
    value: float | None
    impact_ratio: float | None = strawberry.field(
        description="This group's value over the best-off group's (for time to first meeting, the fastest median "
        "over this group's)."
    )
    flagged: bool = strawberry.field(description="Impact ratio under 0.8: the four-fifths rule.")
    suppressed: bool

    @classmethod
    def from_domain(cls, value: domain.Measure) -> EquityMeasure:
        return cls(
            people=value.people,
            of=value.of,
            count=value.count,
            value=value.value,
            impact_ratio=value.impact_ratio,
            flagged=value.flagged,
            suppressed=value.suppressed,
        )


@strawberry.type(description="A self-reported group's figures; a group is listed when any of them is shown.")
class EquityGroup:
    group: str
    participation: EquityMeasure = strawberry.field(
        description="Employed in the period (of) who took part in the program (count)."
    )
    match_rate: EquityMeasure = strawberry.field(
        description="Enrolled in the period (of) and in a relationship by its end (count)."
    )
    time_to_first_meeting: EquityMeasure = strawberry.field(
        description="Members of relationships started in the period (of), met by its end (count); value: median "
        "days to the first held meeting."
    )
    goal_completion: EquityMeasure = strawberry.field(
        description="Goals set in the period (of, dropped aside) by `people` owners, achieved by its end (count)."
    )
    satisfaction: EquityMeasure = strawberry.field(
        description="Pulse ratings given in the period on named surveys (of), 4 or 5 (count). Anonymous answers "
        "have no link to anyone and are never broken down."
    )


@strawberry.type
class EquityDimension:
    dimension: EquityDimensionName
    groups: list[EquityGroup]
    suppressed_groups: int = strawberry.field(description="Groups with every figure suppressed, not listed.")


@strawberry.type(description="A program's outcomes per self-reported group over whole calendar quarters.")
class EquityReport:
    program_id: relay.GlobalID
    start: datetime.date = strawberry.field(description="The first day of the first quarter the period touches.")
    end: datetime.date = strawberry.field(description="The last day of the last quarter the period touches.")
    dimensions: list[EquityDimension]
    csv: list[CsvTable] = strawberry.field(description="One table per dimension, a row per group and figure.")

    @classmethod
    def from_domain(cls, value: domain.EquityReport) -> EquityReport:
        return cls(
            program_id=encode_id("Program", value.program_id),
            start=value.period.start,
            end=value.period.end,
            dimensions=[
                EquityDimension(
                    dimension=EquityDimensionName(d.dimension),
                    groups=[
                        EquityGroup(
                            group=row.group, **{m: EquityMeasure.from_domain(row.measures[m]) for m in domain.MEASURES}
                        )
                        for row in d.groups
                    ],
                    suppressed_groups=d.suppressed_groups,
                )
                for d in value.dimensions
            ],
            csv=[CsvTable(name=t.name, content=t.content) for t in csv_export.equity_tables(value)],
        )


@strawberry.type(description="An age band's or generation's figures; listed when any of them is shown.")
class IntergenerationalGroup:
    group: str
    participation: EquityMeasure = strawberry.field(
        description="Employed in the period (of) who took part in the program (count)."
    )
    retention: EquityMeasure = strawberry.field(
        description="Participants employed on the first day (of) still employed after the last (count)."
    )
    promotion: EquityMeasure = strawberry.field(
        description="Participants employed on the first day (of) whose level rose during the period (count), from "
        "the level changes recorded by the people import and directory sync."
    )


@strawberry.type
class IntergenerationalDimension:
    dimension: EquityDimensionName
    groups: list[IntergenerationalGroup]
    suppressed_groups: int = strawberry.field(description="Groups with every figure suppressed, not listed.")


@strawberry.type(
    description='Yes answers (count) of those given (of) to "Has this mentoring relationship changed your views '
    'about people from a different generation?"; suppressed under 5 or when a month holds 1 to 4.'
)
class ViewsChanged:
    of: int | None
    count: int | None
    rate: float | None
    suppressed: bool


@strawberry.type(description="A program's participation, retention and promotion by age band and generation.")
class IntergenerationalInsights:
    program_id: relay.GlobalID
    program_kind: str = strawberry.field(description="REVERSE for a reverse-mentoring program.")
    start: datetime.date = strawberry.field(description="The first day of the first quarter the period touches.")
    end: datetime.date = strawberry.field(description="The last day of the last quarter the period touches.")
    dimensions: list[IntergenerationalDimension]
    views_changed: ViewsChanged
    csv: list[CsvTable] = strawberry.field(
        description="A summary table and one table per dimension, a row per group and figure."
    )

    @classmethod
    def from_domain(cls, value: intergenerational.IntergenerationalReport) -> IntergenerationalInsights:
        views = value.views_changed
        return cls(
            program_id=encode_id("Program", value.program_id),
            program_kind=value.program_kind,
            start=value.period.start,
            end=value.period.end,
            dimensions=[
                IntergenerationalDimension(
                    dimension=EquityDimensionName(d.dimension),
                    groups=[
                        IntergenerationalGroup(group=row.group, **_measures(row, intergenerational.MEASURES))
                        for row in d.groups
                    ],
                    suppressed_groups=d.suppressed_groups,
                )
                for d in value.dimensions
            ],
            views_changed=ViewsChanged(of=views.of, count=views.count, rate=views.rate, suppressed=views.suppressed),
            csv=[CsvTable(name=t.name, content=t.content) for t in csv_export.intergenerational_tables(value)],
        )


def _measures(row: domain.EquityGroup, names) -> dict[str, EquityMeasure]:
    return {name: EquityMeasure.from_domain(row.measures[name]) for name in names}

"""GraphQL types for analytics: aggregates only, each group's numbers null where suppressed."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.analytics import csv_export, network, program_figures
from domain.analytics.insights import ProgramInsights as InsightsValue
from domain.analytics.period import Period
from schema.context import Info
from schema.meetings.types import PersonRef, person_of
from schema.relay_ids import encode_id

BandPosition = strawberry.enum(program_figures.BandPosition, name="BandPosition")


@strawberry.input(description="Whole days, both included.")
class PeriodInput:
    start: datetime.date
    end: datetime.date

    def to_domain(self) -> Period:
        return Period.checked(self.start, self.end)


@strawberry.type(description="How many of a group's people (`size`) are counted (`count`); null when suppressed.")
class GroupRate:
    group: str
    size: int | None
    count: int | None
    rate: float | None
    suppressed: bool = strawberry.field(description="Fewer than 5 people, or it would reveal a group that is.")

    @classmethod
    def many(cls, rows: list[program_figures.GroupRate]) -> list[GroupRate]:
        return [cls(group=r.group, size=r.whole, count=r.part, rate=r.rate, suppressed=r.suppressed) for r in rows]


_WITHHELD = "Every number null: 1 to 4 relationships changed in this figure in one of the quarters it covers."


@strawberry.type
class Ratio:
    of: int | None
    count: int | None
    rate: float | None
    suppressed: bool = strawberry.field(description=_WITHHELD)

    @classmethod
    def of_(cls, value: program_figures.Ratio) -> Ratio:
        return cls(of=value.of, count=value.count, rate=value.rate, suppressed=value.suppressed)


@strawberry.type(description="Over relationships started in the quarters, days to a first held meeting by their end.")
class TimeToFirstMeeting:
    measured: int | None = strawberry.field(description="Started in the quarters, a meeting held by their end.")
    waiting: int | None = strawberry.field(description="Started in the quarters, no meeting held by their end.")
    median_days: float | None
    mean_days: float | None
    suppressed: bool = strawberry.field(description=_WITHHELD)


@strawberry.type(description="Mean pulse rating (1-5); suppressed under 5 answers or when a month holds 1 to 4.")
class Satisfaction:
    respondents: int | None
    mean_rating: float | None
    suppressed: bool


@strawberry.type(
    description="Relationships started in the quarters that a rematch replaced by their end, against the guide's band."
)
class RematchRate:
    relationships: int | None
    rematched: int | None
    rate: float | None
    band_low: float
    band_high: float
    position: BandPosition | None
    suppressed: bool = strawberry.field(description=_WITHHELD)


@strawberry.type(description="A mentor's hours of held meetings; listed only when the mentor shares recognition.")
class MentorHours:
    person_id: relay.GlobalID
    name: str
    hours: float


@strawberry.type(description="One table as CSV (RFC 4180, header row first).")
class CsvTable:
    name: str
    content: str


_BREAKDOWN = (
    "Over the whole calendar quarters the period touches (breakdownsStart to breakdownsEnd); every group is "
    "suppressed where 1 to 4 people arrived, left, enrolled, or began or ended a relationship in one of those quarters."
)


@strawberry.type(description="A program's figures over a period, aggregates only.")
class ProgramInsights:
    program_id: relay.GlobalID
    start: datetime.date
    end: datetime.date
    breakdowns_start: datetime.date = strawberry.field(
        description="The first day of the whole calendar quarters the participation breakdowns, retention, "
        "mentor-hours totals and relationship figures (activeRelationships to goalCompletion, rematchRate) cover."
    )
    breakdowns_end: datetime.date = strawberry.field(description="The last day of those quarters.")
    participation_by_department: list[GroupRate] = strawberry.field(description=_BREAKDOWN)
    participation_by_level: list[GroupRate] = strawberry.field(description=_BREAKDOWN)
    participation_by_generation: list[GroupRate] = strawberry.field(
        description=f"From self-reported generations only. {_BREAKDOWN}"
    )
    active_relationships: int | None = strawberry.field(
        description="Relationships running in the breakdowns' quarters; null where 1 to 4 began or ended in one."
    )
    time_to_first_meeting: TimeToFirstMeeting
    cadence_adherence: Ratio = strawberry.field(
        description="Meetings held (count) of those the cadence planned (of) over the breakdowns' quarters."
    )
    goal_completion: Ratio = strawberry.field(
        description="Goals set in the breakdowns' quarters (of), dropped aside, achieved by their end (count)."
    )
    satisfaction: Satisfaction
    rematch_rate: RematchRate
    mentor_hours_total: float | None = strawberry.field(
        description="Hours of held meetings across the program's mentors over the breakdowns' quarters; null where "
        "a quarter's mentors with meetings, or those of them not sharing recognition, are 1 to 4."
    )
    mentors_with_hours: int | None = strawberry.field(
        description="How many mentors held those meetings; null with mentorHoursTotal."
    )
    mentor_hours: list[MentorHours] = strawberry.field(
        description="Per mentor, for the program's coordinators and admins, of mentors who share recognition, over "
        "the period's own days: a named figure, not an aggregate."
    )
    retention: list[GroupRate] = strawberry.field(
        description="PARTICIPANTS and NON_PARTICIPANTS employed on the breakdowns' first day (size) still employed "
        "after their last (count). Over the same whole quarters, withheld where 1 to 4 people arrived, left, "
        "enrolled, or began or ended a relationship in one of them."
    )
    csv: list[CsvTable] = strawberry.field(description="Every table above as CSV.")

    @classmethod
    def from_domain(cls, value: InsightsValue) -> ProgramInsights:
        ttfm, satisfaction, rematch = value.time_to_first_meeting, value.satisfaction, value.rematch_rate
        return cls(
            program_id=encode_id("Program", value.program_id),
            start=value.period.start,
            end=value.period.end,
            breakdowns_start=value.breakdowns_period.start,
            breakdowns_end=value.breakdowns_period.end,
            participation_by_department=GroupRate.many(value.participation_by_department),
            participation_by_level=GroupRate.many(value.participation_by_level),
            participation_by_generation=GroupRate.many(value.participation_by_generation),
            active_relationships=value.active_relationships,
            time_to_first_meeting=TimeToFirstMeeting(
                measured=ttfm.measured,
                waiting=ttfm.waiting,
                median_days=ttfm.median_days,
                mean_days=ttfm.mean_days,
                suppressed=ttfm.suppressed,
            ),
            cadence_adherence=Ratio.of_(value.cadence_adherence),
            goal_completion=Ratio.of_(value.goal_completion),
            satisfaction=Satisfaction(
                respondents=satisfaction.respondents,
                mean_rating=satisfaction.mean_rating,
                suppressed=satisfaction.suppressed,
            ),
            rematch_rate=RematchRate(
                relationships=rematch.relationships,
                rematched=rematch.rematched,
                rate=rematch.rate,
                band_low=rematch.band_low,
                band_high=rematch.band_high,
                position=rematch.position,
                suppressed=rematch.suppressed,
            ),
            mentor_hours_total=value.mentor_hours_total,
            mentors_with_hours=value.mentors_with_hours,
            mentor_hours=[
                MentorHours(person_id=encode_id("Person", m.person_id), name=m.name, hours=m.hours)
                for m in value.mentor_hours
            ],
            retention=GroupRate.many(value.retention),
            csv=[CsvTable(name=t.name, content=t.content) for t in csv_export.insights_tables(value)],
        )


@strawberry.type(description="Relationships linking two departments (the same one twice: within it).")
class DepartmentLink:
    department: str
    other: str
    relationships: int | None
    suppressed: bool


@strawberry.type(description="Someone many mentoring paths run through, and how many other departments they reach.")
class Bridge:
    department: str | None
    departments_reached: int
    betweenness: float
    person_key: strawberry.Private[int]
    viewer_is_admin: strawberry.Private[bool]

    @strawberry.field(description="Named for admins only; others see the aggregate figures.")
    async def person(self, info: Info) -> PersonRef | None:
        return await person_of(info, self.person_key) if self.viewer_is_admin else None


@strawberry.type(description="Relationships whose members all self-reported a generation (of), and how many cross.")
class Coverage:
    of: int | None
    count: int | None
    rate: float | None
    suppressed: bool


@strawberry.type(
    description="The organisation's mentoring graph over the whole calendar quarters a period touches, as aggregates."
)
class MentoringNetwork:
    start: datetime.date = strawberry.field(description="The first day of the quarters the network covers.")
    end: datetime.date = strawberry.field(description="The last day of those quarters.")
    withheld: bool = strawberry.field(
        description="1 to 4 relationships began, or ended, in one of the quarters: the matrix, cross-department "
        "counts, silos, coverage and (but for admins) bridges are not shown, as they would tell those apart."
    )
    people_in_network: int
    relationships: int
    cross_department: int | None = strawberry.field(
        description="Null when withheld, or when it would give away the hidden cells of the matrix."
    )
    cross_department_share: float | None
    department_matrix: list[DepartmentLink] = strawberry.field(
        description="Cells of 1 to 4 relationships are suppressed, and so are as many more as keep them from "
        "being worked out from the totals or from one quarter's changes."
    )
    silos: list[str] | None = strawberry.field(
        description="Departments with no mentoring tie to another department; null when withheld."
    )
    bridges: list[Bridge] = strawberry.field(
        description="The ten highest betweenness scores, highest first; empty when withheld, except for admins."
    )
    intergenerational: Coverage
    reverse: Coverage = strawberry.field(description="Mentor of a younger generation than the mentee.")
    reverse_program_relationships: int
    csv: list[CsvTable] = strawberry.field(
        description="The summary and the department matrix as CSV; bridges, each about one person, stay out."
    )

    @classmethod
    def from_domain(cls, value: network.NetworkReport, *, viewer_is_admin: bool) -> MentoringNetwork:
        def coverage(c: network.Coverage) -> Coverage:
            return Coverage(of=c.of, count=c.count, rate=c.rate, suppressed=c.suppressed)

        shown_bridges = value.bridges if viewer_is_admin or not value.withheld else []
        return cls(
            start=value.period.start,
            end=value.period.end,
            withheld=value.withheld,
            people_in_network=value.people_in_network,
            relationships=value.relationships,
            cross_department=value.cross_department,
            cross_department_share=value.cross_department_share,
            department_matrix=[
                DepartmentLink(
                    department=m.department, other=m.other, relationships=m.relationships, suppressed=m.suppressed
                )
                for m in value.matrix
            ],
            silos=value.silos,
            bridges=[
                Bridge(
                    department=b.department,
                    departments_reached=b.departments_reached,
                    betweenness=b.betweenness,
                    person_key=b.person_id,
                    viewer_is_admin=viewer_is_admin,
                )
                for b in shown_bridges
            ],
            intergenerational=coverage(value.intergenerational),
            reverse=coverage(value.reverse),
            reverse_program_relationships=value.reverse_program_relationships,
            csv=[CsvTable(name=t.name, content=t.content) for t in csv_export.network_tables(value)],
        )

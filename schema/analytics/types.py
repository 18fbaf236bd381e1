"""GraphQL types for analytics: aggregates only, each group's numbers null where suppressed."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.analytics import csv_export, program_figures
from domain.analytics.insights import ProgramInsights as InsightsValue
from domain.analytics.period import Period
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


@strawberry.type
class Ratio:
    of: int
    count: int
    rate: float | None

    @classmethod
    def of_(cls, value: program_figures.Ratio) -> Ratio:
        return cls(of=value.of, count=value.count, rate=value.rate)


@strawberry.type
class TimeToFirstMeeting:
    measured: int = strawberry.field(description="Relationships started in the period with a held meeting.")
    waiting: int = strawberry.field(description="Started in the period, no meeting held yet.")
    median_days: float | None
    mean_days: float | None


@strawberry.type(description="Mean pulse rating (1-5); suppressed under 5 answers or when a month holds 1 to 4.")
class Satisfaction:
    respondents: int | None
    mean_rating: float | None
    suppressed: bool


@strawberry.type(description="Relationships started in the period that a rematch ended, against the guide's band.")
class RematchRate:
    relationships: int
    rematched: int
    rate: float | None
    band_low: float
    band_high: float
    position: BandPosition


@strawberry.type(description="A mentor's hours of held meetings; listed only when the mentor shares recognition.")
class MentorHours:
    person_id: relay.GlobalID
    name: str
    hours: float


@strawberry.type(description="One table as CSV (RFC 4180, header row first).")
class CsvTable:
    name: str
    content: str


@strawberry.type(description="A program's figures over a period, aggregates only.")
class ProgramInsights:
    program_id: relay.GlobalID
    start: datetime.date
    end: datetime.date
    participation_by_department: list[GroupRate]
    participation_by_level: list[GroupRate]
    participation_by_generation: list[GroupRate] = strawberry.field(description="From self-reported generations only.")
    active_relationships: int
    time_to_first_meeting: TimeToFirstMeeting
    cadence_adherence: Ratio = strawberry.field(description="Meetings held (count) of those the cadence planned (of).")
    goal_completion: Ratio = strawberry.field(description="Goals achieved (count) of those set (of), dropped aside.")
    satisfaction: Satisfaction
    rematch_rate: RematchRate
    mentor_hours_total: float
    mentors_with_hours: int
    mentor_hours: list[MentorHours] = strawberry.field(
        description="Per mentor, for the program's coordinators and admins, of mentors who share recognition."
    )
    retention: list[GroupRate] = strawberry.field(
        description="PARTICIPANTS and NON_PARTICIPANTS employed on the first day (size) still employed after the last "
        "(count)."
    )
    csv: list[CsvTable] = strawberry.field(description="Every table above as CSV.")

    @classmethod
    def from_domain(cls, value: InsightsValue) -> ProgramInsights:
        ttfm, satisfaction, rematch = value.time_to_first_meeting, value.satisfaction, value.rematch_rate
        return cls(
            program_id=encode_id("Program", value.program_id),
            start=value.period.start,
            end=value.period.end,
            participation_by_department=GroupRate.many(value.participation_by_department),
            participation_by_level=GroupRate.many(value.participation_by_level),
            participation_by_generation=GroupRate.many(value.participation_by_generation),
            active_relationships=value.active_relationships,
            time_to_first_meeting=TimeToFirstMeeting(
                measured=ttfm.measured, waiting=ttfm.waiting, median_days=ttfm.median_days, mean_days=ttfm.mean_days
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

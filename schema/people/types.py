"""GraphQL types for people: profile, working hours, skills, and owner-only demographics."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from domain.people import models
from domain.people.policy import can_read_demographics
from domain.skills.models import PersonSkill as PersonSkillRow
from schema.context import Info
from schema.convert import from_row
from schema.enums import AgeBand, Gender, Generation, MeetingFormat, RelationshipStatus, SkillDirection, Weekday
from schema.skills.types import PersonSkill

if TYPE_CHECKING:
    from schema.calendar.types import CalendarConnection
    from schema.goals.types import Goal, Reflection
    from schema.meetings.feed import CalendarFeed
    from schema.meetings.types import Meeting
    from schema.programs.types import Enrollment
    from schema.relationships.types import PendingMentorRequests, Relationship


@strawberry.type(description="One stretch of a working day, in the person's own time zone.")
class WorkingHours:
    weekday: Weekday
    start: datetime.time
    end: datetime.time


@strawberry.type(description="Self-reported and optional; only its owner can read it.")
class Demographics:
    gender: Gender | None
    gender_self_description: str | None
    ethnicity: str | None
    age_band: AgeBand | None
    generation: Generation | None


@strawberry.type
class Person(relay.Node):
    id: relay.NodeID[int]
    email: str
    name: str
    department: str | None
    job_title: str | None
    level: int | None
    time_zone: str
    languages: list[str]
    meeting_formats: list[MeetingFormat]
    bio: str
    is_active: bool
    manager_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.Person) -> Person:
        return from_row(
            cls,
            row,
            languages=list(row.languages or []),
            meeting_formats=[models.MeetingFormat(value) for value in row.meeting_formats or []],
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.Person).load_many([int(i) for i in node_ids])
        return [cls.from_model(row) if row else None for row in rows]

    @strawberry.field
    async def manager(self, info: Info) -> Person | None:
        if self.manager_id is None:
            return None
        row = await info.context.loaders.by_id(models.Person).load(self.manager_id)
        return Person.from_model(row) if row else None

    @strawberry.field
    async def direct_reports(self, info: Info) -> list[Person]:
        rows = await info.context.loaders.children(models.Person, "manager_id").load(self.id)
        return [Person.from_model(row) for row in rows]

    @strawberry.field
    async def working_hours(self, info: Info) -> list[WorkingHours]:
        rows = await info.context.loaders.children(models.WorkingHours, "person_id").load(self.id)
        return [WorkingHours(weekday=Weekday(row.weekday), start=row.start_time, end=row.end_time) for row in rows]

    @strawberry.field(description="Skills taught and wanted; pass a direction to keep one side.")
    async def skills(self, info: Info, direction: SkillDirection | None = None) -> list[PersonSkill]:
        rows = await info.context.loaders.children(PersonSkillRow, "person_id").load(self.id)
        return [
            PersonSkill(direction=row.direction, proficiency=row.proficiency, skill_id=row.skill_id)
            for row in rows
            if direction is None or row.direction == direction
        ]

    @strawberry.field(description="Null unless you are this person: demographics are readable by their owner only.")
    async def demographics(self, info: Info) -> Demographics | None:
        if not can_read_demographics(info.context.viewer, self.id):
            return None
        rows = await info.context.loaders.children(models.Demographics, "person_id").load(self.id)
        if not rows:
            return None
        row = rows[0]
        return Demographics(
            gender=row.gender,
            gender_self_description=row.gender_self_description,
            ethnicity=row.ethnicity,
            age_band=row.age_band,
            generation=row.generation,
        )

    @strawberry.field(description="The enrollments you may see: your own, or all in programs you coordinate.")
    async def enrollments(self, info: Info) -> list[Annotated[Enrollment, strawberry.lazy("schema.programs.types")]]:
        from domain.programs.models import Enrollment as EnrollmentRow
        from schema.programs.types import visible_enrollments

        rows = await info.context.loaders.children(EnrollmentRow, "person_id").load(self.id)
        return await visible_enrollments(info, rows)

    @strawberry.field(description="The goals this person owns; null unless you are this person.")
    async def goals(self, info: Info) -> list[Annotated[Goal, strawberry.lazy("schema.goals.types")]] | None:
        from schema.goals.fields import goals_of_person

        return await goals_of_person(info, self.id)

    @strawberry.field(description="The reflections this person wrote; null unless you are this person.")
    async def reflections(
        self, info: Info
    ) -> list[Annotated[Reflection, strawberry.lazy("schema.goals.types")]] | None:
        from schema.goals.fields import reflections_of_person

        return await reflections_of_person(info, self.id)

    @strawberry.field(description="Your relationships, oldest first; empty unless you are this person.")
    async def relationships(
        self, info: Info, status: list[RelationshipStatus] | None = None
    ) -> list[Annotated[Relationship, strawberry.lazy("schema.relationships.types")]]:
        from schema.relationships.fields import relationships_of

        return await relationships_of(info, self.id, status)

    @strawberry.field(description="Your unanswered mentor requests; null unless you are this person.")
    async def pending_requests(
        self, info: Info
    ) -> Annotated[PendingMentorRequests, strawberry.lazy("schema.relationships.types")] | None:
        from schema.relationships.fields import pending_requests_of

        return await pending_requests_of(info, self.id)

    @strawberry.field(description="Where your meetings are sent (yours, or your company's); null for others.")
    async def calendar_connection(
        self, info: Info
    ) -> Annotated[CalendarConnection, strawberry.lazy("schema.calendar.types")] | None:
        from schema.calendar.queries import calendar_connection_of

        return await calendar_connection_of(info, self.id)

    @strawberry.field(description="Your calendar feed's current URL; null for anyone else, or before you made one.")
    async def calendar_feed(
        self, info: Info
    ) -> Annotated[CalendarFeed, strawberry.lazy("schema.meetings.feed")] | None:
        from schema.meetings.feed import calendar_feed_of

        return await calendar_feed_of(info, self.id)

    @strawberry.field(description="Your own meetings overlapping [from, to); null for anyone else's.")
    async def meetings(
        self,
        info: Info,
        from_: Annotated[datetime.datetime | None, strawberry.argument(name="from")] = None,
        to: datetime.datetime | None = None,
    ) -> list[Annotated[Meeting, strawberry.lazy("schema.meetings.types")]] | None:
        from schema.meetings.fields import person_meetings

        return await person_meetings(info, self.id, from_, to)

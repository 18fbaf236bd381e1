"""Mutations on the viewer's own profile, working week and demographics."""

from __future__ import annotations

import datetime

import strawberry

from domain.people import models, service
from schema.context import Info
from schema.enums import AgeBand, Gender, Generation, MeetingFormat, Weekday
from schema.errors import result_union, run_mutation
from schema.input_rules import column_limit
from schema.people.types import Person


def given_fields(data: object) -> dict:
    """The input's fields that the client actually sent (UNSET ones are left out), keyed by Python name."""
    return {name: value for name, value in vars(data).items() if value is not strawberry.UNSET}


@strawberry.input
class UpdateMyProfileInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, metadata=column_limit(models.Person, "name"))
    department: str | None = strawberry.field(
        default=strawberry.UNSET, metadata=column_limit(models.Person, "department")
    )
    job_title: str | None = strawberry.field(
        default=strawberry.UNSET, metadata=column_limit(models.Person, "job_title")
    )
    time_zone: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="IANA zone, e.g. Europe/London.",
        metadata=column_limit(models.Person, "time_zone"),
    )
    languages: list[str] | None = strawberry.UNSET
    meeting_formats: list[MeetingFormat] | None = strawberry.UNSET
    bio: str | None = strawberry.UNSET


@strawberry.type
class UpdateMyProfilePayload:
    person: Person


UpdateMyProfileResult = result_union("UpdateMyProfileResult", UpdateMyProfilePayload)


@strawberry.input(description="One stretch of a working day, as local wall-clock times in your time zone.")
class WorkingHoursInput:
    weekday: Weekday
    start: datetime.time
    end: datetime.time


@strawberry.input
class SetMyWorkingHoursInput:
    hours: list[WorkingHoursInput] = strawberry.field(
        description="Your whole working week; it replaces the one stored. An empty list clears it."
    )
    time_zone: str | None = strawberry.field(
        default=None, description="IANA zone the hours are in, changed together with them; null keeps yours."
    )


@strawberry.type
class SetMyWorkingHoursPayload:
    person: Person


SetMyWorkingHoursResult = result_union("SetMyWorkingHoursResult", SetMyWorkingHoursPayload)


@strawberry.input(
    description="Your self-reported demographics, all optional; they replace what is stored. "
    "Only you can read them, and they never influence matching."
)
class SetMyDemographicsInput:
    gender: Gender | None = None
    gender_self_description: str | None = strawberry.field(default=None, description="Only with gender SELF_DESCRIBED.")
    ethnicity: str | None = None
    age_band: AgeBand | None = None
    generation: Generation | None = None
    clear: bool = strawberry.field(default=False, description="Delete your demographics; so does giving no answer.")


@strawberry.type
class SetMyDemographicsPayload:
    person: Person


SetMyDemographicsResult = result_union("SetMyDemographicsResult", SetMyDemographicsPayload)


@strawberry.type
class PeopleMutations:
    @strawberry.mutation
    async def update_my_profile(self, info: Info, input: UpdateMyProfileInput) -> UpdateMyProfileResult:
        return await run_mutation(
            lambda: service.update_profile(info.context.viewer, changes=given_fields(input)),
            lambda person: UpdateMyProfilePayload(person=Person.from_model(person)),
        )

    @strawberry.mutation(description="Replaces your working week, and optionally your time zone with it.")
    async def set_my_working_hours(self, info: Info, input: SetMyWorkingHoursInput) -> SetMyWorkingHoursResult:
        return await run_mutation(
            lambda: service.set_working_hours(
                info.context.viewer,
                hours=[(stretch.weekday.value, stretch.start, stretch.end) for stretch in input.hours],
                time_zone=input.time_zone,
            ),
            lambda person: SetMyWorkingHoursPayload(person=Person.from_model(person)),
        )

    @strawberry.mutation(description="Sets or clears your self-reported demographics.")
    async def set_my_demographics(self, info: Info, input: SetMyDemographicsInput) -> SetMyDemographicsResult:
        viewer = info.context.viewer

        async def action() -> models.Person:
            await service.set_demographics(viewer, **vars(input))
            return await info.context.loaders.by_id(models.Person).load(viewer.person_id)

        return await run_mutation(action, lambda person: SetMyDemographicsPayload(person=Person.from_model(person)))

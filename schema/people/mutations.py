"""Mutations on the viewer's own profile."""

from __future__ import annotations

import strawberry

from domain.people import service
from schema.context import Info
from schema.enums import MeetingFormat
from schema.errors import result_union, run_mutation
from schema.people.types import Person


def given_fields(data: object) -> dict:
    """The input's fields that the client actually sent (UNSET ones are left out), keyed by Python name."""
    return {name: value for name, value in vars(data).items() if value is not strawberry.UNSET}


@strawberry.input
class UpdateMyProfileInput:
    name: str | None = strawberry.UNSET
    department: str | None = strawberry.UNSET
    job_title: str | None = strawberry.UNSET
    time_zone: str | None = strawberry.field(default=strawberry.UNSET, description="IANA zone, e.g. Europe/London.")
    languages: list[str] | None = strawberry.UNSET
    meeting_formats: list[MeetingFormat] | None = strawberry.UNSET
    bio: str | None = strawberry.UNSET


@strawberry.type
class UpdateMyProfilePayload:
    person: Person


UpdateMyProfileResult = result_union("UpdateMyProfileResult", UpdateMyProfilePayload)


@strawberry.type
class PeopleMutations:
    @strawberry.mutation
    async def update_my_profile(self, info: Info, input: UpdateMyProfileInput) -> UpdateMyProfileResult:
        return await run_mutation(
            lambda: service.update_profile(info.context.viewer, changes=given_fields(input)),
            lambda person: UpdateMyProfilePayload(person=Person.from_model(person)),
        )

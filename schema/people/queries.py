"""Queries: me, person, people."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.people import models
from domain.people.queries import search_people
from domain.skills.models import Skill
from schema.context import Info
from schema.enums import SkillDirection
from schema.input_rules import column_limit
from schema.pagination import Connection, paginate
from schema.people.types import Person
from schema.relay_ids import decode_id


@strawberry.input(description="Narrow the people list; every given field must match.")
class PeopleFilter:
    search: str | None = strawberry.UNSET
    department: str | None = strawberry.field(
        default=strawberry.UNSET, metadata=column_limit(models.Person, "department")
    )
    time_zone: str | None = strawberry.field(
        default=strawberry.UNSET, metadata=column_limit(models.Person, "time_zone")
    )
    skill: str | None = strawberry.field(
        default=strawberry.UNSET, description="A skill name or alias.", metadata=column_limit(Skill, "name")
    )
    skill_direction: SkillDirection | None = strawberry.UNSET
    is_active: bool | None = strawberry.field(default=True, description="Null for everyone, active or not.")


def _given(value):
    return None if value is strawberry.UNSET else value


@strawberry.type
class PeopleQueries:
    @strawberry.field(description="Your own profile; null when no person has your account's email yet.")
    async def me(self, info: Info) -> Person | None:
        person_id = info.context.viewer.person_id
        if person_id is None:
            return None
        row = await info.context.loaders.by_id(models.Person).load(person_id)
        return Person.from_model(row) if row else None

    @strawberry.field
    async def person(self, info: Info, id: relay.GlobalID) -> Person | None:
        row = await info.context.loaders.by_id(models.Person).load(decode_id(id, "Person"))
        return Person.from_model(row) if row else None

    @strawberry.field
    async def people(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: PeopleFilter | None = None,
    ) -> Connection[Person]:
        f = filter or PeopleFilter()
        query = search_people(
            text=_given(f.search),
            department=_given(f.department),
            time_zone=_given(f.time_zone),
            skill=_given(f.skill),
            skill_direction=_given(f.skill_direction),
            is_active=_given(f.is_active),
        )
        return await paginate(query, first=first, after=after, convert=Person.from_model)

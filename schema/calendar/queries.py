"""Calendar queries: the admins' list of connections and sync health; a person's own connection."""

from __future__ import annotations

import strawberry

from domain.access import Role
from domain.calendar.models import CalendarConnection as ConnectionRow
from domain.calendar.queries import connection_shown_to, sync_health
from domain.clock import utc_now
from domain.people.models import Person as PersonRow
from schema.calendar.types import CalendarConnection, CalendarSyncHealth
from schema.context import Info


def _is_admin(info: Info) -> bool:
    return info.context.viewer.role is Role.ADMIN


@strawberry.type
class CalendarQueries:
    @strawberry.field(description="Admins: every calendar connection, company and personal. Null for others.")
    async def calendar_connections(self, info: Info) -> list[CalendarConnection] | None:
        if not _is_admin(info):
            return None
        return [CalendarConnection.from_row(row) for row in await ConnectionRow.all().order_by("id")]

    @strawberry.field(description="Admins: backlog, oldest waiting change, failures. Null for others.")
    async def calendar_sync_health(self, info: Info) -> CalendarSyncHealth | None:
        if not _is_admin(info):
            return None
        return CalendarSyncHealth.from_domain(await sync_health(), utc_now())


async def calendar_connection_of(info: Info, person_id: int) -> CalendarConnection | None:
    """A person's connection, for them and admins only."""
    viewer = info.context.viewer
    if not (viewer.is_person(person_id) or viewer.is_admin):
        return None
    person = await info.context.loaders.by_id(PersonRow).load(person_id)
    connection = await connection_shown_to(person) if person else None
    return CalendarConnection.from_row(connection) if connection else None

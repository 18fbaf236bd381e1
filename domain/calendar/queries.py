"""Reads about calendar sync: what a person's meetings go through, and the admins' health numbers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from domain.calendar.changes import CALENDAR_TOPIC
from domain.calendar.connections import email_domain
from domain.calendar.models import CalendarConnection, CalendarEvent, ConnectionKind, ConnectionStatus, SyncStatus
from domain.outbox.models import MessageStatus, OutboxMessage
from domain.people.models import Person


async def connection_shown_to(person: Person) -> CalendarConnection | None:
    """The connection that decides where the person's meetings go, BROKEN ones included (so they see it)."""
    personal = await CalendarConnection.filter(kind=ConnectionKind.PERSONAL, person_id=person.id).first()
    if personal is not None:
        return personal
    domain = email_domain(person.email)
    companies = await CalendarConnection.filter(kind=ConnectionKind.COMPANY).order_by("id")
    return next((company for company in companies if domain in company.domains), None)


@dataclass(frozen=True)
class SyncHealth:
    backlog: int
    oldest_pending_at: datetime | None
    dead_letters: int
    failures_by_reason: dict[str, int]
    broken_connections: int

    def oldest_pending_seconds(self, now: datetime) -> float | None:
        return (now - self.oldest_pending_at).total_seconds() if self.oldest_pending_at else None


async def sync_health() -> SyncHealth:
    pending = OutboxMessage.filter(topic=CALENDAR_TOPIC, status=MessageStatus.PENDING)
    oldest = await pending.order_by("created_at").first()
    failed = await CalendarEvent.filter(status=SyncStatus.FAILED).values_list("last_error", flat=True)
    return SyncHealth(
        backlog=await pending.count(),
        oldest_pending_at=oldest.created_at if oldest else None,
        dead_letters=await OutboxMessage.filter(topic=CALENDAR_TOPIC, status=MessageStatus.DEAD).count(),
        failures_by_reason=dict(Counter(reason or "unknown" for reason in failed).most_common()),
        broken_connections=await CalendarConnection.filter(status=ConnectionStatus.BROKEN).count(),
    )

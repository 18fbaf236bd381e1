"""GraphQL types for calendar sync: a meeting's sync state, connections (secrets never readable), health."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.calendar import models
from domain.calendar.queries import SyncHealth
from schema.relay_ids import encode_id

CalendarProvider = strawberry.enum(models.Provider, name="CalendarProvider")
CalendarConnectionKind = strawberry.enum(models.ConnectionKind, name="CalendarConnectionKind")
CalendarConnectionStatus = strawberry.enum(models.ConnectionStatus, name="CalendarConnectionStatus")
CalendarSyncStatus = strawberry.enum(models.SyncStatus, name="CalendarSyncStatus")


@strawberry.type(description="Whether the meeting is in its organizer's Google or Outlook calendar.")
class CalendarSync:
    status: CalendarSyncStatus = strawberry.field(
        description="NOT_CONNECTED: the organizer has no calendar connected (or it is BROKEN); ICS only."
    )
    provider: CalendarProvider | None
    synced_at: datetime.datetime | None
    last_error: str | None
    attempts: int

    @classmethod
    def from_row(cls, row: models.CalendarEvent | None) -> CalendarSync:
        if row is None:
            return cls(
                status=models.SyncStatus.NOT_CONNECTED, provider=None, synced_at=None, last_error=None, attempts=0
            )
        return cls(
            status=row.status,
            provider=row.provider,
            synced_at=row.synced_at,
            last_error=row.last_error or None,
            attempts=row.attempts,
        )


@strawberry.type(description="A company tenant or one person's account that meetings are sent through.")
class CalendarConnection:
    id: relay.GlobalID
    provider: CalendarProvider
    kind: CalendarConnectionKind
    status: CalendarConnectionStatus
    connected_at: datetime.datetime
    domains: list[str] = strawberry.field(description="COMPANY: the email domains it covers.")
    account_email: str | None = strawberry.field(description="PERSONAL: the connected account.")
    broken_reason: str | None
    broken_at: datetime.datetime | None
    person_id: relay.GlobalID | None

    @classmethod
    def from_row(cls, row: models.CalendarConnection) -> CalendarConnection:
        return cls(
            id=encode_id("CalendarConnection", row.id),
            provider=row.provider,
            kind=row.kind,
            status=row.status,
            connected_at=row.connected_at,
            domains=list(row.domains),
            account_email=row.account_email or None,
            broken_reason=row.broken_reason or None,
            broken_at=row.broken_at,
            person_id=encode_id("Person", row.person_id) if row.person_id else None,
        )


@strawberry.type
class SyncFailureCount:
    reason: str
    meetings: int


@strawberry.type(description="How the calendar outbox is doing.")
class CalendarSyncHealth:
    backlog: int = strawberry.field(description="Changes waiting to reach a calendar.")
    oldest_pending_seconds: float | None = strawberry.field(description="Age of the oldest waiting change.")
    dead_letters: int = strawberry.field(description="Changes given up on; retryCalendarSync sends them again.")
    failures_by_reason: list[SyncFailureCount]
    broken_connections: int

    @classmethod
    def from_domain(cls, health: SyncHealth, now: datetime.datetime) -> CalendarSyncHealth:
        return cls(
            backlog=health.backlog,
            oldest_pending_seconds=health.oldest_pending_seconds(now),
            dead_letters=health.dead_letters,
            failures_by_reason=[SyncFailureCount(reason=r, meetings=n) for r, n in health.failures_by_reason.items()],
            broken_connections=health.broken_connections,
        )

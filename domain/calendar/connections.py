"""Which calendar a meeting goes to, and the connections that decide it.

The organizer's personal connection wins; otherwise the company connection covering their email's domain;
otherwise none, and the meeting reaches calendars only through the ICS feed. A BROKEN personal connection
means ICS too, until its owner reconnects: nothing is sent through a grant that was revoked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from domain.calendar.changes import CALENDAR_TOPIC, meetings_changed
from domain.calendar.models import (
    CalendarConnection,
    CalendarEvent,
    ConnectionKind,
    ConnectionStatus,
    Provider,
    SyncStatus,
)
from domain.calendar.secrets import TokenCipher
from domain.errors import NotFound, ValidationFailed
from domain.meetings.models import Meeting, MeetingStatus
from domain.outbox.service import redeliver
from domain.people.models import Person


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


def _valid_domains(domains: Sequence[str]) -> list[str]:
    cleaned = sorted({domain.strip().lower().lstrip("@") for domain in domains if domain.strip()})
    if not cleaned or any("." not in domain or "@" in domain for domain in cleaned):
        raise ValidationFailed("Name one or more email domains, like example.org.", field="domains")
    return cleaned


async def connect_company(
    *, provider: Provider, domains: Sequence[str], config: dict, now: datetime
) -> CalendarConnection:
    """Creates or replaces the company connection for these domains; a domain belongs to one connection only.

    `config` holds references to secrets (an environment variable's name or a file's path), never a secret.
    """
    wanted = _valid_domains(domains)
    async with in_transaction():
        existing = await CalendarConnection.filter(kind=ConnectionKind.COMPANY).select_for_update()
        for connection in existing:
            overlap = set(connection.domains) & set(wanted)
            if overlap and set(connection.domains) != set(wanted):
                raise ValidationFailed(
                    f"{', '.join(sorted(overlap))} already belongs to connection {connection.id} "
                    f"({', '.join(connection.domains)}); connect exactly those domains to replace it.",
                    field="domains",
                )
        same = next((c for c in existing if set(c.domains) == set(wanted)), None)
        if same is None:
            connection = await CalendarConnection.create(
                kind=ConnectionKind.COMPANY, provider=provider, domains=wanted, config=config, connected_at=now
            )
        else:
            same.provider, same.config, same.connected_at = provider, config, now
            same.status, same.broken_reason, same.broken_at = ConnectionStatus.ACTIVE, "", None
            await same.save()
            connection = same
        await resync_organizers_of(wanted, now=now)
    return connection


async def resync_organizers_of(domains: Sequence[str], *, now: datetime) -> None:
    """Upcoming meetings organised by people of these domains go through the outbox again."""
    for domain in domains:
        ids = await Person.filter(email__iendswith=f"@{domain}").values_list("id", flat=True)
        await resync_meetings_of(ids, now=now)


async def resync_meetings_of(person_ids: Sequence[int], *, now: datetime) -> None:
    meeting_ids = await Meeting.filter(
        organizer_id__in=list(person_ids), status=MeetingStatus.SCHEDULED, ends_at__gt=now
    ).values_list("id", flat=True)
    await meetings_changed(meeting_ids, now=now)


async def connection_for(person: Person) -> CalendarConnection | None:
    rows = await CalendarConnection.filter(candidates([person.id]))
    personal = next((c for c in rows if c.kind is ConnectionKind.PERSONAL), None)
    return choose(person, personal, [c for c in rows if c.kind is ConnectionKind.COMPANY])


def candidates(person_ids: Sequence[int]) -> Q:
    """The connections that may decide these people's calendars: their own, and every active company one."""
    return Q(kind=ConnectionKind.PERSONAL, person_id__in=list(person_ids)) | Q(
        kind=ConnectionKind.COMPANY, status=ConnectionStatus.ACTIVE
    )


def choose(
    person: Person, personal: CalendarConnection | None, companies: Sequence[CalendarConnection]
) -> CalendarConnection | None:
    """The rule of this module's docstring, over connections already read."""
    if personal is not None:
        return personal if personal.status is ConnectionStatus.ACTIVE else None
    domain = email_domain(person.email)
    for company in companies:
        if company.status is ConnectionStatus.ACTIVE and domain in company.domains:
            return company
    return None


async def save_personal(
    *,
    person_id: int,
    provider: Provider,
    refresh_token: str,
    account_email: str,
    cipher: TokenCipher,
    now: datetime,
) -> CalendarConnection:
    """Stores (or replaces) a person's own grant and sends their upcoming meetings to it."""
    if not refresh_token:
        raise ValidationFailed("The provider returned no refresh token; grant offline access.", field="code")
    async with in_transaction():
        connection = await CalendarConnection.filter(kind=ConnectionKind.PERSONAL, person_id=person_id).first()
        fields = dict(
            provider=provider,
            account_email=account_email.lower(),
            refresh_token_encrypted=cipher.encrypt(refresh_token),
            status=ConnectionStatus.ACTIVE,
            broken_reason="",
            broken_at=None,
            connected_at=now,
        )
        if connection is None:
            connection = await CalendarConnection.create(kind=ConnectionKind.PERSONAL, person_id=person_id, **fields)
        else:
            await CalendarConnection.filter(id=connection.id).update(**fields)
            await connection.refresh_from_db()
        await resync_meetings_of([person_id], now=now)
    return connection


async def disconnect_personal(*, person_id: int, now: datetime) -> CalendarConnection:
    """Deletes the person's grant (the caller revokes it at the provider first); their meetings go back to
    the company connection or ICS."""
    async with in_transaction():
        connection = await CalendarConnection.filter(kind=ConnectionKind.PERSONAL, person_id=person_id).first()
        if connection is None:
            raise NotFound("You have no calendar connected.", field=None)
        await connection.delete()
        await resync_meetings_of([person_id], now=now)
    return connection


async def mark_broken(connection_id: int, *, reason: str, now: datetime) -> None:
    """Call inside the transaction that records the failed attempt."""
    await CalendarConnection.filter(id=connection_id).update(
        status=ConnectionStatus.BROKEN, broken_reason=reason[:1000], broken_at=now
    )


async def rotate_tokens(cipher: TokenCipher) -> int:
    """Re-encrypts every stored refresh token under the newest key; returns how many."""
    rotated = 0
    async with in_transaction():
        for connection in await CalendarConnection.filter(kind=ConnectionKind.PERSONAL).select_for_update():
            if connection.refresh_token_encrypted:
                await CalendarConnection.filter(id=connection.id).update(
                    refresh_token_encrypted=cipher.rotate(connection.refresh_token_encrypted)
                )
                rotated += 1
    return rotated


async def retry_sync(*, meeting_id: int, now: datetime) -> Meeting:
    """Sends a meeting to its calendar again after it was dead-lettered (or whenever an admin asks)."""
    meeting = await Meeting.get_or_none(id=meeting_id)
    if meeting is None:
        raise NotFound("No such meeting.", field="meeting_id")
    async with in_transaction():
        if not await redeliver(CALENDAR_TOPIC, [str(meeting_id)], now=now):
            await meetings_changed([meeting_id], now=now)
        await CalendarEvent.filter(meeting_id=meeting_id).update(status=SyncStatus.PENDING, attempts=0)
    return meeting

"""Free/busy from people's connected calendars, for the slot search (implements FreeBusyProvider).

Whose calendar is read follows the same rule as where meetings go (domain/calendar/connections.py): a
person's own connection, else the company connection of their email's domain; people with neither are
left out. People sharing a company connection are read together, in as few requests as the provider's
limits allow. Each connection gets `freebusy_timeout_seconds`: a provider that fails or is slower only
makes its people `unreadable`, and the search goes on. Answers are cached per person over whole UTC days,
so the pages and queries of one planning session share them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from domain.calendar.connections import candidates, choose
from domain.calendar.models import CalendarConnection, ConnectionKind, Provider
from domain.meetings.ports import Block, BusyTimes
from domain.people.models import Person
from integrations.calendar.busy_cache import BusyCache
from integrations.calendar.config import SyncConfig
from integrations.calendar.free_busy_split import Answer

log = logging.getLogger("mentorgraph.calendar.free_busy")
DAY = timedelta(days=1)


class BusyReader(Protocol):
    async def busy(self, calendars: Sequence[str], start: datetime, end: datetime) -> Answer: ...


def whole_days(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The UTC days covering [start, end): searches whose windows differ by minutes share one cache entry."""
    first = start.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    last = end.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return first, last if last == end else last + DAY


def clipped(blocks: Sequence[Block], start: datetime, end: datetime) -> list[Block]:
    return [(max(b, start), min(e, end)) for b, e in blocks if b < end and e > start]


async def calendars_to_read(person_ids: Sequence[int]) -> dict[CalendarConnection, dict[str, int]]:
    """Per connection, the calendar address to read for each of these people who have one."""
    people = await Person.filter(id__in=list(person_ids))
    connections = await CalendarConnection.filter(candidates(person_ids))
    personal = {c.person_id: c for c in connections if c.kind is ConnectionKind.PERSONAL}
    companies = [c for c in connections if c.kind is ConnectionKind.COMPANY]
    grouped: dict[CalendarConnection, dict[str, int]] = defaultdict(dict)
    for person in people:
        connection = choose(person, personal.get(person.id), companies)
        if connection is not None:
            # A personal grant reads the account it was given for, which may not be the work address.
            address = connection.account_email if connection.kind is ConnectionKind.PERSONAL else person.email
            grouped[connection][address.lower()] = person.id
    return grouped


class ConnectedCalendars:
    def __init__(self, settings: SyncConfig, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.cache = BusyCache(
            seconds=settings.freebusy_cache_seconds, entries=settings.freebusy_cache_entries, clock=clock
        )
        self._readers: dict[tuple, BusyReader] = {}
        self._providers = None  # built on the first connected calendar: the provider SDKs load only then

    async def busy(self, person_ids: Sequence[int], start: datetime, end: datetime) -> BusyTimes:
        window = whole_days(start, end)
        blocks: dict[int, list[Block]] = {}
        missing = []
        for person_id in dict.fromkeys(person_ids):
            kept = self.cache.get((person_id, *window))
            if kept is None:
                missing.append(person_id)
            else:
                blocks[person_id] = kept
        unreadable: set[int] = set()
        if missing:
            grouped = await calendars_to_read(missing)
            reads = [self._read(connection, calendars, window) for connection, calendars in grouped.items()]
            for calendars, answer in zip(grouped.values(), await asyncio.gather(*reads), strict=True):
                for address, person_id in calendars.items():
                    found = answer.get(address)
                    if found is None:
                        unreadable.add(person_id)
                    else:
                        self.cache.put((person_id, *window), found)
                        blocks[person_id] = found
        return BusyTimes(
            blocks={person_id: clipped(found, start, end) for person_id, found in blocks.items()},
            unreadable=frozenset(unreadable),
        )

    async def _read(self, connection: CalendarConnection, calendars: dict[str, int], window: tuple) -> Answer:
        """This connection's answer within the timeout; nothing (everyone unreadable) if it fails or is late."""
        try:
            reader = self._reader(connection)
            async with asyncio.timeout(self.settings.freebusy_timeout_seconds):
                return await reader.busy(sorted(calendars), *window)
        except Exception as error:  # noqa: BLE001 - whatever the provider did, the search goes on without it
            log.warning(
                "free/busy of %d calendars through connection %d unavailable: %s: %s",
                len(calendars),
                connection.id,
                type(error).__name__,
                error,
            )
            return {}

    def _reader(self, connection: CalendarConnection) -> BusyReader:
        key = (connection.id, connection.connected_at, connection.refresh_token_encrypted)
        if key not in self._readers:
            self._readers[key] = self._build(connection)
        return self._readers[key]

    def _build(self, connection: CalendarConnection) -> BusyReader:
        from integrations.calendar.providers import Writers, google_credentials
        from integrations.google.free_busy import GoogleFreeBusy
        from integrations.google.scopes import CALENDAR_FREEBUSY
        from integrations.microsoft.free_busy import GraphFreeBusy

        if self._providers is None:
            self._providers = Writers(self.settings)
        settings, config = self.settings, connection.config
        if connection.provider is Provider.GOOGLE:
            return GoogleFreeBusy(
                google_credentials(settings, connection, scopes=[CALENDAR_FREEBUSY]),
                api_url=config.get("api_url", settings.google_calendar_url),
                timeout=settings.freebusy_timeout_seconds,
                limiter=self._providers.google_users,
            )
        # Graph reads go through a writer's plumbing: the same tokens, HTTP client and mailbox limits.
        return GraphFreeBusy(self._providers.for_connection(connection))

    async def close(self) -> None:
        if self._providers is not None:
            await self._providers.close()

"""The default free/busy provider: without a connected calendar nobody is busy elsewhere."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.meetings.ports import BusyTimes, FreeBusyProvider
from integrations.calendar.no_external import NoExternalCalendar


async def test_nobody_has_external_busy_blocks():
    provider: FreeBusyProvider = NoExternalCalendar()
    busy = await provider.busy([1, 2, 3], datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC))
    assert busy == BusyTimes(blocks={}, unreadable=frozenset())

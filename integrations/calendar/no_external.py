"""The free/busy provider used when nobody has connected an external calendar: nothing is busy elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from domain.meetings.ports import BusyTimes


class NoExternalCalendar:
    """Implements domain.meetings.ports.FreeBusyProvider; availability then rests on meetings booked here."""

    async def busy(self, person_ids: Sequence[int], start: datetime, end: datetime) -> BusyTimes:
        return BusyTimes()

"""What meetings need from the outside world, declared here and implemented in integrations/."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

Block = tuple[datetime, datetime]


@dataclass(frozen=True)
class BusyTimes:
    """Busy blocks per person id, and the people whose connected calendar could not be read this time."""

    blocks: dict[int, list[Block]] = field(default_factory=dict)
    # Their calendar failed or timed out: the search goes on without it and says so.
    unreadable: frozenset[int] = frozenset()


class FreeBusyProvider(Protocol):
    """Busy blocks from people's connected calendars (Google, Outlook), beyond their meetings here."""

    async def busy(self, person_ids: Sequence[int], start: datetime, end: datetime) -> BusyTimes:
        """Aware [start, end) blocks per person id inside the window; people without a calendar are left out.

        Never raises for a provider's failure: those people are `unreadable` instead.
        """
        ...

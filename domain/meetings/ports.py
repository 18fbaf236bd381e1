"""What meetings need from the outside world, declared here and implemented in integrations/."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol


class FreeBusyProvider(Protocol):
    """Busy blocks from people's connected calendars (Google, Outlook), beyond their meetings here."""

    async def busy(
        self, person_ids: Sequence[int], start: datetime, end: datetime
    ) -> dict[int, list[tuple[datetime, datetime]]]:
        """Aware [start, end) blocks per person id inside the window; people without a calendar are left out."""
        ...

"""A short-lived, bounded memory of free/busy answers, so one planning page does not ask the providers again
for every query it sends (paging slots, then planning a series, then the batch view)."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from domain.meetings.ports import Block


class BusyCache:
    """Per key (a person over a window), the blocks read and when they go stale; least recently used leave first.

    Only readable answers are kept: a calendar that failed is asked again by the next search.
    """

    def __init__(self, *, seconds: float, entries: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.entries, self.clock = seconds, entries, clock
        self._kept: OrderedDict[Hashable, tuple[float, list[Block]]] = OrderedDict()

    def get(self, key: Hashable) -> list[Block] | None:
        kept = self._kept.get(key)
        if kept is None:
            return None
        if kept[0] <= self.clock():
            del self._kept[key]
            return None
        self._kept.move_to_end(key)
        return kept[1]

    def put(self, key: Hashable, blocks: list[Block]) -> None:
        if self.seconds <= 0:
            return
        self._kept[key] = (self.clock() + self.seconds, blocks)
        self._kept.move_to_end(key)
        while len(self._kept) > self.entries:
            self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)

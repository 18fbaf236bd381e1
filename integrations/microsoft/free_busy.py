"""Outlook free/busy through Graph's `getSchedule`, for the slot search (implements the reader of
integrations/calendar/free_busy.py).

A company connection (application permission) asks through the mailbox of one person of each batch (the
first) for everyone in it; a personal grant asks for its own mailbox. Times come back in UTC (Prefer
header). Tentative and out-of-office count as busy; free and working-elsewhere do not. A schedule Graph
could not read carries an `error` inside the 200: that person alone is unreadable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.calendar.ports import SyncFailed
from integrations.calendar.free_busy_split import Answer, combined, pieces
from integrations.microsoft.calendar import GraphCalendarWriter, GraphError

MOST_SCHEDULES = 100
LONGEST_RANGE = timedelta(days=62)
BUSY = frozenset({"busy", "tentative", "oof"})
# The answer's availabilityView is not read (scheduleItems carry exact times): the coarsest interval keeps
# it short.
VIEW_INTERVAL_MINUTES = 1440
# In flight at once through one connection; each batch asks through its own mailbox, held to 4 at once by the
# writers' mailbox limiter.
CONCURRENT_REQUESTS = 8


def graph_time(moment: datetime) -> dict:
    return {"dateTime": moment.astimezone(UTC).replace(tzinfo=None).isoformat(), "timeZone": "UTC"}


def _instant(value: dict) -> datetime:
    # Graph writes seven fractional digits; Python reads at most six.
    text = value["dateTime"]
    head, dot, fraction = text.partition(".")
    moment = datetime.fromisoformat(f"{head}.{fraction[:6]}" if dot else head)
    zone = value.get("timeZone") or "UTC"
    return moment.replace(tzinfo=UTC if zone == "UTC" else ZoneInfo(zone)).astimezone(UTC)


class GraphFreeBusy:
    def __init__(self, graph: GraphCalendarWriter) -> None:
        self._graph = graph
        self._in_flight = asyncio.Semaphore(CONCURRENT_REQUESTS)

    async def busy(self, calendars: Sequence[str], start: datetime, end: datetime) -> Answer:
        asked = pieces(calendars, start, end, most_calendars=MOST_SCHEDULES, longest=LONGEST_RANGE)
        answers = await asyncio.gather(*(self._schedule(batch, begin, finish) for batch, begin, finish in asked))
        return combined(answers, calendars)

    async def _schedule(self, batch: list[str], start: datetime, end: datetime) -> Answer:
        body = {
            "schedules": batch,
            "startTime": graph_time(start),
            "endTime": graph_time(end),
            "availabilityViewInterval": VIEW_INTERVAL_MINUTES,
        }
        async with self._in_flight:
            try:
                answer = await self._graph.call(batch[0], "POST", "/calendar/getSchedule", json=body)
            except GraphError as error:
                raise SyncFailed(str(error), retryable=True) from None
        found = {entry.get("scheduleId", "").lower(): entry for entry in answer.get("value", [])}
        result: Answer = {}
        for calendar in batch:
            entry = found.get(calendar.lower())
            if entry is None or entry.get("error"):
                result[calendar] = None
                continue
            result[calendar] = [
                (_instant(item["start"]), _instant(item["end"]))
                for item in entry.get("scheduleItems", [])
                if item.get("status") in BUSY
            ]
        return result

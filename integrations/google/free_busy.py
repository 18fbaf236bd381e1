"""Google free/busy through `freebusy.query`, for the slot search (implements the reader of
integrations/calendar/free_busy.py).

A company connection's service account acts, through domain-wide delegation, as one person of each batch
(the first): inside a Workspace everyone may see colleagues' free/busy, so one request reads 50 calendars,
and the per-user quota is spread across the people asked about. A personal grant reads its own calendar.
Google reports a calendar it could not read inside the 200 (`errors`): that calendar alone is unreadable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from googleapiclient.errors import HttpError

from domain.calendar.ports import SyncFailed
from integrations.calendar.free_busy_split import Answer, combined, pieces
from integrations.calendar.limits import RateLimiter
from integrations.google.calendar import calendar_service, execute_as

MOST_CALENDARS = 50
# Not in the discovery document: longer ranges answer "The requested time range is too long."
LONGEST_RANGE = timedelta(days=90)
# Requests in flight at once through one connection: a batch view of 400 people over a year is 40 requests
# to answer within the free/busy timeout; each batch acts as a different person, spreading the per-user quota.
CONCURRENT_REQUESTS = 8


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


class GoogleFreeBusy:
    def __init__(self, credentials, *, api_url: str, timeout: float, limiter: RateLimiter) -> None:
        self._credentials = credentials
        self._timeout = timeout
        self._limiter = limiter
        self._freebusy = calendar_service(api_url, timeout=timeout).freebusy()
        self._in_flight = asyncio.Semaphore(CONCURRENT_REQUESTS)

    async def busy(self, calendars: Sequence[str], start: datetime, end: datetime) -> Answer:
        asked = pieces(calendars, start, end, most_calendars=MOST_CALENDARS, longest=LONGEST_RANGE)
        answers = await asyncio.gather(*(self._query(batch, begin, finish) for batch, begin, finish in asked))
        return combined(answers, calendars)

    async def _query(self, batch: list[str], start: datetime, end: datetime) -> Answer:
        body = {
            "timeMin": rfc3339(start),
            "timeMax": rfc3339(end),
            "timeZone": "UTC",
            "items": [{"id": calendar} for calendar in batch],
        }
        async with self._in_flight:
            try:
                answer = await execute_as(
                    self._credentials,
                    batch[0],
                    self._freebusy.query(body=body),
                    socket_timeout=self._timeout,
                    limiter=self._limiter,
                )
            except HttpError as error:
                raise SyncFailed(f"Google free/busy {error.resp.status}: {error.reason}", retryable=True) from None
        found = {key.lower(): value for key, value in (answer or {}).get("calendars", {}).items()}
        result: Answer = {}
        for calendar in batch:
            entry = found.get(calendar.lower())
            if entry is None or entry.get("errors"):
                result[calendar] = None
            else:
                result[calendar] = [(_instant(b["start"]), _instant(b["end"])) for b in entry.get("busy", [])]
        return result

"""`POST /calendar/v3/freeBusy` for the Google fake: limits enforced as Google does, busy blocks per calendar.

Over 50 calendars or about 90 days the whole request fails (400; the range message is the one cal.com met,
the reasons follow the discovery document's list) so a client that does not split sees no busy time at all.
A calendar the fake does not know, or one outside the asking user's Workspace domain, answers `notFound`
inside the 200. Busy time is every non-cancelled, opaque event of the calendar plus blocks a test set.
The scope must be one freebusy.query accepts (the events scopes are not among them).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from tests.fakes.free_busy_log import FreeBusyAsked, instant, overlapping
from tests.fakes.http_fake import Reply, Request

FREEBUSY_SCOPES = frozenset(
    {
        "https://www.googleapis.com/auth/calendar",
        "https://www.googleapis.com/auth/calendar.events.freebusy",
        "https://www.googleapis.com/auth/calendar.freebusy",
        "https://www.googleapis.com/auth/calendar.readonly",
    }
)


def _rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class GoogleFreeBusyFake:
    """Mixed into FakeGoogleCalendar; uses its lock, tokens, quota and calendars."""

    def _init_free_busy(self) -> None:
        self.busy_blocks: dict[str, list[tuple[datetime, datetime]]] = {}
        self.known_calendars: set[str] = set()
        self.token_scopes: dict[str, frozenset[str]] = {}  # service-account tokens: the scopes they carry
        self.free_busy_asked: list[FreeBusyAsked] = []
        self.free_busy_delay = 0.0  # seconds each freeBusy request waits before answering
        self.most_free_busy_calendars = 50
        self.longest_free_busy_range = timedelta(days=90)

    # -- the test API ------------------------------------------------------------------------------------
    def add_calendars(self, *addresses: str) -> None:
        with self.lock:
            self.known_calendars.update(address.lower() for address in addresses)

    def set_busy(self, calendar: str, *blocks: tuple[datetime, datetime]) -> None:
        with self.lock:
            self.known_calendars.add(calendar.lower())
            self.busy_blocks[calendar.lower()] = list(blocks)

    # -- HTTP ----------------------------------------------------------------------------------------------
    def _free_busy(self, request: Request) -> Reply:
        from tests.fakes.google_calendar import google_error  # the fake imports this module

        if self.free_busy_delay:
            time.sleep(self.free_busy_delay)

        with self.lock:
            token = request.header("authorization").removeprefix("Bearer ")
            auth = self.tokens.get(token)
            if auth is None:
                return google_error(
                    401, "authError", "Invalid Credentials", locationType="header", location="Authorization"
                )
            subject = auth[0]
            if token in self.token_scopes and not self.token_scopes[token] & FREEBUSY_SCOPES:
                return google_error(403, "insufficientPermissions", "Request had insufficient authentication scopes.")
            if not self.quota.allow(subject):
                return google_error(403, "userRateLimitExceeded", "User Rate Limit Exceeded", domain="usageLimits")
            body = request.json()
            calendars = tuple(item["id"].lower() for item in body.get("items", []))
            start, end = instant(body["timeMin"]), instant(body["timeMax"])
            reply = self._free_busy_answer(subject, calendars, start, end, body)
            self.free_busy_asked.append(FreeBusyAsked(subject, subject, calendars, start, end, reply.status))
            return reply

    def _free_busy_answer(self, subject: str, calendars: tuple, start: datetime, end: datetime, body: dict) -> Reply:
        from tests.fakes.google_calendar import google_error

        if end <= start:
            return google_error(400, "timeRangeEmpty", "The specified time range is empty.", domain="calendar")
        if end - start > self.longest_free_busy_range:
            return google_error(400, "timeRangeTooLong", "The requested time range is too long.", domain="calendar")
        if len(calendars) > self.most_free_busy_calendars:
            return google_error(
                400, "tooManyCalendarsRequested", "The number of calendars requested is too large for a single query."
            )
        answer = {}
        for calendar in calendars:
            visible = calendar == subject or calendar.rsplit("@", 1)[-1] == subject.rsplit("@", 1)[-1]
            if not visible or calendar not in self.known_calendars | set(self.calendars):
                answer[calendar] = {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []}
                continue
            blocks = list(self.busy_blocks.get(calendar, []))
            for event in self.calendars.get(calendar, {}).values():
                if event["status"] != "cancelled" and event.get("transparency") != "transparent":
                    blocks.append((instant(event["start"]["dateTime"]), instant(event["end"]["dateTime"])))
            answer[calendar] = {
                "busy": [{"start": _rfc3339(b), "end": _rfc3339(e)} for b, e in overlapping(blocks, start, end)]
            }
        return Reply(
            200,
            {
                "kind": "calendar#freeBusy",
                "timeMin": body["timeMin"],
                "timeMax": body["timeMax"],
                "calendars": answer,
            },
        )

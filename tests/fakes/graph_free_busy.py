"""`POST /users/{id}/calendar/getSchedule` for the Graph fake: limits enforced as Graph does, items per mailbox.

Over 100 schedules answers `ErrorMailboxDataArrayTooBig`, over 62 days `ErrorTimeIntervalTooBig`, with the
messages users reported (the status is not in the reports; 400). The app reads any mailbox of the tenant; a
person's own grant reads mailboxes of its own domain. A mailbox the fake does not know carries an `error`
inside the 200. Items are the mailbox's events (showAs, busy unless set) plus blocks a test set, with a status.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta

from tests.fakes.free_busy_log import FreeBusyAsked, instant, overlapping
from tests.fakes.http_fake import Reply, Request

SCHEDULE = re.compile(r"^/v1\.0/(?:users/(?P<user>[^/]+)|me)/calendar/getSchedule$")
VIEW_DIGIT = {"free": "0", "tentative": "1", "busy": "2", "oof": "3", "workingElsewhere": "4"}


def _graph_time(moment: datetime) -> dict:
    return {"dateTime": moment.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"}


class GraphFreeBusyFake:
    """Mixed into FakeMicrosoftGraph; uses its lock, tokens and mailboxes."""

    def _init_free_busy(self) -> None:
        self.schedule_items: dict[str, list[tuple[datetime, datetime, str]]] = {}
        self.known_mailboxes: set[str] = set()
        self.free_busy_asked: list[FreeBusyAsked] = []
        self.free_busy_delay = 0.0  # seconds each getSchedule request waits before answering
        self.most_schedules = 100
        self.longest_schedule_range = timedelta(days=62)

    # -- the test API ------------------------------------------------------------------------------------
    def add_mailboxes(self, *addresses: str) -> None:
        with self.lock:
            self.known_mailboxes.update(address.lower() for address in addresses)

    def set_busy(self, mailbox: str, *blocks: tuple[datetime, datetime], status: str = "busy") -> None:
        with self.lock:
            self.known_mailboxes.add(mailbox.lower())
            self.schedule_items[mailbox.lower()] = [(b, e, status) for b, e in blocks]

    # -- HTTP ----------------------------------------------------------------------------------------------
    def _get_schedule(self, request: Request, user: str | None) -> Reply:
        from tests.fakes.microsoft_graph import graph_error  # the fake imports this module

        if self.free_busy_delay:
            time.sleep(self.free_busy_delay)
        with self.lock:
            subject = self.tokens.get(request.header("authorization").removeprefix("Bearer "))
            if subject is None:
                return graph_error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")
            mailbox = (user or subject).lower()
            if subject != "app" and mailbox != subject:
                return graph_error(403, "ErrorAccessDenied", "Access is denied.")
            body = request.json()
            schedules = tuple(address.lower() for address in body.get("schedules", []))
            start, end = instant(body["startTime"]["dateTime"]), instant(body["endTime"]["dateTime"])
            reply = self._schedule_answer(subject, schedules, start, end, int(body.get("availabilityViewInterval", 30)))
            self.free_busy_asked.append(FreeBusyAsked(subject, mailbox, schedules, start, end, reply.status))
            return reply

    def _schedule_answer(self, subject: str, schedules: tuple, start: datetime, end: datetime, step: int) -> Reply:
        from tests.fakes.microsoft_graph import graph_error

        if len(schedules) > self.most_schedules:
            return graph_error(
                400,
                "ErrorMailboxDataArrayTooBig",
                f"The allowed size = {self.most_schedules}; the actual size = {len(schedules)}",
            )
        if end - start > self.longest_schedule_range:
            days = -(-(end - start) // timedelta(days=1))
            return graph_error(
                400,
                "ErrorTimeIntervalTooBig",
                "The requested time duration specified for FreeBusyViewOptions.TimeWindow is too long. "
                f"The allowed limit = {self.longest_schedule_range.days} days; the actual limit = {days} days.",
            )
        if not 5 <= step <= 1440 or end <= start:
            return graph_error(400, "ErrorInvalidTimeInterval", "The time interval is invalid.")
        return Reply(200, {"value": [self._schedule(subject, address, start, end, step) for address in schedules]})

    def _schedule(self, subject: str, address: str, start: datetime, end: datetime, step: int) -> dict:
        visible = subject == "app" or address.rsplit("@", 1)[-1] == subject.rsplit("@", 1)[-1]
        if not visible or address not in self.known_mailboxes | set(self.mailboxes):
            return {
                "scheduleId": address,
                "availabilityView": "",
                "error": {"message": "The mailbox could not be found.", "responseCode": "ErrorMailRecipientNotFound"},
            }
        items = list(self.schedule_items.get(address, []))
        for event in self.mailboxes.get(address, {}).values():
            if not event.get("isCancelled"):
                status = event.get("showAs", "busy")
                items.append((instant(event["start"]["dateTime"]), instant(event["end"]["dateTime"]), status))
        items = [(max(b, start), min(e, end), s) for b, e, s in items if b < end and e > start]
        view = []
        moment = start
        while moment < end:
            after = moment + timedelta(minutes=step)
            states = [s for b, e, s in items if b < after and e > moment]
            view.append(max((VIEW_DIGIT.get(s, "2") for s in states), default="0"))
            moment = after
        return {
            "scheduleId": address,
            "availabilityView": "".join(view),
            "scheduleItems": [
                {"status": kind, "start": _graph_time(b), "end": _graph_time(e), "isPrivate": False}
                for kind in sorted({s for _, _, s in items})
                for b, e in overlapping([(b, e) for b, e, s in items if s == kind], start, end)
            ],
        }

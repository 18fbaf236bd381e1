"""What calendar sync needs from a provider, declared here and implemented in integrations/google, /microsoft.

The worker hands a writer the meeting as it is now (`DesiredEvent`) and what was last written (`KnownEvent`);
the writer makes the provider's event match and says what is there now (`WrittenEvent`). Failures are typed
so the outbox knows whether to retry, give up, or mark the connection broken.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class DesiredEvent:
    meeting_uid: str
    title: str
    description: str
    location: str
    start: datetime
    end: datetime
    cancelled: bool
    cancellation_reason: str
    organizer_email: str
    attendee_emails: tuple[str, ...]  # everyone invited but the organizer
    # VIDEO without a link the organizer typed: the provider makes a Meet or Teams conference.
    wants_conference: bool


@dataclass(frozen=True)
class KnownEvent:
    calendar: str
    generation: int
    event_id: str
    etag: str
    # A create went out and its answer may have been lost: find the event before creating again.
    create_sent: bool
    conference_url: str


@dataclass(frozen=True)
class WrittenEvent:
    event_id: str
    etag: str
    generation: int
    conference_url: str = ""
    # The conference is still being made: look again shortly.
    conference_pending: bool = False
    # Cancelled before any event existed: nothing was ever sent.
    absent: bool = False
    # The iCalendar UID attendees' copies share ("" when the answer did not say, e.g. a cancel).
    ical_uid: str = ""


class SyncFailed(Exception):
    """A failed attempt. `retryable` ones back off (at least `retry_after` seconds when the provider said)."""

    def __init__(self, reason: str, *, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after


class GrantRevoked(SyncFailed):
    """invalid_grant: the connection is BROKEN until someone reconnects it; never retried."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, retryable=False)


class CalendarWriter(Protocol):
    async def converge(
        self,
        desired: DesiredEvent,
        known: KnownEvent,
        *,
        before_create: Callable[[KnownEvent], Awaitable[None]],
        before_send: Callable[[], None],
    ) -> WrittenEvent:
        """Makes the organizer's event match `desired`. `before_create` is awaited (and must commit the id
        it is given) before any create is sent, so an answer lost on the way back is never a second event.
        `before_send` is called as late as possible before each request goes out (after any wait for a token,
        a rate limit or a thread); it raises when the worker may no longer write this meeting's event."""
        ...


class AttendeeResponder(Protocol):
    async def respond_as_attendee(
        self, *, attendee: str, ical_uid: str, response: str, before_send: Callable[[], None]
    ) -> bool:
        """Makes the attendee's own copy of the event (found by `ical_uid` in their calendar) carry `response`
        (ACCEPTED, DECLINED or TENTATIVE), telling the organizer as the provider does; True when it wrote,
        False when the copy already said so. A copy not there (yet) is a retryable SyncFailed."""
        ...

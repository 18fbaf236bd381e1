"""What inbound calendar sync needs from a provider, declared here and implemented in integrations/google/watch.py
and integrations/microsoft/subscriptions.py.

A reader lists what changed in an organizer's calendar since a cursor (Google's syncToken, Graph's deltaLink),
or, with no cursor, the whole window Mentorgraph cares about; and it opens, renews and closes the channel
(Google `events.watch`, a Graph subscription) that tells Mentorgraph a change happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from domain.meetings.models import Rsvp


@dataclass(frozen=True)
class SeenEvent:
    """One event as the organizer's calendar shows it now."""

    event_id: str
    # Our meeting uid from the event's extended property when the provider returns it (Google does, Graph's
    # delta does not: there the event id Mentorgraph stored is the proof the event is ours).
    meeting_uid: str | None
    cancelled: bool
    start: datetime | None = None
    end: datetime | None = None
    etag: str = ""
    # Each attendee's answer (lower-case email) and, where the provider says, when it was given.
    responses: dict[str, tuple[Rsvp, datetime | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Changes:
    events: list[SeenEvent]
    cursor: str
    # No cursor was given (or it had expired): this is the whole window, not a delta.
    full: bool = False


class CursorExpired(Exception):
    """The provider no longer knows the cursor (Google 410 fullSyncRequired, Graph 410 SyncStateNotFound)."""


@dataclass(frozen=True)
class Channel:
    channel_id: str
    resource_id: str
    expires_at: datetime


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


class CalendarReader(Protocol):
    async def changes(self, calendar: str, cursor: str, window: Window) -> Changes:
        """Raises CursorExpired when the cursor must be dropped for a full sync of `window`."""
        ...

    async def open_channel(
        self, calendar: str, *, address: str, channel_id: str, secret: str, expires_at: datetime
    ) -> Channel: ...

    async def renew_channel(self, calendar: str, channel: Channel, *, expires_at: datetime) -> Channel | None:
        """The same channel with a later expiry, or None where channels cannot be renewed (Google: open anew)."""
        ...

    async def close_channel(self, calendar: str, channel: Channel) -> None: ...

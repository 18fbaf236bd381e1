"""Inbound sync with Google Calendar: incremental `events.list` by syncToken, push channels (`events.watch`,
`channels.stop`), through the outbound writer's credentials and per-user rate limit.

With a syncToken no filtering parameter may be sent (Google answers 400), so the full sync sends only the window
and `showDeleted`, and our events are told apart from the rest by their id and extended property. A 410
(fullSyncRequired) means the token is dead: the caller drops it and syncs the window again.
"""

from __future__ import annotations

from datetime import UTC, datetime

from googleapiclient.errors import HttpError

from domain.calendar.inbound_ports import Changes, Channel, CursorExpired, SeenEvent, Window
from domain.meetings.models import Rsvp
from integrations.google.calendar import PROPERTY, GoogleCalendarWriter, _failure

ANSWERS = {
    "accepted": Rsvp.ACCEPTED,
    "declined": Rsvp.DECLINED,
    "tentative": Rsvp.TENTATIVE,
    "needsAction": Rsvp.NEEDS_ACTION,
}
PAGE_SIZE = 250


def _instant(value: dict | None) -> datetime | None:
    text = (value or {}).get("dateTime")
    return datetime.fromisoformat(text).astimezone(UTC) if text else None


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def seen_event(item: dict) -> SeenEvent:
    private = (item.get("extendedProperties") or {}).get("private") or {}
    responses = {
        attendee["email"].lower(): (ANSWERS[attendee["responseStatus"]], None)
        for attendee in item.get("attendees", [])
        if attendee.get("responseStatus") in ANSWERS and not attendee.get("organizer")
    }
    return SeenEvent(
        event_id=item["id"],
        meeting_uid=private.get(PROPERTY),
        cancelled=item.get("status") == "cancelled",
        start=_instant(item.get("start")),
        end=_instant(item.get("end")),
        etag=item.get("etag", ""),
        responses=responses,
    )


class GoogleCalendarReader:
    def __init__(self, writer: GoogleCalendarWriter) -> None:
        self._writer = writer
        self._events = writer.service.events()
        self._channels = writer.service.channels()

    async def _run(self, calendar: str, request) -> dict:
        try:
            return await self._writer.execute(calendar, request) or {}
        except HttpError as error:
            if error.resp.status == 410:
                raise CursorExpired(str(error)) from None
            raise _failure(error) from None

    async def changes(self, calendar: str, cursor: str, window: Window) -> Changes:
        events: list[SeenEvent] = []
        page = ""
        while True:
            # Parameters other than the window must match between the full sync and the incremental ones.
            if cursor:
                arguments = dict(syncToken=cursor, showDeleted=True)
            else:
                arguments = dict(timeMin=_rfc3339(window.start), timeMax=_rfc3339(window.end), showDeleted=True)
            if page:
                arguments["pageToken"] = page
            answer = await self._run(
                calendar, self._events.list(calendarId=calendar, maxResults=PAGE_SIZE, singleEvents=True, **arguments)
            )
            events.extend(seen_event(item) for item in answer.get("items", []))
            page = answer.get("nextPageToken", "")
            if not page:
                return Changes(events, answer.get("nextSyncToken", ""), full=not cursor)

    async def open_channel(
        self, calendar: str, *, address: str, channel_id: str, secret: str, expires_at: datetime
    ) -> Channel:
        body = {
            "id": channel_id,
            "type": "web_hook",
            "address": address,
            "token": secret,
            "expiration": int(expires_at.timestamp() * 1000),
        }
        answer = await self._run(calendar, self._events.watch(calendarId=calendar, body=body))
        expires = (
            datetime.fromtimestamp(int(answer["expiration"]) / 1000, UTC) if answer.get("expiration") else expires_at
        )
        return Channel(answer["id"], answer["resourceId"], expires)

    async def renew_channel(self, calendar: str, channel: Channel, *, expires_at: datetime) -> Channel | None:
        return None  # Google channels do not renew: a new one is opened, then this one stopped

    async def close_channel(self, calendar: str, channel: Channel) -> None:
        stop = self._channels.stop(body={"id": channel.channel_id, "resourceId": channel.resource_id})
        try:
            await self._writer.execute(calendar, stop)
        except HttpError as error:
            if error.resp.status != 404:  # a channel already gone is the goal reached
                raise _failure(error) from None

"""Inbound sync with Microsoft Graph: `calendarView/delta` rounds from the stored deltaLink, and change-notification
subscriptions (create, renew by PATCH, delete), through the outbound writer's tokens and mailbox limit.

Delta returns no extended properties, so an event is ours when its (immutable) id is the one Mentorgraph
stored. An `@removed` item is not taken at its word: delta also reports events that left the window that way,
so the event is read to tell a cancellation from a move out of the window. A 410 (with an empty $deltatoken in
Location, or SyncStateNotFound) means the link is dead: the caller drops it and syncs the window again.
"""

from __future__ import annotations

from datetime import UTC, datetime

from domain.calendar.inbound_ports import Changes, Channel, CursorExpired, SeenEvent, Window
from domain.meetings.models import Rsvp
from integrations.microsoft.calendar import GraphCalendarWriter, GraphError

ANSWERS = {
    "accepted": Rsvp.ACCEPTED,
    "declined": Rsvp.DECLINED,
    "tentativelyAccepted": Rsvp.TENTATIVE,
    "none": Rsvp.NEEDS_ACTION,
    "notResponded": Rsvp.NEEDS_ACTION,
}
EXPIRED_CODES = frozenset({"SyncStateNotFound", "syncStateNotFound", "resyncRequired"})
NEVER = "0001-01-01"


def _wall_utc(value: dict | None) -> datetime | None:
    text = (value or {}).get("dateTime")
    return datetime.fromisoformat(text[:19]).replace(tzinfo=UTC) if text else None


def _zulu(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def seen_event(item: dict) -> SeenEvent:
    responses = {}
    for attendee in item.get("attendees", []):
        status = attendee.get("status") or {}
        answer = ANSWERS.get(status.get("response", ""))
        if answer is None:
            continue
        time = status.get("time", "")
        answered_at = (
            datetime.fromisoformat(time.replace("Z", "+00:00")) if time and not time.startswith(NEVER) else None
        )
        responses[attendee["emailAddress"]["address"].lower()] = (answer, answered_at)
    return SeenEvent(
        event_id=item["id"],
        meeting_uid=None,
        cancelled=bool(item.get("isCancelled")),
        start=_wall_utc(item.get("start")),
        end=_wall_utc(item.get("end")),
        etag=item.get("@odata.etag", ""),
        responses=responses,
    )


class GraphCalendarReader:
    def __init__(self, writer: GraphCalendarWriter, *, page_size: int = 100) -> None:
        self._writer = writer
        self._page_size = page_size

    async def _call(self, mailbox: str, method: str, path: str, **request) -> dict:
        try:
            return await self._writer.call(mailbox, method, path, **request)
        except GraphError as error:
            if error.status == 410 or error.code in EXPIRED_CODES:
                raise CursorExpired(str(error)) from None
            raise error.failure() from None

    async def changes(self, calendar: str, cursor: str, window: Window) -> Changes:
        link = cursor
        params = None
        if not link:
            link = "/calendarView/delta"
            params = {"startDateTime": _zulu(window.start), "endDateTime": _zulu(window.end)}
        events: list[SeenEvent] = []
        while True:
            answer = await self._call(calendar, "GET", link, params=params)
            params = None
            for item in answer.get("value", []):
                if "@removed" in item:
                    events.append(await self._removed(calendar, item["id"]))
                else:
                    events.append(seen_event(item))
            if "@odata.nextLink" in answer:
                link = answer["@odata.nextLink"]
                continue
            return Changes(events, answer.get("@odata.deltaLink", ""), full=not cursor)

    async def _removed(self, mailbox: str, event_id: str) -> SeenEvent:
        """Gone from the view: cancelled or deleted, or only moved out of the window (then it is read as is)."""
        try:
            return seen_event(await self._writer.call(mailbox, "GET", f"/events/{event_id}"))
        except GraphError as error:
            if error.status != 404:
                raise error.failure() from None
        return SeenEvent(event_id=event_id, meeting_uid=None, cancelled=True)

    async def open_channel(
        self, calendar: str, *, address: str, channel_id: str, secret: str, expires_at: datetime
    ) -> Channel:
        body = {
            "changeType": "created,updated,deleted",
            "notificationUrl": address,
            "lifecycleNotificationUrl": address,
            "resource": f"/users/{calendar}/events",
            "expirationDateTime": _zulu(expires_at),
            "clientState": secret,
        }
        answer = await self._call(calendar, "POST", f"{self._writer.graph_url}/subscriptions", json=body)
        return Channel(answer["id"], "", _parse(answer.get("expirationDateTime")) or expires_at)

    async def renew_channel(self, calendar: str, channel: Channel, *, expires_at: datetime) -> Channel | None:
        url = f"{self._writer.graph_url}/subscriptions/{channel.channel_id}"
        try:
            answer = await self._writer.call(calendar, "PATCH", url, json={"expirationDateTime": _zulu(expires_at)})
        except GraphError as error:
            if error.status == 404:
                return None  # removed meanwhile: a new one is made
            raise error.failure() from None
        return Channel(channel.channel_id, "", _parse(answer.get("expirationDateTime")) or expires_at)

    async def close_channel(self, calendar: str, channel: Channel) -> None:
        try:
            await self._writer.call(calendar, "DELETE", f"{self._writer.graph_url}/subscriptions/{channel.channel_id}")
        except GraphError as error:
            if error.status != 404:
                raise error.failure() from None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None

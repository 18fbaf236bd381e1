"""Microsoft Graph calendar events over httpx, implementing domain.calendar.ports.CalendarWriter.

Create is idempotent twice over: a `transactionId` from the meeting and its generation makes a replayed POST
return the event it already made, and our meeting uid in a single-value extended property finds the event
before any re-create after a lost response or a 504. Graph sends the invitations itself. Updates PATCH our
fields with If-Match; a 412 re-fetches and re-applies. Every call asks for immutable ids and UTC times.
"""

from __future__ import annotations

from datetime import UTC

import httpx

from domain.calendar.ports import DesiredEvent, KnownEvent, SyncFailed, WrittenEvent
from integrations.calendar.limits import ConcurrencyLimiter

# Our own property set GUID: the meeting's uid lives under it on the organizer's event.
PROPERTY_ID = "String {6f1d8f0c-3b7e-4c52-9a8e-2d4c6b1a9e57} Name mentorgraphMeeting"
PREFER = [("Prefer", 'IdType="ImmutableId"'), ("Prefer", 'outlook.timezone="UTC"')]


def transaction_id(meeting_uid: str, generation: int) -> str:
    return f"mg-{meeting_uid}-{generation}"


def _when(moment) -> dict:
    return {"dateTime": moment.astimezone(UTC).replace(tzinfo=None).isoformat(), "timeZone": "UTC"}


def event_body(desired: DesiredEvent) -> dict:
    body = {
        "subject": desired.title,
        "body": {"contentType": "text", "content": desired.description},
        "start": _when(desired.start),
        "end": _when(desired.end),
        "location": {"displayName": desired.location},
        "attendees": [{"emailAddress": {"address": email}, "type": "required"} for email in desired.attendee_emails],
        "singleValueExtendedProperties": [{"id": PROPERTY_ID, "value": desired.meeting_uid}],
    }
    if desired.wants_conference:
        body.update(isOnlineMeeting=True, onlineMeetingProvider="teamsForBusiness")
    return body


# Mentorgraph's answers as Graph's response actions, and the responseStatus each leaves on the copy.
RESPONSES = {
    "ACCEPTED": ("accept", "accepted"),
    "DECLINED": ("decline", "declined"),
    "TENTATIVE": ("tentativelyAccept", "tentativelyAccepted"),
}


class GraphError(Exception):
    def __init__(self, status: int, code: str, retry_after: float | None) -> None:
        super().__init__(f"Microsoft Graph {status} {code}".strip())
        self.status, self.code, self.retry_after = status, code, retry_after

    def failure(self) -> SyncFailed:
        retryable = self.status in (408, 429) or self.status >= 500 or self.status == 404
        return SyncFailed(str(self), retryable=retryable, retry_after=self.retry_after)


class GraphCalendarWriter:
    def __init__(self, tokens, *, client: httpx.AsyncClient, graph_url: str, mailboxes: ConcurrencyLimiter) -> None:
        self._tokens = tokens
        self._client = client
        self._graph_url = graph_url.rstrip("/")
        self._mailboxes = mailboxes

    async def _request(
        self, mailbox: str, method: str, path: str, send, *, json=None, if_match="", params=None
    ) -> dict:
        response = await self._send(mailbox, method, path, send, json=json, if_match=if_match, params=params)
        if response.status_code >= 400:
            try:
                code = response.json()["error"]["code"]
            except (ValueError, KeyError, TypeError):
                code = ""
            retry_after = response.headers.get("Retry-After")
            raise GraphError(response.status_code, code, float(retry_after) if retry_after else None)
        return response.json() if response.content else {}

    async def _send(self, mailbox: str, method: str, path: str, send, **request) -> httpx.Response:
        """One request; a 401 means the kept token went stale, so it is sent once more with a fresh one."""
        for attempt in (1, 2):
            token = await self._tokens.token(mailbox)
            headers = [("Authorization", f"Bearer {token}"), *PREFER]
            if request["if_match"]:
                headers.append(("If-Match", request["if_match"]))
            async with self._mailboxes.slot(mailbox):
                send()
                try:
                    response = await self._client.request(
                        method,
                        path
                        if path.startswith(("https://", "http://"))
                        else f"{self._graph_url}/users/{mailbox}{path}",
                        json=request["json"],
                        headers=headers,
                        params=request["params"],
                    )
                except httpx.HTTPError as error:
                    raise SyncFailed(f"Microsoft Graph unreachable: {type(error).__name__}", retryable=True) from None
            if response.status_code != 401 or attempt == 2:
                return response
            self._tokens.refused(token)
        raise AssertionError("unreachable")

    @property
    def graph_url(self) -> str:
        return self._graph_url

    async def call(self, mailbox: str, method: str, path: str, *, json=None, params=None) -> dict:
        """One request for inbound sync: `path` under the mailbox, or a whole URL (a delta link, /subscriptions),
        through this writer's tokens and mailbox limit; raises GraphError."""
        return await self._request(mailbox, method, path, lambda: None, json=json, params=params)

    async def converge(self, desired: DesiredEvent, known: KnownEvent, *, before_create, before_send) -> WrittenEvent:
        try:
            return await self._converge(desired, known, before_create, before_send)
        except GraphError as error:
            raise error.failure() from None

    async def _find(self, mailbox: str, meeting_uid: str, send) -> dict | None:
        query = f"singleValueExtendedProperties/Any(ep: ep/id eq '{PROPERTY_ID}' and ep/value eq '{meeting_uid}')"
        found = await self._request(mailbox, "GET", "/events", send, params={"$filter": query})
        return found["value"][0] if found.get("value") else None

    async def _converge(self, desired: DesiredEvent, known: KnownEvent, before_create, send) -> WrittenEvent:
        mailbox = known.calendar
        event_id, etag = known.event_id, known.etag
        if not event_id and known.create_sent:
            found = await self._find(mailbox, desired.meeting_uid, send)
            if found is not None:
                event_id, etag = found["id"], found["@odata.etag"]
        if desired.cancelled:
            if not event_id:
                return WrittenEvent("", "", known.generation, absent=True)
            try:
                await self._request(
                    mailbox, "POST", f"/events/{event_id}/cancel", send, json={"comment": desired.cancellation_reason}
                )
            except GraphError as error:
                if error.status != 404:  # already cancelled and moved out of the calendar
                    raise
            return WrittenEvent(event_id, "", known.generation)
        body = event_body(desired)
        if not event_id:
            await before_create(KnownEvent(mailbox, known.generation, "", "", True, known.conference_url))
            try:
                event = await self._request(
                    mailbox,
                    "POST",
                    "/events",
                    send,
                    json={**body, "transactionId": transaction_id(desired.meeting_uid, known.generation)},
                )
            except GraphError as error:
                if error.code != "ErrorDuplicateTransactionId":
                    raise
                # Our create went through with an older version of the meeting: find it and patch it.
                found = await self._find(mailbox, desired.meeting_uid, send)
                if found is None:
                    raise
                event = await self._patch(mailbox, found["id"], body, found["@odata.etag"], send)
        else:
            try:
                event = await self._patch(mailbox, event_id, body, etag, send)
            except GraphError as error:
                if error.status != 404:
                    raise
                # The event vanished from the mailbox: make it anew.
                fresh = KnownEvent(mailbox, known.generation + 1, "", "", False, "")
                return await self._converge(desired, fresh, before_create, send)
        return WrittenEvent(
            event_id=event["id"],
            etag=event["@odata.etag"],
            generation=known.generation,
            conference_url=(event.get("onlineMeeting") or {}).get("joinUrl", "") or known.conference_url,
            ical_uid=event.get("iCalUId", ""),
        )

    async def respond_as_attendee(self, *, attendee: str, ical_uid: str, response: str, before_send) -> bool:
        """Through the application permission, in the attendee's own mailbox: their copy (same iCalUId) is
        accepted, declined or tentatively accepted with sendResponse, which updates the organizer's event."""
        action, state = RESPONSES[response]
        try:
            found = await self._request(
                attendee, "GET", "/events", before_send, params={"$filter": f"iCalUId eq '{ical_uid}'"}
            )
            copy = next(iter(found.get("value", [])), None)
            if copy is None:
                raise SyncFailed("Graph: the attendee's copy of the event is not in their mailbox", retryable=True)
            if copy.get("isOrganizer") or (copy.get("responseStatus") or {}).get("response") == state:
                return False
            await self._request(
                attendee, "POST", f"/events/{copy['id']}/{action}", before_send, json={"sendResponse": True}
            )
        except GraphError as error:
            raise error.failure() from None
        return True

    async def _patch(self, mailbox: str, event_id: str, body: dict, etag: str, send) -> dict:
        path = f"/events/{event_id}"
        try:
            return await self._request(mailbox, "PATCH", path, send, json=body, if_match=etag)
        except GraphError as error:
            if error.status != 412:
                raise
        current = await self._request(mailbox, "GET", path, send)
        return await self._request(mailbox, "PATCH", path, send, json=body, if_match=current["@odata.etag"])

"""Google Calendar v3 through google-api-python-client (static discovery, no library retries: the outbox is
the one retry layer), implementing domain.calendar.ports.CalendarWriter.

Create is idempotent by a client-chosen id (base32hex, from the meeting and its generation): a 409 means the
event is already there, so it is fetched and patched (a cancelled one revived by PATCH). Updates PATCH only
the fields Mentorgraph owns, with If-Match; a 412 re-fetches and re-applies. Invitations: sendUpdates=all.
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC

import google_auth_httplib2
import httplib2
from google.auth import exceptions as auth_errors
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from domain.calendar.ports import DesiredEvent, GrantRevoked, KnownEvent, SyncFailed, WrittenEvent
from integrations.calendar.limits import RateLimiter

# httplib2 silently re-sends a request once when the connection drops, POST included; the outbox is the one
# retry layer (it knows a re-sent insert may meet its own event), so the library tries exactly once.
httplib2.RETRIES = 1

PROPERTY = "mentorgraphMeeting"
RETRYABLE_403 = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})


def google_event_id(meeting_uid: str, generation: int) -> str:
    """Base32hex (a-v, 0-9): the uid's hex digits, a separator letter, the generation."""
    return f"mg{meeting_uid.replace('-', '').lower()}g{generation}"


def _when(moment) -> dict:
    return {"dateTime": moment.astimezone(UTC).isoformat().replace("+00:00", "Z"), "timeZone": "UTC"}


def event_body(desired: DesiredEvent, *, with_answers: bool) -> dict:
    attendees = [{"email": email} for email in desired.attendee_emails]
    if with_answers:
        # Invitees have yet to answer; presetting an answer can hide the event from them.
        attendees = [{**attendee, "responseStatus": "needsAction"} for attendee in attendees]
    return {
        "summary": desired.title,
        "description": desired.description,
        "location": desired.location,
        "start": _when(desired.start),
        "end": _when(desired.end),
        "attendees": attendees,
        "extendedProperties": {"private": {PROPERTY: desired.meeting_uid}},
        "status": "confirmed",
    }


def _failure(error: HttpError) -> SyncFailed:
    status = error.resp.status
    details = error.error_details if isinstance(error.error_details, list) else []
    reason = (details[0].get("reason") if details else "") or ""
    retry_after = error.resp.get("retry-after")
    text = f"Google {status} {reason}".strip()
    retryable = status == 429 or status >= 500 or status == 404 or (status == 403 and reason in RETRYABLE_403)
    return SyncFailed(text, retryable=retryable, retry_after=float(retry_after) if retry_after else None)


NETWORK_ERRORS = (socket.timeout, ConnectionError, http.client.HTTPException, httplib2.HttpLib2Error, OSError)


class RequestThreads:
    """Where blocking Google requests run: a pool as large as the requests a worker keeps in flight (asyncio's
    default pool has cpu + 4 threads, which capped a worker at six Google requests at once), each thread keeping
    one Http (not thread-safe) so its connection stays open: a new TCP connection per request cost both ends
    more than the request itself."""

    def __init__(self, size: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="google-calendar")
        self._local = threading.local()

    def http(self, timeout: float) -> httplib2.Http:
        if getattr(self._local, "http", None) is None:
            self._local.http = httplib2.Http(timeout=timeout)
        return self._local.http

    async def run(self, work):
        return await asyncio.get_running_loop().run_in_executor(self._pool, work)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


async def execute_as(
    credentials,
    subject: str,
    request,
    *,
    socket_timeout: float,
    limiter: RateLimiter,
    before_send=lambda: None,
    threads: RequestThreads | None = None,
) -> dict | None:
    """Sends one request as `subject` (within their per-user quota), in a thread: the client library blocks.
    Without `threads`, on asyncio's default pool with a connection of its own.

    HttpError passes through for the caller to read; everything else becomes SyncFailed or GrantRevoked.
    """
    await limiter.acquire(subject)
    acting = credentials.for_subject(subject)

    def send() -> dict | None:
        http = threads.http(socket_timeout) if threads else httplib2.Http(timeout=socket_timeout)
        if not acting.valid:
            # The token first, so the last look at the lease comes just before the request itself.
            acting.refresh(google_auth_httplib2.Request(http))
        before_send()
        authorized = google_auth_httplib2.AuthorizedHttp(acting, http=http)
        return request.execute(http=authorized, num_retries=0)

    try:
        return await (threads.run(send) if threads else asyncio.to_thread(send))
    except HttpError:
        raise
    except auth_errors.RefreshError as error:
        if "invalid_grant" in str(error):
            raise GrantRevoked(f"Google refused the grant: {error}") from None
        raise SyncFailed(f"Google token refresh failed: {error}", retryable=True) from None
    except (auth_errors.TransportError, *NETWORK_ERRORS) as error:
        raise SyncFailed(f"Google unreachable: {type(error).__name__}: {error}", retryable=True) from None


def calendar_service(api_url: str, *, timeout: float):
    """The Calendar v3 client from the discovery document shipped with the library (no network)."""
    return build(
        "calendar",
        "v3",
        http=httplib2.Http(timeout=timeout),
        static_discovery=True,
        cache_discovery=False,
        client_options={"api_endpoint": api_url},
    )


class GoogleCalendarWriter:
    def __init__(
        self,
        credentials,
        *,
        api_url: str,
        timeout: float,
        limiter: RateLimiter,
        threads: RequestThreads | None = None,
    ) -> None:
        self._credentials = credentials
        self._timeout = timeout
        self._limiter = limiter
        self._threads = threads
        self._service = calendar_service(api_url, timeout=timeout)
        # Building a resource walks the discovery document (~10 ms): once per writer, not per meeting.
        self._events = self._service.events()

    async def _call(self, subject: str, request, before_send, *, if_match: str = "") -> dict | None:
        if if_match:
            request.headers["If-Match"] = if_match
        return await execute_as(
            self._credentials,
            subject,
            request,
            socket_timeout=self._timeout,
            limiter=self._limiter,
            before_send=before_send,
            threads=self._threads,
        )

    @property
    def service(self):
        """The Calendar API resource, for inbound sync's list, watch and stop requests."""
        return self._service

    async def execute(self, subject: str, request) -> dict | None:
        """Sends one request as `subject` through this writer's credentials and rate limit (inbound sync uses
        it); HttpError passes through."""
        return await self._call(subject, request, lambda: None)

    async def converge(self, desired: DesiredEvent, known: KnownEvent, *, before_create, before_send) -> WrittenEvent:
        try:
            return await self._converge(desired, known, before_create, before_send)
        except HttpError as error:
            raise _failure(error) from None

    async def _converge(self, desired: DesiredEvent, known: KnownEvent, before_create, send) -> WrittenEvent:
        events = self._events
        calendar = known.calendar
        event_id = known.event_id or google_event_id(desired.meeting_uid, known.generation)
        if desired.cancelled:
            if not known.etag and not known.create_sent:
                return WrittenEvent(event_id, "", known.generation, absent=True)
            try:
                await self._call(
                    calendar, events.delete(calendarId=calendar, eventId=event_id, sendUpdates="all"), send
                )
            except HttpError as error:
                if error.resp.status not in (404, 410):  # already cancelled (or never made): the goal is reached
                    raise
            return WrittenEvent(event_id, "", known.generation)

        body = event_body(desired, with_answers=False)
        if desired.wants_conference and not known.conference_url:
            body["conferenceData"] = {
                "createRequest": {
                    "requestId": f"{event_id}c",
                    "conferenceSolutionKey": {"type": "hangoutsMeet"},
                }
            }
        write = dict(calendarId=calendar, sendUpdates="all", conferenceDataVersion=1)
        if known.etag:
            try:
                event = await self._patch(calendar, event_id, body, known.etag, write, send)
            except HttpError as error:
                if error.resp.status not in (404, 410):
                    raise
                # The event vanished from the calendar: make it anew, with a new id and conference.
                fresh = KnownEvent(calendar, known.generation + 1, "", "", False, "")
                return await self._converge(desired, fresh, before_create, send)
        else:
            await before_create(KnownEvent(calendar, known.generation, event_id, "", True, known.conference_url))
            try:
                event = await self._call(
                    calendar,
                    events.insert(
                        body={"id": event_id, **event_body(desired, with_answers=True), **_extra(body)}, **write
                    ),
                    send,
                )
            except HttpError as error:
                if error.resp.status != 409:
                    raise
                # Already there (our earlier answer was lost, or it was cancelled): patch it into shape.
                current = await self._call(calendar, events.get(calendarId=calendar, eventId=event_id), send)
                event = await self._patch(calendar, event_id, body, current["etag"], write, send)
        return await self._with_conference(calendar, event, known, send)

    async def respond_as_attendee(self, *, attendee: str, ical_uid: str, response: str, before_send) -> bool:
        """Acting as the attendee (delegation): their copy's own attendee entry gets the answer. With
        attendeesOmitted only the caller's response changes; Google carries it to the organizer's event."""
        wanted = RESPONSES[response]
        try:
            found = await self._call(attendee, self._events.list(calendarId=attendee, iCalUID=ical_uid), before_send)
            copy = next(iter(found.get("items", [])), None)
            if copy is None:
                raise SyncFailed("Google: the attendee's copy of the event is not in their calendar", retryable=True)
            me = next((a for a in copy.get("attendees", []) if a.get("self")), None)
            if me is None or me.get("responseStatus") == wanted:
                return False
            body = {"attendeesOmitted": True, "attendees": [{"email": me["email"], "responseStatus": wanted}]}
            patch = self._events.patch(calendarId=attendee, eventId=copy["id"], body=body, sendUpdates="all")
            await self._call(attendee, patch, before_send, if_match=copy["etag"])
        except HttpError as error:
            # A 412 (the copy changed since it was read) is retried like any other failure, reading it anew.
            raise _failure(error) from None
        return True

    async def _patch(self, calendar: str, event_id: str, body: dict, etag: str, write: dict, send) -> dict:
        events = self._events
        try:
            return await self._call(calendar, events.patch(eventId=event_id, body=body, **write), send, if_match=etag)
        except HttpError as error:
            if error.resp.status != 412:
                raise
        # Someone edited it meanwhile: re-fetch and apply our fields over theirs.
        current = await self._call(calendar, events.get(calendarId=calendar, eventId=event_id), send)
        patch = events.patch(eventId=event_id, body=body, **write)
        return await self._call(calendar, patch, send, if_match=current["etag"])

    async def _with_conference(self, calendar: str, event: dict, known: KnownEvent, send) -> WrittenEvent:
        status = event.get("conferenceData", {}).get("createRequest", {}).get("status", {}).get("statusCode")
        if status == "pending":
            event = await self._call(calendar, self._events.get(calendarId=calendar, eventId=event["id"]), send)
            status = event.get("conferenceData", {}).get("createRequest", {}).get("status", {}).get("statusCode")
        return WrittenEvent(
            event_id=event["id"],
            etag=event["etag"],
            generation=_generation_of(event["id"], known.generation),
            conference_url=event.get("hangoutLink", "") or known.conference_url,
            conference_pending=status == "pending",
            ical_uid=event.get("iCalUID", ""),
        )


# Mentorgraph's answers as Google's attendee responseStatus.
RESPONSES = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}


def _extra(body: dict) -> dict:
    return {"conferenceData": body["conferenceData"]} if "conferenceData" in body else {}


def _generation_of(event_id: str, fallback: int) -> int:
    tail = event_id.rsplit("g", 1)[-1]
    return int(tail) if tail.isdigit() else fallback

"""A stateful fake of Google Calendar v3 and its OAuth token endpoint, over real HTTP on 127.0.0.1.

Built to the checklist in the calendar-providers reference: per-user calendars (`primary` is the subject),
attendee copies sharing the iCalUID, client-chosen base32hex ids with `409 duplicate` on a known one (a
cancelled one too), If-Match / 412, delete as cancel (then 410), conference creation pending -> success,
`sendUpdates` deciding the invitations, service accounts needing a delegated subject to invite, a per-user
sliding-window quota, faults on demand, and a log of every request with its subject.
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import time
from dataclasses import dataclass, replace
from typing import Any

import jwt

from tests.fakes.google_free_busy import GoogleFreeBusyFake
from tests.fakes.http_fake import DROP, Fault, FaultPlan, RecordingFake, Reply, Request, SlidingWindow
from tests.fakes.notifications import Notifier

EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")
PATH = re.compile(r"^/calendar/v3/calendars/(?P<calendar>[^/]+)(?:/events(?:/(?P<event>[^/]+))?)?$")
# Fields the client may write; everything else is the server's.
WATCH = re.compile(r"^/calendar/v3/calendars/(?P<calendar>[^/]+)/events/watch$")
# Parameters events.list refuses next to a syncToken (the discovery document's rule).
NOT_WITH_SYNC_TOKEN = (
    "iCalUID",
    "orderBy",
    "privateExtendedProperty",
    "q",
    "sharedExtendedProperty",
    "timeMin",
    "timeMax",
    "updatedMin",
)
DEFAULT_CHANNEL_SECONDS = 604800
WRITABLE = ("summary", "description", "location", "start", "end", "attendees", "extendedProperties", "status")


def google_error(status: int, reason: str, message: str, **extra) -> Reply:
    detail = {"domain": extra.pop("domain", "global"), "reason": reason, "message": message, **extra}
    return Reply(status, {"error": {"errors": [detail], "code": status, "message": message}})


def transient_faults() -> list[Fault]:
    """What Google's own errors page lists as worth retrying, plus the network failing either side of a write."""
    return [
        Fault("429", google_error(429, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits")),
        Fault("403-rate", google_error(403, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits")),
        Fault("403-user-rate", google_error(403, "userRateLimitExceeded", "User Rate Limit Exceeded")),
        Fault("500", google_error(500, "backendError", "Backend Error")),
        Fault("503", google_error(503, "backendError", "Service unavailable")),
        Fault(DROP),
        Fault("lost-response", None, after_commit=True),
    ]


@dataclass
class Invitation:
    calendar: str  # the attendee
    event_id: str
    kind: str  # invite | update | cancel


@dataclass
class Response:
    """An attendee's answer that changed what the organizer's event shows."""

    attendee: str
    ical_uid: str
    response: str


class FakeGoogleCalendar(GoogleFreeBusyFake, RecordingFake):
    def __init__(self, *, user_requests_per_minute: int = 600, conference_ready_after_gets: int = 1) -> None:
        super().__init__()
        self.faults = FaultPlan([])
        self.calendars: dict[str, dict[str, dict]] = {}
        self.invitations: list[Invitation] = []
        self.responses: list[Response] = []
        self.tokens: dict[str, tuple[str, bool]] = {}  # access token -> (subject, is service account)
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> subject
        self.codes: dict[str, tuple[str, str]] = {}  # authorization code -> (subject, code challenge)
        self.revoked_subjects: set[str] = set()
        self.quota = SlidingWindow(user_requests_per_minute, 60)
        self.conference_ready_after_gets = conference_ready_after_gets
        self._etags = itertools.count(1)
        self._init_free_busy()
        # Inbound sync: each event's last change number per calendar, sync tokens, and push channels.
        self._changes = itertools.count(1)
        self.changed: dict[tuple[str, str], int] = {}  # (calendar, event id) -> change number
        self.sync_tokens: dict[str, tuple[str, int, int]] = {}  # token -> (calendar, change, epoch)
        self.sync_epochs: dict[str, int] = {}  # raised by expire_sync_tokens: older tokens get 410
        self.channels: dict[str, dict] = {}  # channel id -> channel (stopped ones kept, flagged)
        self.notifier = Notifier()
        # Milliseconds since the epoch as channels see it; a test replaces it to expire them.
        self.clock_ms = lambda: int(time.time() * 1000)
        self._message_numbers = itertools.count(1)

    # -- the test API ------------------------------------------------------------------------------------
    def events_of(self, calendar: str) -> list[dict]:
        with self.lock:
            return [dict(event) for event in self.calendars.get(calendar.lower(), {}).values()]

    def organizer_events(self, calendar: str) -> list[dict]:
        return [e for e in self.events_of(calendar) if e["organizer"]["email"] == calendar.lower()]

    def revoke(self, subject: str) -> None:
        """The grant dies: token requests for this subject answer invalid_grant."""
        with self.lock:
            self.revoked_subjects.add(subject.lower())
            self.tokens = {t: s for t, s in self.tokens.items() if s[0] != subject.lower()}

    def restore(self, subject: str) -> None:
        with self.lock:
            self.revoked_subjects.discard(subject.lower())

    def issue_code(self, subject: str, code_challenge: str) -> str:
        """What the consent screen hands the browser after the person agrees."""
        code = "code-" + secrets.token_urlsafe(8)
        with self.lock:
            self.codes[code] = (subject.lower(), code_challenge)
        return code

    def set_response(self, organizer: str, event_id: str, attendee: str, response: str) -> None:
        with self.lock:
            event = self.calendars[organizer.lower()][event_id]
            for person in event["attendees"]:
                if person["email"] == attendee.lower():
                    person["responseStatus"] = response
            self._touch(event)

    def move_event(self, organizer: str, event_id: str, start: str, end: str) -> None:
        """The organizer drags the event in their calendar app (RFC 3339 UTC times)."""
        with self.lock:
            event = self.calendars[organizer.lower()][event_id]
            event["start"], event["end"] = {"dateTime": start, "timeZone": "UTC"}, {"dateTime": end, "timeZone": "UTC"}
            event["sequence"] += 1
            self._touch(event)
            self._copy_to_attendees(event, "all", "update")

    def edit_event(self, organizer: str, event_id: str, **fields) -> None:
        with self.lock:
            event = self.calendars[organizer.lower()][event_id]
            event.update(fields)
            self._touch(event)

    def delete_event(self, organizer: str, event_id: str) -> None:
        """The organizer deletes the event in their calendar app: cancelled, attendees told."""
        with self.lock:
            event = self.calendars[organizer.lower()][event_id]
            event["status"] = "cancelled"
            self._touch(event)
            self._copy_to_attendees(event, "all", "cancel")

    def add_foreign_event(self, calendar: str, event_id: str, start: str, end: str) -> None:
        """An event someone made in their calendar app, not through Mentorgraph."""
        with self.lock:
            calendar = calendar.lower()
            event = {
                "kind": "calendar#event",
                "id": event_id,
                "status": "confirmed",
                "summary": "Dentist",
                "sequence": 0,
                "iCalUID": f"{event_id}@google.com",
                "organizer": {"email": calendar, "self": True},
                "start": {"dateTime": start},
                "end": {"dateTime": end},
            }
            self.calendars.setdefault(calendar, {})[event_id] = event
            self._touch(event)

    def expire_sync_tokens(self, calendar: str) -> None:
        """Every sync token issued so far for this calendar answers 410 fullSyncRequired."""
        with self.lock:
            self.sync_epochs[calendar.lower()] = self.sync_epochs.get(calendar.lower(), 0) + 1

    def live_channels(self, calendar: str) -> list[dict]:
        now = self.clock_ms()
        with self.lock:
            return [
                c
                for c in self.channels.values()
                if c["calendar"] == calendar.lower() and not c["stopped"] and int(c["expiration"]) > now
            ]

    # -- HTTP ----------------------------------------------------------------------------------------------
    def shaped(self, request: Request, fault: Fault) -> Fault:
        if fault.reply is None or request.path != "/token":
            return fault
        # The token endpoint speaks OAuth's error shape: "error" is a string code.
        body = {"error": "internal_failure", "error_description": fault.name}
        return replace(fault, reply=Reply(fault.reply.status, body, fault.reply.headers))

    def subject_of(self, request: Request) -> str:
        token = request.header("authorization").removeprefix("Bearer ")
        return self.tokens.get(token, ("", False))[0]

    def handle(self, request: Request) -> Reply:
        if request.path == "/calendar/v3/freeBusy" and request.method == "POST":
            return self._free_busy(request)
        with self.lock:
            if request.path == "/token":
                return self._token(request.form())
            if request.path == "/revoke":
                subject = self.refresh_tokens.pop(request.form().get("token", request.query.get("token", "")), "")
                return Reply(200 if subject else 400, {})
            if request.path == "/calendar/v3/channels/stop" or WATCH.match(request.path):
                return self._channel_request(request)
            match = PATH.match(request.path)
            if match is None:
                return google_error(404, "notFound", "Not Found")
            auth = self.tokens.get(request.header("authorization").removeprefix("Bearer "))
            if auth is None:
                return google_error(
                    401, "authError", "Invalid Credentials", locationType="header", location="Authorization"
                )
            subject, service_account = auth
            if not self.quota.allow(subject):
                return google_error(403, "userRateLimitExceeded", "User Rate Limit Exceeded", domain="usageLimits")
            calendar = match["calendar"].lower()
            calendar = subject if calendar == "primary" else calendar
            if calendar != subject:
                return google_error(404, "notFound", "Not Found")
            if match["event"] is None and "/events" not in request.path:
                return Reply(200, {"kind": "calendar#calendar", "id": calendar, "summary": calendar})
            events = self.calendars.setdefault(calendar, {})
            if match["event"] is None:
                if request.method == "POST":
                    return self._insert(request, calendar, events, service_account)
                return self._list(request, events)
            event = events.get(match["event"])
            if event is None:
                return google_error(404, "notFound", "Not Found")
            if request.method == "GET":
                self._advance_conference(event)
                return Reply(200, event)
            if_match = request.header("if-match")
            if if_match and if_match != event["etag"]:
                return google_error(
                    412, "conditionNotMet", "Precondition Failed", locationType="header", location="If-Match"
                )
            if request.method == "DELETE":
                if event["status"] == "cancelled":
                    return google_error(410, "deleted", "Resource has been deleted")
                event["status"] = "cancelled"
                self._touch(event)
                self._copy_to_attendees(event, request.query.get("sendUpdates"), "cancel")
                return Reply(204)
            body = request.json()
            if event["organizer"]["email"] != calendar:
                return self._answer_on_copy(calendar, event, body)
            if request.method == "PUT":
                for name in WRITABLE:
                    event.pop(name, None)
            self._apply(event, body, request.query)
            self._touch(event)
            self._copy_to_attendees(event, request.query.get("sendUpdates"), "update")
            return Reply(200, event)

    def _token(self, form: dict[str, str]) -> Reply:
        grant = form.get("grant_type")
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            claims = jwt.decode(form["assertion"], options={"verify_signature": False})
            subject, service_account = (claims.get("sub") or claims["iss"]).lower(), not claims.get("sub")
        elif grant == "refresh_token":
            subject, service_account = self.refresh_tokens.get(form.get("refresh_token", ""), ""), False
        elif grant == "authorization_code":
            subject, challenge = self.codes.pop(form.get("code", ""), ("", ""))
            if subject and not _pkce_matches(form.get("code_verifier", ""), challenge):
                subject = ""
            service_account = False
        else:
            return Reply(400, {"error": "unsupported_grant_type"})
        if not subject or subject in self.revoked_subjects:
            return Reply(400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
        token = "ya29." + secrets.token_urlsafe(16)
        self.tokens[token] = (subject, service_account)
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            self.token_scopes[token] = frozenset(claims.get("scope", "").split())
        body: dict[str, Any] = {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}
        if grant == "authorization_code":
            refresh = "1//" + secrets.token_urlsafe(16)
            self.refresh_tokens[refresh] = subject
            body.update(refresh_token=refresh, scope="https://www.googleapis.com/auth/calendar.events")
        return Reply(200, body)

    def _insert(self, request: Request, calendar: str, events: dict, service_account: bool) -> Reply:
        body = request.json()
        event_id = body.get("id") or secrets.token_hex(13)
        if not EVENT_ID.match(event_id):
            return google_error(400, "invalid", "Invalid resource id value.")
        if event_id in events:
            return google_error(409, "duplicate", "The requested identifier already exists.")
        if service_account and body.get("attendees"):
            return google_error(
                403,
                "forbiddenForServiceAccounts",
                "Service accounts cannot invite attendees without Domain-Wide Delegation of Authority.",
                domain="calendar",
            )
        now = _rfc3339()
        event = {
            "kind": "calendar#event",
            "id": event_id,
            "status": "confirmed",
            "htmlLink": f"https://calendar.fake/event?eid={event_id}",
            "created": now,
            "sequence": 0,
            "iCalUID": f"{event_id}@google.com",
            "creator": {"email": calendar, "self": True},
            "organizer": {"email": calendar, "self": True},
        }
        self._apply(event, body, request.query)
        for attendee in event.get("attendees", []):
            attendee.setdefault("responseStatus", "needsAction")
        self._touch(event)
        events[event_id] = event
        self._copy_to_attendees(event, request.query.get("sendUpdates"), "invite")
        return Reply(200, event)

    def _apply(self, event: dict, body: dict, query: dict) -> None:
        old_start, old_end = event.get("start"), event.get("end")
        previous = {a["email"]: a for a in event.get("attendees", [])}
        for name in WRITABLE:
            if name in body:
                event[name] = json.loads(json.dumps(body[name]))
        if "attendees" in body:
            for attendee in event["attendees"]:
                attendee["email"] = attendee["email"].lower()
                known = previous.get(attendee["email"])
                attendee.setdefault("responseStatus", known["responseStatus"] if known else "needsAction")
        if old_start is not None and (event.get("start"), event.get("end")) != (old_start, old_end):
            event["sequence"] += 1
        conference = body.get("conferenceData")
        if query.get("conferenceDataVersion") == "1" and conference and "createRequest" in conference:
            request_id = conference["createRequest"]["requestId"]
            existing = event.get("conferenceData", {}).get("createRequest", {})
            if existing.get("requestId") != request_id:
                event["conferenceData"] = {
                    "createRequest": {
                        "requestId": request_id,
                        "conferenceSolutionKey": {"type": "hangoutsMeet"},
                        "status": {"statusCode": "pending"},
                    },
                    "_gets": 0,
                }

    def _advance_conference(self, event: dict) -> None:
        conference = event.get("conferenceData")
        if not conference or conference["createRequest"]["status"]["statusCode"] != "pending":
            return
        conference["_gets"] += 1
        if conference["_gets"] >= self.conference_ready_after_gets:
            code = secrets.token_hex(5)
            link = f"https://meet.google.com/{code[:3]}-{code[3:7]}-{code[7:]}"
            conference["createRequest"]["status"]["statusCode"] = "success"
            conference["entryPoints"] = [{"entryPointType": "video", "uri": link, "label": link[8:]}]
            conference["conferenceId"] = link.rsplit("/", 1)[1]
            event["hangoutLink"] = link
            self._touch(event)

    def _touch(self, event: dict) -> None:
        event["etag"] = f'"{next(self._etags)}{int(time.time() * 1000)}"'
        event["updated"] = _rfc3339()
        calendar = event["organizer"]["email"]
        self.changed[(calendar, event["id"])] = next(self._changes)
        self._notify(calendar, "exists")

    def _notify(self, calendar: str, state: str) -> None:
        """Each live channel on the calendar POSTs a bodiless notification (message numbers rise, with gaps)."""
        now = self.clock_ms()
        for channel in self.channels.values():
            if channel["calendar"] != calendar or channel["stopped"] or int(channel["expiration"]) <= now:
                continue
            number = next(self._message_numbers) + secrets.randbelow(3)
            headers = {
                "X-Goog-Channel-ID": channel["id"],
                "X-Goog-Message-Number": str(number),
                "X-Goog-Resource-ID": channel["resourceId"],
                "X-Goog-Resource-State": state,
                "X-Goog-Resource-URI": channel["resourceUri"],
                "X-Goog-Channel-Expiration": time.strftime(
                    "%a, %d %b %Y %H:%M:%S GMT", time.gmtime(int(channel["expiration"]) / 1000)
                ),
            }
            if channel.get("token"):
                headers["X-Goog-Channel-Token"] = channel["token"]
            self.notifier.send(channel["address"], headers)

    def _channel_request(self, request: Request) -> Reply:
        auth = self.tokens.get(request.header("authorization").removeprefix("Bearer "))
        if auth is None:
            return google_error(
                401, "authError", "Invalid Credentials", locationType="header", location="Authorization"
            )
        subject = auth[0]
        body = request.json()
        if request.path == "/calendar/v3/channels/stop":
            channel = self.channels.get(body.get("id", ""))
            if channel is None or channel["resourceId"] != body.get("resourceId") or channel["subject"] != subject:
                return google_error(404, "notFound", f"Channel '{body.get('id')}' not found for project")
            channel["stopped"] = True
            return Reply(204)
        calendar = WATCH.match(request.path)["calendar"].lower()
        calendar = subject if calendar == "primary" else calendar
        if calendar != subject:
            return google_error(404, "notFound", "Not Found")
        channel_id, token, address = body.get("id", ""), body.get("token", ""), body.get("address", "")
        if not channel_id or len(channel_id) > 64 or not re.fullmatch(r"[A-Za-z0-9\-_+/=]+", channel_id):
            return google_error(400, "invalid", "Invalid channel id.")
        if channel_id in self.channels:
            return google_error(400, "channelIdNotUnique", "Channel id not unique")
        if len(token) > 256 or body.get("type") != "web_hook" or not address:
            return google_error(400, "invalid", "Invalid channel.")
        now = self.clock_ms()
        expiration = int(body.get("expiration") or now + DEFAULT_CHANNEL_SECONDS * 1000)
        expiration = min(expiration, now + DEFAULT_CHANNEL_SECONDS * 1000)
        resource_id = "r" + secrets.token_hex(10)
        channel = {
            "kind": "api#channel",
            "id": channel_id,
            "resourceId": resource_id,
            "resourceUri": f"https://www.googleapis.com/calendar/v3/calendars/{calendar}/events?alt=json",
            "token": token,
            "expiration": str(expiration),
        }
        self.channels[channel_id] = {
            **channel,
            "address": address,
            "calendar": calendar,
            "subject": subject,
            "stopped": False,
        }
        # The first message says the channel works; it can arrive before this answer does.
        self._notify_channel_sync(channel_id)
        return Reply(200, channel)

    def _notify_channel_sync(self, channel_id: str) -> None:
        channel = self.channels[channel_id]
        headers = {
            "X-Goog-Channel-ID": channel_id,
            "X-Goog-Message-Number": "1",
            "X-Goog-Resource-ID": channel["resourceId"],
            "X-Goog-Resource-State": "sync",
            "X-Goog-Resource-URI": channel["resourceUri"],
        }
        if channel["token"]:
            headers["X-Goog-Channel-Token"] = channel["token"]
        self.notifier.send(channel["address"], headers)

    def _copy_to_attendees(self, event: dict, send_updates: str | None, kind: str) -> None:
        """Each invitee's own copy: same iCalUID, not theirs to organise, shared properties only."""
        for attendee in event.get("attendees", []):
            if attendee["email"] == event["organizer"]["email"]:
                continue
            copy = {key: value for key, value in event.items() if key not in ("extendedProperties", "conferenceData")}
            copy["organizer"] = {"email": event["organizer"]["email"], "self": False}
            # "self" marks the calendar owner's own entry, on their copy only.
            copy["attendees"] = [
                {**person, "self": True} if person["email"] == attendee["email"] else dict(person)
                for person in event["attendees"]
            ]
            shared = event.get("extendedProperties", {}).get("shared")
            if shared:
                copy["extendedProperties"] = {"shared": dict(shared)}
            self.calendars.setdefault(attendee["email"], {})[event["id"]] = copy
            if send_updates == "all":
                self.invitations.append(Invitation(attendee["email"], event["id"], kind))

    def _answer_on_copy(self, calendar: str, copy: dict, body: dict) -> Reply:
        """An attendee writing to their own copy may change only their own response (with attendeesOmitted,
        nothing else is even read); it reaches the organizer's event, and from there every copy."""
        mine = next((a for a in body.get("attendees", []) if a.get("email", "").lower() == calendar), None)
        organizer_event = self.calendars.get(copy["organizer"]["email"], {}).get(copy["id"])
        if mine is None or "responseStatus" not in mine or organizer_event is None:
            return google_error(
                403, "forbiddenForNonOrganizer", "Shared properties can only be changed by the organizer of the event."
            )
        for person in organizer_event.get("attendees", []):
            if person["email"] == calendar and person.get("responseStatus") != mine["responseStatus"]:
                person["responseStatus"] = mine["responseStatus"]
                self.responses.append(Response(calendar, organizer_event["iCalUID"], mine["responseStatus"]))
        self._touch(organizer_event)
        self._copy_to_attendees(organizer_event, None, "update")
        return Reply(200, self.calendars[calendar][copy["id"]])

    def _list(self, request: Request, events: dict) -> Reply:
        if "syncToken" in request.query or "pageToken" in request.query or "timeMin" in request.query:
            return self._sync_list(request, events)
        items = list(events.values())
        wanted = request.query.get("privateExtendedProperty")
        if wanted:
            key, _, value = wanted.partition("=")
            items = [e for e in items if e.get("extendedProperties", {}).get("private", {}).get(key) == value]
        if request.query.get("iCalUID"):
            items = [e for e in items if e["iCalUID"] == request.query["iCalUID"]]
        if request.query.get("showDeleted") != "true":
            items = [e for e in items if e["status"] != "cancelled"]
        return Reply(200, {"kind": "calendar#events", "items": items, "nextSyncToken": secrets.token_hex(8)})

    def _sync_list(self, request: Request, events: dict) -> Reply:
        """Full sync (timeMin/timeMax window) or incremental (syncToken), paged, as events.list does."""
        query = request.query
        calendar = PATH.match(request.path)["calendar"].lower()
        page = _decode_page(query.get("pageToken", ""))
        token = page.get("syncToken", query.get("syncToken", ""))
        since = 0
        if token:
            if any(name in query for name in NOT_WITH_SYNC_TOKEN):
                return google_error(400, "invalid", "Some parameters are not allowed with syncToken.")
            if query.get("showDeleted") == "false":
                return google_error(400, "invalid", "showDeleted=false is not allowed with syncToken.")
            known = self.sync_tokens.get(token)
            if known is None or known[0] != calendar or known[2] != self.sync_epochs.get(calendar, 0):
                return google_error(
                    410,
                    "fullSyncRequired",
                    "Sync token is no longer valid, a full sync is required.",
                    locationType="parameter",
                    location="syncToken",
                )
            since = known[1]
        upto = page.get("upto", max(self.changed.values(), default=0))
        items = sorted(
            (e for e in events.values() if since < self.changed.get((calendar, e["id"]), 0) <= upto),
            key=lambda e: self.changed[(calendar, e["id"])],
        )
        if not token:
            low, high = page.get("timeMin", query.get("timeMin", "")), page.get("timeMax", query.get("timeMax", ""))
            items = [e for e in items if _within(e, low, high)]
            if query.get("showDeleted") != "true":
                items = [e for e in items if e["status"] != "cancelled"]
        size = min(int(query.get("maxResults", 250)), 2500)
        offset = page.get("offset", 0)
        chunk = items[offset : offset + size]
        body: dict = {"kind": "calendar#events", "items": chunk}
        if offset + size < len(items):
            state = {"syncToken": token, "upto": upto, "offset": offset + size}
            if not token:
                state.update(
                    timeMin=query.get("timeMin", page.get("timeMin", "")),
                    timeMax=query.get("timeMax", page.get("timeMax", "")),
                )
            body["nextPageToken"] = json.dumps(state).encode().hex()
        else:
            fresh = "s" + secrets.token_hex(8)
            self.sync_tokens[fresh] = (calendar, upto, self.sync_epochs.get(calendar, 0))
            body["nextSyncToken"] = fresh
        return Reply(200, body)


def _decode_page(token: str) -> dict:
    return json.loads(bytes.fromhex(token)) if token else {}


def _within(event: dict, low: str, high: str) -> bool:
    start, end = event.get("start", {}).get("dateTime", ""), event.get("end", {}).get("dateTime", "")
    return (not low or end > low) and (not high or start < high)


def _pkce_matches(verifier: str, challenge: str) -> bool:
    import base64
    import hashlib

    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return bool(verifier) and digest == challenge


def _rfc3339() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())

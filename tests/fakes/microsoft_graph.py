"""A stateful fake of Microsoft Graph's calendar API and the Entra authority, over TLS on 127.0.0.1.

Built to the checklist in the calendar-providers reference: mailboxes keyed by address with per-mailbox ids
and a shared iCalUId, attendee copies and invitations, `transactionId` replay (same payload: the existing
event, 201; another payload: ErrorDuplicateTransactionId), single-value extended properties that `$filter`
finds, If-Match / 412 ErrorIrresolvableConflict, cancel (202, organizer only) and delete (204), Teams links,
the 4-concurrent and 10,000-per-10-minutes mailbox limits (429 with a fractional Retry-After), faults on
demand (503 with Retry-After, 504 before or after the create committed, dropped connections), and a log.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import secrets
import time
import uuid
from dataclasses import dataclass, replace

from tests.fakes.http_fake import DROP, Fault, FaultPlan, RecordingFake, Reply, Request, SlidingWindow

GRAPH = re.compile(
    r"^/v1\.0/(?:users/(?P<user>[^/]+)|me)(?:/calendar)?/events(?:/(?P<event>[^/]+))?"
    r"(?:/(?P<action>cancel|accept|decline|tentativelyAccept))?$"
)
AUTHORITY = re.compile(
    r"^/(?P<tenant>[^/]+)/(?:v2\.0/\.well-known/openid-configuration|oauth2/v2\.0/(?P<op>token|authorize))$"
)
FILTER = re.compile(
    r"singleValueExtendedProperties/Any\(ep: ep/id eq '(?P<id>[^']+)' and ep/value eq '(?P<value>[^']+)'\)"
)
ICAL_UID_FILTER = re.compile(r"^iCalUId eq '(?P<uid>[^']+)'$")
# An attendee's answer: the action they post to their copy, and the response it leaves there.
ANSWERS = {"accept": "accepted", "decline": "declined", "tentativelyAccept": "tentativelyAccepted"}
WRITABLE = ("subject", "body", "start", "end", "location", "attendees", "isOnlineMeeting", "onlineMeetingProvider")


def graph_error(status: int, code: str, message: str, retry_after: str | None = None) -> Reply:
    headers = {"Retry-After": retry_after} if retry_after else {}
    return Reply(status, {"error": {"code": code, "message": message, "innerError": {}}}, headers)


def transient_faults() -> list[Fault]:
    return [
        Fault("429", graph_error(429, "TooManyRequests", "Please retry again later.", retry_after="0.05")),
        Fault("503", graph_error(503, "ServiceUnavailable", "Service Unavailable", retry_after="0.1")),
        Fault("504", graph_error(504, "GatewayTimeout", "Gateway Timeout")),
        Fault("504-after-commit", graph_error(504, "GatewayTimeout", "Gateway Timeout"), after_commit=True),
        Fault(DROP),
        Fault("lost-response", None, after_commit=True),
    ]


@dataclass
class Invitation:
    mailbox: str
    ical_uid: str
    kind: str  # invite | update | cancel


@dataclass
class Response:
    """An attendee's answer that changed what the organizer's event shows."""

    mailbox: str
    ical_uid: str
    response: str


class FakeMicrosoftGraph(RecordingFake):
    def __init__(
        self,
        *,
        tenant: str = "contoso",
        client_id: str = "mentorgraph-app",
        client_secret: str = "s3cret",
        mailbox_concurrency: int = 4,
        service_seconds: float = 0.0,
    ) -> None:
        super().__init__()
        self.faults = FaultPlan([])
        self.tenant, self.client_id, self.client_secret = tenant, client_id, client_secret
        self.mailboxes: dict[str, dict[str, dict]] = {}
        self.invitations: list[Invitation] = []
        self.responses: list[Response] = []
        self.transactions: dict[tuple[str, str], tuple[str, str]] = {}  # (mailbox, txn) -> (event id, payload hash)
        self.tokens: dict[str, str] = {}  # access token -> "app" or a user's address
        self.refresh_tokens: dict[str, str] = {}
        self.codes: dict[str, tuple[str, str]] = {}
        self.revoked: set[str] = set()
        self.token_requests = 0
        self.mailbox_concurrency = mailbox_concurrency
        self.service_seconds = service_seconds
        self.in_flight: dict[str, int] = {}
        self.peak_in_flight: dict[str, int] = {}
        self.window = SlidingWindow(10_000, 600)
        self._keys = itertools.count(1)
        self.base_url = ""  # set by the test once the server listens

    # -- the test API ------------------------------------------------------------------------------------
    def events_of(self, mailbox: str) -> list[dict]:
        with self.lock:
            return [dict(event) for event in self.mailboxes.get(mailbox.lower(), {}).values()]

    def organizer_events(self, mailbox: str) -> list[dict]:
        return [e for e in self.events_of(mailbox) if e["isOrganizer"]]

    def revoke(self, subject: str) -> None:
        with self.lock:
            self.revoked.add(subject.lower())
            self.tokens = {t: s for t, s in self.tokens.items() if s != subject.lower()}

    def issue_code(self, user: str, code_challenge: str) -> str:
        code = "M." + secrets.token_urlsafe(8)
        with self.lock:
            self.codes[code] = (user.lower(), code_challenge)
        return code

    # -- HTTP ----------------------------------------------------------------------------------------------
    def subject_of(self, request: Request) -> str:
        return self.tokens.get(request.header("authorization").removeprefix("Bearer "), "")

    def shaped(self, request: Request, fault: Fault) -> Fault:
        if fault.reply is None or not AUTHORITY.match(request.path):
            return fault
        # Entra answers in OAuth's shape: "error" is a string code, never an object.
        body = {"error": "temporarily_unavailable", "error_description": f"AADSTS50196: {fault.name}"}
        return replace(fault, reply=Reply(fault.reply.status, body, fault.reply.headers))

    def handle(self, request: Request) -> Reply:
        authority = AUTHORITY.match(request.path)
        if authority:
            with self.lock:
                return self._authority(request, authority["tenant"], authority["op"])
        if request.path == "/v1.0/me":
            with self.lock:
                me = self.tokens.get(request.header("authorization").removeprefix("Bearer "))
                if me is None or me == "app":
                    return graph_error(401, "InvalidAuthenticationToken", "Access token is empty.")
                return Reply(200, {"mail": me, "userPrincipalName": me})
        match = GRAPH.match(request.path)
        if match is None:
            return graph_error(404, "ResourceNotFound", "Resource not found for the segment.")
        with self.lock:
            subject = self.tokens.get(request.header("authorization").removeprefix("Bearer "))
            if subject is None:
                return graph_error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")
            mailbox = (match["user"] or subject).lower()
            if subject != "app" and mailbox != subject:
                return graph_error(403, "ErrorAccessDenied", "Access is denied.")
            if self.in_flight.get(mailbox, 0) >= self.mailbox_concurrency:
                return graph_error(
                    429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", retry_after="0.2"
                )
            if not self.window.allow(mailbox):
                return graph_error(429, "TooManyRequests", "Please retry again later.", retry_after="1.5")
            self.in_flight[mailbox] = self.in_flight.get(mailbox, 0) + 1
            self.peak_in_flight[mailbox] = max(self.peak_in_flight.get(mailbox, 0), self.in_flight[mailbox])
        try:
            if self.service_seconds:
                time.sleep(self.service_seconds)
            with self.lock:
                if match["action"] in ANSWERS and match["event"]:
                    return self._answer(request, mailbox, match["event"], ANSWERS[match["action"]])
                return self._events(request, mailbox, match["event"], match["action"] == "cancel")
        finally:
            with self.lock:
                self.in_flight[mailbox] -= 1

    def _authority(self, request: Request, tenant: str, operation: str | None) -> Reply:
        base = f"{self.base_url}/{tenant}"
        if operation is None:
            return Reply(
                200,
                {
                    "issuer": f"{base}/v2.0",
                    "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                    "token_endpoint": f"{base}/oauth2/v2.0/token",
                },
            )
        if operation == "authorize":
            return Reply(200, "the consent page")
        form = request.form()
        self.token_requests += 1
        grant = form.get("grant_type")
        refresh = None
        if grant == "client_credentials":
            if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
                return Reply(
                    401, {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret."}
                )
            subject = "app" if "app" not in self.revoked else ""
        elif grant == "authorization_code":
            subject, challenge = self.codes.pop(form.get("code", ""), ("", ""))
            digest = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
            if digest.rstrip(b"=").decode() != challenge:
                subject = ""
            refresh = "0.A" + secrets.token_urlsafe(16)
        elif grant == "refresh_token":
            subject = self.refresh_tokens.get(form.get("refresh_token", ""), "")
            refresh = form.get("refresh_token")
        else:
            return Reply(400, {"error": "unsupported_grant_type"})
        if not subject or subject in self.revoked:
            return Reply(
                400,
                {
                    "error": "invalid_grant",
                    "error_description": "AADSTS50173: The provided grant has expired due to it being revoked.",
                },
            )
        token = "eyJ0eXAi." + secrets.token_urlsafe(16)
        self.tokens[token] = subject
        body = {
            "token_type": "Bearer",
            "expires_in": 3599,
            "ext_expires_in": 3599,
            "access_token": token,
            "scope": form.get("scope", ""),
        }
        if refresh:
            self.refresh_tokens[refresh] = subject
            body["refresh_token"] = refresh
        return Reply(200, body)

    def _events(self, request: Request, mailbox: str, event_id: str | None, cancel: bool) -> Reply:
        events = self.mailboxes.setdefault(mailbox, {})
        if event_id is None:
            if request.method == "POST":
                return self._create(request, mailbox, events)
            return self._list(request, events)
        event = events.get(event_id)
        if event is None:
            return graph_error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        if request.method == "GET":
            return Reply(200, self._view(event, request))
        if_match = request.header("if-match")
        if if_match and if_match != event["@odata.etag"]:
            return graph_error(
                412,
                "ErrorIrresolvableConflict",
                "The send or update operation could not be performed because the change key passed "
                "in the request does not match the current change key for the item.",
            )
        if cancel or request.method == "DELETE":
            if not event["isOrganizer"]:
                return graph_error(
                    400,
                    "ErrorInvalidRequest",
                    "Your request can't be completed. You need to be an organizer to cancel a meeting.",
                )
            if event["isCancelled"]:
                return graph_error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
            event["isCancelled"] = True
            self._touch(event)
            self._deliver(event, "cancel")
            return Reply(202 if cancel else 204)
        body = request.json()
        if "transactionId" in body and body["transactionId"] != event.get("transactionId"):
            return graph_error(400, "ErrorInvalidRequest", "transactionId cannot be changed.")
        if event["isOnlineMeeting"] and (body.get("isOnlineMeeting") is False):
            return graph_error(400, "ErrorInvalidRequest", "An online meeting cannot be turned off.")
        self._write(event, body)
        self._touch(event)
        self._deliver(event, "update")
        return Reply(200, self._view(event, request))

    def _create(self, request: Request, mailbox: str, events: dict) -> Reply:
        body = request.json()
        transaction = body.get("transactionId")
        payload = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        if transaction and (mailbox, transaction) in self.transactions:
            existing_id, existing_payload = self.transactions[(mailbox, transaction)]
            if existing_payload != payload:
                return graph_error(
                    400,
                    "ErrorDuplicateTransactionId",
                    "The TransactionId specified in the request has already been used to create a different event.",
                )
            return Reply(201, self._view(events[existing_id], request))
        event_id = "AAMk" + base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        event = {
            "id": event_id,
            "iCalUId": "040000008200E00074C5B7101A82E008" + uuid.uuid4().hex.upper(),
            "isOrganizer": True,
            "isCancelled": False,
            "isOnlineMeeting": False,
            "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"},
            "organizer": {"emailAddress": {"address": mailbox}},
            "singleValueExtendedProperties": [],
        }
        if transaction:
            event["transactionId"] = transaction
        self._write(event, body)
        self._touch(event)
        events[event_id] = event
        if transaction:
            self.transactions[(mailbox, transaction)] = (event_id, payload)
        self._deliver(event, "invite")
        return Reply(201, self._view(event, request))

    def _write(self, event: dict, body: dict) -> None:
        previous = {a["emailAddress"]["address"].lower(): a for a in event.get("attendees", [])}
        for name in WRITABLE:
            if name in body:
                if name in ("isOnlineMeeting", "onlineMeetingProvider") and event.get("isOnlineMeeting"):
                    continue  # once online, a meeting stays online with its provider
                event[name] = json.loads(json.dumps(body[name]))
        for attendee in event.get("attendees", []):
            address = attendee["emailAddress"]["address"].lower()
            attendee["emailAddress"]["address"] = address
            attendee["status"] = previous.get(address, {}).get("status") or {
                "response": "none",
                "time": "0001-01-01T00:00:00Z",
            }
        for prop in body.get("singleValueExtendedProperties", []):
            event["singleValueExtendedProperties"] = [
                p for p in event["singleValueExtendedProperties"] if p["id"] != prop["id"]
            ] + [dict(prop)]
        if event.get("isOnlineMeeting") and "onlineMeeting" not in event:
            event["onlineMeeting"] = {
                "joinUrl": f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{uuid.uuid4().hex}%40thread.v2/0"
            }

    def _touch(self, event: dict) -> None:
        change_key = f"DwAAABYAAA{next(self._keys)}{secrets.token_hex(3)}"
        event["changeKey"] = change_key
        event["@odata.etag"] = f'W/"{change_key}"'
        event["lastModifiedDateTime"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    def _deliver(self, event: dict, kind: str) -> None:
        organizer = event["organizer"]["emailAddress"]["address"]
        for attendee in event.get("attendees", []):
            address = attendee["emailAddress"]["address"]
            if address == organizer:
                continue
            copies = self.mailboxes.setdefault(address, {})
            mine = next((e for e in copies.values() if e["iCalUId"] == event["iCalUId"]), None)
            copy = {k: v for k, v in event.items() if k not in ("singleValueExtendedProperties", "transactionId")}
            copy.update(
                id=mine["id"] if mine else "AAMk" + secrets.token_urlsafe(12),
                isOrganizer=False,
                # An answer given stays with the copy through the organizer's later updates.
                responseStatus=mine["responseStatus"]
                if mine
                else {"response": "notResponded", "time": "0001-01-01T00:00:00Z"},
            )
            copies[copy["id"]] = copy
            self.invitations.append(Invitation(address, event["iCalUId"], kind))

    def _answer(self, request: Request, mailbox: str, event_id: str, response: str) -> Reply:
        """accept / decline / tentativelyAccept on the attendee's copy; with sendResponse (the default) the
        organizer's event shows the answer too."""
        copy = self.mailboxes.get(mailbox, {}).get(event_id)
        if copy is None:
            return graph_error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        if copy["isOrganizer"]:
            return graph_error(400, "ErrorInvalidRequest", "Your request can't be completed. You are the organizer.")
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        copy["responseStatus"] = {"response": response, "time": when}
        self._touch(copy)
        organizer = copy["organizer"]["emailAddress"]["address"]
        origin = next((e for e in self.mailboxes.get(organizer, {}).values() if e["iCalUId"] == copy["iCalUId"]), None)
        if origin is not None and request.json().get("sendResponse", True):
            for attendee in origin.get("attendees", []):
                if attendee["emailAddress"]["address"] == mailbox and attendee["status"]["response"] != response:
                    attendee["status"] = {"response": response, "time": when}
                    self.responses.append(Response(mailbox, copy["iCalUId"], response))
            self._touch(origin)
        return Reply(202)

    def _list(self, request: Request, events: dict) -> Reply:
        items = list(events.values())
        by_uid = ICAL_UID_FILTER.match(request.query.get("$filter", ""))
        if by_uid:
            items = [e for e in items if e["iCalUId"] == by_uid["uid"]]
            return Reply(200, {"value": [self._view(e, request) for e in items]})
        wanted = FILTER.search(request.query.get("$filter", ""))
        if request.query.get("$filter") and not wanted:
            return graph_error(400, "ErrorInvalidUrlQueryFilter", "The filter expression is not supported.")
        if wanted:
            items = [
                e
                for e in items
                if any(
                    p["id"] == wanted["id"] and p["value"] == wanted["value"]
                    for p in e["singleValueExtendedProperties"]
                )
            ]
        return Reply(200, {"value": [self._view(e, request) for e in items]})

    @staticmethod
    def _view(event: dict, request: Request) -> dict:
        # Extended properties come back only when asked for with $expand, as on Graph.
        if "singleValueExtendedProperties" in request.query.get("$expand", ""):
            return dict(event)
        return {k: v for k, v in event.items() if k != "singleValueExtendedProperties"}

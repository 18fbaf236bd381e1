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
from datetime import datetime
from urllib.parse import quote

from tests.fakes.graph_free_busy import SCHEDULE, GraphFreeBusyFake
from tests.fakes.http_fake import DROP, Fault, FaultPlan, RecordingFake, Reply, Request, SlidingWindow
from tests.fakes.notifications import Notifier, post_for_reply

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
DELTA = re.compile(r"^/v1\.0/users/(?P<user>[^/]+)/calendarView/delta$")
SUBSCRIPTIONS = re.compile(r"^/v1\.0/subscriptions(?:/(?P<id>[^/]+))?(?P<reauthorize>/reauthorize)?$")
UNSUPPORTED_IN_DELTA = ("$select", "$expand", "$filter", "$orderby", "$search")
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


class FakeMicrosoftGraph(GraphFreeBusyFake, RecordingFake):
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
        self._init_free_busy()
        # Inbound sync: each event's last change number per mailbox, delta tokens and subscriptions.
        self._changes = itertools.count(1)
        self.changed: dict[tuple[str, str], int] = {}  # (mailbox, event id) -> change number
        self.delta_tokens: dict[str, tuple[str, int, int, str, str]] = {}  # token -> (mailbox, change, epoch, window)
        self.delta_epochs: dict[str, int] = {}
        self.delta_reset_style: dict[str, str] = {}  # mailbox -> "location" | "SyncStateNotFound"
        self.subscriptions: dict[str, dict] = {}
        self.max_subscription_minutes = 4230
        self.notifier = Notifier()
        # Seconds since the epoch as subscriptions see it; a test replaces it to expire them.
        self.clock = time.time

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

    def respond(self, organizer: str, event_id: str, attendee: str, response: str) -> None:
        """An attendee answers in Outlook: the organizer's copy shows the response and its time."""
        with self.lock:
            event = self.mailboxes[organizer.lower()][event_id]
            for person in event["attendees"]:
                if person["emailAddress"]["address"] == attendee.lower():
                    person["status"] = {
                        "response": response,
                        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    }
            self._touch(event)

    def move_event(self, organizer: str, event_id: str, start: str, end: str) -> None:
        """The organizer drags the event in Outlook (UTC wall times, no offset)."""
        with self.lock:
            event = self.mailboxes[organizer.lower()][event_id]
            event["start"], event["end"] = {"dateTime": start, "timeZone": "UTC"}, {"dateTime": end, "timeZone": "UTC"}
            self._touch(event)
            self._deliver(event, "update")

    def edit_event(self, organizer: str, event_id: str, **fields) -> None:
        with self.lock:
            event = self.mailboxes[organizer.lower()][event_id]
            event.update(fields)
            self._touch(event)

    def delete_event(self, organizer: str, event_id: str) -> None:
        """The organizer deletes the meeting in Outlook: cancellations go out, the item leaves the calendar."""
        with self.lock:
            event = self.mailboxes[organizer.lower()][event_id]
            event["isCancelled"] = True
            self._touch(event)
            self._deliver(event, "cancel")

    def add_foreign_event(self, mailbox: str, start: str, end: str) -> str:
        with self.lock:
            event_id = "AAMk" + base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
            event = {
                "id": event_id,
                "iCalUId": "040000008200E00074C5B7101A82E008" + uuid.uuid4().hex.upper(),
                "subject": "Dentist",
                "isOrganizer": True,
                "isCancelled": False,
                "isOnlineMeeting": False,
                "organizer": {"emailAddress": {"address": mailbox.lower()}},
                "start": {"dateTime": start, "timeZone": "UTC"},
                "end": {"dateTime": end, "timeZone": "UTC"},
                "attendees": [],
                "singleValueExtendedProperties": [],
            }
            self.mailboxes.setdefault(mailbox.lower(), {})[event_id] = event
            self._touch(event)
            return event_id

    def reset_delta(self, mailbox: str, style: str = "SyncStateNotFound") -> None:
        """Every delta token issued so far for the mailbox is refused: 410 with an empty $deltatoken in
        Location (`style="location"`) or 410 SyncStateNotFound."""
        with self.lock:
            self.delta_epochs[mailbox.lower()] = self.delta_epochs.get(mailbox.lower(), 0) + 1
            self.delta_reset_style[mailbox.lower()] = style

    def live_subscriptions(self, mailbox: str) -> list[dict]:
        now = self.clock()
        with self.lock:
            return [s for s in self.subscriptions.values() if s["mailbox"] == mailbox.lower() and s["expires"] > now]

    def lifecycle(self, subscription_id: str, event: str) -> None:
        """Graph sends a lifecycle notification: reauthorizationRequired pauses delivery until reauthorized,
        subscriptionRemoved deletes the subscription, missed says notifications were lost."""
        with self.lock:
            subscription = self.subscriptions[subscription_id]
            if event == "reauthorizationRequired":
                subscription["paused"] = True
            if event == "subscriptionRemoved":
                del self.subscriptions[subscription_id]
            payload = {
                "value": [
                    {
                        "subscriptionId": subscription_id,
                        "subscriptionExpirationDateTime": subscription["expirationDateTime"],
                        "tenantId": self.tenant,
                        "clientState": subscription["clientState"],
                        "lifecycleEvent": event,
                    }
                ]
            }
            self.notifier.send(subscription["lifecycleNotificationUrl"] or subscription["notificationUrl"], {}, payload)

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
        schedule = SCHEDULE.match(request.path)
        if schedule is not None and request.method == "POST":
            return self._get_schedule(request, schedule["user"])
        if SUBSCRIPTIONS.match(request.path) or DELTA.match(request.path):
            return self._inbound(request)
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
        mailbox = event["organizer"]["emailAddress"]["address"]
        created = (mailbox, event["id"]) not in self.changed
        self.changed[(mailbox, event["id"])] = next(self._changes)
        change = "deleted" if event.get("isCancelled") else "created" if created else "updated"
        self._notify(mailbox, event, change)

    def _notify(self, mailbox: str, event: dict, change: str) -> None:
        now = self.clock()
        for subscription in self.subscriptions.values():
            if subscription["mailbox"] != mailbox or subscription["paused"] or subscription["expires"] <= now:
                continue
            if change not in subscription["changeType"].split(","):
                continue
            resource = f"Users/{mailbox}/Events/{event['id']}"
            item = {
                "subscriptionId": subscription["id"],
                "subscriptionExpirationDateTime": subscription["expirationDateTime"],
                "clientState": subscription["clientState"],
                "changeType": change,
                "resource": resource,
                "tenantId": self.tenant,
                "resourceData": {
                    "@odata.type": "#Microsoft.Graph.Event",
                    "@odata.id": resource,
                    "@odata.etag": event["@odata.etag"],
                    "id": event["id"],
                },
            }
            self.notifier.send(subscription["notificationUrl"], {}, {"value": [item]})

    def _inbound(self, request: Request) -> Reply:
        with self.lock:
            subject = self.tokens.get(request.header("authorization").removeprefix("Bearer "))
        if subject is None:
            return graph_error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.")
        delta = DELTA.match(request.path)
        if delta:
            mailbox = delta["user"].lower()
            if subject != "app" and mailbox != subject:
                return graph_error(403, "ErrorAccessDenied", "Access is denied.")
            with self.lock:
                return self._delta(request, mailbox)
        match = SUBSCRIPTIONS.match(request.path)
        if match["id"] is None:
            if request.method != "POST":
                return Reply(200, {"value": [self._subscription_view(s) for s in self.subscriptions.values()]})
            return self._subscribe(request, subject)
        with self.lock:
            subscription = self.subscriptions.get(match["id"])
            if subscription is None:
                return graph_error(404, "ResourceNotFound", f"The object '{match['id']}' doesn't exist.")
            if request.method == "DELETE":
                del self.subscriptions[match["id"]]
                return Reply(204)
            if match["reauthorize"]:
                subscription["paused"] = False
                return Reply(200, {})
            if request.method == "PATCH":
                expires, error = self._expiration(request.json().get("expirationDateTime", ""))
                if error:
                    return error
                subscription.update(expires=expires, expirationDateTime=request.json()["expirationDateTime"])
                subscription["paused"] = False
                return Reply(200, self._subscription_view(subscription))
            return Reply(200, self._subscription_view(subscription))

    def _expiration(self, value: str) -> tuple[float, Reply | None]:
        try:
            expires = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return 0, graph_error(400, "InvalidRequest", "expirationDateTime is not a valid date.")
        now = self.clock()
        if expires <= now:
            return 0, graph_error(400, "InvalidRequest", "Subscription expiration can only be in the future.")
        if expires > now + self.max_subscription_minutes * 60:
            return 0, graph_error(
                400,
                "InvalidRequest",
                f"Subscription expiration can only be {self.max_subscription_minutes} minutes in the future.",
            )
        return expires, None

    def _subscribe(self, request: Request, subject: str) -> Reply:
        body = request.json()
        resource = body.get("resource", "")
        found = re.fullmatch(r"/?users/(?P<user>[^/]+)/events", resource, flags=re.IGNORECASE)
        if found is None:
            return graph_error(400, "InvalidRequest", "Unsupported resource.")
        mailbox = found["user"].lower()
        if subject != "app" and mailbox != subject:
            return graph_error(403, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden]")
        client_state = body.get("clientState", "")
        if len(client_state) > 128 or not body.get("notificationUrl", "").startswith(("http://", "https://")):
            return graph_error(400, "InvalidRequest", "Invalid clientState or notificationUrl.")
        with self.lock:
            expires, error = self._expiration(body.get("expirationDateTime", ""))
        if error:
            return error
        # The handshake, outside the lock: the receiver must echo the decoded token as text/plain.
        for url in filter(None, (body["notificationUrl"], body.get("lifecycleNotificationUrl"))):
            token = f"Validation: Testing client application reachability for subscription Request-Id: {uuid.uuid4()}"
            separator = "&" if "?" in url else "?"
            status, content_type, text = post_for_reply(
                f"{url}{separator}validationToken={quote(token)}", {}, b"", timeout=10
            )
            if status != 200 or not content_type.startswith("text/plain") or text != token:
                return graph_error(
                    400,
                    "ValidationError",
                    "Subscription validation request failed. Notification endpoint must respond with 200 OK "
                    "to validation request.",
                )
        subscription = {
            "id": str(uuid.uuid4()),
            "resource": resource,
            "changeType": body.get("changeType", ""),
            "clientState": client_state,
            "notificationUrl": body["notificationUrl"],
            "lifecycleNotificationUrl": body.get("lifecycleNotificationUrl", ""),
            "expirationDateTime": body["expirationDateTime"],
            "expires": expires,
            "mailbox": mailbox,
            "paused": False,
        }
        with self.lock:
            self.subscriptions[subscription["id"]] = subscription
        return Reply(201, self._subscription_view(subscription))

    @staticmethod
    def _subscription_view(subscription: dict) -> dict:
        return {k: v for k, v in subscription.items() if k not in ("expires", "mailbox", "paused")}

    def _delta(self, request: Request, mailbox: str) -> Reply:
        """calendarView/delta: a window on the first call, then $skiptoken pages and a $deltatoken link."""
        query = request.query
        if any(name in query for name in UNSUPPORTED_IN_DELTA):
            return graph_error(400, "ErrorInvalidUrlQuery", "The query parameter is not supported with delta.")
        link = f"{self.base_url}/v1.0/users/{mailbox}/calendarView/delta"
        events = self.mailboxes.get(mailbox, {})
        epoch = self.delta_epochs.get(mailbox, 0)
        if "$deltatoken" in query or "$skiptoken" in query:
            token = query.get("$deltatoken") or query.get("$skiptoken")
            state = self.delta_tokens.get(token)
            if state is None or state[2] != epoch:
                if self.delta_reset_style.get(mailbox) == "location":
                    return Reply(410, None, {"Location": f"{link}?$deltatoken="})
                return graph_error(
                    410, "SyncStateNotFound", "The sync state generation is not found; generation=149;[highest=157]"
                )
            _, since, _, low, high = state
            offset = int(query.get("offset", "0")) if "$skiptoken" in query else 0
            upto = int(query.get("upto", "0")) if "$skiptoken" in query else max(self.changed.values(), default=0)
            initial = since == 0
        else:
            low, high = query.get("startDateTime", ""), query.get("endDateTime", "")
            if not low or not high:
                return graph_error(400, "ErrorInvalidParameter", "startDateTime and endDateTime are required.")
            since, offset, upto, initial = 0, 0, max(self.changed.values(), default=0), True
        changed = sorted(
            (e for e in events.values() if since < self.changed.get((mailbox, e["id"]), 0) <= upto),
            key=lambda e: self.changed[(mailbox, e["id"])],
        )
        items = []
        for event in changed:
            inside = _graph_within(event, low, high)
            if event["isCancelled"] or not inside:
                # Cancelled items leave the calendar; changed ones outside the window look removed too.
                if not initial:
                    items.append({"id": event["id"], "@removed": {"reason": "deleted"}})
                continue
            items.append(self._view(event, request))
        size = 50
        prefer = request.header("prefer")
        if "odata.maxpagesize=" in prefer:
            size = int(prefer.split("odata.maxpagesize=")[1].split(",")[0].strip())
        chunk = items[offset : offset + size]
        token = secrets.token_urlsafe(12)
        if offset + size < len(items):
            self.delta_tokens[token] = (mailbox, since, epoch, low, high)
            return Reply(
                200,
                {"value": chunk, "@odata.nextLink": f"{link}?$skiptoken={token}&offset={offset + size}&upto={upto}"},
            )
        self.delta_tokens[token] = (mailbox, upto, epoch, low, high)
        return Reply(200, {"value": chunk, "@odata.deltaLink": f"{link}?$deltatoken={token}"})

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
        # The copy's own change key is left alone: _touch speaks for the organizer's event and its subscribers.
        copy["responseStatus"] = {"response": response, "time": when}
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


def _graph_within(event: dict, low: str, high: str) -> bool:
    start, end = event.get("start", {}).get("dateTime", ""), event.get("end", {}).get("dateTime", "")
    return end[:19] > low[:19] and start[:19] < high[:19]

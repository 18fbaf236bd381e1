"""Graph's directory beside its calendars: `/users/delta` and `/users/{id}/mailboxSettings`, on the same fake.

FakeEntraDirectory is the calendar fake (same TLS server, Entra authority and request log) with a tenant's
users. Every change is numbered; a delta token is the number it was issued at, so a later call returns the
users changed since, each with its id and the properties that changed (Graph promises "at least" those),
deleted ones as `@removed`. Pages of `page_size` follow `@odata.nextLink` ($skiptoken) and end with an
`@odata.deltaLink` ($deltatoken). `forget_sync_state()` makes every earlier token answer 410
syncStateNotFound. `POST /$batch` serves up to 20 requests, each logged and open to queued faults on its own
(a 429 item inside a 200, as Graph throttles batches). Throttling is the FaultPlan's: queue a 429 with
Retry-After.
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakes.http_fake import Recorded, Reply, Request
from tests.fakes.microsoft_graph import FakeMicrosoftGraph, graph_error

MAX_BATCH = 20
MAILBOX = re.compile(r"^/v1\.0/users/(?P<user>[^/]+)/mailboxSettings$")
PROPERTIES = (
    "mail",
    "displayName",
    "department",
    "jobTitle",
    "accountEnabled",
    "officeLocation",
    "preferredLanguage",
    "employeeHireDate",
    "employeeType",
)


@dataclass
class _Page:
    """A delta session in progress: the users still to send and the token the session will end with."""

    items: list[dict]
    select: list[str]
    final_token: int
    offset: int = 0


@dataclass
class DirectoryUser:
    id: str
    properties: dict
    manager_id: str | None = None
    mailbox: dict | None = None
    deleted: bool = False
    changed: dict[str, int] = field(default_factory=dict)  # property -> change number


class FakeEntraDirectory(FakeMicrosoftGraph):
    def __init__(self, *, page_size: int = 200, **options) -> None:
        super().__init__(**options)
        self.users: dict[str, DirectoryUser] = {}
        self.page_size = page_size
        self._changes = itertools.count(1)
        self.change_number = 0
        self.forgotten_before = 0
        self._sessions: dict[str, _Page] = {}

    # -- the test API ------------------------------------------------------------------------------------
    def _bump(self, user: DirectoryUser, names) -> None:
        self.change_number = next(self._changes)
        for name in names:
            user.changed[name] = self.change_number

    def add_user(self, user_id: str, *, manager_id: str | None = None, mailbox: dict | None = None, **properties):
        with self.lock:
            user = DirectoryUser(user_id, dict(properties), manager_id, mailbox)
            self.users[user_id] = user
            self._bump(user, [*properties, "manager", "id"])
            return user

    def update_user(self, user_id: str, *, manager_id: str | None = "", **properties) -> None:
        """Changes properties (and the manager, when given); the next delta returns the user."""
        with self.lock:
            user = self.users[user_id]
            user.properties.update(properties)
            names = list(properties)
            if manager_id != "":
                user.manager_id = manager_id
                names.append("manager")
            self._bump(user, names)

    def set_mailbox(self, user_id: str, mailbox: dict) -> None:
        """Mailbox settings are not part of the user: changing them is not a delta change (as on Graph)."""
        with self.lock:
            self.users[user_id].mailbox = mailbox

    def delete_user(self, user_id: str) -> None:
        with self.lock:
            user = self.users[user_id]
            user.deleted = True
            self._bump(user, ["@removed"])

    def restore_user(self, user_id: str) -> None:
        """Back from the recycle bin: the next delta returns the user whole, as one newly added."""
        with self.lock:
            user = self.users[user_id]
            user.deleted = False
            self._bump(user, [*user.properties, "manager", "id"])

    def forget_sync_state(self) -> None:
        """Every delta or skip token issued so far answers 410, as after Graph's state expired."""
        with self.lock:
            self.forgotten_before = next(self._changes)
            self.change_number = self.forgotten_before
            self._sessions.clear()

    def delta_requests(self) -> list:
        return [r for r in self.requests if r.path == "/v1.0/users/delta"]

    def mailbox_requests(self) -> list:
        """Mailbox settings reads, whether sent alone or inside a $batch."""
        return [r for r in self.requests if MAILBOX.match(r.path)]

    def batch_requests(self) -> list:
        return [r for r in self.requests if r.path == "/v1.0/$batch"]

    # -- HTTP ----------------------------------------------------------------------------------------------
    def handle(self, request: Request) -> Reply:
        if request.path == "/v1.0/$batch" and request.method == "POST":
            return self._batch(request)
        mailbox = MAILBOX.match(request.path)
        if request.path != "/v1.0/users/delta" and mailbox is None:
            return super().handle(request)
        with self.lock:
            if self.tokens.get(request.header("authorization").removeprefix("Bearer ")) != "app":
                return graph_error(401, "InvalidAuthenticationToken", "Access token is empty.")
            if mailbox is not None:
                user = self.users.get(mailbox["user"])
                if user is None or user.deleted:
                    return graph_error(404, "ResourceNotFound", "Resource could not be discovered.")
                if user.mailbox is None:
                    return graph_error(
                        404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive or hosted on-premise."
                    )
                return Reply(200, json.loads(json.dumps(user.mailbox)))
            return self._delta(request)

    def _batch(self, request: Request) -> Reply:
        """JSON batching: each item is served (and logged, and open to queued faults) as its own request."""
        items = request.json().get("requests", [])
        if not 1 <= len(items) <= MAX_BATCH:
            return graph_error(400, "BadRequest", f"A batch holds 1 to {MAX_BATCH} requests.")
        responses = []
        for item in items:
            parts = urlsplit(item["url"])
            inner = Request(
                method=item.get("method", "GET"),
                path="/v1.0" + unquote(parts.path),
                query={key: values[-1] for key, values in parse_qs(parts.query).items()},
                headers=request.headers,
                body=b"",
            )
            fault = self.faults.pick(inner)
            reply = fault.reply if fault is not None and fault.reply is not None else self.handle(inner)
            self.record(
                Recorded(
                    inner.method,
                    inner.path,
                    inner.query,
                    self.subject_of(inner),
                    reply.status,
                    fault.name if fault else "",
                    "$batch",
                )
            )
            responses.append({"id": item["id"], "status": reply.status, "headers": reply.headers, "body": reply.body})
        return Reply(200, {"responses": responses})

    def _delta(self, request: Request) -> Reply:
        query = request.query
        if "$skiptoken" in query:
            session = self._sessions.get(query["$skiptoken"])
            if session is None:
                return self._lost()
            return self._page(query["$skiptoken"], session)
        if "$deltatoken" in query:
            since, _, select = query["$deltatoken"].partition(".")
            if not since.isdigit() or int(since) < self.forgotten_before:
                return self._lost()
            return self._start(select.split(",") if select else [], since=int(since))
        if "$filter" in query or "$orderby" in query:
            return graph_error(400, "Request_UnsupportedQuery", "Unsupported query.")
        select = [name for name in query.get("$select", "").split(",") if name]
        return self._start(select, since=None)

    def _lost(self) -> Reply:
        return graph_error(410, "syncStateNotFound", "The sync state generation is not found.")

    def _start(self, select: list[str], *, since: int | None) -> Reply:
        items = []
        for user in self.users.values():
            if since is None:
                if not user.deleted:
                    items.append(self._user_view(user, select, None))
            elif max(user.changed.values(), default=0) > since:
                items.append(self._user_view(user, select, since))
        token = secrets.token_urlsafe(8)
        self._sessions[token] = _Page(items, select, final_token=self.change_number)
        return self._page(token, self._sessions[token])

    def _page(self, token: str, session: _Page) -> Reply:
        chunk = session.items[session.offset : session.offset + self.page_size]
        session.offset += len(chunk)
        body: dict = {"@odata.context": f"{self.base_url}/v1.0/$metadata#users", "value": chunk}
        if session.offset < len(session.items):
            body["@odata.nextLink"] = f"{self.base_url}/v1.0/users/delta?$skiptoken={token}"
        else:
            del self._sessions[token]
            state = f"{session.final_token}.{','.join(session.select)}"
            body["@odata.deltaLink"] = f"{self.base_url}/v1.0/users/delta?$deltatoken={state}"
        return Reply(200, body)

    @staticmethod
    def _user_view(user: DirectoryUser, select: list[str], since: int | None) -> dict:
        if user.deleted:
            return {"id": user.id, "@removed": {"reason": "changed"}}
        wanted = [name for name in select if name != "id"] or list(PROPERTIES)
        if since is not None:
            wanted = [name for name in wanted if user.changed.get(name, 0) > since]
        view: dict = {"id": user.id}
        for name in wanted:
            if name == "manager":
                if user.manager_id:
                    view["manager@delta"] = [{"@odata.type": "#microsoft.graph.user", "id": user.manager_id}]
            else:
                view[name] = user.properties.get(name)
        return view

"""Workspace's directory beside its calendars: the Admin SDK's `users.list` and Calendar's `settings/timezone`.

FakeGoogleWorkspace is the Calendar fake (same server, token endpoint, quota and request log) with a
domain's users. `users.list` needs an administrator as the delegated subject and the directory scope;
it pages with `maxResults` (at most 500) and `pageToken`, and gives custom schemas only with
projection=full. `settings/timezone` answers for the delegated user with a Calendar settings scope.
"""

from __future__ import annotations

import base64
import copy

import jwt

from tests.fakes.google_calendar import FakeGoogleCalendar, google_error
from tests.fakes.http_fake import Reply, Request

USERS = "/admin/directory/v1/users"
TIME_ZONE = "/calendar/v3/users/me/settings/timezone"
DIRECTORY_SCOPES = {
    "https://www.googleapis.com/auth/admin.directory.user.readonly",
    "https://www.googleapis.com/auth/admin.directory.user",
}
SETTINGS_SCOPES = {
    "https://www.googleapis.com/auth/calendar.settings.readonly",
    "https://www.googleapis.com/auth/calendar.readonly",
    "https://www.googleapis.com/auth/calendar",
}


class FakeGoogleWorkspace(FakeGoogleCalendar):
    def __init__(self, *, admins: tuple[str, ...] = ("admin@example.org",), **options) -> None:
        super().__init__(**options)
        self.admins = {admin.lower() for admin in admins}
        self.users: dict[str, dict] = {}  # primary email -> user resource
        self.time_zones: dict[str, str] = {}
        self.scopes: dict[str, set[str]] = {}  # access token -> granted scopes

    # -- the test API ------------------------------------------------------------------------------------
    def add_user(
        self,
        email: str,
        *,
        name: str,
        department: str | None = None,
        title: str | None = None,
        manager: str | None = None,
        suspended: bool = False,
        time_zone: str | None = None,
        custom: dict | None = None,
        user_id: str | None = None,
    ) -> dict:
        with self.lock:
            given, _, family = name.partition(" ")
            user = {
                "kind": "admin#directory#user",
                "id": user_id or str(100_000_000_000_000_000 + len(self.users)),
                "primaryEmail": email.lower(),
                "name": {"givenName": given, "familyName": family, "fullName": name},
                "suspended": suspended,
                "orgUnitPath": "/",
            }
            if department or title:
                user["organizations"] = [{"primary": True, "department": department, "title": title}]
            if manager:
                user["relations"] = [{"type": "manager", "value": manager}]
            if custom:
                user["customSchemas"] = custom
            self.users[email.lower()] = user
            if time_zone:
                self.time_zones[email.lower()] = time_zone
            return user

    def update_user(self, email: str, **changes) -> None:
        """Changes top-level fields, or 'department' / 'title' / 'manager' the way the admin console does."""
        with self.lock:
            user = self.users[email.lower()]
            organization = (user.setdefault("organizations", [{"primary": True}]))[0]
            for key, value in changes.items():
                if key in ("department", "title"):
                    organization[key] = value
                elif key == "manager":
                    user["relations"] = [{"type": "manager", "value": value}]
                else:
                    user[key] = value

    def delete_user(self, email: str) -> None:
        with self.lock:
            del self.users[email.lower()]

    def list_requests(self) -> list:
        return [r for r in self.requests if r.path == USERS]

    def time_zone_requests(self) -> list:
        return [r for r in self.requests if r.path == TIME_ZONE]

    # -- HTTP ----------------------------------------------------------------------------------------------
    def _token(self, form: dict[str, str]) -> Reply:
        reply = super()._token(form)
        if reply.status == 200 and form.get("assertion"):
            claims = jwt.decode(form["assertion"], options={"verify_signature": False})
            self.scopes[reply.body["access_token"]] = set(claims.get("scope", "").split())
        return reply

    def handle(self, request: Request) -> Reply:
        if request.path not in (USERS, TIME_ZONE):
            return super().handle(request)
        with self.lock:
            token = request.header("authorization").removeprefix("Bearer ")
            if token not in self.tokens:
                return google_error(
                    401, "authError", "Invalid Credentials", locationType="header", location="Authorization"
                )
            subject, _ = self.tokens[token]
            granted = self.scopes.get(token, set())
            if request.path == TIME_ZONE:
                if not granted & SETTINGS_SCOPES:
                    return google_error(403, "insufficientPermissions", "Insufficient Permission")
                if subject not in self.users:
                    return google_error(404, "notFound", "Not Found")
                zone = self.time_zones.get(subject, "UTC")
                return Reply(200, {"kind": "calendar#setting", "etag": '"1"', "id": "timezone", "value": zone})
            if subject not in self.admins or not granted & DIRECTORY_SCOPES:
                return google_error(403, "forbidden", "Not Authorized to access this resource/api")
            return self._list(request)

    def _list(self, request: Request) -> Reply:
        query = request.query
        if query.get("customer") != "my_customer" and not query.get("domain"):
            return google_error(400, "badRequest", "Bad Request")
        size = int(query.get("maxResults", "100"))
        if not 1 <= size <= 500:
            return google_error(400, "invalid", "Invalid Input: maxResults")
        offset = int(base64.urlsafe_b64decode(query["pageToken"]).decode()) if query.get("pageToken") else 0
        emails = sorted(self.users)
        page = []
        for email in emails[offset : offset + size]:
            user = copy.deepcopy(self.users[email])
            if query.get("projection") != "full":
                user.pop("customSchemas", None)
            page.append(user)
        body = {"kind": "admin#directory#users", "etag": '"users"', "users": page}
        if offset + size < len(emails):
            body["nextPageToken"] = base64.urlsafe_b64encode(str(offset + size).encode()).decode()
        return Reply(200, body)

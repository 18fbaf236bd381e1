"""Workspace users through the Admin SDK Directory API (google-api-python-client, static discovery),
implementing domain DirectorySource.

The service account acts as an administrator (domain-wide delegation, scope admin.directory.user.readonly)
to page through `users.list(customer="my_customer", projection="full")`. The Directory API has no change
feed for users, so every run reads everyone: an account no longer listed was deleted, a suspended one left.
Time zones come from each person's Calendar settings (`settings.get("timezone")`, acting as them with
calendar.settings.readonly) when the option is on and the delegation grants that scope.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Collection
from enum import Enum

import google_auth_httplib2
import httplib2
from google.auth import exceptions as auth_errors
from google.oauth2 import service_account
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from domain.calendar.models import Provider
from domain.errors import ValidationFailed
from domain.people.directory_records import DirectoryBatch, DirectoryRecord, Progress, no_progress
from domain.people.validation import valid_time_zone
from integrations.calendar.secret_refs import read_secret
from integrations.directory.retry import DirectoryUnavailable, RetryRule, Throttled, parse_retry_after, with_retries
from integrations.google.calendar import NETWORK_ERRORS, RETRYABLE_403

DIRECTORY_SCOPE = "https://www.googleapis.com/auth/admin.directory.user.readonly"
CALENDAR_SETTINGS_SCOPE = "https://www.googleapis.com/auth/calendar.settings.readonly"
PAGE_SIZE = 500  # the most users.list gives per page


class TimeZones(str, Enum):
    """Which people's Calendar time zone a run reads."""

    NEW = "new"  # accounts not yet linked to a person
    ALL = "all"  # everyone enabled: catches people who moved, at one call (and one token) per person
    OFF = "off"


class WorkspaceDirectory:
    provider = Provider.GOOGLE

    def __init__(
        self,
        config: dict,
        *,
        admin_email: str,
        directory_url: str,
        calendar_url: str,
        time_zones: TimeZones,
        timeout: float,
        concurrency: int = 8,
        retry: RetryRule = RetryRule(),
        sleep=asyncio.sleep,
    ) -> None:
        if not admin_email:
            raise ValueError("reading a Workspace directory needs an administrator's email to act as")
        info = json.loads(read_secret(config, "service_account"))
        self._admin = service_account.Credentials.from_service_account_info(
            info, scopes=[DIRECTORY_SCOPE]
        ).with_subject(admin_email)
        self._settings = service_account.Credentials.from_service_account_info(info, scopes=[CALENDAR_SETTINGS_SCOPE])
        self._timeout = timeout
        self._time_zones = time_zones
        self._concurrency = concurrency
        self._retry, self._sleep = retry, sleep
        common = dict(static_discovery=True, cache_discovery=False, http=httplib2.Http(timeout=timeout))
        self._users = build("admin", "directory_v1", client_options={"api_endpoint": directory_url}, **common).users()
        self._calendar_settings = build(
            "calendar", "v3", client_options={"api_endpoint": calendar_url}, **common
        ).settings()

    def wanted_attributes(self, names: list[str]) -> None:
        pass  # projection="full" already gives every custom schema field

    async def read(
        self, cursor: str, *, known: Collection[str] = (), on_progress: Progress = no_progress
    ) -> DirectoryBatch:
        users: list[dict] = []
        page_token = None
        while True:
            request = self._users.list(
                customer="my_customer", projection="full", maxResults=PAGE_SIZE, orderBy="email", pageToken=page_token
            )
            page = await self._execute(request, self._admin, what="Admin SDK users.list")
            users.extend(page.get("users", []))
            on_progress("directory records read", len(users), None)
            page_token = page.get("nextPageToken")
            if not page_token:
                break
        records = [_record(user) for user in users]
        if self._time_zones != TimeZones.OFF:
            # One token and one call per person: by default only for accounts new to Mentorgraph.
            every = self._time_zones == TimeZones.ALL
            wanted = [r for r in records if r.enabled and (every or r.external_id not in known)]
            await self._read_time_zones(wanted, on_progress)
        return DirectoryBatch(records=records, full=True)

    async def _execute(self, request, credentials, *, what: str, missing_ok: bool = False) -> dict | None:
        async def once() -> dict | None:
            http = google_auth_httplib2.AuthorizedHttp(credentials, http=httplib2.Http(timeout=self._timeout))
            try:
                return await asyncio.to_thread(request.execute, http=http, num_retries=0)
            except HttpError as error:
                status, reason = error.resp.status, _reason(error)
                if status == 429 or status >= 500 or (status == 403 and reason in RETRYABLE_403):
                    raise Throttled(status, parse_retry_after(error.resp.get("retry-after"))) from None
                if missing_ok and status in (403, 404):
                    return None
                raise DirectoryUnavailable(f"{what}: Google answered {status} {reason}".strip()) from None
            except auth_errors.RefreshError as error:
                raise DirectoryUnavailable(f"{what}: Google refused the service account: {error}") from None
            except NETWORK_ERRORS as error:
                raise Throttled(0) from error

        return await with_retries(once, rule=self._retry, what=what, sleep=self._sleep)

    async def _read_time_zones(self, records: list[DirectoryRecord], on_progress: Progress) -> None:
        gate = asyncio.Semaphore(self._concurrency)
        done = 0

        async def one(record: DirectoryRecord) -> None:
            nonlocal done
            async with gate:
                setting = await self._execute(
                    self._calendar_settings.get(setting="timezone"),
                    self._settings.with_subject(record.email),
                    what="Calendar settings.get",
                    missing_ok=True,
                )
            if setting and setting.get("value"):
                try:
                    record.time_zone = valid_time_zone(setting["value"])
                except ValidationFailed as error:
                    record.notes.append(("time_zone", f"{error.message} The time zone was left as it is."))
            done += 1
            if done % 500 == 0 or done == len(records):
                on_progress("calendar time zones read", done, len(records))

        await asyncio.gather(*(one(record) for record in records))


def _reason(error: HttpError) -> str:
    details = error.error_details if isinstance(error.error_details, list) else []
    return (details[0].get("reason") if details else "") or ""


def _record(user: dict) -> DirectoryRecord:
    organizations = user.get("organizations") or []
    organization = next((o for o in organizations if o.get("primary")), organizations[0] if organizations else {})
    managers = [r.get("value") for r in user.get("relations") or [] if r.get("type") == "manager" and r.get("value")]
    languages = [entry["languageCode"] for entry in user.get("languages") or [] if entry.get("languageCode")]
    attributes = {
        f"customSchemas.{schema}.{name}": str(value)
        for schema, fields in (user.get("customSchemas") or {}).items()
        for name, value in fields.items()
        if not isinstance(value, (list, dict))
    }
    return DirectoryRecord(
        external_id=str(user["id"]),
        email=user.get("primaryEmail"),
        enabled=not user.get("suspended", False) and not user.get("archived", False),
        name=(user.get("name") or {}).get("fullName"),
        department=organization.get("department"),
        title=organization.get("title"),
        manager_email=managers[0] if managers else None,
        attributes=attributes,
        languages=languages or None,
    )

"""Entra ID users through Microsoft Graph's `/users/delta`, implementing domain DirectorySource.

The first run (or one after Graph forgot our state: 410 / syncStateNotFound) reads every user, following
`@odata.nextLink`; the `@odata.deltaLink` it ends with is the cursor, so later runs read only the users that
changed, each with at least its changed properties. The manager arrives as `manager@delta` (selected like a
property). Each enabled user's time zone and working hours come from `/users/{id}/mailboxSettings`, read
20 to a JSON `$batch`, Windows zone names mapped to IANA by CLDR's table. Application permissions:
User.Read.All and MailboxSettings.Read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from urllib.parse import quote

import httpx

from domain.calendar.models import Provider
from domain.errors import ValidationFailed
from domain.people.directory_records import DirectoryBatch, DirectoryRecord, Progress, no_progress
from integrations.directory.retry import (
    DirectoryUnavailable,
    RetryRule,
    Throttled,
    parse_retry_after,
    with_retries,
)
from integrations.directory.time_zones import iana_zone

SELECT = (
    "id",
    "mail",
    "displayName",
    "department",
    "jobTitle",
    "accountEnabled",
    "officeLocation",
    "preferredLanguage",
    "employeeHireDate",
    "manager",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
BATCH_SIZE = 20  # requests per JSON batch, Graph's limit
SETTINGS = "?$select=timeZone,workingHours"
SYNC_STATE_LOST = frozenset({"syncStateNotFound", "SyncStateNotFound", "resyncRequired"})


class _SyncStateLost(Exception):
    pass


class GraphDirectory:
    provider = Provider.MICROSOFT

    def __init__(
        self,
        tokens,
        *,
        client: httpx.AsyncClient,
        graph_url: str,
        concurrency: int = 8,
        retry: RetryRule = RetryRule(),
        sleep=asyncio.sleep,
    ) -> None:
        self._sleep = sleep
        self._tokens = tokens
        self._client = client
        self._graph_url = graph_url.rstrip("/")
        self._concurrency = concurrency
        self._retry = retry
        self._extra: list[str] = []

    def wanted_attributes(self, names: list[str]) -> None:
        # 'onPremisesExtensionAttributes.extensionAttribute1' is selected by its property.
        self._extra = sorted({name.split(".", 1)[0] for name in names} - set(SELECT))

    async def read(
        self, cursor: str, *, known: Collection[str] = (), on_progress: Progress = no_progress
    ) -> DirectoryBatch:
        warnings: list[str] = []
        full = not cursor
        try:
            users, next_cursor = await self._pages(cursor or self._first_url(), on_progress)
        except _SyncStateLost:
            warnings.append("Graph no longer knew the last delta link (410 / syncStateNotFound): read every user.")
            full = True
            users, next_cursor = await self._pages(self._first_url(), on_progress)
        records = [self._record(user) for user in users.values()]
        await self._mailbox_settings([r for r in records if not r.removed and r.enabled is not False], on_progress)
        return DirectoryBatch(records=records, full=full, cursor=next_cursor, warnings=warnings)

    def _first_url(self) -> str:
        return f"{self._graph_url}/users/delta?$select={','.join((*SELECT, *self._extra))}"

    async def _get(self, url: str) -> dict:
        async def once() -> dict:
            token = await self._tokens.token("directory")
            try:
                response = await self._client.get(url, headers={"Authorization": f"Bearer {token}"})
            except httpx.HTTPError as error:
                raise Throttled(0) from error
            if response.status_code in (429, 503, 504) or response.status_code >= 500:
                raise Throttled(response.status_code, parse_retry_after(response.headers.get("Retry-After")))
            if response.status_code >= 400:
                code = _error_code(response)
                if response.status_code == 410 or code in SYNC_STATE_LOST:
                    raise _SyncStateLost()
                raise DirectoryUnavailable(f"Microsoft Graph answered {response.status_code} {code} for {url}")
            return response.json()

        return await with_retries(once, rule=self._retry, what="Microsoft Graph", sleep=self._sleep)

    async def _pages(self, url: str, on_progress: Progress) -> tuple[dict[str, dict], str]:
        """Every user of the session by id; a user met twice (delta may repeat one) keeps the later values."""
        users: dict[str, dict] = {}
        while True:
            page = await self._get(url)
            for user in page.get("value", []):
                users[user["id"]] = {**users.get(user["id"], {}), **user}
            on_progress("directory records read", len(users), None)
            if "@odata.nextLink" in page:
                url = page["@odata.nextLink"]
                continue
            return users, page.get("@odata.deltaLink", "")

    def _record(self, user: dict) -> DirectoryRecord:
        record = DirectoryRecord(external_id=user["id"])
        if "@removed" in user:
            record.removed = True
            return record
        record.email = user.get("mail")
        record.enabled = user.get("accountEnabled")
        record.name = user.get("displayName")
        record.department = user.get("department")
        record.title = user.get("jobTitle")
        if user.get("preferredLanguage"):
            record.languages = [user["preferredLanguage"]]
        managers = [m for m in user.get("manager@delta", []) if "@removed" not in m]
        if managers:
            record.manager_id = managers[0]["id"]
        record.attributes = _flat(user)
        return record

    async def _mailbox_settings(self, records: list[DirectoryRecord], on_progress: Progress) -> None:
        """Every record's mailbox settings, 20 to a JSON batch (Graph's limit), a few batches at a time."""
        gate = asyncio.Semaphore(max(1, self._concurrency // 2))
        done = 0

        async def chunk(part: list[DirectoryRecord]) -> None:
            nonlocal done
            async with gate:
                await self._batch(part)
            done += len(part)
            on_progress("mailbox settings read", done, len(records))

        chunks = [records[start : start + BATCH_SIZE] for start in range(0, len(records), BATCH_SIZE)]
        await asyncio.gather(*(chunk(part) for part in chunks))

    async def _batch(self, records: list[DirectoryRecord]) -> None:
        """One JSON batch; items throttled on their own (429 inside a 200) are sent again after Retry-After."""
        waiting = {str(index): record for index, record in enumerate(records)}

        async def once() -> None:
            token = await self._tokens.token("directory")
            body = {
                "requests": [
                    {"id": key, "method": "GET", "url": f"/users/{quote(r.external_id)}/mailboxSettings{SETTINGS}"}
                    for key, r in waiting.items()
                ]
            }
            try:
                response = await self._client.post(
                    f"{self._graph_url}/$batch", json=body, headers={"Authorization": f"Bearer {token}"}
                )
            except httpx.HTTPError as error:
                raise Throttled(0) from error
            if response.status_code in (429, 503, 504) or response.status_code >= 500:
                raise Throttled(response.status_code, parse_retry_after(response.headers.get("Retry-After")))
            if response.status_code >= 400:
                raise DirectoryUnavailable(f"Microsoft Graph answered {response.status_code} to a $batch")
            throttled: list[float | None] = []
            for item in response.json().get("responses", []):
                status, key = item.get("status", 500), str(item.get("id"))
                if key not in waiting:
                    continue
                if status == 429 or status >= 500:
                    headers = {name.lower(): value for name, value in (item.get("headers") or {}).items()}
                    throttled.append(parse_retry_after(headers.get("retry-after")))
                    continue
                record = waiting.pop(key)
                if status == 200:
                    _apply_mailbox(record, item.get("body") or {})
                # 404: no mailbox (or not in the cloud); 403: outside the app's access policy. Zone unchanged.
            if throttled:
                waits = [wait for wait in throttled if wait is not None]
                raise Throttled(429, max(waits) if waits else None)

        await with_retries(once, rule=self._retry, what="Microsoft Graph $batch", sleep=self._sleep)


def _error_code(response: httpx.Response) -> str:
    try:
        return response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return ""


def _flat(user: dict, prefix: str = "") -> dict[str, str]:
    """Scalar attributes by name, nested objects dotted ('onPremisesExtensionAttributes.extensionAttribute1')."""
    flat: dict[str, str] = {}
    for key, value in user.items():
        if "@" in key:
            continue
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        elif value is not None and not isinstance(value, list):
            flat[f"{prefix}{key}"] = str(value)
    return flat


def _minutes(clock: str) -> int:
    """'08:30:00.0000000' as minutes after midnight."""
    hours, minutes = clock.split(":")[:2]
    return int(hours) * 60 + int(minutes)


def _apply_mailbox(record: DirectoryRecord, settings: dict) -> None:
    zone_name = settings.get("timeZone")
    if zone_name:
        try:
            record.time_zone = iana_zone(zone_name)
        except ValidationFailed as error:
            record.notes.append(("time_zone", f"{error.message} The time zone was left as it is."))
    hours = settings.get("workingHours") or {}
    days = [WEEKDAYS.index(day.lower()) for day in hours.get("daysOfWeek", []) if day.lower() in WEEKDAYS]
    if not days or not hours.get("startTime") or not hours.get("endTime"):
        return
    hours_zone = (hours.get("timeZone") or {}).get("name")
    if hours_zone and zone_name and hours_zone != zone_name:
        try:
            same = iana_zone(hours_zone) == record.time_zone
        except ValidationFailed:
            same = False
        if not same:
            record.notes.append(
                (
                    "working_hours",
                    f"Working hours are set in {hours_zone!r}, not the mailbox's {zone_name!r}; "
                    "they were left as they are.",
                )
            )
            return
    try:
        start, end = _minutes(hours["startTime"]), _minutes(hours["endTime"])
    except ValueError:
        record.notes.append(("working_hours", f"Unreadable working hours {hours!r}; left as they are."))
        return
    if end == 0:
        end = 24 * 60  # ends at midnight
    if end <= start:
        record.notes.append(("working_hours", "Working hours end before they start; left as they are."))
        return
    record.working_hours = [(day, start, end) for day in sorted(set(days))]

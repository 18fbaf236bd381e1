"""Directory sync: people, reporting lines, time zones and leavers kept as the company directory says.

One run reads a batch from a DirectorySource (everything, or Graph's changes since the stored cursor), turns
each user into the CSV import's row draft and hands the drafts to the import's own rules
(domain/people/importer.import_drafts: upsert by email, managers in a second pass, loops refused per row).
The upsert closes leavers' relationships, requests and enrollments (domain/people/leavers.py) as it does for a
CSV import's; then, in the same transaction, the directory accounts are linked to their people and the
cursor moves on. A run that
fails writes nothing and leaves the cursor where it was, so the next run reads the same changes again.

Leavers are accounts disabled or suspended, deleted (@removed), or, on a full read, no longer listed; they
become inactive with today as their leaving day. A disabled account Mentorgraph never had is not imported.
A returning account is the same person again, active, with no leaving day.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass, field

from tortoise.transactions import in_transaction

from domain.calendar.models import Provider
from domain.errors import ValidationFailed
from domain.people import validation as v
from domain.people.directory_mapping import DirectoryMapping
from domain.people.directory_models import DirectoryAccount, DirectorySync
from domain.people.directory_records import DirectoryBatch, DirectoryRecord, DirectorySource, Progress, no_progress
from domain.people.directory_reporting import reporting_line_flags
from domain.people.import_report import ImportReport
from domain.people.import_rows import RowDraft
from domain.people.importer import import_drafts
from domain.people.leavers import LeaversClosed
from domain.people.models import Person


@dataclass
class DirectoryReport:
    provider: Provider
    full: bool
    fetched: int
    people: ImportReport
    leavers: int = 0
    returned: int = 0
    skipped_disabled: int = 0
    closed: LeaversClosed = field(default_factory=LeaversClosed)
    flags: list[str] = field(default_factory=list)

    @property
    def errors(self):
        return self.people.errors

    def summary(self) -> str:
        kind = "full read" if self.full else "changes only"
        lines = [
            f"{self.provider.value.lower()} directory, {kind}: {self.fetched} records",
            self.people.summary(),
            # The people report's own line gives the leavers and what closed for them.
            f"{self.returned} returned, {self.skipped_disabled} disabled accounts not imported",
        ]
        lines.extend(f"flag: {flag}" for flag in self.flags)
        return "\n".join(lines)


@dataclass
class _Known:
    """Everyone Mentorgraph has, and the accounts of this provider already linked to them."""

    email_of: dict[int, str]
    id_of: dict[str, int]
    active: dict[int, bool]
    account: dict[str, tuple[int, bool]]  # external id -> (person id, enabled)


async def _known(provider: Provider) -> _Known:
    rows = await Person.all().values_list("id", "email", "is_active")
    accounts = await DirectoryAccount.filter(provider=provider).values_list("external_id", "person_id", "enabled")
    return _Known(
        email_of={person_id: email for person_id, email, _ in rows},
        id_of={email: person_id for person_id, email, _ in rows},
        active={person_id: active for person_id, _, active in rows},
        account={external_id: (person_id, enabled) for external_id, person_id, enabled in accounts},
    )


@dataclass
class _Drafted:
    drafts: list[RowDraft] = field(default_factory=list)
    external_of: dict[str, str] = field(default_factory=dict)  # draft key -> external id
    enabled_of: dict[str, bool] = field(default_factory=dict)
    leaving: set[str] = field(default_factory=set)  # draft keys of people leaving in this run
    returning: set[str] = field(default_factory=set)
    skipped_disabled: int = 0
    notes: list[str] = field(default_factory=list)


def _drafts(batch: DirectoryBatch, known: _Known, mapping: DirectoryMapping, today: datetime.date) -> _Drafted:
    out = _Drafted()
    email_of_external = {
        external_id: known.email_of[person_id] for external_id, (person_id, _) in known.account.items()
    }
    for record in batch.records:
        # A linked account keeps the email Mentorgraph knows its person by (see _draft), as manager too.
        if record.email and not record.removed and record.external_id not in known.account:
            with contextlib.suppress(ValidationFailed):
                email_of_external[record.external_id] = v.valid_email(record.email)
    emails = _Emails(email_of_external, set(email_of_external.values()))
    first_row_of: dict[str, int] = {}
    seen: set[str] = set()
    for row, record in enumerate(batch.records, start=1):
        seen.add(record.external_id)
        draft = _draft(row, record, known, mapping, emails, first_row_of, today, out)
        if draft is not None:
            out.drafts.append(draft)
    if batch.full:
        # Accounts the whole directory no longer lists were deleted.
        row = len(batch.records)
        for external_id, (person_id, _) in sorted(known.account.items()):
            if external_id in seen or not known.active.get(person_id):
                continue
            row += 1
            gone = DirectoryRecord(external_id=external_id, removed=True)
            draft = _draft(row, gone, known, mapping, emails, first_row_of, today, out)
            if draft is not None:
                out.drafts.append(draft)
    return out


def _draft(
    row: int,
    record: DirectoryRecord,
    known: _Known,
    mapping: DirectoryMapping,
    emails: _Emails,
    first_row_of: dict[str, int],
    today: datetime.date,
    out: _Drafted,
) -> RowDraft | None:
    linked = known.account.get(record.external_id)
    person_id = linked[0] if linked else None
    raw_email = record.email
    if person_id is not None:
        # The account is known: the person is, whatever email this change carries (or omits).
        raw_email = known.email_of[person_id]
    draft = RowDraft(row=row, email=raw_email)
    if not raw_email:
        if record.removed or record.enabled is False:
            return None  # an account Mentorgraph never had left: nothing to do
        draft.reject("email", f"The directory gives no email address for account {record.external_id}.")
        return draft
    try:
        email = v.valid_email(raw_email)
    except ValidationFailed as error:
        draft.reject("email", error.message)
        return draft
    draft.email = email
    if person_id is None:
        person_id = known.id_of.get(email)
    if email in first_row_of:
        draft.reject("email", f"{email} is also record {first_row_of[email]}; the directory lists it twice.")
        return draft
    first_row_of[email] = row
    draft.key = email
    if record.email and person_id is not None and v.valid_email(record.email) != email:
        out.notes.append(
            f"record {row} ({email}): email: the directory now says {record.email}; Mentorgraph keeps {email}."
        )
    out.external_of[email] = record.external_id
    # A change that does not mention the account's state (a delta with a new title) leaves it as it was.
    enabled = record.enabled if record.enabled is not None else (linked[1] if linked else True)
    leaving = record.removed or not enabled
    if leaving:
        out.enabled_of[email] = False
        if person_id is None:
            out.skipped_disabled += 1
            out.external_of.pop(email)
            draft.key = None
            return None
        if known.active.get(person_id, False):
            draft.profile.update(is_active=False, left_on=today)
            out.leaving.add(email)
        if record.removed:
            return draft
    else:
        out.enabled_of[email] = True
        if person_id is not None and not known.active.get(person_id, True):
            draft.profile.update(is_active=True, left_on=None)
            out.returning.add(email)
    _profile(draft, record, mapping, new=person_id is None)
    _manager(draft, record, emails)
    for column, message in record.notes:
        out.notes.append(f"record {row} ({email}): {column}: {message}")
    return draft


@dataclass
class _Emails:
    """Every user of this directory by account: those read in this run and those linked before."""

    of_external: dict[str, str]
    all: set[str]


def _manager(draft: RowDraft, record: DirectoryRecord, emails: _Emails) -> None:
    """The manager's email, if they are a user of this directory (read now or linked before)."""
    if record.manager_id is not None:
        manager = emails.of_external.get(record.manager_id)
        if manager is None:
            draft.reject(
                "manager_email", f"The manager (directory account {record.manager_id}) is not a user of this directory."
            )
        draft.manager_email = manager
    elif record.manager_email is not None:
        try:
            manager = v.valid_email(record.manager_email, field="manager_email")
        except ValidationFailed as error:
            draft.reject("manager_email", error.message)
            return
        if manager not in emails.all:
            draft.reject("manager_email", f"The manager {manager} is not a user of this directory.")
            return
        draft.manager_email = manager


def _profile(draft: RowDraft, record: DirectoryRecord, mapping: DirectoryMapping, *, new: bool) -> None:
    """The record's values, checked as the CSV import checks its cells (same columns, same messages).

    The directory's language is a starting point for someone new; after that, people keep their own list."""

    def take(column: str, attribute: str, value, check) -> None:
        if value is None:
            return
        try:
            checked = check(value)
        except ValidationFailed as error:
            draft.reject(column, error.message)
            return
        if checked is not None:
            draft.profile[attribute] = checked

    take("name", "name", record.name, v.valid_name)
    take(
        "department",
        "department",
        mapping.department_of(record.department),
        lambda text: v.valid_optional_text(text, field="department", max_length=120),
    )
    take("title", "job_title", record.title, lambda text: v.valid_optional_text(text, field="title", max_length=200))
    if mapping.level_attribute:
        take("level", "level", record.attributes.get(mapping.level_attribute), mapping.level_of)
    take("time_zone", "time_zone", record.time_zone, v.valid_time_zone)
    take("languages", "languages", record.languages if new else None, v.valid_languages)
    if record.working_hours is not None:
        draft.working_hours = sorted(record.working_hours)


async def sync_directory(
    source: DirectorySource,
    *,
    connection_id: int,
    mapping: DirectoryMapping,
    now: datetime.datetime,
    dry_run: bool = False,
    on_progress: Progress = no_progress,
) -> DirectoryReport:
    """Reads the directory and applies it; with dry_run, reports exactly what a run would do and writes nothing."""
    state = await DirectorySync.get_or_none(connection_id=connection_id)
    if mapping.level_attribute:
        source.wanted_attributes([mapping.level_attribute])
    known = await _known(source.provider)
    batch = await source.read(state.cursor if state else "", known=known.account.keys(), on_progress=on_progress)
    drafted = _drafts(batch, known, mapping, now.date())
    flags = await reporting_line_flags(drafted.drafts, known.id_of)

    def written(done: int, total: int) -> None:
        on_progress("people written", done, total)

    async with in_transaction():
        people = await import_drafts(
            drafted.drafts, dry_run=dry_run, warnings=[*batch.warnings, *drafted.notes], on_progress=written, now=now
        )
        landed = {draft.key for draft in drafted.drafts if draft.key and draft.is_valid}
        leavers = sorted(landed & drafted.leaving)
        report = DirectoryReport(
            provider=source.provider,
            full=batch.full,
            fetched=len(batch.records),
            people=people,
            leavers=len(leavers),
            returned=len(landed & drafted.returning),
            skipped_disabled=drafted.skipped_disabled,
            closed=people.closed,
            flags=flags,
        )
        if not dry_run:
            await _link_accounts(source.provider, drafted, landed, now)
            await _save_state(state, connection_id, batch, report, now)
    return report


async def _link_accounts(provider: Provider, drafted: _Drafted, landed: set[str], now: datetime.datetime) -> None:
    wanted = {drafted.external_of[email]: email for email in landed if email in drafted.external_of}
    if not wanted:
        return
    id_of = dict(await Person.filter(email__in=list(wanted.values())).values_list("email", "id"))
    existing = {
        account.external_id: account
        for account in await DirectoryAccount.filter(provider=provider, external_id__in=list(wanted))
    }
    fresh = []
    for external_id, email in wanted.items():
        person_id, enabled = id_of[email], drafted.enabled_of[email]
        account = existing.get(external_id)
        if account is None:
            fresh.append(
                DirectoryAccount(
                    provider=provider, external_id=external_id, person_id=person_id, enabled=enabled, linked_at=now
                )
            )
        elif (account.person_id, account.enabled) != (person_id, enabled):
            await DirectoryAccount.filter(id=account.id).update(person_id=person_id, enabled=enabled, linked_at=now)
    await DirectoryAccount.bulk_create(fresh, batch_size=1_000)


async def _save_state(
    state: DirectorySync | None, connection_id: int, batch: DirectoryBatch, report: DirectoryReport, now
) -> None:
    values = dict(cursor=batch.cursor, last_run_at=now, last_summary=report.summary()[:4000])
    if batch.full:
        values["last_full_at"] = now
    if state is None:
        await DirectorySync.create(connection_id=connection_id, **values)
    else:
        await DirectorySync.filter(id=state.id).update(**values)

"""Importing people from a CSV in the shape an HRIS export has: upsert by email, with a per-row error report.

The file is UTF-8 text (a byte-order mark is fine), LF or CRLF lines, separated by commas, or by semicolons
or tabs when the header row is (see import_rows.delimiter_of). Columns (the header row names them; case,
spaces and hyphens don't matter, order is free; any other column is ignored with one warning):

    email           required; the key people are matched on, case-insensitively
    name            required for someone new; when the column is there, a blank cell is an error
    department      free text (120 characters)
    title           job title, free text (200 characters)
    level           ordinal seniority, a whole number 1-20 (higher is more senior)
    manager_email   someone earlier or later in the file, or already in Mentorgraph
    time_zone       IANA zone such as 'Europe/London'; people new to Mentorgraph default to UTC
    working_hours   'Mon-Fri 09:00-17:00' or 'Mon 09:00-12:00; Mon 13:00-17:30; Tue-Thu 10:00-18:00':
                    stretches separated by ';', each days ('Mon', 'Monday', 'Mon-Fri', 'Mon,Wed') then
                    start-end in 24-hour local wall-clock time in the row's time zone ('24:00' ends the day);
                    stored as minutes after midnight (WorkingHours). They replace the person's whole week.
    teach_skills    'Python:4; Stakeholder management:3': skill names or aliases from the taxonomy, each with
    learn_skills    a proficiency 1-5. They replace the person's skills in that direction.
    languages       'en; pt-BR' (';' or ','), language tags
    left_on         the day the person left the company, YYYY-MM-DD, today or earlier: it marks them inactive
                    (leavers are what retention and the ROI's turnover count), and what they were part of
                    closes as it does for a directory sync's leavers (domain/people/leavers.py)

An empty cell, or a column the file lacks, leaves that value as it is: exports often have gaps, and a gap
must not wipe what people entered themselves. A file cannot clear a value.

Everything is checked in memory first; then every valid row is written (people, working hours, skills, then
managers) in one transaction. A row with any error writes nothing, and never stops the others. Errors name
the row as a spreadsheet shows it (the header is row 1, so the first person is on row 2) and the column.
Managers are resolved in a second pass (domain/people/import_managers.py), which also refuses loops.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.analytics.models import LevelChange
from domain.batch import slices
from domain.bulk_work import WorkingSet, bulk_job, in_worker_thread
from domain.clock import utc_now
from domain.errors import Conflict, ValidationFailed
from domain.people.import_managers import ManagerClaim, reporting_line_errors
from domain.people.import_report import ImportReport, ImportRowError
from domain.people.import_rows import COLUMNS, SKILL_COLUMNS, RowDraft, read_rows
from domain.people.leavers import LeaversClosed, close_for_leavers
from domain.people.models import Person, WorkingHours
from domain.skills.models import PersonSkill, SkillDirection
from domain.skills.taxonomy import resolve_skills, slugify

__all__ = ["ImportReport", "ImportRowError", "import_drafts", "import_people", "import_people_csv"]

_COLUMN_OF = {direction: column for column, direction in SKILL_COLUMNS.items()}
# Stored rows are read in slices this small: turning a query's rows into models runs on the event loop, and
# between two slices other requests get their turn (10,000 people at once held it for a third of a second).
READ_SLICE = 500
# Everyone's id, email and manager are read in pages this long, for the same reason (three plain columns a row).
DIRECTORY_PAGE = 5_000


@dataclass
class _Plan:
    """What one valid row changes; `person` is None for someone new."""

    draft: RowDraft
    person: Person | None
    profile: dict = field(default_factory=dict)
    manager_email: str | None = None
    working_hours: list[tuple[int, int, int]] | None = None
    skills: dict[SkillDirection, set[tuple[int, int]]] = field(default_factory=dict)
    manager_changes: bool = False

    @property
    def leaves(self) -> bool:
        """An active person this row marks inactive: they left the company."""
        return self.person is not None and self.person.is_active and self.profile.get("is_active") is False

    @property
    def changes_anything(self) -> bool:
        return self.person is None or bool(
            self.profile or self.manager_changes or self.working_hours is not None or self.skills
        )


async def import_people(viewer: Viewer, *, csv_text: str, dry_run: bool = False) -> ImportReport:
    """The import for an administrator; everyone else gets PermissionDenied and nothing is read or written."""
    viewer.require_role()
    return await import_people_csv(csv_text, dry_run=dry_run)


async def import_people_csv(
    text: str, *, dry_run: bool = False, on_progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Upserts the file's people; with dry_run, checks and counts exactly as an import would, writing nothing."""
    # Held until the parsed file is gone (it lives in the frame below), so the first collection after it
    # walks only the cycles it left.
    async with bulk_job() as working_set:
        return await _import_csv(text, working_set, dry_run=dry_run, on_progress=on_progress)


async def _import_csv(
    text: str, working_set: WorkingSet, *, dry_run: bool, on_progress: Callable[[int, int], None] | None
) -> ImportReport:
    # Parsing and the checks below are CPU work over every row: done in a worker thread, so that a large file
    # does not stop the event loop (and every other request) while it is read.
    parsed = working_set.keep(await in_worker_thread(read_rows, text))
    if parsed.fatal:
        return ImportReport(dry_run=dry_run, warnings=parsed.warnings, errors=parsed.fatal)
    return await import_drafts(parsed.rows, dry_run=dry_run, warnings=parsed.warnings, on_progress=on_progress)


async def import_drafts(
    drafts: list[RowDraft],
    *,
    dry_run: bool = False,
    warnings: list[str] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    now: datetime.datetime | None = None,
) -> ImportReport:
    """The import's rules over checked rows from any source (a CSV file, a directory): upsert by email, a
    name for someone new, managers resolved in a second pass and loops refused per row, then one transaction.

    A draft's profile may also carry `is_active` and `left_on`; someone active it makes inactive has left,
    and in the same transaction what they were part of closes (close_for_leavers), from either source alike.

    Every pass over all the rows runs in a worker thread and the stored people are read in slices, so that a
    file of tens of thousands of people never holds the event loop for long at a time."""
    async with bulk_job() as working_set:
        return await _import_drafts(
            drafts, working_set, dry_run=dry_run, warnings=warnings, on_progress=on_progress, now=now or utc_now()
        )


async def _import_drafts(
    drafts: list[RowDraft],
    working_set: WorkingSet,
    *,
    dry_run: bool,
    warnings: list[str] | None,
    on_progress: Callable[[int, int], None] | None,
    now: datetime.datetime,
) -> ImportReport:
    report = ImportReport(dry_run=dry_run, warnings=list(warnings or []))
    skill_ids = await _resolve_skills(drafts)
    emails = working_set.keep([d.key for d in drafts if d.key])
    # Kept in the working set, so that freeing them at the end happens off the loop (see domain/bulk_work.py).
    existing = working_set.keep({})
    for some in slices(emails, READ_SLICE):
        existing.update((person.email, person) for person in await Person.filter(email__in=some))
    directory = working_set.keep(await _directory())
    await in_worker_thread(_check_names_and_reporting_lines, drafts, existing, directory)
    valid = working_set.keep([draft for draft in drafts if draft.is_valid])
    plans = working_set.keep(await _plans(valid, existing, directory, skill_ids))
    changing = working_set.keep(await in_worker_thread(_count_into, report, drafts, plans))
    leavers = [plan.person.id for plan in changing if plan.leaves]
    report.leavers = len(leavers)
    if dry_run:
        report.closed = await close_for_leavers(leavers, now=now, dry_run=True)
        return report
    try:
        report.closed = await _write(changing, directory, on_progress or _quietly, leavers, now)
    except IntegrityError:
        # Another import (or a sign-up) wrote one of these people between our read and our write;
        # the whole file rolled back, and running it again sees them as existing people.
        raise Conflict(
            "People in this file were written by another import at the same moment; nothing was imported. "
            "Run the import again.",
            field="csv",
        ) from None
    return report


def _check_names_and_reporting_lines(drafts: list[RowDraft], existing: dict[str, Person], directory: _Directory):
    """Rejects someone new without a name, and rows whose manager would close a loop (pure: a worker thread)."""
    for draft in drafts:
        named = "name" in draft.profile or any(error.field == "name" for error in draft.errors)
        if draft.key and draft.key not in existing and not named:
            draft.reject("name", "Someone new needs a name.")
    claims = [ManagerClaim(draft.row, draft.key, draft.manager_email) for draft in drafts if draft.key]
    rejected = {draft.row for draft in drafts if not draft.is_valid}
    loops = reporting_line_errors(current=directory.managers, claims=claims, rejected=rejected)
    by_row = {draft.row: draft for draft in drafts}
    for row, message in loops.items():
        by_row[row].reject("manager_email", message)


def _count_into(report: ImportReport, drafts: list[RowDraft], plans: list[_Plan]) -> list[_Plan]:
    """Fills the report's errors and counts; the plans that change anything (pure: a worker thread)."""
    report.errors = sorted(
        (error for draft in drafts for error in draft.errors), key=lambda error: (error.row, _column_order(error.field))
    )
    changing = [plan for plan in plans if plan.changes_anything]
    report.created = sum(plan.person is None for plan in changing)
    report.updated = len(changing) - report.created
    report.unchanged = len(plans) - len(changing)
    return changing


def _column_order(field: str) -> int:
    return COLUMNS.index(field) if field in COLUMNS else len(COLUMNS)


@dataclass
class _Directory:
    """Everyone already in Mentorgraph, by normalised email: their id and their manager's email."""

    ids: dict[str, int]
    managers: dict[str, str | None]


async def _directory() -> _Directory:
    rows, after = [], 0
    while (
        page := await Person.filter(id__gt=after)
        .order_by("id")
        .limit(DIRECTORY_PAGE)
        .values_list("id", "email", "manager_id")
    ):
        rows.extend(page)
        after = page[-1][0]
    return await in_worker_thread(_directory_of, rows)


def _directory_of(rows: list[tuple[int, str, int | None]]) -> _Directory:
    email_of = {person_id: email for person_id, email, _ in rows}
    return _Directory(
        ids={email: person_id for person_id, email, _ in rows},
        managers={email: email_of.get(manager_id) for _, email, manager_id in rows},
    )


async def _resolve_skills(drafts: list[RowDraft]) -> dict[str, int]:
    """Skill id by slug for every name the file uses; unknown or twice-listed skills reject their row."""
    names = await in_worker_thread(_skill_names, drafts)
    try:
        known = await resolve_skills(names.values(), field="skills")
    except ValidationFailed:
        known = {}
        for name in names.values():  # only when something is unknown: find out which
            with contextlib.suppress(ValidationFailed):
                known.update(await resolve_skills([name], field="skills"))
    skill_ids = {slugify(name): skill.id for name, skill in known.items()}
    await in_worker_thread(_check_skills, drafts, skill_ids)
    return skill_ids


def _skill_names(drafts: list[RowDraft]) -> dict[str, str]:
    return {slugify(name): name for draft in drafts for levels in draft.skills.values() for name, _ in levels}


def _check_skills(drafts: list[RowDraft], skill_ids: dict[str, int]) -> None:
    for draft in drafts:
        for direction, levels in draft.skills.items():
            column, seen = _COLUMN_OF[direction], {}
            for name, _ in levels:
                skill_id = skill_ids.get(slugify(name))
                if skill_id is None:
                    draft.reject(column, f"Unknown skill {name!r}: pick one from the taxonomy.")
                elif skill_id in seen:
                    draft.reject(column, f"{seen[skill_id]!r} and {name!r} are the same skill; list it once.")
                else:
                    seen[skill_id] = name


async def _plans(
    drafts: list[RowDraft], existing: dict[str, Person], directory: _Directory, skill_ids: dict[str, int]
) -> list[_Plan]:
    people_ids = [person.id for person in existing.values()]
    hours: dict[int, list[tuple[int, int, int]]] = {}
    skills: dict[tuple[int, SkillDirection], set[tuple[int, int]]] = {}
    for some in slices(people_ids, READ_SLICE):
        for row in await WorkingHours.filter(person_id__in=some).values_list(
            "person_id", "weekday", "start_minute", "end_minute"
        ):
            hours.setdefault(row[0], []).append(tuple(row[1:]))
        for person_id, direction, skill_id, proficiency in await PersonSkill.filter(person_id__in=some).values_list(
            "person_id", "direction", "skill_id", "proficiency"
        ):
            skills.setdefault((person_id, SkillDirection(direction)), set()).add((skill_id, proficiency))
    return await in_worker_thread(_plan_rows, drafts, existing, directory, skill_ids, hours, skills)


def _plan_rows(
    drafts: list[RowDraft],
    existing: dict[str, Person],
    directory: _Directory,
    skill_ids: dict[str, int],
    hours: dict[int, list[tuple[int, int, int]]],
    skills: dict[tuple[int, SkillDirection], set[tuple[int, int]]],
) -> list[_Plan]:
    """What each valid row changes, against what is stored (pure: run in a worker thread)."""
    plans = []
    for draft in drafts:
        person = existing.get(draft.key)
        plan = _Plan(draft=draft, person=person, manager_email=draft.manager_email)
        wanted_skills = {
            direction: {(skill_ids[slugify(name)], level) for name, level in levels}
            for direction, levels in draft.skills.items()
        }
        if person is None:
            plan.profile = dict(draft.profile)
            plan.working_hours = draft.working_hours
            plan.skills = wanted_skills
            plan.manager_changes = draft.manager_email is not None
        else:
            plan.profile = {key: value for key, value in draft.profile.items() if getattr(person, key) != value}
            if draft.working_hours is not None and sorted(hours.get(person.id, [])) != draft.working_hours:
                plan.working_hours = draft.working_hours
            plan.skills = {
                direction: wanted
                for direction, wanted in wanted_skills.items()
                if skills.get((person.id, direction), set()) != wanted
            }
            plan.manager_changes = draft.manager_email not in (None, directory.managers.get(draft.key))
        plans.append(plan)
    return plans


PROGRESS_EVERY = 1_000


def _quietly(done: int, total: int) -> None:
    pass


async def _write(
    plans: list[_Plan],
    directory: _Directory,
    on_progress: Callable[[int, int], None],
    leavers: list[int],
    now: datetime.datetime,
) -> LeaversClosed:
    """Writes the plans in one transaction, then closes for the leavers in it; `on_progress(written, to write)`
    every 1,000 people and at the end."""
    today, rises = utc_now().date(), []
    async with in_transaction():
        ids = dict(directory.ids)
        for done, plan in enumerate(plans, start=1):
            if plan.person is None:
                plan.person = await Person.create(email=plan.draft.key, **plan.profile)
                ids[plan.person.email] = plan.person.id
            elif plan.profile:
                if "level" in plan.profile:
                    # Promotion rates read the moves; the upsert is the one place a level changes.
                    rises.append(LevelChange(person_id=plan.person.id, from_level=plan.person.level,
                                             to_level=plan.profile["level"], changed_on=today))  # fmt: skip
                plan.person.update_from_dict(plan.profile)
                await plan.person.save(update_fields=[*plan.profile, "updated_at"])
            if done % PROGRESS_EVERY == 0 or done == len(plans):
                on_progress(done, len(plans))
        await LevelChange.bulk_create(rises)
        for plan in plans:
            if plan.working_hours is not None:
                await WorkingHours.filter(person_id=plan.person.id).delete()
                await WorkingHours.bulk_create(
                    [
                        WorkingHours(person_id=plan.person.id, weekday=day, start_minute=start, end_minute=end)
                        for day, start, end in plan.working_hours
                    ]
                )
        for plan in plans:
            for direction, wanted in plan.skills.items():
                await PersonSkill.filter(person_id=plan.person.id, direction=direction).delete()
                await PersonSkill.bulk_create(
                    [
                        PersonSkill(person_id=plan.person.id, skill_id=skill_id, direction=direction, proficiency=level)
                        for skill_id, level in sorted(wanted)
                    ]
                )
        for plan in plans:
            if plan.manager_changes:
                plan.person.manager_id = ids[plan.manager_email]
                await plan.person.save(update_fields=["manager_id", "updated_at"])
        return await close_for_leavers(leavers, now=now, dry_run=False)

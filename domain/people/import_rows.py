"""Reading a people CSV into checked row drafts, before anything is looked up in the database; pure, no I/O.

The formats are described in domain/people/importer.py.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from domain.clock import utc_now
from domain.errors import ValidationFailed
from domain.people import validation as v
from domain.people.import_cells import (
    parse_leaving_date,
    parse_level,
    parse_skill_levels,
    parse_working_hours,
    split_list,
)
from domain.people.import_report import ImportRowError
from domain.skills.models import SkillDirection

HEADER_ROW = 1

# CSV column -> (Person attribute, check of a non-empty cell).
PROFILE_COLUMNS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "name": ("name", lambda cell: v.valid_name(cell)),
    "department": ("department", lambda cell: v.valid_optional_text(cell, field="department", max_length=120)),
    "title": ("job_title", lambda cell: v.valid_optional_text(cell, field="title", max_length=200)),
    "level": ("level", lambda cell: parse_level(cell)),
    "time_zone": ("time_zone", lambda cell: v.valid_time_zone(cell)),
    "languages": ("languages", lambda cell: v.valid_languages(split_list(cell, ";,"))),
}
SKILL_COLUMNS = {"teach_skills": SkillDirection.TEACH, "learn_skills": SkillDirection.LEARN}
COLUMNS = ("email", *PROFILE_COLUMNS, "manager_email", "working_hours", *SKILL_COLUMNS, "left_on")


@dataclass
class RowDraft:
    """One data row's checked cells. Absent columns and empty cells are left out: they change nothing."""

    row: int
    email: str | None
    # The normalised email when it is valid and this is its first row: the person this row describes.
    key: str | None = None
    profile: dict[str, Any] = field(default_factory=dict)
    manager_email: str | None = None
    working_hours: list[tuple[int, int, int]] | None = None
    skills: dict[SkillDirection, list[tuple[str, int]]] = field(default_factory=dict)
    errors: list[ImportRowError] = field(default_factory=list)

    def reject(self, column: str, message: str) -> None:
        self.errors.append(ImportRowError(row=self.row, email=self.email, field=column, message=message))

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class ParsedFile:
    rows: list[RowDraft] = field(default_factory=list)
    # Problems that stop the whole file (no header, no email column, unreadable CSV): nothing is imported.
    fatal: list[ImportRowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def column_key(header: str) -> str:
    """'Manager Email' and 'manager-email' both name the `manager_email` column."""
    return "_".join(header.strip().lower().replace("-", " ").split())


def _header(cells: list[str], parsed: ParsedFile) -> dict[str, int]:
    positions: dict[str, int] = {}
    ignored: set[str] = set()
    for index, cell in enumerate(cells):
        key = column_key(cell)
        if key in positions:
            parsed.fatal.append(ImportRowError(HEADER_ROW, None, key, f"Column {cell.strip()!r} appears twice."))
        elif key in COLUMNS:
            positions[key] = index
        elif not key:
            parsed.warnings.append(f"Column {index + 1} has no name in the header; it was ignored.")
        elif key not in ignored:
            ignored.add(key)
            parsed.warnings.append(f"Column {cell.strip()!r} is not one Mentorgraph imports; it was ignored.")
    if "email" not in positions:
        parsed.fatal.append(ImportRowError(HEADER_ROW, None, "email", "The header row needs an 'email' column."))
    return positions


def _draft(row: int, cells: dict[str, str], first_row_of: dict[str, int], today: datetime.date) -> RowDraft:
    raw_email = cells["email"].strip()
    draft = RowDraft(row=row, email=raw_email or None)
    if not raw_email:
        draft.reject("email", "Every row needs an email.")
    else:
        try:
            draft.email = v.valid_email(raw_email)
        except ValidationFailed as error:
            draft.reject("email", error.message)
        else:
            if draft.email in first_row_of:
                draft.reject(
                    "email", f"{draft.email} is also on row {first_row_of[draft.email]}; list each person once."
                )
            else:
                first_row_of[draft.email] = row
                draft.key = draft.email

    def check(column: str, parse: Callable[[str], Any]) -> Any:
        # An empty cell changes nothing, except that a name, when its column is there, must be given.
        if column not in cells or (column != "name" and not cells[column].strip()):
            return None
        try:
            return parse(cells[column])
        except ValidationFailed as error:
            draft.reject(column, error.message)
            return None

    for column, (attribute, parse) in PROFILE_COLUMNS.items():
        value = check(column, parse)
        if value is not None:
            draft.profile[attribute] = value
    draft.manager_email = check("manager_email", lambda cell: v.valid_email(cell, field="manager_email"))
    draft.working_hours = check("working_hours", parse_working_hours)
    for column, direction in SKILL_COLUMNS.items():
        skills = check(column, lambda cell, column=column: parse_skill_levels(cell, field=column))
        if skills is not None:
            draft.skills[direction] = skills
    left_on = check("left_on", lambda cell: parse_leaving_date(cell, today=today))
    if left_on is not None:
        # A leaving date is what makes someone a leaver: retention and turnover count them by it.
        draft.profile.update(left_on=left_on, is_active=False)
    return draft


DELIMITERS = (",", ";", "\t")


def delimiter_of(text: str) -> str:
    """The separator the header row uses: a comma, or the semicolon of spreadsheets in locales whose decimal
    comma takes the comma, or a tab. The header decides because data cells (working hours, skills) hold
    semicolons of their own; the one that yields an 'email' column wins, a comma when none does."""
    header = text.split("\n", 1)[0]
    for delimiter in DELIMITERS:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        if any(column_key(cell) == "email" for cell in cells):
            return delimiter
    return ","


def read_rows(text: str, *, today: datetime.date | None = None) -> ParsedFile:
    """Every non-blank data row as a draft; rows numbered as a spreadsheet shows them (header = 1).

    A byte-order mark (Excel's 'CSV UTF-8') is dropped; line endings may be LF or CRLF. `today` bounds
    leaving dates (UTC's today when not given)."""
    today = today or utc_now().date()
    parsed = ParsedFile()
    text = text.lstrip("\ufeff")
    records = csv.reader(io.StringIO(text), delimiter=delimiter_of(text), strict=True)
    row = HEADER_ROW - 1  # the last record read whole, so a CSV error is on row + 1
    try:
        header = next(records, None)
        row = HEADER_ROW
        if header is None or not any(cell.strip() for cell in header):
            parsed.fatal.append(
                ImportRowError(HEADER_ROW, None, "email", "Row 1 must name the columns, and it is empty.")
            )
            return parsed
        positions = _header(header, parsed)
        if parsed.fatal:
            return parsed
        first_row_of: dict[str, int] = {}
        for record in records:
            row += 1
            if not any(cell.strip() for cell in record):
                continue
            cells = {key: record[index] if index < len(record) else "" for key, index in positions.items()}
            parsed.rows.append(_draft(row, cells, first_row_of, today))
    except csv.Error as error:
        parsed.fatal.append(ImportRowError(row + 1, None, "csv", f"The file is not readable CSV: {error}."))
    return parsed

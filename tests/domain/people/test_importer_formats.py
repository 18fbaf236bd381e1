"""The shapes an HRIS or spreadsheet export comes in: byte-order marks, CRLF lines, semicolon or tab separators."""

from __future__ import annotations

import pytest

from domain.people.import_rows import delimiter_of
from domain.people.importer import import_people_csv
from domain.people.models import Person, WorkingHours
from domain.skills.models import PersonSkill
from tests.factories import make_skill
from tests.support import assert_unchanged

ROWS = [
    ["Email", "Name", "Time Zone", "Working Hours", "Teach Skills", "Languages"],
    ["ana@acme.example", "Ana Lima", "Europe/Lisbon", "Mon 09:00-12:00; Mon 13:00-17:00", "Python:4; SQL:2", "pt; en"],
    ["ben@acme.example", "Ben Okafor", "Africa/Lagos", "Tue-Thu 10:00-18:00", "SQL:5", "en"],
]


def export(delimiter: str, *, line_end: str = "\n", bom: bool = False) -> str:
    """The rows as a spreadsheet writes them: cells holding the separator are quoted."""

    def cell(value: str) -> str:
        return f'"{value}"' if delimiter in value or ";" in value else value

    text = line_end.join(delimiter.join(cell(value) for value in row) for row in ROWS) + line_end
    return ("\ufeff" if bom else "") + text


async def imported() -> list[tuple]:
    people = await Person.all().order_by("email")
    return [
        (
            person.email,
            person.name,
            person.time_zone,
            person.languages,
            await WorkingHours.filter(person=person).count(),
            sorted(
                (s.skill.name, s.proficiency) for s in await PersonSkill.filter(person=person).prefetch_related("skill")
            ),
        )
        for person in people
    ]


EXPECTED = [
    ("ana@acme.example", "Ana Lima", "Europe/Lisbon", ["pt", "en"], 2, [("Python", 4), ("SQL", 2)]),
    ("ben@acme.example", "Ben Okafor", "Africa/Lagos", ["en"], 3, [("SQL", 5)]),
]


@pytest.mark.parametrize(
    ("delimiter", "line_end", "bom"),
    [
        (",", "\n", False),
        (",", "\r\n", True),
        (";", "\r\n", True),
        (";", "\n", False),
        ("\t", "\r\n", False),
    ],
    ids=["comma", "excel-csv-utf8", "excel-semicolon-locale", "semicolon", "tab-separated"],
)
async def test_every_export_shape_imports_the_same_people(db, delimiter, line_end, bom):
    await make_skill("Python")
    await make_skill("SQL")

    report = await import_people_csv(export(delimiter, line_end=line_end, bom=bom))

    assert (report.created, report.errors, report.warnings) == (2, [], [])
    assert await imported() == EXPECTED


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("email,name,working_hours", ","),
        ("Name;Email;Time zone\r", ";"),
        ("name\temail", "\t"),
        # A comma file whose header names no email column stays a comma file, so its error says what is missing.
        ("name;department,title", ","),
    ],
)
def test_the_header_row_decides_the_separator(header, delimiter):
    assert delimiter_of(f"{header}\nana@acme.example;x,y\n") == delimiter


async def test_a_semicolon_file_without_an_email_column_imports_nothing_and_says_so(db):
    async with assert_unchanged():
        report = await import_people_csv("name;department\r\nAna;Data\r\n")

    assert [(e.row, e.field, e.message) for e in report.errors] == [
        (1, "email", "The header row needs an 'email' column.")
    ]

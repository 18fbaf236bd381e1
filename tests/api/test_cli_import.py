"""`mentorgraph import-people FILE.csv` against the test database.

The CLI opens and closes its own Tortoise connection, which would replace the test session's in-process, so
it runs as a subprocess pointed at the same database (for SQLite, the same file).
"""

from __future__ import annotations

from pathlib import Path

from domain.people.models import Person
from tests.factories import make_person, make_skill
from tests.support import assert_unchanged, run_cli

ROOT = Path(__file__).resolve().parents[2]
MIXED_FILE = ROOT / "tests" / "data" / "people_import_mixed.csv"


async def test_import_people_prints_the_report_and_fails_when_rows_were_rejected(db, database_url, monkeypatch):
    monkeypatch.setenv("MENTORGRAPH_DATABASE_URL", database_url)
    await make_skill("Python", "py")
    await make_skill("Stakeholder management", "stakeholders")
    await make_skill("Public speaking")
    await make_person(email="grace@acme.example", name="Grace Okafor")

    code, out, err = await run_cli("import-people", str(MIXED_FILE))

    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[:2] == [
        "4 created, 0 updated, 0 unchanged; 15 rows rejected (15 errors)",
        "warning: Column 'Cost Centre' is not one Mentorgraph imports; it was ignored.",
    ]
    assert len(lines) == 2 + 15
    assert lines[2] == (
        "  row 5 (not-an-email): email: 'not-an-email' is not a valid email address: "
        "An email address must have an @-sign."
    )
    assert lines[-1] == "  row 20 (self@acme.example): manager_email: A person cannot be their own manager."
    kim = await Person.get(email="kim@acme.example").prefetch_related("manager")
    assert kim.manager.email == "grace@acme.example"
    assert not await Person.exists(email="self@acme.example")


async def test_import_people_exits_cleanly_when_every_row_is_good(db, database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("MENTORGRAPH_DATABASE_URL", database_url)
    await make_person(email="ana@acme.example", name="Ana", department="Data")
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("\ufeffemail,name,department\nana@acme.example,Ana,Engineering\nben@acme.example,Ben,Data\n")

    code, out, err = await run_cli("import-people", str(csv_file))

    assert (code, out, err) == (0, "1 created, 1 updated, 0 unchanged\n", "")
    assert await Person.get(email="ana@acme.example").values_list("department", flat=True) == "Engineering"
    assert await Person.exists(email="ben@acme.example")


async def test_a_file_that_is_not_utf8_or_not_there_is_one_line_and_imports_nothing(
    db, database_url, monkeypatch, tmp_path
):
    monkeypatch.setenv("MENTORGRAPH_DATABASE_URL", database_url)
    legacy = tmp_path / "people-cp1252.csv"
    legacy.write_bytes("email;name\nzoe@acme.example;Zoë Müller\n".encode("cp1252"))

    for path, reason in ((legacy, "is not UTF-8 text"), (tmp_path / "missing.csv", "No such file or directory")):
        async with assert_unchanged():
            code, out, err = await run_cli("import-people", str(path))

        assert (code, out) == (2, "")
        [line] = err.splitlines()
        assert line.startswith("mentorgraph: ") and reason in line

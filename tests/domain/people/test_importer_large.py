"""A file with more people than PostgreSQL takes parameters in one statement (32,767) imports in slices."""

from __future__ import annotations

from domain.people.importer import import_people_csv
from domain.people.models import Person

ROWS = 32_768


async def test_an_import_of_more_rows_than_one_statement_takes_reads_them_in_slices(db):
    # Given 32,768 people already there (the file's lookup by email is the widest IN list an import asks)
    await Person.bulk_create(
        [Person(email=f"p{n}@acme.example", name=f"Person {n}", time_zone="UTC") for n in range(ROWS)],
        batch_size=2_000,
    )
    csv = "email,name\n" + "".join(f"p{n}@acme.example,Person {n}\n" for n in range(ROWS))

    # When the same people are imported again, with one of them renamed
    report = await import_people_csv(csv.replace("p7@acme.example,Person 7\n", "p7@acme.example,Person Seven\n"))

    # Then every row was read and compared: one update, the rest unchanged, no error
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 1, ROWS - 1)
    assert (await Person.get(email="p7@acme.example")).name == "Person Seven"

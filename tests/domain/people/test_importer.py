"""import_people_csv against a real database: the partial-failure report, upserts, re-imports and dry runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.access import Role, Viewer
from domain.errors import PermissionDenied
from domain.people.import_report import ImportRowError
from domain.people.importer import import_people, import_people_csv
from domain.people.models import Person, WorkingHours
from domain.skills.models import PersonSkill, SkillDirection
from tests.factories import make_person, make_skill, make_working_week
from tests.support import assert_unchanged

MIXED_FILE = Path(__file__).resolve().parents[2] / "data" / "people_import_mixed.csv"

MIXED_FILE_ERRORS = [
    (5, "not-an-email", "email", "'not-an-email' is not a valid email address: An email address must have an @-sign."),
    (6, "nameless@acme.example", "name", "This cannot be blank."),
    (7, "zone@acme.example", "time_zone", "'Mars/Olympus' is not an IANA time zone such as 'Europe/London'."),
    (8, "level@acme.example", "level", "Level is an ordinal from 1 to 20."),
    (9, "late@acme.example", "working_hours", "'Mon 17:00-09:00': Working hours must end after they start."),
    (
        10,
        "vague@acme.example",
        "working_hours",
        "'Mondays 9-5' is not a stretch such as 'Mon-Fri 09:00-17:00' (days, then start-end).",
    ),
    (11, "cobol@acme.example", "teach_skills", "Unknown skill 'Cobol': pick one from the taxonomy."),
    (12, "keen@acme.example", "teach_skills", "'Python:7': proficiency is a whole number from 1 to 5."),
    (13, "ana@acme.example", "email", "ana@acme.example is also on row 2; list each person once."),
    (
        14,
        "ghost@acme.example",
        "manager_email",
        "No one with the email nobody@acme.example is in this file or in Mentorgraph.",
    ),
    (
        16,
        "c1@acme.example",
        "manager_email",
        "Reporting lines would loop: c1@acme.example → c2@acme.example → c3@acme.example → c1@acme.example.",
    ),
    (
        17,
        "c2@acme.example",
        "manager_email",
        "Reporting lines would loop: c2@acme.example → c3@acme.example → c1@acme.example → c2@acme.example.",
    ),
    (
        18,
        "c3@acme.example",
        "manager_email",
        "Reporting lines would loop: c3@acme.example → c1@acme.example → c2@acme.example → c3@acme.example.",
    ),
    (
        19,
        "orphan@acme.example",
        "manager_email",
        "The manager zone@acme.example (row 7) was rejected, so they would not exist.",
    ),
    (20, "self@acme.example", "manager_email", "A person cannot be their own manager."),
]
COST_CENTRE_WARNING = "Column 'Cost Centre' is not one Mentorgraph imports; it was ignored."


def as_tuples(errors: list[ImportRowError]) -> list[tuple]:
    return [(error.row, error.email, error.field, error.message) for error in errors]


async def given_the_taxonomy_and_a_vp() -> Person:
    await make_skill("Python", "py")
    await make_skill("Stakeholder management", "stakeholders")
    await make_skill("Public speaking")
    return await make_person(email="grace@acme.example", name="Grace Okafor", level=9, department="Engineering")


async def manager_of(email: str) -> str | None:
    person = await Person.get(email=email).prefetch_related("manager")
    return person.manager.email if person.manager else None


async def hours_of(email: str) -> list[tuple[int, int, int]]:
    return list(
        await WorkingHours.filter(person__email=email)
        .order_by("weekday", "start_minute")
        .values_list("weekday", "start_minute", "end_minute")
    )


async def skills_of(email: str, direction: SkillDirection) -> dict[str, int]:
    rows = await PersonSkill.filter(person__email=email, direction=direction).prefetch_related("skill")
    return {row.skill.name: row.proficiency for row in rows}


async def test_mixed_file_writes_the_good_rows_and_reports_every_bad_one(db):
    grace = await given_the_taxonomy_and_a_vp()

    report = await import_people_csv(MIXED_FILE.read_text())

    assert as_tuples(report.errors) == MIXED_FILE_ERRORS
    assert report.warnings == [COST_CENTRE_WARNING]
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert report.summary() == (
        "4 created, 0 updated, 0 unchanged; 15 rows rejected (15 errors)\nwarning: " + COST_CENTRE_WARNING
    )
    emails = set(await Person.all().values_list("email", flat=True))
    assert emails == {grace.email, "ana@acme.example", "sam@acme.example", "lee@acme.example", "kim@acme.example"}

    ana = await Person.get(email="ana@acme.example")
    assert (ana.name, ana.department, ana.job_title, ana.level, ana.time_zone, ana.languages) == (
        "Ana Lima",
        "Engineering",
        "Staff Engineer",
        7,
        "Europe/London",
        ["en", "pt-BR"],
    )
    assert await manager_of("ana@acme.example") == "grace@acme.example"  # already in the database
    assert await manager_of("sam@acme.example") == "ana@acme.example"  # earlier in the file
    assert await manager_of("lee@acme.example") == "kim@acme.example"  # later in the file
    assert await manager_of("kim@acme.example") == "grace@acme.example"

    assert await hours_of("ana@acme.example") == [(day, 540, 1020) for day in range(5)]
    assert await hours_of("sam@acme.example") == [
        (0, 540, 720),
        (0, 780, 1050),
        (1, 600, 1080),
        (2, 600, 1080),
        (3, 600, 1080),
    ]
    assert await hours_of("kim@acme.example") == []
    assert await skills_of("ana@acme.example", SkillDirection.TEACH) == {"Python": 5, "Stakeholder management": 3}
    assert await skills_of("ana@acme.example", SkillDirection.LEARN) == {"Public speaking": 2}
    assert await skills_of("sam@acme.example", SkillDirection.TEACH) == {"Python": 3}
    assert await skills_of("lee@acme.example", SkillDirection.LEARN) == {"Python": 1}


async def test_importing_the_same_file_again_leaves_everyone_unchanged(db):
    await given_the_taxonomy_and_a_vp()
    await import_people_csv(MIXED_FILE.read_text())

    async with assert_unchanged():
        report = await import_people_csv(MIXED_FILE.read_text())

    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert as_tuples(report.errors) == MIXED_FILE_ERRORS


async def test_a_file_of_only_bad_rows_writes_nothing(db):
    await given_the_taxonomy_and_a_vp()
    text = (
        "email,name,time_zone,manager_email,teach_skills\n"
        "x@acme.example,X,Mars/Olympus,,\n"
        "y@acme.example,Y,UTC,x@acme.example,\n"
        "z@acme.example,Z,UTC,,Klingon:2\n"
    )
    async with assert_unchanged():
        report = await import_people_csv(text)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert [(error.row, error.field) for error in report.errors] == [
        (2, "time_zone"),
        (3, "manager_email"),
        (4, "teach_skills"),
    ]


async def test_update_overwrites_only_the_columns_given_and_leaves_empty_cells_alone(db):
    python = await make_skill("Python", "py")
    await make_skill("Figma")
    grace = await make_person(email="grace@acme.example", name="Grace")
    ana = await make_person(
        email="ana@acme.example",
        name="Ana Lima",
        department="Data",
        job_title="Analyst",
        time_zone="Europe/Lisbon",
        languages=["pt"],
        level=4,
    )
    await make_working_week(ana)
    await PersonSkill.create(person=ana, skill=python, direction=SkillDirection.TEACH, proficiency=4)
    await PersonSkill.create(person=ana, skill=python, direction=SkillDirection.LEARN, proficiency=2)
    ben = await make_person(email="ben@acme.example", name="Ben Tan", department="Data", level=3)
    text = (
        "email,name,department,title,manager_email,working_hours,learn_skills,languages\n"
        "ANA@acme.example,Ana Lima,Engineering,,grace@acme.example,Sat 10:00-12:00,Figma:1,\n"
        "ben@acme.example,Ben Tan,Data,,,,,\n"
    )

    report = await import_people_csv(text)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    await ana.refresh_from_db()
    assert (ana.department, ana.job_title, ana.time_zone, ana.languages, ana.level) == (
        "Engineering",
        "Analyst",
        "Europe/Lisbon",
        ["pt"],
        4,
    )
    assert ana.manager_id == grace.id
    assert await hours_of(ana.email) == [(5, 600, 720)]
    assert await skills_of(ana.email, SkillDirection.LEARN) == {"Figma": 1}
    assert await skills_of(ana.email, SkillDirection.TEACH) == {"Python": 4}
    await ben.refresh_from_db()
    assert (ben.name, ben.department, ben.level, ben.manager_id) == ("Ben Tan", "Data", 3, None)


async def test_a_loop_through_someone_already_in_the_database_rejects_the_row_closing_it(db):
    boss = await make_person(email="boss@acme.example", name="Boss")
    deputy = await make_person(email="deputy@acme.example", name="Deputy", manager=boss)
    text = "email,manager_email\nboss@acme.example,deputy@acme.example\nnew@acme.example,\n"

    report = await import_people_csv(text)

    assert as_tuples(report.errors) == [
        (
            2,
            "boss@acme.example",
            "manager_email",
            "Reporting lines would loop: boss@acme.example → deputy@acme.example → boss@acme.example.",
        ),
        (3, "new@acme.example", "name", "Someone new needs a name."),
    ]
    await boss.refresh_from_db()
    await deputy.refresh_from_db()
    assert (boss.manager_id, deputy.manager_id) == (None, boss.id)


async def test_someone_new_defaults_to_utc_and_needs_a_name(db):
    report = await import_people_csv("email,name\nnew@acme.example,New Person\n")

    assert report.errors == []
    person = await Person.get(email="new@acme.example")
    assert (person.name, person.time_zone, person.languages, person.manager_id) == ("New Person", "UTC", [], None)


async def test_two_names_of_one_skill_in_a_cell_are_rejected(db):
    await make_skill("Python", "py")
    async with assert_unchanged():
        report = await import_people_csv("email,name,teach_skills\nana@acme.example,Ana,Python:4; py:2\n")

    assert as_tuples(report.errors) == [
        (2, "ana@acme.example", "teach_skills", "'Python' and 'py' are the same skill; list it once.")
    ]


async def test_dry_run_reports_what_an_import_would_do_and_writes_nothing(db):
    await given_the_taxonomy_and_a_vp()

    async with assert_unchanged():
        report = await import_people_csv(MIXED_FILE.read_text(), dry_run=True)

    assert report.dry_run is True
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert as_tuples(report.errors) == MIXED_FILE_ERRORS
    assert report.summary().startswith("dry run, nothing written: 4 created")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", (1, None, "email", "Row 1 must name the columns, and it is empty.")),
        ("name,level\nAna,3\n", (1, None, "email", "The header row needs an 'email' column.")),
        ("email,Level,level\na@acme.example,1,2\n", (1, None, "level", "Column 'level' appears twice.")),
        (
            'email,name\n"a@acme.example,Ana\n',
            (2, None, "csv", "The file is not readable CSV: unexpected end of data."),
        ),
    ],
)
async def test_a_file_that_cannot_be_read_imports_nothing(db, text, error):
    async with assert_unchanged():
        report = await import_people_csv(text)

    assert as_tuples(report.errors) == [error]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)


async def test_only_an_admin_may_import(db):
    for role in (Role.PARTICIPANT, Role.COORDINATOR, Role.ANALYST):
        async with assert_unchanged():
            with pytest.raises(PermissionDenied):
                await import_people(
                    Viewer(email="x@acme.example", role=role), csv_text="email,name\na@acme.example,A\n"
                )

    report = await import_people(
        Viewer(email="root@acme.example", role=Role.ADMIN), csv_text="email,name\na@acme.example,A\n"
    )
    assert report.created == 1


async def test_a_leaving_date_marks_the_person_inactive_from_that_day(db):
    # given Ana already in Mentorgraph and active
    await make_person(email="ana@acme.example", name="Ana")
    text = (
        "email,name,left_on\nana@acme.example,Ana,2026-03-10\nnew@acme.example,New,2026-01-31\nben@acme.example,Ben,\n"
    )

    report = await import_people_csv(text)

    # then both leavers are inactive with their day, and Ben (no date) is active
    assert report.errors == []
    assert (report.created, report.updated) == (2, 1)
    rows = await Person.all().order_by("email").values_list("email", "is_active", "left_on")
    assert [(email, active, str(day) if day else None) for email, active, day in rows] == [
        ("ana@acme.example", False, "2026-03-10"),
        ("ben@acme.example", True, None),
        ("new@acme.example", False, "2026-01-31"),
    ]
    # and importing the file again changes nothing
    async with assert_unchanged():
        again = await import_people_csv(text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("10/03/2026", "'10/03/2026': a leaving date is written as YYYY-MM-DD, as in '2026-03-10'."),
        ("2999-01-01", "'2999-01-01' is still to come: import the leaving date once the person has left."),
    ],
)
async def test_a_leaving_date_that_is_not_a_past_day_rejects_the_row(db, cell, message):
    await make_person(email="ana@acme.example", name="Ana")
    async with assert_unchanged():
        report = await import_people_csv(f"email,left_on\nana@acme.example,{cell}\n")

    assert as_tuples(report.errors) == [(2, "ana@acme.example", "left_on", message)]

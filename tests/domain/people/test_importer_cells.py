"""Reading the people CSV's cells and header, without a database."""

from __future__ import annotations

import pytest

from domain.errors import ValidationFailed
from domain.people.import_cells import parse_level, parse_skill_levels, parse_working_hours
from domain.people.import_rows import read_rows
from domain.skills.models import SkillDirection


@pytest.mark.parametrize(
    ("cell", "stretches"),
    [
        ("Mon-Fri 09:00-17:00", [(day, 540, 1020) for day in range(5)]),
        (
            "Mon 09:00-12:00; Mon 13:00-17:30; Tue-Thu 10:00-18:00",
            [(0, 540, 720), (0, 780, 1050), (1, 600, 1080), (2, 600, 1080), (3, 600, 1080)],
        ),
        ("monday,WED 7:30 - 9:00;Sunday 22:00-24:00", [(0, 450, 540), (2, 450, 540), (6, 1320, 1440)]),
    ],
)
def test_working_hours_read_days_and_local_times_as_minutes(cell, stretches):
    assert parse_working_hours(cell) == stretches


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Mon 17:00-09:00", "'Mon 17:00-09:00': Working hours must end after they start."),
        ("Mon 09:00-09:00", "'Mon 09:00-09:00': Working hours must end after they start."),
        ("Fri-Mon 09:00-17:00", "'Fri-Mon 09:00-17:00': a day range runs forwards, as in 'Mon-Fri'."),
        ("Funday 09:00-17:00", "'Funday 09:00-17:00': 'Funday' is not a weekday such as 'Mon' or 'Tuesday'."),
        ("Mon 09:00-25:00", "'Mon 09:00-25:00': '25:00' is not a 24-hour time such as '09:00'."),
        ("9 to 5", "'9 to 5' is not a stretch such as 'Mon-Fri 09:00-17:00' (days, then start-end)."),
        ("Mon-Fri 09:00-17:00; Tue 16:00-18:00", "Tue 16:00: This stretch overlaps another on the same day."),
    ],
)
def test_malformed_working_hours_name_the_stretch_at_fault(cell, message):
    with pytest.raises(ValidationFailed) as failure:
        parse_working_hours(cell)
    assert (failure.value.field, failure.value.message) == ("working_hours", message)


def test_skills_pair_a_name_with_a_proficiency():
    assert parse_skill_levels(" Python:4 ;Stakeholder management: 3;", field="teach_skills") == [
        ("Python", 4),
        ("Stakeholder management", 3),
    ]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Python", "'Python': give a proficiency after the skill, as in 'Python:4'."),
        ("Python:0", "'Python:0': proficiency is a whole number from 1 to 5."),
        ("Python:6", "'Python:6': proficiency is a whole number from 1 to 5."),
        ("Python:high", "'Python:high': proficiency is a whole number from 1 to 5."),
    ],
)
def test_a_skill_without_a_proficiency_from_1_to_5_is_refused(cell, message):
    with pytest.raises(ValidationFailed) as failure:
        parse_skill_levels(cell, field="learn_skills")
    assert (failure.value.field, failure.value.message) == ("learn_skills", message)


@pytest.mark.parametrize("cell", ["0", "21", "3.5", "senior"])
def test_level_is_a_whole_number_from_1_to_20(cell):
    with pytest.raises(ValidationFailed):
        parse_level(cell)
    assert parse_level(" 20 ") == 20


def test_unknown_columns_are_ignored_with_one_warning_each():
    parsed = read_rows(
        "\ufeffEmail,Badge,E-mail,Badge,\na@acme.example,7,a@acme.example,8,x\nb@acme.example,9,b@acme.example,10,y\n"
    )
    assert parsed.fatal == []
    assert [row.key for row in parsed.rows] == ["a@acme.example", "b@acme.example"]
    assert parsed.warnings == [
        "Column 'Badge' is not one Mentorgraph imports; it was ignored.",
        "Column 'E-mail' is not one Mentorgraph imports; it was ignored.",
        "Column 5 has no name in the header; it was ignored.",
    ]


def test_rows_are_numbered_as_a_spreadsheet_shows_them_and_empty_cells_change_nothing():
    parsed = read_rows(
        "email,Manager Email,time zone,teach skills,languages,name\n"
        'A@Acme.Example,B@acme.example,Asia/Tokyo,Python:2,"en, ja",Ann\n'
        ",,,,,\n"
        "b@acme.example,,,,,\n"
    )
    assert parsed.fatal == []
    first, second = parsed.rows
    assert (first.row, first.key, first.manager_email) == (2, "a@acme.example", "b@acme.example")
    assert first.profile == {"time_zone": "Asia/Tokyo", "languages": ["en", "ja"], "name": "Ann"}
    assert first.skills == {SkillDirection.TEACH: [("Python", 2)]}
    assert (second.row, second.key, second.profile, second.working_hours) == (4, "b@acme.example", {}, None)
    assert [(error.field, error.message) for error in second.errors] == [("name", "This cannot be blank.")]

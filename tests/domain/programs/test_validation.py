"""The program and enrollment rules as plain functions: no database."""

from __future__ import annotations

import datetime

import pytest

from domain.errors import ValidationFailed
from domain.programs.models import Cadence, CrossDepartmentPolicy, EnrollmentRole, ProgramKind, ProgramTier
from domain.programs.validation import (
    latest_today,
    valid_capacity,
    valid_program_settings,
    valid_role,
    valid_training_date,
)

SETTINGS = dict(
    name="Pilot",
    description=None,
    kind=ProgramKind.ONE_ON_ONE,
    tier=ProgramTier.FORMAL,
    cadence=Cadence.MONTHLY,
    meeting_minutes=45,
    duration_months=6,
    circle_size=None,
    cross_department=CrossDepartmentPolicy.PREFERRED,
    max_time_zone_gap_hours=None,
    mentor_training_required=False,
)


def field_of(call) -> str | None:
    with pytest.raises(ValidationFailed) as failure:
        call()
    return failure.value.field


@pytest.mark.parametrize(
    ("minutes", "months", "gap"), [(15, 1, 0), (240, 24, 14), (60, 12, None)], ids=["lowest", "highest", "no gap"]
)
def test_bounds_are_inclusive(minutes, months, gap):
    cleaned = valid_program_settings(
        {**SETTINGS, "meeting_minutes": minutes, "duration_months": months, "max_time_zone_gap_hours": gap}
    )
    assert (cleaned["meeting_minutes"], cleaned["duration_months"], cleaned["max_time_zone_gap_hours"]) == (
        minutes,
        months,
        gap,
    )
    assert cleaned["description"] == ""


@pytest.mark.parametrize(
    ("kind", "size", "accepted"),
    [
        (ProgramKind.PEER_CIRCLE, 4, True),
        (ProgramKind.PEER_CIRCLE, 6, True),
        (ProgramKind.PEER_CIRCLE, 3, False),
        (ProgramKind.PEER_CIRCLE, None, False),
        (ProgramKind.SKILL_SWAP, 2, True),
        (ProgramKind.SKILL_SWAP, 3, True),
        (ProgramKind.SKILL_SWAP, 1, False),
        (ProgramKind.SKILL_SWAP, None, False),
        (ProgramKind.ONE_ON_ONE, None, True),
        (ProgramKind.REVERSE, 2, False),
        (ProgramKind.SPEED, 4, False),
    ],
)
def test_circle_size_fits_the_kind(kind, size, accepted):
    settings = {**SETTINGS, "kind": kind, "circle_size": size}
    if accepted:
        assert valid_program_settings(settings)["circle_size"] == size
    else:
        assert field_of(lambda: valid_program_settings(settings)) == "circle_size"


@pytest.mark.parametrize(
    ("kind", "role", "accepted"),
    [
        (ProgramKind.ONE_ON_ONE, EnrollmentRole.MENTOR, True),
        (ProgramKind.REVERSE, EnrollmentRole.MENTEE, True),
        (ProgramKind.SPEED, EnrollmentRole.PEER, False),
        (ProgramKind.PEER_CIRCLE, EnrollmentRole.PEER, True),
        (ProgramKind.PEER_CIRCLE, EnrollmentRole.MENTOR, True),
        (ProgramKind.PEER_CIRCLE, EnrollmentRole.MENTEE, False),
        (ProgramKind.SKILL_SWAP, EnrollmentRole.PEER, True),
        (ProgramKind.SKILL_SWAP, EnrollmentRole.MENTEE, False),
    ],
)
def test_each_kind_enrolls_its_own_roles(kind, role, accepted):
    if accepted:
        assert valid_role(kind, role) is role
    else:
        assert field_of(lambda: valid_role(kind, role)) == "role"


def test_capacity_defaults_to_one_for_mentors_and_is_absent_for_others():
    assert valid_capacity(EnrollmentRole.MENTOR, None) == 1
    assert valid_capacity(EnrollmentRole.MENTOR, 20) == 20
    assert valid_capacity(EnrollmentRole.PEER, None) is None
    assert field_of(lambda: valid_capacity(EnrollmentRole.MENTOR, 21)) == "capacity"
    assert field_of(lambda: valid_capacity(EnrollmentRole.PEER, 1)) == "capacity"


def test_a_training_date_may_be_today_anywhere_on_earth_but_not_later():
    # 20:00 UTC on 1 March is already 2 March in Kiribati (UTC+14).
    now = datetime.datetime(2026, 3, 1, 20, 0, tzinfo=datetime.UTC)
    assert latest_today(now) == datetime.date(2026, 3, 2)
    assert valid_training_date(datetime.date(2026, 3, 2), now=now, field="on") == datetime.date(2026, 3, 2)
    assert field_of(lambda: valid_training_date(datetime.date(2026, 3, 3), now=now, field="on")) == "on"

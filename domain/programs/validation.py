"""Checks on program settings and enrollment choices; pure, so the rules read in one place."""

from __future__ import annotations

import datetime
from typing import Any

from domain.errors import ValidationFailed
from domain.people.validation import valid_name, valid_optional_text
from domain.programs.models import (
    Cadence,
    CrossDepartmentPolicy,
    EnrollmentRole,
    ProgramKind,
    ProgramTier,
)

MEETING_MINUTES = (15, 240)
DURATION_MONTHS = (1, 24)
MAX_TIME_ZONE_GAP_HOURS = 14
MENTOR_CAPACITY = (1, 20)
# Circles of 4-6 keep everyone talking; a swap is a pair or a trio trading skills.
CIRCLE_SIZES: dict[ProgramKind, tuple[int, int]] = {
    ProgramKind.PEER_CIRCLE: (4, 6),
    ProgramKind.SKILL_SWAP: (2, 3),
}
ROLES_BY_KIND: dict[ProgramKind, tuple[EnrollmentRole, ...]] = {
    ProgramKind.ONE_ON_ONE: (EnrollmentRole.MENTOR, EnrollmentRole.MENTEE),
    ProgramKind.REVERSE: (EnrollmentRole.MENTOR, EnrollmentRole.MENTEE),
    ProgramKind.SPEED: (EnrollmentRole.MENTOR, EnrollmentRole.MENTEE),
    # A circle's mentor is its facilitator.
    ProgramKind.PEER_CIRCLE: (EnrollmentRole.PEER, EnrollmentRole.MENTOR),
    ProgramKind.SKILL_SWAP: (EnrollmentRole.PEER,),
}
PROGRAM_SETTINGS = (
    "name",
    "description",
    "kind",
    "tier",
    "cadence",
    "meeting_minutes",
    "duration_months",
    "circle_size",
    "cross_department",
    "max_time_zone_gap_hours",
    "mentor_training_required",
)
_REQUIRED_CHOICES = {
    "kind": ProgramKind,
    "tier": ProgramTier,
    "cadence": Cadence,
    "cross_department": CrossDepartmentPolicy,
}


def _within(value: Any, low: int, high: int, *, field: str, unit: str) -> int:
    if value is None:
        raise ValidationFailed("This is required.", field=field)
    if not low <= value <= high:
        raise ValidationFailed(f"Give between {low} and {high} {unit}.", field=field)
    return value


def valid_program_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The complete settings of a program (new, or current merged with changes), checked together and cleaned."""
    cleaned = dict(settings)
    cleaned["name"] = valid_name(settings.get("name") or "", field="name")
    cleaned["description"] = (
        valid_optional_text(settings.get("description"), field="description", max_length=4000) or ""
    )
    for field, choices in _REQUIRED_CHOICES.items():
        if settings.get(field) is None:
            raise ValidationFailed("This is required.", field=field)
        cleaned[field] = choices(settings[field])
    cleaned["meeting_minutes"] = _within(
        settings.get("meeting_minutes"), *MEETING_MINUTES, field="meeting_minutes", unit="minutes"
    )
    cleaned["duration_months"] = _within(
        settings.get("duration_months"), *DURATION_MONTHS, field="duration_months", unit="months"
    )
    if settings.get("max_time_zone_gap_hours") is not None:
        _within(
            settings["max_time_zone_gap_hours"],
            0,
            MAX_TIME_ZONE_GAP_HOURS,
            field="max_time_zone_gap_hours",
            unit="hours",
        )
    if settings.get("mentor_training_required") is None:
        raise ValidationFailed("This is required.", field="mentor_training_required")
    cleaned["circle_size"] = _valid_circle_size(cleaned["kind"], settings.get("circle_size"))
    return cleaned


def _valid_circle_size(kind: ProgramKind, size: int | None) -> int | None:
    sizes = CIRCLE_SIZES.get(kind)
    if sizes is None:
        if size is not None:
            raise ValidationFailed(
                f"A {kind.value} program pairs people; leave the circle size empty.", field="circle_size"
            )
        return None
    if size is None:
        raise ValidationFailed(
            f"A {kind.value} program needs a circle size ({sizes[0]}-{sizes[1]}).", field="circle_size"
        )
    return _within(size, *sizes, field="circle_size", unit="people")


def valid_role(kind: ProgramKind, role: EnrollmentRole) -> EnrollmentRole:
    allowed = ROLES_BY_KIND[kind]
    if role not in allowed:
        names = " or ".join(r.value for r in allowed)
        raise ValidationFailed(f"A {kind.value} program enrolls {names}, not {role.value}.", field="role")
    return role


def valid_capacity(role: EnrollmentRole, capacity: int | None) -> int | None:
    """Mentors take 1 mentee unless they say more; everyone else has no capacity."""
    if role is not EnrollmentRole.MENTOR:
        if capacity is not None:
            raise ValidationFailed("Only mentors have a capacity.", field="capacity")
        return None
    if capacity is None:
        return MENTOR_CAPACITY[0]
    return _within(capacity, *MENTOR_CAPACITY, field="capacity", unit="mentees")


def latest_today(now: datetime.datetime) -> datetime.date:
    """Today's date somewhere on Earth (UTC+14 runs furthest ahead), so nobody's 'today' reads as the future."""
    return (now.astimezone(datetime.UTC) + datetime.timedelta(hours=14)).date()


def valid_training_date(value: datetime.date, *, now: datetime.datetime, field: str) -> datetime.date:
    if value > latest_today(now):
        raise ValidationFailed("Training cannot be completed in the future.", field=field)
    return value

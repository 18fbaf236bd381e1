"""Who may be in a relationship of each kind, and with whom: pure checks over rows the caller loaded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from domain.errors import ValidationFailed
from domain.people.models import Person
from domain.programs.models import EnrollmentRole, EnrollmentStatus, ProgramKind
from domain.relationships.models import MemberRole

# (fewest, most) members of each role; a role not listed has no place in that kind.
COMPOSITION: dict[ProgramKind, dict[MemberRole, tuple[int, int]]] = {
    ProgramKind.ONE_ON_ONE: {MemberRole.MENTOR: (1, 1), MemberRole.MENTEE: (1, 1)},
    # Both teach a declared topic (the agreement says which); the junior takes the MENTOR seat.
    ProgramKind.REVERSE: {MemberRole.MENTOR: (1, 1), MemberRole.MENTEE: (1, 1)},
    ProgramKind.PEER_CIRCLE: {MemberRole.PEER: (4, 6), MemberRole.FACILITATOR: (0, 1)},
    ProgramKind.SKILL_SWAP: {MemberRole.PEER: (2, 3)},
    ProgramKind.SPEED: {MemberRole.MENTOR: (1, 1), MemberRole.MENTEE: (1, 1)},
}

# Enrollees the coordinator has approved; MATCHED and ACTIVE people may take on another relationship.
ELIGIBLE_ENROLLMENT = frozenset({EnrollmentStatus.APPROVED, EnrollmentStatus.MATCHED, EnrollmentStatus.ACTIVE})

# A mentor or mentee seat needs that enrollment role; peers may come from any side of a circle, and a
# facilitator is whoever the coordinator trusts to run it.
_ENROLLMENT_ROLES: dict[MemberRole, frozenset[EnrollmentRole]] = {
    MemberRole.MENTOR: frozenset({EnrollmentRole.MENTOR}),
    MemberRole.MENTEE: frozenset({EnrollmentRole.MENTEE}),
    MemberRole.PEER: frozenset(EnrollmentRole),
    MemberRole.FACILITATOR: frozenset(EnrollmentRole),
}


@dataclass(frozen=True)
class Seat:
    """One proposed member: who, in which role, and the input paths that name them in errors."""

    person_id: int
    role: MemberRole
    field: str
    role_field: str


def seats(members: Sequence[tuple[int, MemberRole]]) -> list[Seat]:
    """Seats for `members[i]` of an input list."""
    return [
        Seat(person_id, MemberRole(role), f"members[{index}].person_id", f"members[{index}].role")
        for index, (person_id, role) in enumerate(members)
    ]


def check_composition(kind: ProgramKind, members: Sequence[Seat]) -> None:
    """The roles and head counts a relationship of `kind` needs, and no person twice."""
    allowed = COMPOSITION[kind]
    seen: set[int] = set()
    for seat in members:
        if seat.role not in allowed:
            raise ValidationFailed(
                f"A {kind.value} relationship has no {seat.role.value} members.", field=seat.role_field
            )
        if seat.person_id in seen:
            raise ValidationFailed("This person is already a member of the relationship.", field=seat.field)
        seen.add(seat.person_id)
    counts = Counter(seat.role for seat in members)
    for role, (fewest, most) in allowed.items():
        if not fewest <= counts[role] <= most:
            wanted = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise ValidationFailed(
                f"A {kind.value} relationship needs {wanted} {role.value} member(s), not {counts[role]}.",
                field="members",
            )


def check_seniority(kind: ProgramKind, members: Sequence[Seat], people: dict[int, Person]) -> None:
    """Reverse mentoring runs up the hierarchy: the MENTOR seat is the more junior person (who teaches, say,
    generative AI) and the MENTEE the more senior one (who still teaches their declared topic back)."""
    if kind is not ProgramKind.REVERSE:
        return
    mentor = next(seat for seat in members if seat.role is MemberRole.MENTOR)
    mentee = next(seat for seat in members if seat.role is MemberRole.MENTEE)
    mentor_level, mentee_level = people[mentor.person_id].level, people[mentee.person_id].level
    if mentor_level is not None and mentee_level is not None and mentor_level > mentee_level:
        raise ValidationFailed(
            "In reverse mentoring the more junior person takes the MENTOR role.", field=mentor.role_field
        )


def check_enrollment_fits(seat: Seat, role: EnrollmentRole | None, status: EnrollmentStatus | None) -> None:
    if role is None or status not in ELIGIBLE_ENROLLMENT:
        raise ValidationFailed("This person is not an approved enrollee of the program.", field=seat.field)
    if role not in _ENROLLMENT_ROLES[seat.role]:
        raise ValidationFailed(f"A {role.value} enrollee cannot take a {seat.role.value} seat.", field=seat.role_field)


def reporting_line_clash(people: Sequence[tuple[Person, str]]) -> str | None:
    """The field of the first person whose manager or direct report is also in `people`, else None."""
    for later, (person, field) in enumerate(people):
        for other, _ in people[:later]:
            if person.manager_id == other.id or other.manager_id == person.id:
                return field
    return None


def check_reporting_lines(people: Sequence[tuple[Person, str]]) -> None:
    """Nobody mentors, or is mentored by, their own manager or direct report: the power dynamics get in the way."""
    field = reporting_line_clash(people)
    if field is not None:
        raise ValidationFailed(
            "A person cannot be in a mentoring relationship with their manager or a direct report.", field=field
        )

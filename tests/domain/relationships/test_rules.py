"""Composition, seniority and the manager rule as pure checks over plain rows."""

from __future__ import annotations

import pytest

from domain.errors import ValidationFailed
from domain.people.models import Person
from domain.programs.models import EnrollmentRole, EnrollmentStatus, ProgramKind
from domain.relationships.models import MemberRole
from domain.relationships.rules import (
    check_composition,
    check_enrollment_fits,
    check_reporting_lines,
    check_seniority,
    seats,
)

M, E, P, F = MemberRole.MENTOR, MemberRole.MENTEE, MemberRole.PEER, MemberRole.FACILITATOR


def roles(*given: MemberRole):
    return seats([(index + 1, role) for index, role in enumerate(given)])


@pytest.mark.parametrize(
    ("kind", "members"),
    [
        (ProgramKind.ONE_ON_ONE, (M, E)),
        (ProgramKind.REVERSE, (E, M)),
        (ProgramKind.SPEED, (M, E)),
        (ProgramKind.PEER_CIRCLE, (P, P, P, P)),
        (ProgramKind.PEER_CIRCLE, (P, P, P, P, P, P, F)),
        (ProgramKind.SKILL_SWAP, (P, P)),
        (ProgramKind.SKILL_SWAP, (P, P, P)),
    ],
)
def test_each_kind_accepts_its_members(kind, members):
    check_composition(kind, roles(*members))


@pytest.mark.parametrize(
    ("kind", "members", "field", "says"),
    [
        (ProgramKind.ONE_ON_ONE, (M, M), "members", "needs 1 MENTOR member(s), not 2"),
        (ProgramKind.ONE_ON_ONE, (M, E, E), "members", "needs 1 MENTEE member(s), not 2"),
        (ProgramKind.ONE_ON_ONE, (M, P), "members[1].role", "has no PEER members"),
        (ProgramKind.SPEED, (M,), "members", "needs 1 MENTEE"),
        (ProgramKind.PEER_CIRCLE, (P, P, P), "members", "needs 4 to 6 PEER member(s), not 3"),
        (ProgramKind.PEER_CIRCLE, (P,) * 7, "members", "not 7"),
        (ProgramKind.PEER_CIRCLE, (P, P, P, P, F, F), "members", "needs 0 to 1 FACILITATOR member(s), not 2"),
        (ProgramKind.SKILL_SWAP, (P, P, P, P), "members", "needs 2 to 3 PEER member(s), not 4"),
        (ProgramKind.SKILL_SWAP, (P, M), "members[1].role", "has no MENTOR members"),
    ],
)
def test_wrong_members_for_the_kind_are_refused_naming_the_field(kind, members, field, says):
    with pytest.raises(ValidationFailed) as refused:
        check_composition(kind, roles(*members))
    assert refused.value.field == field
    assert says in refused.value.message


def test_the_same_person_twice_is_refused_at_the_second_seat():
    with pytest.raises(ValidationFailed) as refused:
        check_composition(ProgramKind.ONE_ON_ONE, seats([(7, M), (7, E)]))
    assert refused.value.field == "members[1].person_id"


def test_reverse_mentoring_puts_the_junior_person_in_the_mentor_seat():
    senior, junior = Person(id=1, level=7), Person(id=2, level=2)
    people = {1: senior, 2: junior}
    check_seniority(ProgramKind.REVERSE, seats([(2, M), (1, E)]), people)
    with pytest.raises(ValidationFailed) as refused:
        check_seniority(ProgramKind.REVERSE, seats([(1, M), (2, E)]), people)
    assert refused.value.field == "members[0].role"
    # A one-on-one has no such rule: a senior usually mentors there, but either way is allowed.
    check_seniority(ProgramKind.ONE_ON_ONE, seats([(1, M), (2, E)]), people)
    check_seniority(ProgramKind.ONE_ON_ONE, seats([(2, M), (1, E)]), people)


@pytest.mark.parametrize(
    ("seat_role", "enrollment_role", "status", "field"),
    [
        (M, EnrollmentRole.MENTOR, EnrollmentStatus.APPROVED, None),
        (E, EnrollmentRole.MENTEE, EnrollmentStatus.MATCHED, None),
        (P, EnrollmentRole.MENTOR, EnrollmentStatus.ACTIVE, None),
        (F, EnrollmentRole.PEER, EnrollmentStatus.APPROVED, None),
        (M, EnrollmentRole.MENTEE, EnrollmentStatus.APPROVED, "members[0].role"),
        (E, EnrollmentRole.MENTEE, EnrollmentStatus.APPLIED, "members[0].person_id"),
        (E, EnrollmentRole.MENTEE, EnrollmentStatus.WITHDRAWN, "members[0].person_id"),
        (E, None, None, "members[0].person_id"),
    ],
)
def test_a_seat_needs_an_approved_enrollment_in_a_fitting_role(seat_role, enrollment_role, status, field):
    (seat,) = seats([(1, seat_role)])
    if field is None:
        check_enrollment_fits(seat, enrollment_role, status)
        return
    with pytest.raises(ValidationFailed) as refused:
        check_enrollment_fits(seat, enrollment_role, status)
    assert refused.value.field == field


def test_manager_and_direct_report_never_share_a_relationship_either_way_round():
    boss = Person(id=1, manager_id=None)
    report = Person(id=2, manager_id=1)
    stranger = Person(id=3, manager_id=None)
    check_reporting_lines([(boss, "a"), (stranger, "b")])
    for people, field in (
        ([(boss, "a"), (report, "b")], "b"),
        ([(report, "a"), (boss, "b")], "b"),
        ([(stranger, "a"), (report, "b"), (boss, "c")], "c"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            check_reporting_lines(people)
        assert refused.value.field == field


def test_a_skip_level_manager_is_not_a_direct_line():
    director = Person(id=1, manager_id=None)
    lead = Person(id=2, manager_id=1)
    engineer = Person(id=3, manager_id=2)
    check_reporting_lines([(director, "a"), (engineer, "b")])
    assert lead.manager_id == director.id

"""Relationship health: AT_RISK after twice the cadence without a held meeting; the agreement's cadence wins."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.access import Role, Viewer
from domain.errors import NotFound, PermissionDenied
from domain.meetings.health import HealthStatus, at_risk_relationships, relationship_health
from domain.meetings.models import MeetingStatus
from domain.programs.models import Cadence
from domain.relationships.models import RelationshipStatus
from tests.factories import make_person, make_program
from tests.factories_meetings import make_agreement, make_meeting, make_relationship, utc

NOW = utc(2027, 6, 1, 12, 0)


def viewer(person, role: Role = Role.PARTICIPANT) -> Viewer:
    return Viewer(email=person.email, role=role, person_id=person.id)


async def test_a_monthly_relationship_is_at_risk_sixty_days_after_its_last_held_meeting(db):
    ana, ben = await make_person(), await make_person()
    program = await make_program(cadence=Cadence.MONTHLY)
    relationship = await make_relationship(ana, ben, program=program, started_at=NOW - timedelta(days=200))
    last = NOW - timedelta(days=61)
    await make_meeting(relationship, ana, ben, start=last, status=MeetingStatus.HELD)
    await make_meeting(relationship, ana, ben, start=NOW - timedelta(days=20), status=MeetingStatus.MISSED)
    await make_meeting(relationship, ana, ben, start=NOW - timedelta(days=10), status=MeetingStatus.CANCELLED)

    health = await relationship_health(viewer(ana), relationship_id=relationship.id, now=NOW)

    assert health.status is HealthStatus.AT_RISK
    assert health.cadence is Cadence.MONTHLY
    assert health.last_held_at == last
    assert health.due_by == last + timedelta(days=60)


async def test_the_current_agreement_version_sets_the_cadence(db):
    ana, ben = await make_person(), await make_person()
    program = await make_program(cadence=Cadence.MONTHLY)
    relationship = await make_relationship(ana, ben, program=program, started_at=NOW - timedelta(days=200))
    await make_agreement(relationship, Cadence.MONTHLY, Cadence.WEEKLY)
    await make_meeting(relationship, ana, ben, start=NOW - timedelta(days=15), status=MeetingStatus.HELD)

    health = await relationship_health(viewer(ben), relationship_id=relationship.id, now=NOW)

    assert (health.status, health.cadence) == (HealthStatus.AT_RISK, Cadence.WEEKLY)


async def test_without_any_held_meeting_the_clock_starts_when_the_relationship_did(db):
    ana, ben = await make_person(), await make_person()
    program = await make_program(cadence=Cadence.BIWEEKLY)
    fresh = await make_relationship(ana, ben, program=program, started_at=NOW - timedelta(days=27))
    stale = await make_relationship(ana, ben, program=program, started_at=NOW - timedelta(days=29))

    assert (await relationship_health(viewer(ana), relationship_id=fresh.id, now=NOW)).status is HealthStatus.ON_TRACK
    assert (await relationship_health(viewer(ana), relationship_id=stale.id, now=NOW)).status is HealthStatus.AT_RISK


@pytest.mark.parametrize(
    "status", [RelationshipStatus.PAUSED, RelationshipStatus.PROPOSED, RelationshipStatus.COMPLETED]
)
async def test_relationships_that_are_not_active_are_not_judged(db, status):
    ana, ben = await make_person(), await make_person()
    relationship = await make_relationship(ana, ben, status=status, started_at=NOW - timedelta(days=400))
    health = await relationship_health(viewer(ana), relationship_id=relationship.id, now=NOW)
    assert (health.status, health.due_by) == (HealthStatus.NOT_TRACKED, None)


async def test_outsiders_learn_nothing_about_a_relationships_health(db):
    ana, ben, eve = await make_person(), await make_person(), await make_person()
    relationship = await make_relationship(ana, ben)
    with pytest.raises(NotFound):
        await relationship_health(viewer(eve), relationship_id=relationship.id, now=NOW)


async def test_coordinators_get_their_programs_at_risk_list_longest_overdue_first(db):
    coordinator = await make_person()
    program = await make_program(coordinators=[coordinator], cadence=Cadence.MONTHLY)
    people = [await make_person() for _ in range(6)]
    very_late = await make_relationship(*people[0:2], program=program, started_at=NOW - timedelta(days=300))
    late = await make_relationship(*people[2:4], program=program, started_at=NOW - timedelta(days=100))
    fine = await make_relationship(*people[4:6], program=program, started_at=NOW - timedelta(days=300))
    await make_meeting(fine, *people[4:6], start=NOW - timedelta(days=10), status=MeetingStatus.HELD)
    await make_relationship(*people[0:2], started_at=NOW - timedelta(days=300))  # another program's

    listed = await at_risk_relationships(viewer(coordinator, Role.COORDINATOR), program_id=program.id, now=NOW)

    assert [h.relationship_id for h in listed] == [very_late.id, late.id]
    assert all(h.status is HealthStatus.AT_RISK for h in listed)


async def test_the_at_risk_list_is_for_the_programs_coordinators_only(db):
    coordinator, other, participant = await make_person(), await make_person(), await make_person()
    program = await make_program(coordinators=[coordinator])
    with pytest.raises(PermissionDenied):
        await at_risk_relationships(viewer(other, Role.COORDINATOR), program_id=program.id, now=NOW)
    with pytest.raises(PermissionDenied):
        await at_risk_relationships(viewer(participant), program_id=program.id, now=NOW)
    with pytest.raises(NotFound):
        await at_risk_relationships(viewer(coordinator, Role.COORDINATOR), program_id=9999, now=NOW)
    assert await at_risk_relationships(viewer(other, Role.ADMIN), program_id=program.id, now=NOW) == []

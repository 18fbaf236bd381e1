"""activate_if_proposed: the agreement's last signature makes a proposal ACTIVE, inside the signer's transaction."""

from __future__ import annotations

import datetime

import pytest
from tortoise.transactions import in_transaction

from domain.errors import NotFound
from domain.programs.models import Enrollment, EnrollmentStatus
from domain.relationships.activation import activate_if_proposed
from domain.relationships.models import RelationshipStatus
from tests.domain.relationships.scenario import NOW, mentoring_pair, program_run_by
from tests.support import assert_unchanged

LATER = NOW + datetime.timedelta(days=3)


async def test_a_proposal_becomes_active_and_its_members_enrollments_too(db):
    relationship, mentor, mentee = await mentoring_pair(await program_run_by(), status=RelationshipStatus.PROPOSED)
    assert await Enrollment.filter(status=EnrollmentStatus.MATCHED).count() == 2

    await activate_if_proposed(relationship.id, now=LATER)

    await relationship.refresh_from_db()
    assert relationship.status is RelationshipStatus.ACTIVE
    assert relationship.started_at == LATER
    assert relationship.last_activity_at == LATER
    statuses = await Enrollment.filter(person_id__in=[mentor.id, mentee.id]).values_list("status", flat=True)
    assert sorted(statuses) == [EnrollmentStatus.ACTIVE, EnrollmentStatus.ACTIVE]


@pytest.mark.parametrize("status", [RelationshipStatus.ACTIVE, RelationshipStatus.PAUSED, RelationshipStatus.COMPLETED])
async def test_anything_but_a_proposal_is_left_as_it_is(db, status):
    relationship, _, _ = await mentoring_pair(await program_run_by(), status=status)
    async with assert_unchanged():
        await activate_if_proposed(relationship.id, now=LATER)


async def test_it_joins_the_callers_transaction_and_rolls_back_with_it(db):
    relationship, _, _ = await mentoring_pair(await program_run_by(), status=RelationshipStatus.PROPOSED)
    async with assert_unchanged():
        with pytest.raises(RuntimeError):
            async with in_transaction():
                await activate_if_proposed(relationship.id, now=LATER)
                raise RuntimeError("the signature failed after activation")


async def test_an_unknown_relationship_is_not_found(db):
    with pytest.raises(NotFound):
        await activate_if_proposed(999, now=LATER)

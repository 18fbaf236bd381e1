"""create_relationship: the one door every path (proposal, request, rematch, a matching run) goes through."""

from __future__ import annotations

import pytest
from tortoise.transactions import in_transaction

from domain.errors import Conflict, ValidationFailed
from domain.programs.models import EnrollmentRole, ProgramKind
from domain.relationships.models import MatchExclusion, MemberRole, RelationshipOrigin
from domain.relationships.rules import seats
from domain.relationships.service import create_relationship
from tests.domain.relationships.scenario import NOW, enrolled, program_run_by
from tests.support import assert_unchanged


async def create(program, members, origin=RelationshipOrigin.MATCHING):
    async with in_transaction():
        return await create_relationship(
            program, seats([(p.id, role) for p, role in members]), origin=origin, created_by_id=None, now=NOW
        )


async def test_a_matching_run_cannot_pair_a_manager_with_their_direct_report(db):
    program = await program_run_by()
    manager = await enrolled(program, EnrollmentRole.MENTOR)
    report = await enrolled(program, manager=manager)
    async with assert_unchanged():
        with pytest.raises(ValidationFailed) as refused:
            await create(program, [(manager, MemberRole.MENTOR), (report, MemberRole.MENTEE)])
    assert refused.value.field == "members[1].person_id"


async def test_a_matching_run_cannot_put_a_separated_pair_back_together(db):
    program = await program_run_by()
    mentor = await enrolled(program, EnrollmentRole.MENTOR)
    mentee = await enrolled(program)
    await MatchExclusion.create(program=program, person=mentor, excluded_person=mentee)
    async with assert_unchanged():
        with pytest.raises(Conflict):
            await create(program, [(mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE)])


async def test_an_exclusion_in_another_program_does_not_apply(db):
    program, elsewhere = await program_run_by(), await program_run_by()
    mentor = await enrolled(program, EnrollmentRole.MENTOR)
    mentee = await enrolled(program)
    await MatchExclusion.create(program=elsewhere, person=mentor, excluded_person=mentee)
    relationship = await create(program, [(mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE)])
    assert relationship.origin is RelationshipOrigin.MATCHING


async def test_in_a_circle_the_manager_rule_names_whichever_member_closes_the_line(db):
    program = await program_run_by(kind=ProgramKind.PEER_CIRCLE)
    lead = await enrolled(program, EnrollmentRole.PEER)
    peers = [await enrolled(program, EnrollmentRole.PEER) for _ in range(2)]
    report = await enrolled(program, EnrollmentRole.PEER, manager=lead)
    with pytest.raises(ValidationFailed) as refused:
        await create(
            program, [(lead, MemberRole.PEER), *[(p, MemberRole.PEER) for p in peers], (report, MemberRole.PEER)]
        )
    assert refused.value.field == "members[3].person_id"

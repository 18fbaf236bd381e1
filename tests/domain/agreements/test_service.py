"""The agreement use cases the schema tests cannot reach: the first draft, and concurrent writers."""

from __future__ import annotations

import asyncio
import datetime

import pytest

from domain.access import Role, Viewer
from domain.agreements import service
from domain.agreements.models import Agreement, AgreementSignature, AgreementTopic, AgreementVersion
from domain.agreements.terms import TopicTerm
from domain.errors import Conflict, ValidationFailed
from domain.programs.models import Cadence, ProgramKind
from domain.relationships.models import MemberRole, Relationship, RelationshipStatus
from tests.factories import make_person, make_program, make_skill
from tests.factories_relationships import NOW, make_pair, make_relationship, make_swap
from tests.support import assert_unchanged


def viewer(person) -> Viewer:
    return Viewer(email=person.email, role=Role.PARTICIPANT, person_id=person.id)


async def test_the_first_draft_takes_the_programs_cadence_length_and_duration_from_today(db):
    program = await make_program(cadence=Cadence.BIWEEKLY, meeting_minutes=60, duration_months=9)
    coordinator = await make_person()
    relationship = await make_relationship([], program=program)

    agreement = await service.draft_initial_agreement(
        relationship, program=program, created_by_id=coordinator.id, now=NOW
    )

    assert agreement.current_version == 1
    version = await AgreementVersion.get(agreement=agreement)
    assert (version.number, version.cadence, version.meeting_minutes) == (1, Cadence.BIWEEKLY, 60)
    assert (version.starts_on, version.ends_on) == (datetime.date(2026, 3, 2), datetime.date(2026, 12, 2))
    assert version.amended_by_id == coordinator.id


async def test_a_reverse_draft_records_who_teaches_what(db):
    program = await make_program(kind=ProgramKind.REVERSE)
    await make_skill("Generative AI", "genai")
    junior, senior = await make_person(), await make_person()

    _, agreement = await make_swap(
        junior,
        senior,
        program=program,
        topics=[
            TopicTerm(junior.id, senior.id, skill="genai"),
            TopicTerm(senior.id, junior.id, topic="Stakeholder management"),
        ],
    )

    topics = await AgreementTopic.filter(version__agreement=agreement).order_by("id")
    assert [(t.teacher_id, t.learner_id, t.topic) for t in topics] == [
        (junior.id, senior.id, "Generative AI"),
        (senior.id, junior.id, "Stakeholder management"),
    ]


async def test_a_reverse_draft_where_one_side_only_learns_writes_nothing(db):
    program = await make_program(kind=ProgramKind.REVERSE)
    junior, senior = await make_person(), await make_person()
    relationship = await make_relationship([(junior, MemberRole.PEER), (senior, MemberRole.PEER)], program=program)

    async with assert_unchanged():
        with pytest.raises(ValidationFailed) as caught:
            await service.draft_initial_agreement(
                relationship,
                program=program,
                created_by_id=None,
                now=NOW,
                topics=[TopicTerm(junior.id, senior.id, topic="AI")],
            )
    assert caught.value.field == "topics"


async def test_a_second_draft_for_the_same_relationship_is_a_conflict(db):
    program = await make_program()
    relationship, _ = await make_pair(await make_person(), await make_person(), program=program)

    async with assert_unchanged():
        with pytest.raises(Conflict):
            await service.draft_initial_agreement(relationship, program=program, created_by_id=None, now=NOW)


@pytest.mark.postgres_only
async def test_members_signing_at_the_same_moment_activate_the_relationship_once(db):
    for _ in range(5):
        mentor, mentee = await make_person(), await make_person()
        relationship, agreement = await make_pair(mentor, mentee)

        outcomes = await asyncio.gather(
            service.sign_agreement(viewer(mentor), relationship_id=relationship.id, version=1),
            service.sign_agreement(viewer(mentee), relationship_id=relationship.id, version=1),
        )

        await relationship.refresh_from_db()
        assert relationship.status is RelationshipStatus.ACTIVE
        assert sorted(o.relationship_activated for o in outcomes) == [False, True]
        assert await AgreementSignature.filter(version__agreement=agreement).count() == 2


@pytest.mark.postgres_only
async def test_two_amendments_from_the_same_version_make_one_version_and_one_conflict(db):
    mentor, mentee = await make_person(), await make_person()
    relationship, agreement = await make_pair(mentor, mentee)

    outcomes = await asyncio.gather(
        service.amend_agreement(
            viewer(mentor), relationship_id=relationship.id, expected_version=1, changes={"meeting_minutes": 30}
        ),
        service.amend_agreement(
            viewer(mentee), relationship_id=relationship.id, expected_version=1, changes={"meeting_minutes": 90}
        ),
        return_exceptions=True,
    )

    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(conflicts) == 1 and conflicts[0].field == "expected_version"
    assert await AgreementVersion.filter(agreement=agreement).count() == 2
    assert (await Agreement.get(id=agreement.id)).current_version == 2
    assert (await Relationship.get(id=relationship.id)).status is RelationshipStatus.PROPOSED

"""Reverse and skill-swap agreements are exchanges: nobody signs one until each member teaches a declared topic
and, in a skill swap, learns a different one."""

from __future__ import annotations

from domain.agreements.models import AgreementTopic, AgreementVersion
from domain.agreements.service import draft_initial_agreement
from domain.people.models import Person
from domain.programs.models import ProgramKind
from domain.relationships.models import MemberRole, Relationship, RelationshipStatus
from tests.factories import make_person, make_program, make_skill
from tests.factories_relationships import NOW, make_relationship, make_swap
from tests.schema.test_agreements import amend, sign
from tests.support import assert_unchanged, gid


def topic(teacher: Person, learner: Person | None, *, skill: str | None = None, text: str | None = None) -> dict:
    term = {"teacherId": gid("Person", teacher.id), "skill": skill, "topic": text}
    if learner is not None:
        term["learnerId"] = gid("Person", learner.id)
    return term


async def skill_swap(*names: str) -> tuple[Relationship, list[Person]]:
    program = await make_program(kind=ProgramKind.SKILL_SWAP)
    people = [await make_person(name=name) for name in names]
    relationship = await make_relationship([(person, MemberRole.PEER) for person in people], program=program)
    await draft_initial_agreement(relationship, program=program, created_by_id=None, now=NOW)
    return relationship, people


async def test_a_reverse_pair_signs_once_each_side_teaches_its_declared_topic(gql, db):
    junior, senior = await make_person(name="Jun"), await make_person(name="Sen")
    relationship, _ = await make_swap(junior, senior, program=await make_program(kind=ProgramKind.REVERSE))
    async with assert_unchanged():
        early = await sign(gql, junior, relationship)
    assert (early["__typename"], early["field"]) == ("ValidationError", "topics")

    both_ways = [topic(junior, senior, text="Generative AI"), topic(senior, junior, text="Stakeholder management")]
    assert (await amend(gql, senior, relationship, topics=both_ways))["__typename"] == "AmendAgreementPayload"
    assert (await sign(gql, junior, relationship, version=2))["relationshipActivated"] is False
    assert (await sign(gql, senior, relationship, version=2))["relationshipActivated"] is True
    assert (await Relationship.get(id=relationship.id)).status is RelationshipStatus.ACTIVE


async def test_a_skill_swap_where_someone_only_teaches_is_refused_and_writes_nothing(gql, db):
    relationship, (ana, ben, cai) = await skill_swap("Ana", "Ben", "Cai")
    nobody_teaches_cai = [
        topic(ana, ben, text="SQL"),
        topic(ben, ana, text="Figma"),
        topic(cai, ana, text="Public speaking"),
    ]

    async with assert_unchanged():
        result = await amend(gql, ana, relationship, topics=nobody_teaches_cai)

    assert (result["__typename"], result["field"]) == ("ValidationError", "topics")
    assert "learns" in result["message"]


async def test_a_skill_swap_member_learns_a_skill_other_than_the_one_they_teach(gql, db):
    await make_skill("SQL", "structured query language")
    relationship, (ana, ben) = await skill_swap("Ana", "Ben")
    # Two names, one skill: Ana would learn exactly what she teaches.
    same_skill = [topic(ana, ben, skill="SQL"), topic(ben, ana, skill="structured query language")]

    async with assert_unchanged():
        result = await amend(gql, ana, relationship, topics=same_skill)

    assert (result["__typename"], result["field"]) == ("ValidationError", "topics")


async def test_a_three_way_skill_swap_with_a_round_of_topics_is_signed_and_goes_active(gql, db):
    relationship, (ana, ben, cai) = await skill_swap("Ana", "Ben", "Cai")
    # Cai teaches the whole circle (no learner): that is how Ben learns something.
    round_of_topics = [topic(ana, cai, text="SQL"), topic(ben, ana, text="Figma"), topic(cai, None, text="Excel")]
    assert (await amend(gql, ana, relationship, topics=round_of_topics))["__typename"] == "AmendAgreementPayload"

    outcomes = [await sign(gql, person, relationship, version=2) for person in (ana, ben, cai)]

    assert [outcome["relationshipActivated"] for outcome in outcomes] == [False, False, True]
    assert (await Relationship.get(id=relationship.id)).status is RelationshipStatus.ACTIVE


async def test_a_stored_skill_swap_version_where_someone_learns_nothing_cannot_be_signed(gql, db):
    relationship, (ana, ben) = await skill_swap("Ana", "Ben")
    version = await AgreementVersion.get(agreement__relationship=relationship, number=1)
    # Written straight to the table, as an agreement from before the rule would be: Ana learns what she teaches.
    await AgreementTopic.create(version=version, teacher=ana, learner=ben, topic="SQL")
    await AgreementTopic.create(version=version, teacher=ben, learner=ana, topic="SQL")

    async with assert_unchanged():
        result = await sign(gql, ana, relationship)

    assert (result["__typename"], result["field"]) == ("ValidationError", "topics")

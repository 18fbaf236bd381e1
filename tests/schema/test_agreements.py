"""agreement, signAgreement and amendAgreement through GraphQL over HTTP."""

from __future__ import annotations

import pytest

from domain.agreements.models import AgreementSignature, AgreementVersion
from domain.programs.models import Cadence, ProgramKind
from domain.relationships.models import Relationship, RelationshipStatus
from tests.factories import make_person, make_program, make_skill
from tests.factories_relationships import NOW, make_goal, make_pair, make_swap
from tests.support import assert_unchanged, gid

AGREEMENT = """
query Agreement($id: ID!) {
  agreement(relationshipId: $id) {
    number currentVersion cadence meetingMinutes startsOn endsOn confidentiality channels meetingFormats changeNote
    topics { topic teacher { name } learner { name } skill { name } }
    goals { title }
    signedByAll
    awaitingSignatureFrom { name }
    versions { number meetingMinutes signedByAll signatures { person { name } } }
  }
}
"""

SIGN = """
mutation Sign($input: SignAgreementInput!) {
  signAgreement(input: $input) {
    __typename
    ... on SignAgreementPayload { relationshipActivated agreement { signedByAll awaitingSignatureFrom { name } } }
    ... on Error { message code field }
  }
}
"""

AMEND = """
mutation Amend($input: AmendAgreementInput!) {
  amendAgreement(input: $input) {
    __typename
    ... on AmendAgreementPayload {
      agreement {
        number cadence meetingMinutes startsOn endsOn confidentiality channels changeNote signedByAll
        topics { topic teacher { name } learner { name } skill { name } }
        goals { title }
        versions { number meetingMinutes signatures { person { name } } }
      }
    }
    ... on Error { message code field }
  }
}
"""


@pytest.fixture
async def pair(db):
    mentor = await make_person(name="Maria")
    mentee = await make_person(name="Ben")
    program = await make_program(cadence=Cadence.BIWEEKLY, meeting_minutes=60, duration_months=6)
    relationship, _ = await make_pair(mentor, mentee, program=program)
    return mentor, mentee, relationship


async def sign(gql, who, relationship, version=1):
    data = await gql(
        SIGN, {"input": {"relationshipId": gid("Relationship", relationship.id), "version": version}}, as_=who
    )
    return data["signAgreement"]


async def amend(gql, who, relationship, expected_version=1, **terms):
    variables = {
        "input": {"relationshipId": gid("Relationship", relationship.id), "expectedVersion": expected_version, **terms}
    }
    return (await gql(AMEND, variables, as_=who))["amendAgreement"]


async def test_a_proposed_relationships_draft_shows_the_program_defaults_and_who_must_sign(gql, pair):
    _, mentee, relationship = pair

    agreement = (await gql(AGREEMENT, {"id": gid("Relationship", relationship.id)}, as_=mentee))["agreement"]

    assert agreement["number"] == agreement["currentVersion"] == 1
    assert (agreement["cadence"], agreement["meetingMinutes"]) == ("BIWEEKLY", 60)
    assert (agreement["startsOn"], agreement["endsOn"]) == ("2026-03-02", "2026-09-02")
    assert agreement["signedByAll"] is False
    assert [p["name"] for p in agreement["awaitingSignatureFrom"]] == ["Maria", "Ben"]


async def test_the_relationship_becomes_active_when_the_last_member_signs(gql, pair):
    mentor, mentee, relationship = pair

    first = await sign(gql, mentee, relationship)
    assert first["relationshipActivated"] is False
    assert first["agreement"]["awaitingSignatureFrom"] == [{"name": "Maria"}]
    assert (await Relationship.get(id=relationship.id)).status is RelationshipStatus.PROPOSED

    second = await sign(gql, mentor, relationship)
    assert second["relationshipActivated"] is True
    assert second["agreement"] == {"signedByAll": True, "awaitingSignatureFrom": []}
    activated = await Relationship.get(id=relationship.id)
    assert activated.status is RelationshipStatus.ACTIVE
    assert activated.started_at is not None and activated.started_at > NOW
    assert activated.last_activity_at == activated.started_at


async def test_signing_twice_changes_nothing_and_keeps_the_first_signature(gql, pair):
    _, mentee, relationship = pair
    await sign(gql, mentee, relationship)

    async with assert_unchanged():
        again = await sign(gql, mentee, relationship)

    assert again["__typename"] == "SignAgreementPayload"
    assert again["relationshipActivated"] is False
    assert await AgreementSignature.filter(person=mentee).count() == 1


async def test_signing_someone_elses_agreement_is_denied_and_writes_nothing(gql, pair):
    *_, relationship = pair
    stranger = await make_person()

    async with assert_unchanged():
        result = await sign(gql, stranger, relationship)

    assert result["__typename"] == "PermissionDeniedError"
    assert result["field"] == "relationshipId"


async def test_signing_a_version_that_is_no_longer_current_is_a_conflict(gql, pair):
    mentor, mentee, relationship = pair
    assert (await amend(gql, mentor, relationship, meetingMinutes=30))["__typename"] == "AmendAgreementPayload"

    async with assert_unchanged():
        result = await sign(gql, mentee, relationship, version=1)

    assert result["__typename"] == "ConflictError"
    assert result["field"] == "version"


@pytest.mark.parametrize("status", [RelationshipStatus.COMPLETED, RelationshipStatus.ENDED_EARLY])
async def test_a_closed_relationships_agreement_can_neither_be_signed_nor_amended(gql, db, status):
    mentor, mentee = await make_person(), await make_person()
    relationship, _ = await make_pair(mentor, mentee, status=status)

    async with assert_unchanged():
        signed = await sign(gql, mentee, relationship)
        amended = await amend(gql, mentor, relationship, meetingMinutes=30)

    assert signed["__typename"] == amended["__typename"] == "ConflictError"
    assert signed["field"] == amended["field"] == "relationshipId"


async def test_signing_an_unknown_relationship_is_not_found(gql, pair):
    _, mentee, _ = pair
    data = await gql(SIGN, {"input": {"relationshipId": gid("Relationship", 999), "version": 1}}, as_=mentee)
    assert data["signAgreement"]["__typename"] == "NotFoundError"


async def test_a_reverse_agreement_without_topics_for_both_sides_cannot_be_signed(gql, db):
    junior, senior = await make_person(), await make_person()
    relationship, _ = await make_swap(junior, senior, program=await make_program(kind=ProgramKind.REVERSE))

    async with assert_unchanged():
        result = await sign(gql, junior, relationship)

    assert result["__typename"] == "ValidationError"
    assert result["field"] == "topics"


async def test_an_amendment_makes_a_new_version_copying_what_was_not_sent(gql, pair):
    mentor, mentee, relationship = pair
    await make_skill("Negotiation", "negotiating")
    goal = await make_goal(mentee, relationship=relationship, title="Close a vendor deal")
    await sign(gql, mentee, relationship)
    await sign(gql, mentor, relationship)

    result = await amend(
        gql,
        mentee,
        relationship,
        meetingMinutes=30,
        confidentiality="What we say stays here.",
        channels=["Slack"],
        topics=[{"teacherId": gid("Person", mentor.id), "learnerId": gid("Person", mentee.id), "skill": "negotiating"}],
        goalIds=[gid("Goal", goal.id)],
        changeNote="Shorter meetings",
    )

    agreement = result["agreement"]
    assert (agreement["number"], agreement["meetingMinutes"], agreement["cadence"]) == (2, 30, "BIWEEKLY")
    assert (agreement["startsOn"], agreement["endsOn"]) == ("2026-03-02", "2026-09-02")
    assert agreement["confidentiality"] == "What we say stays here."
    assert agreement["changeNote"] == "Shorter meetings"
    assert agreement["topics"] == [
        {
            "topic": "Negotiation",
            "teacher": {"name": "Maria"},
            "learner": {"name": "Ben"},
            "skill": {"name": "Negotiation"},
        }
    ]
    assert agreement["goals"] == [{"title": "Close a vendor deal"}]
    assert agreement["signedByAll"] is False
    assert agreement["versions"] == [
        {"number": 1, "meetingMinutes": 60, "signatures": [{"person": {"name": "Ben"}}, {"person": {"name": "Maria"}}]},
        {"number": 2, "meetingMinutes": 30, "signatures": []},
    ]
    # Re-signing is needed, but the relationship keeps running meanwhile.
    assert (await Relationship.get(id=relationship.id)).status is RelationshipStatus.ACTIVE


async def test_an_amendment_is_signed_again_by_all_and_every_version_keeps_its_signatures(gql, pair):
    mentor, mentee, relationship = pair
    for person in (mentee, mentor):
        await sign(gql, person, relationship)
    await amend(gql, mentor, relationship, meetingMinutes=30)

    assert (await sign(gql, mentee, relationship, version=2))["agreement"]["awaitingSignatureFrom"] == [
        {"name": "Maria"}
    ]
    last = await sign(gql, mentor, relationship, version=2)

    assert last["relationshipActivated"] is False  # it was active all along
    agreement = (await gql(AGREEMENT, {"id": gid("Relationship", relationship.id)}, as_=mentee))["agreement"]
    assert (agreement["number"], agreement["meetingMinutes"], agreement["signedByAll"]) == (2, 30, True)
    signers = [{"person": {"name": "Ben"}}, {"person": {"name": "Maria"}}]
    assert agreement["versions"] == [
        {"number": 1, "meetingMinutes": 60, "signedByAll": True, "signatures": signers},
        {"number": 2, "meetingMinutes": 30, "signedByAll": True, "signatures": signers},
    ]


async def test_a_later_amendment_copies_topics_and_goal_links_forward(gql, pair):
    mentor, mentee, relationship = pair
    goal = await make_goal(mentee, relationship=relationship)
    topic = {"teacherId": gid("Person", mentor.id), "learnerId": gid("Person", mentee.id), "topic": "Hiring"}
    await amend(gql, mentor, relationship, topics=[topic], goalIds=[gid("Goal", goal.id)])

    agreement = (await amend(gql, mentor, relationship, expected_version=2, cadence="MONTHLY"))["agreement"]

    assert (agreement["number"], agreement["cadence"]) == (3, "MONTHLY")
    assert [t["topic"] for t in agreement["topics"]] == ["Hiring"]
    assert agreement["goals"] == [{"title": goal.title}]
    assert agreement["changeNote"] == ""


async def test_an_amendment_from_a_stale_version_is_a_conflict(gql, pair):
    mentor, mentee, relationship = pair
    await amend(gql, mentor, relationship, meetingMinutes=30)

    async with assert_unchanged():
        result = await amend(gql, mentee, relationship, expected_version=1, meetingMinutes=90)

    assert result["__typename"] == "ConflictError"
    assert result["field"] == "expectedVersion"


async def test_an_amendment_by_someone_outside_the_relationship_is_denied(gql, pair):
    *_, relationship = pair
    stranger = await make_person()
    async with assert_unchanged():
        result = await amend(gql, stranger, relationship, meetingMinutes=30)
    assert result["__typename"] == "PermissionDeniedError"


BAD_AMENDMENTS = [
    ({"startsOn": "2026-05-01", "endsOn": "2026-04-30"}, "endsOn"),
    ({"endsOn": "2026-01-01"}, "endsOn"),
    ({"meetingMinutes": 10}, "meetingMinutes"),
    ({"meetingMinutes": 241}, "meetingMinutes"),
    ({"channels": ["Slack", "  "]}, "channels[1]"),
    ({"topics": [{"teacherId": "STRANGER", "learnerId": "MENTEE", "topic": "X"}]}, "topics[0].teacherId"),
    ({"topics": [{"teacherId": "MENTOR", "learnerId": "STRANGER", "topic": "X"}]}, "topics[0].learnerId"),
    ({"topics": [{"teacherId": "MENTOR", "learnerId": "MENTOR", "topic": "X"}]}, "topics[0].learnerId"),
    (
        {"topics": [{"teacherId": "MENTOR", "topic": "X"}, {"teacherId": "MENTOR", "skill": "Juggling"}]},
        "topics[1].skill",
    ),
    ({"topics": [{"teacherId": "MENTOR"}]}, "topics[0].topic"),
    ({"goalIds": ["OTHER_GOAL"]}, "goalIds[0]"),
    ({"goalIds": ["MENTOR"]}, "goalIds[0]"),
]


@pytest.mark.parametrize(("terms", "field"), BAD_AMENDMENTS)
async def test_bad_terms_are_a_validation_error_naming_the_field_and_write_nothing(gql, pair, terms, field):
    mentor, mentee, relationship = pair
    stranger = await make_person()
    other_relationship, _ = await make_pair(stranger, await make_person())
    other_goal = await make_goal(stranger, relationship=other_relationship)
    ids = {
        "MENTOR": gid("Person", mentor.id),
        "MENTEE": gid("Person", mentee.id),
        "STRANGER": gid("Person", stranger.id),
        "OTHER_GOAL": gid("Goal", other_goal.id),
    }

    def resolve(value):
        if isinstance(value, dict):
            return {key: resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [resolve(item) for item in value]
        return ids.get(value, value)

    async with assert_unchanged():
        result = await amend(gql, mentor, relationship, **resolve(terms))

    assert result["__typename"] == "ValidationError", result
    assert result["field"] == field


async def test_a_reverse_amendment_must_give_each_member_something_to_teach(gql, db):
    junior, senior = await make_person(name="Jun"), await make_person(name="Sen")
    relationship, _ = await make_swap(junior, senior, program=await make_program(kind=ProgramKind.REVERSE))
    one_way = [{"teacherId": gid("Person", junior.id), "learnerId": gid("Person", senior.id), "topic": "Generative AI"}]

    async with assert_unchanged():
        refused = await amend(gql, senior, relationship, topics=one_way)
    assert (refused["__typename"], refused["field"]) == ("ValidationError", "topics")

    both_ways = [
        *one_way,
        {"teacherId": gid("Person", senior.id), "learnerId": gid("Person", junior.id), "topic": "Stakeholders"},
    ]
    agreed = await amend(gql, senior, relationship, topics=both_ways)
    assert [(t["teacher"]["name"], t["topic"]) for t in agreed["agreement"]["topics"]] == [
        ("Jun", "Generative AI"),
        ("Sen", "Stakeholders"),
    ]
    assert await AgreementVersion.filter(agreement__relationship=relationship).count() == 2


async def test_a_relationship_id_of_another_type_is_a_validation_error(gql, pair):
    mentor, *_ = pair
    data = await gql(SIGN, {"input": {"relationshipId": gid("Goal", 1), "version": 1}}, as_=mentor)
    assert data["signAgreement"]["__typename"] == "ValidationError"
    assert data["signAgreement"]["field"] == "relationshipId"

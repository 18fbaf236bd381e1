"""writeReflection, shareReflection and who reads a reflection, over HTTP."""

from __future__ import annotations

import pytest

from domain.access import Role
from domain.goals.models import Reflection
from domain.relationships.models import RelationshipStatus
from tests.factories import make_person, make_program
from tests.factories_meetings import make_meeting, soon
from tests.factories_relationships import make_pair, make_reflection
from tests.support import assert_unchanged, gid

RESULT = "__typename ... on Error { message code field }"
WRITE = f"""
mutation Write($input: WriteReflectionInput!) {{
  writeReflection(input: $input) {{
    {RESULT} ... on ReflectionPayload {{ reflection {{ id body isShared relationshipId meetingId author {{ name }} }} }}
  }}
}}
"""
SHARE = f"""
mutation Share($input: ShareReflectionInput!) {{
  shareReflection(input: $input) {{ {RESULT} ... on ReflectionPayload {{ reflection {{ body isShared sharedAt }} }} }}
}}
"""
READ = """
query Read($id: ID!, $relationship: ID!) {
  reflection(id: $id) { body }
  relationship(id: $relationship) { sharedReflections { body author { name } } }
}
"""
MINE = "{ me { reflections { body isShared } } }"


@pytest.fixture
async def pair(db):
    mentor, mentee = await make_person(name="Maria"), await make_person(name="Ben")
    relationship, _ = await make_pair(mentor, mentee, status=RelationshipStatus.ACTIVE)
    return mentor, mentee, relationship


async def call(gql, document, who, **input):
    data = await gql(document, {"input": input}, as_=who)
    return next(iter(data.values()))


async def read(gql, reflection, relationship, who, role=Role.PARTICIPANT):
    variables = {"id": gid("Reflection", reflection.id), "relationship": gid("Relationship", relationship.id)}
    return await gql(READ, variables, as_=who, role=role)


async def test_a_meeting_of_another_relationship_is_not_found_and_nothing_is_written(gql, pair):
    _, mentee, relationship = pair
    elsewhere, _ = await make_pair(await make_person(), await make_person(), status=RelationshipStatus.ACTIVE)
    members = [m.person for m in await elsewhere.members.all().prefetch_related("person")]
    foreign = await make_meeting(elsewhere, *members, start=soon())

    async with assert_unchanged():
        result = await call(
            gql,
            WRITE,
            mentee,
            body="Notes",
            relationshipId=gid("Relationship", relationship.id),
            meetingId=gid("Meeting", foreign.id),
        )

    assert (result["__typename"], result["field"]) == ("NotFoundError", "meetingId")


async def test_a_reflection_after_a_meeting_is_private_to_its_author(gql, pair):
    mentor, mentee, relationship = pair
    meeting = await make_meeting(relationship, mentor, mentee, start=soon())

    result = await call(
        gql,
        WRITE,
        mentee,
        body="I should ask more questions.",
        relationshipId=gid("Relationship", relationship.id),
        meetingId=gid("Meeting", meeting.id),
    )

    written = result["reflection"]
    expected = (False, {"name": "Ben"}, gid("Meeting", meeting.id))
    assert (written["isShared"], written["author"], written["meetingId"]) == expected
    reflection = await Reflection.get(author=mentee)
    assert (await read(gql, reflection, relationship, mentee))["reflection"] == {"body": "I should ask more questions."}
    partner_view = await read(gql, reflection, relationship, mentor)
    assert partner_view == {"reflection": None, "relationship": {"sharedReflections": []}}


async def test_a_personal_reflection_lists_under_its_author_only(gql, db):
    ana, ben = await make_person(), await make_person()

    result = await call(gql, WRITE, ana, body="  Week one done. ")

    assert (result["reflection"]["body"], result["reflection"]["relationshipId"]) == ("Week one done.", None)
    assert (await gql(MINE, as_=ana))["me"]["reflections"] == [{"body": "Week one done.", "isShared": False}]
    assert (await gql(MINE, as_=ben))["me"]["reflections"] == []


async def test_sharing_lets_the_relationships_members_read_it_and_nobody_else(gql, pair):
    mentor, mentee, relationship = pair
    coordinator = await make_person()
    await make_program(coordinators=[coordinator])
    reflection = await make_reflection(mentee, relationship=relationship, body="You helped me plan the talk.")

    result = await call(gql, SHARE, mentee, reflectionId=gid("Reflection", reflection.id))

    assert result["reflection"]["isShared"] is True
    partner_view = await read(gql, reflection, relationship, mentor)
    assert partner_view["reflection"] == {"body": "You helped me plan the talk."}
    shared = partner_view["relationship"]["sharedReflections"]
    assert shared == [{"body": "You helped me plan the talk.", "author": {"name": "Ben"}}]
    admin_view = await read(gql, reflection, relationship, coordinator, role=Role.ADMIN)
    assert admin_view == {"reflection": None, "relationship": {"sharedReflections": None}}


async def test_sharing_again_changes_nothing(gql, pair):
    _, mentee, relationship = pair
    reflection = await make_reflection(mentee, relationship=relationship, shared=True)
    async with assert_unchanged():
        result = await call(gql, SHARE, mentee, reflectionId=gid("Reflection", reflection.id))
    assert result["reflection"]["sharedAt"].startswith("2026-03-02T09:30:00")


async def test_only_the_author_shares_and_a_private_one_stays_unknown_to_others(gql, pair):
    mentor, mentee, relationship = pair
    private = await make_reflection(mentee, relationship=relationship)
    shared = await make_reflection(mentee, relationship=relationship, shared=True)

    async with assert_unchanged():
        on_private = await call(gql, SHARE, mentor, reflectionId=gid("Reflection", private.id))
        on_shared = await call(gql, SHARE, mentor, reflectionId=gid("Reflection", shared.id))

    assert (on_private["__typename"], on_private["field"]) == ("NotFoundError", "reflectionId")
    assert (on_shared["__typename"], on_shared["field"]) == ("PermissionDeniedError", "reflectionId")


async def test_a_personal_reflection_has_nobody_to_share_with(gql, db):
    ana = await make_person()
    reflection = await make_reflection(ana)
    async with assert_unchanged():
        result = await call(gql, SHARE, ana, reflectionId=gid("Reflection", reflection.id))
    assert (result["__typename"], result["field"]) == ("ConflictError", "reflectionId")


async def test_writing_about_someone_elses_relationship_is_denied(gql, pair):
    *_, relationship = pair
    stranger = await make_person()
    async with assert_unchanged():
        result = await call(gql, WRITE, stranger, body="Hm.", relationshipId=gid("Relationship", relationship.id))
    assert (result["__typename"], result["field"]) == ("PermissionDeniedError", "relationshipId")


@pytest.mark.parametrize(
    ("input", "field"),
    [
        ({"body": "   "}, "body"),
        ({"body": "x" * 20001}, "body"),
        ({"body": "Fine", "meetingId": "MEETING"}, "relationshipId"),
        ({"body": "Fine", "relationshipId": "GOAL"}, "relationshipId"),
    ],
)
async def test_bad_reflections_are_refused_naming_the_field(gql, db, input, field):
    ana = await make_person()
    ids = {"MEETING": gid("Meeting", 3), "GOAL": gid("Goal", 3)}
    async with assert_unchanged():
        result = await call(gql, WRITE, ana, **{key: ids.get(value, value) for key, value in input.items()})
    assert (result["__typename"], result["field"]) == ("ValidationError", field)

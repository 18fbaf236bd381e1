"""Demographics are readable by their owner only, whatever the reader's role and whichever way they ask."""

from __future__ import annotations

import pytest
from graphql import get_named_type
from strawberry.relay import to_base64

from domain.access import Role
from domain.people.models import AgeBand, Demographics, Gender, Person
from domain.programs.models import EnrollmentRole
from domain.relationships.models import RelationshipStatus
from schema.schema import build_schema
from tests.factories import make_enrollment, make_person, make_program
from tests.factories_meetings import make_meeting, soon
from tests.factories_relationships import make_goal, make_pair

DEMOGRAPHICS = "demographics { gender ageBand }"
ME = f"{{ me {{ id {DEMOGRAPHICS} }} }}"
PERSON = f"query Person($id: ID!) {{ person(id: $id) {{ {DEMOGRAPHICS} }} }}"
NODE = f"query Node($id: ID!) {{ node(id: $id) {{ ... on Person {{ {DEMOGRAPHICS} }} }} }}"
PEOPLE = f"{{ people {{ edges {{ node {{ email {DEMOGRAPHICS} }} }} }} }}"

OWN_ANSWERS = {"gender": "WOMAN", "ageBand": "FROM_35_TO_44"}
READERS = [Role.PARTICIPANT, Role.COORDINATOR, Role.ANALYST, Role.ADMIN]


@pytest.fixture
async def owner(db):
    person = await make_person(email="owner@example.com")
    await Demographics.create(person=person, gender=Gender.WOMAN, age_band=AgeBand.FROM_35_TO_44)
    return person


async def demographics_by_every_route(gql, owner, *, as_, role) -> dict[str, object]:
    """What `as_` reads of the owner's demographics through person(id), node(id) and people."""
    owner_id = to_base64("Person", owner.id)
    people = await gql(PEOPLE, as_=as_, role=role)
    return {
        "person": (await gql(PERSON, {"id": owner_id}, as_=as_, role=role))["person"]["demographics"],
        "node": (await gql(NODE, {"id": owner_id}, as_=as_, role=role))["node"]["demographics"],
        "people": next(
            e["node"]["demographics"] for e in people["people"]["edges"] if e["node"]["email"] == owner.email
        ),
    }


@pytest.mark.parametrize("role", READERS)
async def test_the_owner_reads_their_demographics_by_every_route_whatever_their_role(gql, owner, role):
    assert await demographics_by_every_route(gql, owner, as_=owner, role=role) == {
        "person": OWN_ANSWERS,
        "node": OWN_ANSWERS,
        "people": OWN_ANSWERS,
    }
    assert (await gql(ME, as_=owner, role=role))["me"]["demographics"] == OWN_ANSWERS


@pytest.mark.parametrize("role", READERS)
async def test_anyone_else_reads_null_by_every_route(gql, owner, role):
    reader = await make_person(email=f"{role.value.lower()}@example.com")
    await Demographics.create(person=reader, gender=Gender.MAN)

    assert await demographics_by_every_route(gql, owner, as_=reader, role=role) == {
        "person": None,
        "node": None,
        "people": None,
    }
    # `me` is always the reader themself: their own answers, never the owner's.
    assert (await gql(ME, as_=reader, role=role))["me"] == {
        "id": to_base64("Person", reader.id),
        "demographics": {"gender": "MAN", "ageBand": None},
    }


async def test_an_admin_without_a_profile_reads_null(gql, owner):
    assert await demographics_by_every_route(gql, owner, as_="visitor@example.com", role=Role.ADMIN) == {
        "person": None,
        "node": None,
        "people": None,
    }
    assert (await gql(ME, as_="visitor@example.com", role=Role.ADMIN))["me"] is None


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.COORDINATOR, Role.ANALYST])
async def test_any_other_account_without_a_profile_is_refused_every_route_but_me(gql, owner, role):
    for query in (PERSON, NODE, PEOPLE):
        errors = await gql.errors(query, {"id": to_base64("Person", owner.id)}, as_="visitor@example.com", role=role)
        assert [error["extensions"]["code"] for error in errors] == ["PERMISSION_DENIED"]
    assert (await gql(ME, as_="visitor@example.com", role=role))["me"] is None


# Every route by which one person's record reaches another: each ends in the one Person type, whose
# `demographics` must answer null for anyone but its owner however the Person was reached.
WALK = """
query Walk($owner: ID!, $boss: ID!, $program: ID!, $relationship: ID!, $meeting: ID!) {
  person(id: $owner) { ...D }
  node(id: $owner) { ... on Person { ...D } }
  people(first: 100) { edges { node { ...D } } }
  me { manager { ...D } }
  boss: person(id: $boss) { directReports { ...D } }
  program(id: $program) { coordinators { ...D } enrollments { person { ...D } nominatedBy { ...D } } }
  relationship(id: $relationship) {
    members { person { ...D } }
    agreement { awaitingSignatureFrom { ...D } }
    goals { owner { ...D } }
  }
  meeting(id: $meeting) { organizer { ...D } attendees { person { ...D } } agenda { addedBy { ...D } } }
}
fragment D on Person { email demographics { gender ageBand } }
"""
# Where the walk must meet the owner (so a route that silently stops returning them fails the test).
OWNER_ROUTES = {
    "person",
    "node",
    "people.edges.node",
    "me.manager",
    "boss.directReports",
    "program.coordinators",
    "program.enrollments.person",
    "program.enrollments.nominatedBy",
    "relationship.members.person",
    "relationship.agreement.awaitingSignatureFrom",
    "relationship.goals.owner",
    "meeting.organizer",
    "meeting.attendees.person",
    "meeting.agenda.addedBy",
}


def owner_sightings(value, email: str, path: str = "") -> dict[str, list]:
    """Route (list positions dropped) -> the demographics read each time the owner appears there."""
    found: dict[str, list] = {}
    if isinstance(value, list):
        for item in value:
            for route, seen in owner_sightings(item, email, path).items():
                found.setdefault(route, []).extend(seen)
    elif isinstance(value, dict):
        if value.get("email") == email:
            found.setdefault(path, []).append(value["demographics"])
        for key, item in value.items():
            for route, seen in owner_sightings(item, email, f"{path}.{key}" if path else key).items():
                found.setdefault(route, []).extend(seen)
    return found


@pytest.fixture
async def scene(owner):
    """The owner as a reader's manager, a coordinator, a mentor, a nominator, an organiser and a goal owner."""
    boss = await make_person(email="boss@example.com")
    await Person.filter(id=owner.id).update(manager_id=boss.id)
    reader = await make_person(email="reader@example.com", manager=owner)
    await Demographics.create(person=reader, gender=Gender.MAN)
    program = await make_program(coordinators=[owner, reader])
    await make_enrollment(owner, program, role=EnrollmentRole.MENTOR)
    await make_enrollment(reader, program, nominated_by=owner)
    relationship, _ = await make_pair(owner, reader, program=program, status=RelationshipStatus.ACTIVE)
    await make_goal(owner, relationship=relationship)
    meeting = await make_meeting(relationship, owner, reader, start=soon(), agenda=["Roadmap"])
    return reader, {
        "owner": to_base64("Person", owner.id),
        "boss": to_base64("Person", boss.id),
        "program": to_base64("Program", program.id),
        "relationship": to_base64("Relationship", relationship.id),
        "meeting": to_base64("Meeting", meeting.id),
    }


@pytest.mark.parametrize("role", READERS)
async def test_every_route_to_a_person_reads_null_demographics_for_anyone_but_the_owner(gql, owner, scene, role):
    reader, ids = scene

    sightings = owner_sightings(await gql(WALK, ids, as_=reader, role=role), owner.email)

    assert set(sightings) == OWNER_ROUTES
    assert {route: seen for route, seen in sightings.items() if any(s is not None for s in seen)} == {}
    assert (await gql(ME, as_=owner, role=role))["me"]["demographics"] == OWN_ANSWERS


def test_demographics_are_reachable_only_through_person_demographics():
    schema = build_schema(max_depth=12, max_tokens=4000, max_aliases=20)._schema
    fields = [
        f"{type_name}.{field_name}"
        for type_name, graphql_type in schema.type_map.items()
        if not type_name.startswith("__") and hasattr(graphql_type, "fields")
        for field_name, field in graphql_type.fields.items()
        if get_named_type(field.type).name == "Demographics"
    ]
    assert fields == ["Person.demographics"]

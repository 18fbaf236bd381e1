"""Demographics are readable by their owner only, whatever the reader's role and whichever way they ask."""

from __future__ import annotations

import pytest
from strawberry.relay import to_base64

from domain.access import Role
from domain.people.models import AgeBand, Demographics, Gender
from tests.factories import make_person

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


@pytest.mark.parametrize("role", READERS)
async def test_an_account_without_a_profile_reads_null(gql, owner, role):
    assert await demographics_by_every_route(gql, owner, as_="visitor@example.com", role=role) == {
        "person": None,
        "node": None,
        "people": None,
    }
    assert (await gql(ME, as_="visitor@example.com", role=role))["me"] is None

"""A valid token whose email is nobody's in the directory reads only `me` (null); an admin's may bootstrap."""

from __future__ import annotations

from domain.access import Role
from domain.people.models import Person
from tests.factories import make_person
from tests.support import assert_unchanged

DIRECTORY = "{ people(first: 10) { edges { node { email name department } } } }"
IMPORT = """mutation($csv: String!) {
  importPeople(input: {csv: $csv}) { __typename ... on ImportPeoplePayload { created } ... on Error { code } }
}"""


async def test_a_token_without_a_profile_reads_me_as_null(gql, db):
    assert await gql("{ me { name } }", as_="new.hire@example.com") == {"me": None}


async def test_a_token_without_a_profile_cannot_read_the_people_directory(gql, db):
    await make_person(name="Priya", email="priya@example.com")

    for role in (Role.PARTICIPANT, Role.COORDINATOR, Role.ANALYST):
        response = await gql.raw(DIRECTORY, headers={"Authorization": f"Bearer {gql.token('x@example.com', role)}"})
        body = response.json()
        assert body["data"] is None, (role, body)
        assert [error["extensions"]["code"] for error in body["errors"]] == ["PERMISSION_DENIED"]
        assert "priya" not in response.text


async def test_a_token_without_a_profile_writes_nothing(gql, db):
    async with assert_unchanged():
        result = await gql(IMPORT, {"csv": "email,name\nsomeone@example.com,Someone"}, as_="x@example.com")
    assert result["importPeople"] == {"__typename": "PermissionDeniedError", "code": "PERMISSION_DENIED"}


async def test_an_admin_without_a_profile_may_bootstrap_the_directory(gql, db):
    result = await gql(IMPORT, {"csv": "email,name\nfirst@example.com,First"}, as_="it@example.com", role=Role.ADMIN)

    assert result["importPeople"] == {"__typename": "ImportPeoplePayload", "created": 1}
    assert await Person.filter(email="first@example.com").exists()
    people = await gql(DIRECTORY, as_="it@example.com", role=Role.ADMIN)
    assert [edge["node"]["email"] for edge in people["people"]["edges"]] == ["first@example.com"]

"""Issue 2's bad inputs that have no home of their own: each through GraphQL over HTTP, named, writing nothing.

The rest of that list is proved where its mutation is tested (see each test's module): unknown time zone
(test_profile.py, test_people_mutations.py), working hours ending before they start (test_people_mutations.py),
proficiency outside 1-5 (test_skills_mutations.py), duplicate enrollment and negative capacity
(test_enrollments.py), illegal program transitions (test_programs.py), over-deep and over-wide queries
(tests/api/test_app.py), a malformed email in an identity provider's token (tests/api/test_auth_production.py).
Here: the same checks on the way in through an import, manager cycles, and a development token's email claim.
"""

from __future__ import annotations

import time

import jwt
import pytest

from api.auth import DEV_AUDIENCE
from domain.access import Role
from tests.factories import make_person, make_skill
from tests.support import assert_unchanged

IMPORT = """
mutation Import($input: ImportPeopleInput!) {
  importPeople(input: $input) {
    __typename
    ... on ImportPeoplePayload { created updated unchanged errors { row email field message } }
    ... on Error { message code field }
  }
}
"""

# One file per bad value: the row's email, the column the report must name, and a phrase of its message.
BAD_IMPORT_ROWS = {
    "malformed email": ("email,name\nana@@acme.example,Ana Lima\n", "ana@@acme.example", "email", "not a valid"),
    "malformed manager email": (
        "email,name,manager_email\nana@acme.example,Ana Lima,grace(at)acme.example\n",
        "ana@acme.example",
        "manager_email",
        "not a valid email address",
    ),
    "unknown time zone": (
        "email,name,time_zone\nana@acme.example,Ana Lima,Europe/Atlantis\n",
        "ana@acme.example",
        "time_zone",
        "not an IANA time zone",
    ),
    "working hours ending before they start": (
        "email,name,working_hours\nana@acme.example,Ana Lima,Mon-Fri 17:00-09:00\n",
        "ana@acme.example",
        "working_hours",
        "must end after they start",
    ),
    "proficiency above 5": (
        "email,name,teach_skills\nana@acme.example,Ana Lima,Python:6\n",
        "ana@acme.example",
        "teach_skills",
        "proficiency is a whole number from 1 to 5",
    ),
    "proficiency below 1": (
        "email,name,learn_skills\nana@acme.example,Ana Lima,Python:0\n",
        "ana@acme.example",
        "learn_skills",
        "proficiency is a whole number from 1 to 5",
    ),
}


@pytest.fixture
async def admin(db):
    await make_skill("Python")
    return await make_person(email="root@acme.example", name="Root Admin")


async def import_as(gql, admin, csv: str) -> dict:
    return (await gql(IMPORT, {"input": {"csv": csv}}, as_=admin, role=Role.ADMIN))["importPeople"]


@pytest.mark.parametrize("case", list(BAD_IMPORT_ROWS))
async def test_a_bad_value_in_an_import_names_row_and_column_and_writes_nothing(gql, admin, case):
    csv, email, column, phrase = BAD_IMPORT_ROWS[case]

    async with assert_unchanged():
        result = await import_as(gql, admin, csv)

    [error] = result["errors"]
    assert (error["row"], error["email"], error["field"]) == (2, email, column)
    assert phrase in error["message"]
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 0)


async def test_a_manager_cycle_within_the_file_rejects_every_row_on_it_and_writes_nothing(gql, admin):
    csv = (
        "email,name,manager_email\n"
        "c1@acme.example,Cy One,c2@acme.example\n"
        "c2@acme.example,Cy Two,c3@acme.example\n"
        "c3@acme.example,Cy Three,c1@acme.example\n"
    )

    async with assert_unchanged():
        result = await import_as(gql, admin, csv)

    assert [(e["row"], e["field"]) for e in result["errors"]] == [
        (2, "manager_email"),
        (3, "manager_email"),
        (4, "manager_email"),
    ]
    assert result["errors"][0]["message"] == (
        "Reporting lines would loop: c1@acme.example → c2@acme.example → c3@acme.example → c1@acme.example."
    )
    assert result["created"] == 0


async def test_a_manager_cycle_through_people_already_there_writes_nothing(gql, admin):
    boss = await make_person(email="boss@acme.example", name="Bo Boss")
    await make_person(email="deputy@acme.example", name="De Puty", manager=boss)

    async with assert_unchanged():
        result = await import_as(gql, admin, "email,manager_email\nboss@acme.example,deputy@acme.example\n")

    assert result["errors"] == [
        {
            "row": 2,
            "email": "boss@acme.example",
            "field": "manager_email",
            "message": "Reporting lines would loop: boss@acme.example → deputy@acme.example → boss@acme.example.",
        }
    ]
    assert result["updated"] == 0


async def test_a_development_token_with_a_malformed_email_claim_is_unauthenticated_and_writes_nothing(
    http, settings, admin
):
    now = int(time.time())
    claims = {
        "iss": settings.dev_token_issuer,
        "aud": DEV_AUDIENCE,
        "email": "root@@acme.example",
        "roles": ["ADMIN"],
        "iat": now,
        "exp": now + 600,
    }
    token = jwt.encode(claims, settings.jwt_secret, algorithm="HS256")

    async with assert_unchanged():
        response = await http.post(
            "/graphql",
            json={"query": IMPORT, "variables": {"input": {"csv": "email,name\nnew@acme.example,New Person\n"}}},
            headers={"Authorization": f"Bearer {token}"},
        )

    assert response.status_code == 401
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["message"] == "the token's email claim is not a valid email address"

"""updateMyProfile and `me`, through GraphQL over HTTP."""

from __future__ import annotations

from tests.factories import make_person
from tests.support import assert_unchanged

ME = "{ me { name email timeZone department languages meetingFormats } }"

UPDATE = """
mutation Update($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) {
    __typename
    ... on UpdateMyProfilePayload { person { name timeZone languages meetingFormats } }
    ... on Error { message code field }
  }
}
"""


async def test_me_answers_with_the_tokens_person(gql):
    ana = await make_person(email="Ana@Example.com", name="Ana Lima", time_zone="Europe/Lisbon")
    data = await gql(ME, as_="ANA@example.com")
    assert data["me"]["name"] == "Ana Lima"
    assert data["me"]["email"] == "ana@example.com"
    assert data["me"]["timeZone"] == "Europe/Lisbon"
    assert ana.id


async def test_me_is_null_for_an_account_without_a_profile(gql, db):
    data = await gql(ME, as_="nobody@example.com")
    assert data["me"] is None


async def test_update_my_profile_changes_only_what_was_sent(gql):
    ana = await make_person(name="Ana", department="Data")
    data = await gql(
        UPDATE,
        {
            "input": {
                "timeZone": "Asia/Singapore",
                "languages": ["en", "pt-BR", "en"],
                "meetingFormats": ["AUDIO", "ASYNC"],
            }
        },
        as_=ana,
    )
    result = data["updateMyProfile"]
    assert result["__typename"] == "UpdateMyProfilePayload"
    assert result["person"] == {
        "name": "Ana",
        "timeZone": "Asia/Singapore",
        "languages": ["en", "pt-BR"],
        "meetingFormats": ["AUDIO", "ASYNC"],
    }
    await ana.refresh_from_db()
    assert ana.department == "Data"
    assert ana.time_zone == "Asia/Singapore"


async def test_unknown_time_zone_is_a_validation_error_and_writes_nothing(gql):
    ana = await make_person()
    async with assert_unchanged():
        data = await gql(UPDATE, {"input": {"timeZone": "Mars/Olympus", "name": "New name"}}, as_=ana)
    assert data["updateMyProfile"] == {
        "__typename": "ValidationError",
        "message": "'Mars/Olympus' is not an IANA time zone such as 'Europe/London'.",
        "code": "VALIDATION",
        "field": "timeZone",
    }


async def test_missing_or_bad_token_is_unauthenticated_with_no_data(http, db):
    for headers in ({}, {"Authorization": "Bearer not-a-jwt"}, {"Authorization": "Basic abc"}):
        response = await http.post("/graphql", json={"query": ME}, headers=headers)
        assert response.status_code == 401
        body = response.json()
        assert "data" not in body
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

"""/graphql over HTTP: content types, GET for queries, 405 for mutations over GET, several operations."""

from __future__ import annotations

import httpx
import pytest

from domain.people.models import Person
from tests.factories import make_person
from tests.support import assert_unchanged

RENAME = 'mutation Rename { updateMyProfile(input: {name: "Overwritten"}) { __typename } }'


@pytest.fixture
async def ana(db) -> Person:
    return await make_person(email="ana@example.com", name="Ana Lima")


def bearer(gql, who: Person) -> dict[str, str]:
    return {"Authorization": f"Bearer {gql.token(who)}"}


def the_error(response: httpx.Response) -> dict:
    [error] = response.json()["errors"]
    return error


async def test_a_query_may_be_sent_with_get(http, gql, ana):
    response = await http.get(
        "/graphql", params={"query": "{ me { name } }"}, headers={**bearer(gql, ana), "Accept": "application/json"}
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"me": {"name": "Ana Lima"}}}


async def test_a_browser_get_with_a_query_runs_it_rather_than_showing_graphiql(http, gql, ana):
    response = await http.get(
        "/graphql", params={"query": "{ me { name } }"}, headers={**bearer(gql, ana), "Accept": "text/html,*/*"}
    )

    assert response.json() == {"data": {"me": {"name": "Ana Lima"}}}


async def test_a_mutation_over_get_is_method_not_allowed_and_writes_nothing(http, gql, ana):
    async with assert_unchanged():
        response = await http.get("/graphql", params={"query": RENAME}, headers=bearer(gql, ana))

    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    error = the_error(response)
    assert error["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert "send mutations with POST" in error["message"]


async def test_a_body_that_is_not_json_by_content_type_is_refused_in_the_json_shape(http, gql, ana):
    response = await http.post(
        "/graphql", content="{ me { name } }", headers={**bearer(gql, ana), "Content-Type": "text/plain"}
    )

    assert response.status_code == 415
    assert the_error(response)["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    assert response.headers["X-Request-ID"]


async def test_another_http_method_is_refused_in_the_json_shape(http):
    response = await http.put("/graphql", json={"query": "{ me { name } }"})

    assert response.status_code == 405
    assert the_error(response)["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_an_unknown_path_is_not_found_in_the_json_shape(http):
    response = await http.get("/graphgl")

    assert response.status_code == 404
    assert the_error(response)["extensions"]["code"] == "NOT_FOUND"
    assert response.headers["X-Request-ID"]


async def test_several_operations_without_an_operation_name_run_none_of_them(gql, ana):
    document = f"{RENAME} query Profile {{ me {{ name }} }}"

    async with assert_unchanged():
        response = await gql.raw(document, headers=bearer(gql, ana))

    body = response.json()
    assert body["data"] is None
    assert "name the one to run with operationName" in the_error(response)["message"]


async def test_several_operations_with_an_operation_name_run_the_named_one(http, gql, ana):
    document = f"{RENAME} query Profile {{ me {{ name }} }}"

    response = await http.post(
        "/graphql", json={"query": document, "operationName": "Profile"}, headers=bearer(gql, ana)
    )

    assert response.json() == {"data": {"me": {"name": "Ana Lima"}}}


async def test_an_unexpected_crash_outside_graphql_is_a_json_500_with_a_request_id(app, db, monkeypatch):
    async def broken(**_):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("api.graphql_endpoint.viewer_for", broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    from tests.support import GraphQLClient

    async with httpx.AsyncClient(transport=transport, base_url="http://mentorgraph.test") as client:
        token = GraphQLClient(client, app.state.settings).token("ana@example.com")
        response = await client.post(
            "/graphql", json={"query": "{ me { name } }"}, headers={"Authorization": f"Bearer {token}"}
        )

    assert response.status_code == 500
    assert response.headers["X-Request-ID"]
    assert the_error(response) == {"message": "Unexpected error.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
    assert "secret detail" not in response.text

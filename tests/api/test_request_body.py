"""Bodies a hostile or careless client sends: each a 4xx in GraphQL's JSON error shape, never a 500."""

from __future__ import annotations

import json

import httpx
import pytest

from api.app import create_app
from api.request_body import MAX_JSON_DEPTH
from api.settings import load_settings
from tests.factories import make_person

ME = '{"query": "{ me { name } }"}'


@pytest.fixture
async def auth(db, gql) -> dict[str, str]:
    ana = await make_person(email="ana@example.com", name="Ana Lima")
    return {"Authorization": f"Bearer {gql.token(ana)}", "Content-Type": "application/json"}


def assert_refused(response: httpx.Response, status: int, code: str, phrase: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["X-Request-ID"]
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == code
    assert phrase in error["message"], error["message"]
    assert "data" not in response.json()


@pytest.mark.parametrize(
    ("body", "kind"), [('"hello"', "a string"), ("42", "a number"), ("null", "null"), ("true", "true or false")]
)
async def test_a_json_body_that_is_not_an_object_is_a_bad_request(http, auth, body, kind):
    response = await http.post("/graphql", content=body, headers=auth)

    assert_refused(response, 400, "BAD_REQUEST", f"must be a JSON object, not {kind}")


async def test_a_batched_array_is_refused_in_the_json_shape(http, auth):
    response = await http.post("/graphql", content=f"[{ME}, {ME}]", headers=auth)

    assert_refused(response, 400, "BAD_REQUEST", "one operation per request")


async def test_json_nested_a_thousand_levels_deep_is_a_bad_request(http, auth):
    variables = "[" * 1000 + "]" * 1000
    response = await http.post(
        "/graphql", content=f'{{"query": "{{ me {{ name }} }}", "variables": {{"v": {variables}}}}}', headers=auth
    )

    assert_refused(response, 400, "BAD_REQUEST", f"nested deeper than {MAX_JSON_DEPTH} levels")


async def test_json_nested_deeper_than_the_interpreter_can_parse_is_a_bad_request(http, auth):
    response = await http.post("/graphql", content="[" * 100_000 + "]" * 100_000, headers=auth)

    assert_refused(response, 400, "BAD_REQUEST", "nested deeper than")


async def test_a_body_that_is_not_utf8_is_a_bad_request(http, auth):
    response = await http.post("/graphql", content=b'{"query": "{ me { name } }", "x": "\xff\xfe"}', headers=auth)

    assert_refused(response, 400, "BAD_REQUEST", "not valid UTF-8")


async def test_a_lone_surrogate_anywhere_in_the_json_is_a_bad_request(http, auth):
    document = "query ($q: String) { people(filter: {search: $q}) { edges { node { name } } } }"
    body = json.dumps({"query": document}).removesuffix("}") + ', "variables": {"q": "\\ud800"}}'

    response = await http.post("/graphql", content=body, headers=auth)

    assert_refused(response, 400, "BAD_REQUEST", "lone UTF-16 surrogate")


async def test_a_body_that_is_not_json_is_a_bad_request(http, auth):
    response = await http.post("/graphql", content="{ me { name } }", headers=auth)

    assert_refused(response, 400, "BAD_REQUEST", "not JSON")


async def test_a_body_declared_larger_than_the_limit_is_refused_before_it_is_read(database_url, auth):
    app = create_app(load_settings(database_url=database_url, max_body_bytes=1000), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mentorgraph.test") as client:
        response = await client.post("/graphql", content=b"{" + b" " * 2000 + b"}", headers=auth)

    assert_refused(response, 413, "PAYLOAD_TOO_LARGE", "larger than 1000 bytes")


async def test_a_streamed_body_over_the_limit_is_refused_without_reading_the_rest(database_url, auth):
    app = create_app(load_settings(database_url=database_url, max_body_bytes=10_000), manage_database=False)
    sent_chunks = 0

    async def ten_megabytes():
        nonlocal sent_chunks
        for _ in range(160):
            sent_chunks += 1
            yield b" " * 65_536

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mentorgraph.test") as client:
        response = await client.post("/graphql", content=ten_megabytes(), headers=auth)

    assert_refused(response, 413, "PAYLOAD_TOO_LARGE", "larger than 10000 bytes")
    assert sent_chunks < 160, "the service stopped reading at the limit"


async def test_the_default_limit_is_one_mebibyte(settings, http, auth):
    assert settings.max_body_bytes == 1024 * 1024
    padding = " " * (1024 * 1024)

    response = await http.post("/graphql", content=ME[:-1] + padding + "}", headers=auth)

    assert_refused(response, 413, "PAYLOAD_TOO_LARGE", "larger than 1048576 bytes")


async def test_an_administrator_may_send_an_import_larger_than_the_general_limit(database_url, db, gql):
    from domain.access import Role
    from tests.support import GraphQLClient

    app = create_app(
        load_settings(database_url=database_url, max_body_bytes=10_000, max_import_bytes=100_000),
        manage_database=False,
    )
    ana = await make_person(email="ana@example.com", name="Ana Lima")
    body = ME[:-1] + " " * 50_000 + "}"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mentorgraph.test") as client:
        tokens = GraphQLClient(client, app.state.settings)

        async def post_as(role: Role, content: str) -> httpx.Response:
            headers = {"Authorization": f"Bearer {tokens.token(ana, role)}", "Content-Type": "application/json"}
            return await client.post("/graphql", content=content, headers=headers)

        admin = await post_as(Role.ADMIN, body)
        participant = await post_as(Role.PARTICIPANT, body)
        admin_too_large = await post_as(Role.ADMIN, ME[:-1] + " " * 200_000 + "}")

    assert admin.json() == {"data": {"me": {"name": "Ana Lima"}}}
    assert_refused(participant, 413, "PAYLOAD_TOO_LARGE", "larger than 10000 bytes")
    assert_refused(admin_too_large, 413, "PAYLOAD_TOO_LARGE", "larger than 100000 bytes")

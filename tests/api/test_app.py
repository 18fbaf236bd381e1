"""The HTTP surface around GraphQL: query limits, error masking with a request id, health, readiness, GraphiQL."""

from __future__ import annotations

import logging
import re

import httpx
import pytest

from api.app import create_app
from api.request_id import LOG_FORMAT
from api.settings import load_settings
from domain.people.models import Person
from tests.factories import make_person
from tests.support import assert_unchanged

UPDATE_FIELDS = 'updateMyProfile(input: {name: "Overwritten"}) { __typename }'
PEOPLE = "query People { people { edges { node { name } } } }"


def nested_managers(levels: int) -> str:
    return "manager { " * levels + "name" + " }" * levels


def assert_rejected(body: dict, *phrases: str) -> None:
    """One top-level error, no data at all, and the message says which limit and which operation."""
    assert body["data"] is None
    [error] = body["errors"]
    for phrase in phrases:
        assert phrase in error["message"], error["message"]


@pytest.fixture
async def ana(db) -> Person:
    return await make_person(email="ana@example.com", name="Ana Lima")


async def ask(gql, document: str, who: Person) -> dict:
    response = await gql.raw(document, headers={"Authorization": f"Bearer {gql.token(who)}"})
    assert response.status_code == 200
    return response.json()


async def test_a_query_deeper_than_the_limit_is_refused_naming_the_operation(gql, settings, ana):
    too_deep = f"query ReportingLine {{ me {{ {nested_managers(settings.max_query_depth + 1)} }} }}"

    body = await ask(gql, too_deep, ana)

    assert_rejected(
        body,
        f"Operation 'ReportingLine' is more than {settings.max_query_depth} levels deep",
        f"the maximum operation depth is {settings.max_query_depth}",
    )
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"


async def test_a_query_at_the_depth_limit_is_answered(gql, settings, ana):
    at_limit = f"query ReportingLine {{ me {{ {nested_managers(settings.max_query_depth - 2)} }} }}"

    data = await gql(at_limit, as_=ana)

    assert data["me"]["manager"] is None


async def test_an_over_deep_mutation_writes_nothing(gql, settings, ana):
    nested = nested_managers(settings.max_query_depth + 1)
    too_deep = (
        'mutation Rename { updateMyProfile(input: {name: "Overwritten"}) { '
        f"... on UpdateMyProfilePayload {{ person {{ {nested} }} }} }} }}"
    )

    async with assert_unchanged():
        body = await ask(gql, too_deep, ana)

    assert_rejected(body, "'Rename'", "maximum operation depth")


async def test_too_many_aliases_are_refused_naming_the_operation_and_write_nothing(gql, settings, ana):
    limit = settings.max_aliases
    wide = "mutation RenameMany { " + " ".join(f"a{n}: {UPDATE_FIELDS}" for n in range(limit + 1)) + " }"

    async with assert_unchanged():
        body = await ask(gql, wide, ana)

    assert_rejected(body, "Operation 'RenameMany'", f"uses {limit + 1} aliases", f"maximum alias count is {limit}")
    assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_ALIASES"


async def test_aliases_inside_fragments_count_too(gql, settings, ana):
    aliases = " ".join(f"n{n}: name" for n in range(settings.max_aliases + 1))
    document = f"query Profile {{ me {{ ...Names }} }} fragment Names on Person {{ {aliases} }}"

    body = await ask(gql, document, ana)

    assert_rejected(body, "Operation 'Profile'", "maximum alias count")


async def test_aliases_up_to_the_limit_are_answered(gql, settings, ana):
    document = "query Twice { " + " ".join(f"a{n}: me {{ name }}" for n in range(settings.max_aliases)) + " }"

    data = await gql(document, as_=ana)

    assert data["a0"] == {"name": "Ana Lima"}


async def test_a_document_over_the_token_limit_is_refused_naming_the_operation_and_writes_nothing(gql, settings, ana):
    padding = " ".join("__typename" for _ in range(settings.max_query_tokens))
    huge = f"mutation Rename {{ {UPDATE_FIELDS} {padding} }}"

    async with assert_unchanged():
        body = await ask(gql, huge, ana)

    assert_rejected(body, "Operation 'Rename'", f"more than {settings.max_query_tokens} tokens", "maximum token count")
    assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_TOKENS"


async def test_an_unexpected_error_is_masked_and_logged_with_the_request_id(gql, ana, monkeypatch, caplog):
    def broken(**_):
        raise RuntimeError("connection string postgres://admin:hunter2@db leaked")

    monkeypatch.setattr("schema.people.queries.search_people", broken)

    with caplog.at_level(logging.ERROR, logger="mentorgraph.graphql"):
        response = await gql.raw(PEOPLE, headers={"Authorization": f"Bearer {gql.token(ana)}"})

    body = response.json()
    assert body["data"] is None
    assert [error["message"] for error in body["errors"]] == ["Unexpected error."]
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "hunter2" not in response.text
    request_id = response.headers["X-Request-ID"]
    [record] = [r for r in caplog.records if r.name == "mentorgraph.graphql"]
    assert record.request_id == request_id
    line = logging.Formatter(LOG_FORMAT).format(record)
    assert f"[request {request_id}]" in line
    assert "hunter2" in line, "the log keeps what the client must not see"


async def test_every_response_carries_a_request_id_and_keeps_a_gateways(http):
    generated = await http.get("/healthz")
    kept = await http.get("/healthz", headers={"X-Request-ID": "gw-7f3a.42"})
    replaced = await http.post("/graphql", json={"query": "{ me { name } }"}, headers={"X-Request-ID": "x" * 500})

    assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["X-Request-ID"])
    assert kept.headers["X-Request-ID"] == "gw-7f3a.42"
    assert replaced.status_code == 401
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["X-Request-ID"])


async def test_healthz_and_readyz_answer_when_the_database_does(http):
    health = await http.get("/healthz")
    ready = await http.get("/readyz")

    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


async def test_graphiql_is_served_to_a_browser_without_a_token(http):
    response = await http.get("/graphql", headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_graphiql_loads_its_scripts_and_styles_from_this_service(http):
    page = (await http.get("/graphql", headers={"Accept": "text/html"})).text
    script = await http.get("/graphiql/graphiql.min.js")
    react = await http.get("/graphiql/react.production.min.js")

    assert "https://" not in page and "http://" not in page, "nothing comes from a CDN"
    assert 'src="graphiql/graphiql.min.js"' in page
    assert (script.status_code, react.status_code) == (200, 200)
    assert "javascript" in script.headers["content-type"]


async def test_a_get_query_without_a_token_is_unauthenticated(http):
    response = await http.get("/graphql", params={"query": "{ me { name } }"}, headers={"Accept": "application/json"})

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_without_graphiql_a_browser_needs_a_token_like_everyone(database_url, db):
    app = create_app(load_settings(database_url=database_url, graphiql=False), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mentorgraph.test") as client:
        response = await client.get("/graphql", headers={"Accept": "text/html"})

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

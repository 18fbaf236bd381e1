"""Automatic persisted queries over HTTP, as Apollo clients speak them: a miss, the resend, a hit that skips
parsing and validation, a hash that does not match, GET by hash, and the allowlist mode; and documents sent in
full, which are kept the same way."""

from __future__ import annotations

import json

import httpx
import pytest
import strawberry.schema.schema as strawberry_schema

from api.app import create_app
from api.settings import SettingsError, load_settings
from schema.persisted import document_hash
from tests.factories import make_person

DOCUMENT = "query Me { me { name } }"
SHA = document_hash(DOCUMENT)


def document_named(name: str) -> tuple[str, str]:
    """A document of its own and its hash: the app, and so its store, lives as long as the test session."""
    text = f"query {name} {{ me {{ name }} }}"
    return text, document_hash(text)


def persisted(sha: str = SHA) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


async def post(http, token: str, **body) -> dict:
    response = await http.post("/graphql", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return response.json()


def error_code(body: dict) -> tuple[str, str]:
    (error,) = body["errors"]
    return error["message"], error["extensions"]["code"]


@pytest.fixture
def counted_steps(monkeypatch) -> dict[str, int]:
    """How many times Strawberry parsed and validated a document."""
    counts = {"parse": 0, "validate": 0}
    parse, validate = strawberry_schema.parse, strawberry_schema.validate_document

    def counted_parse(*args, **kwargs):
        counts["parse"] += 1
        return parse(*args, **kwargs)

    def counted_validate(*args, **kwargs):
        counts["validate"] += 1
        return validate(*args, **kwargs)

    monkeypatch.setattr(strawberry_schema, "parse", counted_parse)
    monkeypatch.setattr(strawberry_schema, "validate_document", counted_validate)
    return counts


async def test_a_miss_then_the_resend_then_hits_that_skip_parsing_and_validation(gql, http, db, counted_steps):
    ana = await make_person(name="Ana")
    token = gql.token(ana)
    text, sha = document_named("MissThenHit")

    missed = await post(http, token, extensions=persisted(sha))
    assert missed["data"] is None
    assert error_code(missed) == ("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")

    sent = await post(http, token, query=text, extensions=persisted(sha))
    assert sent == {"data": {"me": {"name": "Ana"}}}
    steps_after_first = dict(counted_steps)
    assert steps_after_first == {"parse": 1, "validate": 1}

    for _ in range(3):
        assert await post(http, token, extensions=persisted(sha)) == {"data": {"me": {"name": "Ana"}}}
    assert counted_steps == steps_after_first


async def test_a_hash_that_is_not_the_documents_is_refused(gql, http, db):
    ana = await make_person(name="Ana")
    _, sha = document_named("Mismatch")
    body = await post(http, gql.token(ana), query="{ me { email } }", extensions=persisted(sha))
    assert error_code(body) == ("provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH")
    # nothing was stored under that hash
    missed = await post(http, gql.token(ana), extensions=persisted(sha))
    assert error_code(missed)[1] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_persisted_query_is_read_with_get_by_its_hash(gql, http, db):
    ana = await make_person(name="Ana")
    token = gql.token(ana)
    text, sha = document_named("ByGet")
    await post(http, token, query=text, extensions=persisted(sha))

    response = await http.get(
        "/graphql",
        params={"extensions": json.dumps(persisted(sha))},
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )

    assert (response.status_code, response.json()) == (200, {"data": {"me": {"name": "Ana"}}})


async def test_plain_documents_still_run_beside_persisted_ones(gql, http, db):
    ana = await make_person(name="Ana")
    assert await post(http, gql.token(ana), query=DOCUMENT) == {"data": {"me": {"name": "Ana"}}}


async def test_a_document_sent_in_full_again_is_neither_parsed_nor_validated_again(gql, http, db, counted_steps):
    ana = await make_person(name="Ana")
    text, sha = document_named("PolledInFull")

    for _ in range(3):
        assert await post(http, gql.token(ana), query=text) == {"data": {"me": {"name": "Ana"}}}

    assert counted_steps == {"parse": 1, "validate": 1}
    # kept under its hash, as if it had been persisted
    assert await post(http, gql.token(ana), extensions=persisted(sha)) == {"data": {"me": {"name": "Ana"}}}


async def test_a_document_that_fails_validation_fails_every_time(gql, http, db, counted_steps):
    ana = await make_person(name="Ana")
    text = "query StillWrong { me { noSuchField } }"

    for _ in range(2):
        body = await post(http, gql.token(ana), query=text)
        assert "noSuchField" in body["errors"][0]["message"]

    assert counted_steps["validate"] == 2


@pytest.fixture
async def allowlist(db, tmp_path):
    """An app that runs only the documents of its manifest."""
    manifest = tmp_path / "manifest.json"
    operations = [{"id": SHA, "body": DOCUMENT, "name": "Me", "type": "query"}]
    manifest.write_text(
        json.dumps({"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations})
    )
    settings = load_settings(database_url=db, persisted_queries="only", persisted_query_manifest=str(manifest))
    transport = httpx.ASGITransport(app=create_app(settings, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://mentorgraph.test") as client:
        yield client


async def test_in_allowlist_mode_only_the_manifests_documents_run(gql, allowlist, db):
    ana = await make_person(name="Ana")
    token = gql.token(ana)

    assert await post(allowlist, token, extensions=persisted()) == {"data": {"me": {"name": "Ana"}}}
    assert await post(allowlist, token, query=DOCUMENT, extensions=persisted()) == {"data": {"me": {"name": "Ana"}}}
    other = "{ me { email } }"
    for body in ({"query": other}, {"query": other, "extensions": persisted(document_hash(other))}):
        refused = await post(allowlist, token, **body)
        assert error_code(refused)[1] == "PERSISTED_QUERY_NOT_ALLOWED"
    unknown = await post(allowlist, token, extensions=persisted(document_hash(other)))
    assert error_code(unknown)[1] == "PERSISTED_QUERY_NOT_FOUND"


def test_allowlist_mode_needs_a_manifest_whose_ids_are_the_hashes(tmp_path):
    with pytest.raises(SettingsError, match="PERSISTED_QUERY_MANIFEST is required"):
        load_settings(persisted_queries="only")
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"operations": [{"id": "0" * 64, "body": DOCUMENT}]}))
    with pytest.raises(SettingsError, match="not its body's SHA-256"):
        load_settings(persisted_queries="only", persisted_query_manifest=str(manifest))

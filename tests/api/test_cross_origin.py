"""Browser portals on configured origins may call the API; other origins, and every origin by default, may not."""

from __future__ import annotations

import httpx
import pytest

from api.app import create_app
from api.settings import SettingsError, load_settings

PORTAL = "https://portal.acme.example"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}


def client_for(database_url: str, **settings) -> httpx.AsyncClient:
    app = create_app(load_settings(database_url=database_url, **settings), manage_database=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mentorgraph.test")


async def test_a_preflight_from_a_configured_origin_is_answered(database_url, db):
    async with client_for(database_url, cors_origins=PORTAL) as client:
        response = await client.options("/graphql", headers={"Origin": PORTAL, **PREFLIGHT})

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == PORTAL
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed_headers and "content-type" in allowed_headers
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in response.headers


async def test_a_configured_origins_request_can_read_the_answer_and_its_request_id(database_url, db):
    async with client_for(database_url, cors_origins=f"{PORTAL}, https://other.acme.example") as client:
        response = await client.post("/graphql", json={"query": "{ me { name } }"}, headers={"Origin": PORTAL})

    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == PORTAL
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()


async def test_an_origin_not_configured_gets_no_permission(database_url, db):
    async with client_for(database_url, cors_origins=PORTAL) as client:
        response = await client.options("/graphql", headers={"Origin": "https://evil.example", **PREFLIGHT})

    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


async def test_by_default_no_origin_is_allowed(database_url, db):
    async with client_for(database_url) as client:
        response = await client.post("/graphql", json={"query": "{ me { name } }"}, headers={"Origin": PORTAL})

    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("bad", ["portal.acme.example", "https://portal.acme.example/app", "ftp://x.example"])
def test_a_value_that_is_not_an_origin_stops_start_up_naming_the_variable(bad):
    with pytest.raises(SettingsError, match=r"MENTORGRAPH_CORS_ORIGINS: .* is not an origin"):
        load_settings(cors_origins=bad)

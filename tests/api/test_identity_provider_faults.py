"""The identity provider hangs, fails or rotates its keys: signed-in requests keep flowing, and /readyz says so.

Given the local fake identity provider (tests/fakes/identity_provider.py) made to hang or answer 500, when
many requests arrive at once, then the key set is fetched once, requests whose kid is cached are answered from
the cache without waiting on the provider, an unknown kid is refused without a fetch per request, and no key
set at all is a retryable 503. No test here measures a duration: "not delayed" is shown by requests that finish
while the provider is still holding the only fetch, or by no fetch being made at all.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.api.conftest import client_for
from tests.factories import make_person
from tests.fakes.identity_provider import new_key

ME = "{ me { email } }"
EMAIL = "carmen.ruiz@contoso.example"
# Far longer than any request should take here, shorter than the fetch timeout the hanging tests use: a request
# that finishes within it did not wait for the hanging fetch to give up.
WELL_BEFORE_THE_FETCH_TIMEOUT = 20

pytestmark = pytest.mark.usefixtures("db")


async def me(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"})


async def all_at_once(client: httpx.AsyncClient, tokens: list[str]) -> list[httpx.Response]:
    return await asyncio.wait_for(
        asyncio.gather(*(me(client, token) for token in tokens)), timeout=WELL_BEFORE_THE_FETCH_TIMEOUT
    )


async def until(condition, *, what: str) -> None:
    """Waits on progress (a condition coming true), failing only after a generous 30 s."""
    for _ in range(1500):  # 30 s in steps of 20 ms; the fake's counters are set from its own threads
        if condition():
            return
        await asyncio.sleep(0.02)
    pytest.fail(f"waited 30 s for {what}")


async def test_concurrent_first_requests_cause_one_fetch(production, identity_provider):
    await make_person(email=EMAIL)
    token = identity_provider.entra_token(email=EMAIL)
    async with client_for(production("entra")) as client:
        responses = await all_at_once(client, [token] * 25)

    assert [response.status_code for response in responses] == [200] * 25
    assert (identity_provider.jwks_requests, identity_provider.jwks_fetches) == (1, 1)


async def test_a_hanging_provider_delays_no_request_with_a_cached_kid(production, identity_provider):
    """Keys fresh for 10 s, fetches give up after 60 s: the background refresh hangs far past the keys' expiry.

    The sleeps count from the first answer, which came after the first fetch: the keys are then at least that
    old, and at most the first request's own time older (a loaded machine has 2.4 s of margin)."""
    await make_person(email=EMAIL)
    settings = production(
        "entra",
        MENTORGRAPH_JWKS_CACHE_SECONDS="10",
        MENTORGRAPH_JWKS_FETCH_TIMEOUT_SECONDS="60",
        MENTORGRAPH_JWKS_REFRESH_COOLDOWN_SECONDS="60",
    )
    token = identity_provider.entra_token(email=EMAIL)
    async with client_for(settings) as client:
        assert (await me(client, token)).status_code == 200
        identity_provider.hang()
        await asyncio.sleep(7.6)  # past three quarters of the keys' life: the next request starts a refresh

        responses = await all_at_once(client, [token] * 40)

        await until(lambda: identity_provider.hanging == 1, what="the background refresh to reach the provider")
        # Past the keys' expiry too: the refresh in flight is still held, and requests do not wait for it.
        await asyncio.sleep(3)
        later = await all_at_once(client, [token] * 20)

    assert [response.status_code for response in responses + later] == [200] * 60
    assert identity_provider.jwks_requests == 2, "sixty requests started one refresh between them"


async def test_after_a_failed_refresh_stale_keys_serve_and_unknown_kids_are_refused_without_a_fetch(
    production, identity_provider
):
    await make_person(email=EMAIL)
    settings = production(
        "entra",
        MENTORGRAPH_JWKS_CACHE_SECONDS="1",
        MENTORGRAPH_JWKS_FETCH_TIMEOUT_SECONDS="0.3",
        MENTORGRAPH_JWKS_REFRESH_COOLDOWN_SECONDS="60",
    )
    token = identity_provider.entra_token(email=EMAIL)
    async with client_for(settings) as client:
        assert (await me(client, token)).status_code == 200
        fresh = (await client.get("/readyz")).json()
        identity_provider.hang()
        await asyncio.sleep(1.1)  # the keys have expired; the refresh this request waits for times out
        assert (await me(client, token)).status_code == 200
        assert identity_provider.jwks_requests == 2

        responses = await all_at_once(client, [token] * 30)
        strangers = [identity_provider.entra_token(email=EMAIL, key=new_key("ES256", kid=f"s-{n}")) for n in range(10)]
        refused = await all_at_once(client, strangers)
        ready = await client.get("/readyz")

    assert [response.status_code for response in responses] == [200] * 30
    assert [response.status_code for response in refused] == [401] * 10
    assert all('no signing key "s-' in response.json()["errors"][0]["message"] for response in refused)
    assert identity_provider.jwks_requests == 2, "no request waited on the failing provider again"
    assert fresh["signingKeys"]["state"] == "fresh"
    assert ready.status_code == 200, "stale keys still verify tokens"
    keys = ready.json()["signingKeys"]
    assert keys["state"] == "stale"
    assert keys["staleSince"] > keys["fetchedAt"]
    assert keys["lastError"] == "no answer within the fetch timeout"


async def test_stale_keys_are_dropped_after_the_maximum_staleness(production, identity_provider):
    await make_person(email=EMAIL)
    settings = production(
        "entra",
        MENTORGRAPH_JWKS_CACHE_SECONDS="0.5",
        MENTORGRAPH_JWKS_MAX_STALE_SECONDS="3",
        MENTORGRAPH_JWKS_REFRESH_COOLDOWN_SECONDS="60",
    )
    token = identity_provider.entra_token(email=EMAIL)
    async with client_for(settings) as client:
        assert (await me(client, token)).status_code == 200
        identity_provider.fail()
        await asyncio.sleep(0.6)  # expired, and well inside the 3 s of allowed staleness
        stale = await me(client, token)
        await asyncio.sleep(3)  # past expiry plus the maximum staleness
        dropped = await me(client, token)
        ready = await client.get("/readyz")

    assert stale.status_code == 200
    assert dropped.status_code == 503
    assert dropped.headers["Retry-After"]
    assert dropped.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "HTTP 500" in dropped.json()["errors"][0]["message"]
    assert ready.status_code == 503
    assert ready.json()["signingKeys"]["state"] == "missing"
    assert identity_provider.jwks_requests == 2, "the dropped keys were not refetched within the cooldown"


async def test_no_key_set_while_the_provider_fails_is_one_fetch_and_a_503_then_recovery(production, identity_provider):
    await make_person(email=EMAIL)
    settings = production("entra", MENTORGRAPH_JWKS_REFRESH_COOLDOWN_SECONDS="3")
    token = identity_provider.entra_token(email=EMAIL)
    identity_provider.fail()
    async with client_for(settings) as client:
        refused = await all_at_once(client, [token] * 20)
        missing = await client.get("/readyz")
        identity_provider.recover()
        await asyncio.sleep(3.1)  # the cooldown passes: the next request may ask the provider again
        served = await me(client, token)
        await until(lambda: identity_provider.jwks_fetches >= 1, what="the key set to be fetched")
        ready = await client.get("/readyz")

    assert {response.status_code for response in refused} == {503}
    assert all(response.headers["Retry-After"] for response in refused)
    assert identity_provider.jwks_requests == 2, (
        "one failed fetch for twenty requests and the probe, one after recovery"
    )
    assert (missing.status_code, missing.json()["signingKeys"]["state"]) == (503, "missing")
    assert served.status_code == 200
    assert (ready.status_code, ready.json()["signingKeys"]["state"]) == (200, "fresh")


async def test_a_rotated_key_is_picked_up_while_old_kids_keep_working(production, identity_provider):
    await make_person(email=EMAIL)
    settings = production("entra", MENTORGRAPH_JWKS_REFRESH_COOLDOWN_SECONDS="0.2")
    async with client_for(settings) as client:
        assert (await me(client, identity_provider.entra_token(email=EMAIL))).status_code == 200
        rotated = identity_provider.rotate("RS256")
        await asyncio.sleep(0.3)
        tokens = [identity_provider.entra_token(email=EMAIL, key=rotated)] * 10
        tokens += [identity_provider.entra_token(email=EMAIL, algorithm="ES256")] * 10
        responses = await all_at_once(client, tokens)

    assert [response.status_code for response in responses] == [200] * 20
    assert identity_provider.jwks_fetches == 2, "ten requests with the new kid caused one refetch"

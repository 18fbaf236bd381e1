"""Production authentication: identity-provider tokens verified against a JWKS fetched over real HTTP.

The identity provider is a local fake (tests/fakes/identity_provider.py) issuing tokens shaped like Microsoft
Entra ID's and Google's; the app runs in MENTORGRAPH_MODE=production and is asked through GraphQL over HTTP.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import jwt
import pytest

from api.auth import AuthenticationFailed, TokenVerifier, email_from_claims, issue_development_token
from domain.access import Role
from domain.programs.models import ProgramStatus
from schema.relay_ids import encode_id
from tests.api.conftest import client_for
from tests.factories import make_person, make_program
from tests.fakes.identity_provider import ENTRA_APP_ID, ENTRA_ISSUER, new_key

ME = "{ me { name email } }"
PROGRAM = "query Program($id: ID!) { program(id: $id) { name } }"
ENTRA_COORDINATOR = "carmen.ruiz@contoso.example"

pytestmark = pytest.mark.usefixtures("db")


async def ask(settings, token: str, query: str = ME) -> httpx.Response:
    async with client_for(settings) as client:
        return await client.post("/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"})


def assert_unauthenticated(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    body = response.json()
    assert "data" not in body, "a refused request never reached execution"
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
async def test_an_entra_token_maps_its_email_claim_to_the_person(production, identity_provider, algorithm):
    await make_person(email=ENTRA_COORDINATOR, name="Carmen Ruiz")
    token = identity_provider.entra_token(
        email="Carmen.Ruiz@contoso.example", roles=["Mentorgraph.Coordinator"], algorithm=algorithm
    )

    response = await ask(production("entra"), token)

    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"me": {"name": "Carmen Ruiz", "email": ENTRA_COORDINATOR}}}
    assert identity_provider.jwks_fetches == 1


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
async def test_a_google_token_maps_its_email_claim_to_the_person(production, identity_provider, algorithm):
    await make_person(email="maya@example.com", name="Maya Chen")
    token = identity_provider.google_token(email="maya@example.com", algorithm=algorithm)

    response = await ask(production("google"), token)

    assert response.json() == {"data": {"me": {"name": "Maya Chen", "email": "maya@example.com"}}}


async def test_the_roles_claim_decides_the_role(production, identity_provider):
    # A draft is visible only to who runs it and to admins: the role-dependent answer of this schema.
    draft = await make_program(name="Draft pilot", status=ProgramStatus.DRAFT)
    await make_person(name="Mo Member", email="member@contoso.example")
    variables = {"id": str(encode_id("Program", draft.id))}
    settings = production("entra")
    as_admin = identity_provider.entra_token(email="root@contoso.example", roles=["Mentorgraph.Admin"])
    as_member = identity_provider.entra_token(email="member@contoso.example", roles=["Mentorgraph.Member"])

    async with client_for(settings) as client:
        admin_sees, member_sees = [
            (
                await client.post(
                    "/graphql",
                    json={"query": PROGRAM, "variables": variables},
                    headers={"Authorization": f"Bearer {token}"},
                )
            ).json()
            for token in (as_admin, as_member)
        ]

    assert admin_sees == {"data": {"program": {"name": "Draft pilot"}}}
    assert member_sees == {"data": {"program": None}}


@pytest.mark.parametrize(
    ("roles", "role"),
    [
        (["Mentorgraph.Coordinator"], Role.COORDINATOR),
        (["Mentorgraph.Analyst", "Mentorgraph.Coordinator"], Role.COORDINATOR),
        (["Mentorgraph.Admin", "Mentorgraph.Analyst"], Role.ADMIN),
        (["Mentorgraph.Analyst"], Role.ANALYST),
        (["Another.App.Role"], Role.PARTICIPANT),
        (None, Role.PARTICIPANT),
    ],
)
async def test_entra_app_roles_map_to_the_widest_mentorgraph_role(production, identity_provider, roles, role):
    verifier = TokenVerifier(production("entra"))

    identity = await verifier.verify(identity_provider.entra_token(email="carmen@contoso.example", roles=roles))

    assert (identity.email, identity.role) == ("carmen@contoso.example", role)


def test_a_malformed_email_claim_gives_way_to_a_good_one_named_later():
    claims = {"email": "carmen@", "preferred_username": "Carmen.Ruiz@Contoso.example", "upn": "not an email"}

    assert email_from_claims(claims, ("upn", "email", "preferred_username")) == ENTRA_COORDINATOR
    with pytest.raises(AuthenticationFailed, match="the token's email claim is not a valid email address"):
        email_from_claims(claims, ("upn", "email"))


def _now() -> int:
    return int(time.time())


# Each bad token and what the 401's message must say about it (so each fails for its own reason).
BAD_TOKENS = {
    "wrong issuer": lambda idp: idp.entra_token(
        email=ENTRA_COORDINATOR, iss="https://login.microsoftonline.com/another-tenant/v2.0"
    ),
    "wrong audience": lambda idp: idp.entra_token(email=ENTRA_COORDINATOR, aud="api://someone-elses-app"),
    "expired": lambda idp: idp.entra_token(email=ENTRA_COORDINATOR, ttl_seconds=-300),
    "not yet valid": lambda idp: idp.entra_token(email=ENTRA_COORDINATOR, nbf=_now() + 600),
    "no expiry": lambda idp: idp.entra_token(email=ENTRA_COORDINATOR, exp=None),
    "unknown kid": lambda idp: idp.entra_token(email=ENTRA_COORDINATOR, key=new_key("RS256", kid="stranger")),
    "a stranger's key under a published kid": lambda idp: idp.entra_token(
        email=ENTRA_COORDINATOR, key=new_key("RS256", kid=idp.key("RS256").kid)
    ),
    "no kid": lambda idp: jwt.encode(
        {"iss": ENTRA_ISSUER, "aud": ENTRA_APP_ID, "email": ENTRA_COORDINATOR, "exp": _now() + 600},
        idp.key("RS256").private_key,
        algorithm="RS256",
    ),
    "tampered signature": lambda idp: _tamper(idp.entra_token(email=ENTRA_COORDINATOR)),
    "tampered claims": lambda idp: _swap_claims(idp.entra_token(email=ENTRA_COORDINATOR), "boss@contoso.example"),
    "missing email claim": lambda idp: idp.entra_token(email=ENTRA_COORDINATOR, preferred_username=None),
    "malformed email claim": lambda idp: idp.entra_token(email="carmen.ruiz@@contoso.example"),
    "unsigned (alg none)": lambda idp: jwt.encode(
        {"iss": ENTRA_ISSUER, "aud": ENTRA_APP_ID, "email": ENTRA_COORDINATOR, "exp": _now() + 600},
        None,
        algorithm="none",
        headers={"kid": idp.key("RS256").kid},
    ),
    "HS256 signed with the public key": lambda idp: jwt.encode(
        {"iss": ENTRA_ISSUER, "aud": ENTRA_APP_ID, "email": ENTRA_COORDINATOR, "exp": _now() + 600},
        str(idp.key("RS256").public_jwk()["n"]),
        algorithm="HS256",
        headers={"kid": idp.key("RS256").kid},
    ),
}


def _tamper(token: str) -> str:
    head, payload, signature = token.split(".")
    flipped = ("A" if signature[10] != "A" else "B").join((signature[:10], signature[11:]))
    return ".".join((head, payload, flipped))


def _swap_claims(token: str, email: str) -> str:
    head, _, signature = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = jwt.encode({**claims, "preferred_username": email}, "x" * 32, algorithm="HS256").split(".")[1]
    return ".".join((head, forged, signature))


REASONS = {
    "wrong issuer": "Invalid issuer",
    "wrong audience": "Audience doesn't match",
    "expired": "expired",
    "not yet valid": "not yet valid",
    "no expiry": '"exp"',
    "unknown kid": '"stranger"',
    "a stranger's key under a published kid": "Signature verification failed",
    "no kid": "(kid)",
    "tampered signature": "Signature verification failed",
    "tampered claims": "Signature verification failed",
    "missing email claim": "no email claim",
    "malformed email claim": "the token's preferred_username claim is not a valid email address",
    "unsigned (alg none)": "signed with none",
    "HS256 signed with the public key": "signed with HS256",
}


@pytest.mark.parametrize("case", list(BAD_TOKENS))
async def test_a_bad_identity_provider_token_is_unauthenticated_with_no_data(production, identity_provider, case):
    await make_person(email=ENTRA_COORDINATOR)

    response = await ask(production("entra"), BAD_TOKENS[case](identity_provider))

    assert_unauthenticated(response)
    assert REASONS[case] in response.json()["errors"][0]["message"]


async def test_a_development_token_is_refused_in_production_without_asking_the_identity_provider(
    production, identity_provider, settings
):
    await make_person(email=ENTRA_COORDINATOR)
    development_token = issue_development_token(settings, email=ENTRA_COORDINATOR, role=Role.ADMIN)

    response = await ask(production("entra"), development_token)

    assert_unauthenticated(response)
    assert "HS256" in response.json()["errors"][0]["message"]
    assert identity_provider.jwks_fetches == 0


async def test_a_google_email_the_provider_has_not_verified_is_refused(production, identity_provider):
    await make_person(email="maya@example.com")

    response = await ask(
        production("google"), identity_provider.google_token(email="maya@example.com", email_verified=False)
    )

    assert_unauthenticated(response)


async def test_a_rotated_key_is_fetched_once_the_refresh_cooldown_has_passed(production, identity_provider):
    await make_person(email=ENTRA_COORDINATOR, name="Carmen Ruiz")
    settings = production("entra", MENTORGRAPH_JWKS_REFRESH_COOLDOWN_SECONDS="0.3")
    async with client_for(settings) as client:

        async def me(token: str) -> httpx.Response:
            return await client.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"})

        assert (await me(identity_provider.entra_token(email=ENTRA_COORDINATOR))).status_code == 200
        new = identity_provider.rotate("ES256")
        await asyncio.sleep(0.4)

        response = await me(identity_provider.entra_token(email=ENTRA_COORDINATOR, key=new))

    assert response.json() == {"data": {"me": {"name": "Carmen Ruiz", "email": ENTRA_COORDINATOR}}}
    assert identity_provider.jwks_fetches == 2


async def test_a_flood_of_unknown_kids_refetches_the_keys_at_most_once_per_cooldown(production, identity_provider):
    await make_person(email=ENTRA_COORDINATOR)
    settings = production("entra", MENTORGRAPH_JWKS_REFRESH_COOLDOWN_SECONDS="60")
    async with client_for(settings) as client:
        responses = [
            await client.post(
                "/graphql",
                json={"query": ME},
                headers={"Authorization": f"Bearer {identity_provider.entra_token(email=ENTRA_COORDINATOR, key=k)}"},
            )
            for k in (new_key("RS256", kid=f"forged-{n}") for n in range(10))
        ]

    assert {response.status_code for response in responses} == {401}
    assert identity_provider.jwks_fetches == 1


async def test_a_retired_key_stops_working_when_the_cached_key_set_expires(production, identity_provider):
    await make_person(email=ENTRA_COORDINATOR)
    settings = production("entra", MENTORGRAPH_JWKS_CACHE_SECONDS="0.3")
    old = identity_provider.key("RS256")
    async with client_for(settings) as client:

        async def me(token: str) -> httpx.Response:
            return await client.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"})

        assert (await me(identity_provider.entra_token(email=ENTRA_COORDINATOR, key=old))).status_code == 200
        identity_provider.retire(old)
        await asyncio.sleep(0.4)

        response = await me(identity_provider.entra_token(email=ENTRA_COORDINATOR, key=old))

    assert_unauthenticated(response)


async def test_an_unreachable_identity_provider_with_no_keys_yet_is_a_retryable_503_not_a_crash(
    production, identity_provider
):
    token = identity_provider.entra_token(email=ENTRA_COORDINATOR)
    settings = production("entra")
    identity_provider.stop()

    response = await ask(settings, token)

    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"]
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"

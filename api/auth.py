"""Bearer tokens: HS256 development tokens signed here, or the identity provider's RS256/ES256 via JWKS."""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

from api.settings import Mode, Settings
from api.signing_keys import KeySetState, SigningKeys, UnknownSigningKey
from domain.access import Role
from domain.errors import ValidationFailed
from domain.people.validation import valid_email

DEV_AUDIENCE = "mentorgraph"
PRODUCTION_ALGORITHMS = ("RS256", "ES256")
# Identity providers' clocks and ours may disagree by a little; a token is not refused for that.
CLOCK_SKEW_SECONDS = 30

# When a token carries several roles, the widest wins.
_ROLE_PRECEDENCE = (Role.ADMIN, Role.COORDINATOR, Role.ANALYST, Role.PARTICIPANT)


class AuthenticationFailed(Exception):
    """The token is missing, malformed, expired, or not signed by whom we trust."""


@dataclass(frozen=True)
class Identity:
    email: str
    role: Role


def issue_development_token(settings: Settings, *, email: str, role: Role, ttl_minutes: int | None = None) -> str:
    """An HS256 token for `email` (ValidationFailed when it is not a valid email address)."""
    if settings.mode is Mode.PRODUCTION:
        raise AuthenticationFailed("development tokens are refused in production mode")
    email = valid_email(email)
    now = int(time.time())
    ttl = (ttl_minutes or settings.dev_token_ttl_minutes) * 60
    claims = {
        "iss": settings.dev_token_issuer,
        "aud": DEV_AUDIENCE,
        "sub": email,
        "email": email,
        "roles": [role.value],
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


def role_from_claims(claims: dict, roles_claim: str) -> Role:
    """Maps app roles such as "Mentorgraph.Coordinator" or "COORDINATOR" to a Role; none means PARTICIPANT."""
    raw = claims.get(roles_claim) or []
    if isinstance(raw, str):
        raw = [raw]
    found = set()
    for value in raw:
        name = str(value).rsplit(".", 1)[-1].upper()
        if name in Role.__members__:
            found.add(Role[name])
    return next((role for role in _ROLE_PRECEDENCE if role in found), Role.PARTICIPANT)


def email_from_claims(claims: dict, email_claims: tuple[str, ...]) -> str:
    """The first configured claim holding a valid email, normalised as stored emails are.

    A claim that is not an email at all (a UPN-less `preferred_username`) is skipped; one that tries to be an
    email and is malformed is named in the refusal when no later claim holds a good one.
    """
    malformed = None
    for name in email_claims:
        value = claims.get(name)
        if not isinstance(value, str) or "@" not in value:
            continue
        try:
            return valid_email(value, field=name)
        except ValidationFailed:
            malformed = malformed or name
    if malformed:
        raise AuthenticationFailed(f"the token's {malformed} claim is not a valid email address")
    raise AuthenticationFailed("the token carries no email claim")


class TokenVerifier:
    """Verifies a bearer token according to the mode: one instance per app, the JWKS cached for a while."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        # No per-kid cache that never expires: a key the provider retired must stop being trusted. An unknown kid
        # refetches at most once per cooldown, so a flood of forged kids cannot hammer the identity provider.
        self._keys = (
            SigningKeys(
                settings.jwks_url,
                cache_seconds=settings.jwks_cache_seconds,
                max_stale_seconds=settings.jwks_max_stale_seconds,
                fetch_timeout_seconds=settings.jwks_fetch_timeout_seconds,
                cooldown_seconds=settings.jwks_refresh_cooldown_seconds,
            )
            if settings.mode is Mode.PRODUCTION
            else None
        )

    def key_set_state(self) -> KeySetState | None:
        """The identity provider's key set as /readyz reports it (None in development: no key set is used)."""
        if self._keys is None:
            return None
        self._keys.refresh_if_needed()
        return self._keys.state()

    async def verify(self, token: str) -> Identity:
        """The token's identity; AuthenticationFailed (401), or SigningKeysUnavailable (503) with no key set at all."""
        try:
            claims = await self._decode(token)
        except UnknownSigningKey as error:
            raise AuthenticationFailed(str(error)) from None
        except jwt.PyJWTError as error:
            raise AuthenticationFailed(f"invalid token: {error}") from None
        if claims.get("email_verified") is False:
            raise AuthenticationFailed("the token's email is not verified by the identity provider")
        return Identity(
            email=email_from_claims(claims, self._settings.email_claims),
            role=role_from_claims(claims, self._settings.roles_claim),
        )

    async def _decode(self, token: str) -> dict:
        settings = self._settings
        if self._keys is None:
            return jwt.decode(
                token,
                settings.jwt_secret,
                algorithms=["HS256"],
                audience=DEV_AUDIENCE,
                issuer=settings.dev_token_issuer,
                options={"require": ["exp", "iss", "aud"]},
            )
        # Refuse what no identity provider key can have signed before asking the JWKS endpoint about it.
        header = jwt.get_unverified_header(token)
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in PRODUCTION_ALGORITHMS:
            raise AuthenticationFailed(f"tokens signed with {algorithm} are not accepted; expected RS256 or ES256")
        if not isinstance(kid, str) or not kid:
            raise AuthenticationFailed("the token names no signing key (kid)")
        signing_key = await self._keys.key_for(kid)
        if signing_key.algorithm_name != algorithm:
            raise AuthenticationFailed(f"key {kid} signs {signing_key.algorithm_name}, but the token says {algorithm}")
        return jwt.decode(
            token,
            signing_key.key,
            algorithms=[algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": ["exp", "iss", "aud"]},
        )


def bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise AuthenticationFailed("missing Authorization header")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("expected 'Authorization: Bearer <token>'")
    return token.strip()

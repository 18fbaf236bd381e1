"""The identity provider's signing keys (its JWKS), kept so that a slow or failing provider slows no request.

- One fetch at a time: however many requests need the keys, they wait on the same fetch (single-flight).
- Every fetch has a short timeout (`jwks_fetch_timeout_seconds`).
- Keys are fresh for `jwks_cache_seconds`; a request seen in the last quarter of that starts a refresh in the
  background, so under steady traffic the keys are renewed before they expire and nobody waits.
- When a refresh fails, the cached keys keep being served (stale) for at most `jwks_max_stale_seconds` past
  their expiry; after that they are dropped, since the provider may have retired one of them.
- While the provider is known to be failing (its last fetch failed less than a cooldown ago), nothing waits
  on it: a known kid is served from the cache, an unknown kid is refused at once, and no keys at all is a 503.
- The only requests that wait on the provider: the first ones after start-up, a request for an unknown kid
  (a rotation), and the first request after the keys expired with no refresh already under way; all of them
  join the one fetch in flight.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import jwt

log = logging.getLogger("mentorgraph.auth")

# A refresh starts in the background once this share of the key set's lifetime has passed.
REFRESH_AHEAD_SHARE = 0.75


class SigningKeysUnavailable(Exception):
    """No usable key set: never fetched, or stale for longer than allowed, and the provider does not answer."""


class UnknownSigningKey(Exception):
    """The token names a kid that the provider's current key set does not hold."""


@dataclass(frozen=True)
class KeySetState:
    """What /readyz reports: fresh, stale (since when, and why) or missing."""

    state: str
    fetched_at: datetime | None = None
    stale_since: datetime | None = None
    last_error: str | None = None

    def as_json(self) -> dict:
        answer: dict = {"state": self.state}
        if self.fetched_at:
            answer["fetchedAt"] = self.fetched_at.isoformat()
        if self.stale_since:
            answer["staleSince"] = self.stale_since.isoformat()
        if self.last_error:
            answer["lastError"] = self.last_error
        return answer


def _instant(monotonic: float) -> datetime:
    return datetime.fromtimestamp(time.time() - (time.monotonic() - monotonic), UTC)


class SigningKeys:
    """The cached JWKS of one identity provider; one instance per app."""

    def __init__(
        self,
        url: str,
        *,
        cache_seconds: float,
        max_stale_seconds: float,
        fetch_timeout_seconds: float,
        cooldown_seconds: float,
    ) -> None:
        self._url = url
        self._cache_seconds = cache_seconds
        self._max_stale_seconds = max_stale_seconds
        self._timeout = fetch_timeout_seconds
        self._cooldown = cooldown_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None  # monotonic
        self._last_attempt: float | None = None
        self._last_error: str | None = None
        self._refreshing: asyncio.Task | None = None

    # -- what requests ask --------------------------------------------------------------------------------------

    async def key_for(self, kid: str) -> jwt.PyJWK:
        """The key named `kid`, fetching the key set only when it cannot be served from the cache."""
        now = time.monotonic()
        if self._fetched_at is None or self._past_max_staleness(now):
            self._keys = {}
            if self._provider_failing(now):
                raise SigningKeysUnavailable(self._unavailable_reason())
            await self._refresh()
            if not self._keys:
                raise SigningKeysUnavailable(self._unavailable_reason())
        elif self._expired(now) and not self._provider_failing(now) and not self._fetch_in_flight():
            # Expired, the provider has not failed lately and nobody is asking it yet: wait for one fetch (bounded
            # by its timeout) so that a retired key stops working. While a fetch is in flight, the cache serves.
            await self._refresh()
        elif self._due_for_refresh(now):
            self._refresh_in_background()
        key = self._keys.get(kid)
        if key is not None:
            return key
        # A kid we do not know: perhaps a rotation. Ask again (or join the fetch in flight), unless we just did
        # or the provider is known to be failing.
        if self._fetch_in_flight() or not self._recently_attempted(time.monotonic()):
            await self._refresh()
            key = self._keys.get(kid)
            if key is not None:
                return key
        raise UnknownSigningKey(f'the identity provider publishes no signing key "{kid}"')

    def state(self) -> KeySetState:
        now = time.monotonic()
        if self._fetched_at is None or self._past_max_staleness(now):
            return KeySetState("missing", last_error=self._last_error)
        fetched_at = _instant(self._fetched_at)
        if self._expired(now):
            stale_since = _instant(self._fetched_at + self._cache_seconds)
            return KeySetState("stale", fetched_at=fetched_at, stale_since=stale_since, last_error=self._last_error)
        return KeySetState("fresh", fetched_at=fetched_at)

    def refresh_if_needed(self) -> None:
        """Starts a background fetch when the keys are missing or due (the readiness probe calls this)."""
        now = time.monotonic()
        if (self._fetched_at is None or self._due_for_refresh(now)) and not self._provider_failing(now):
            self._refresh_in_background()

    # -- timing rules -------------------------------------------------------------------------------------------

    def _age(self, now: float) -> float:
        return now - self._fetched_at if self._fetched_at is not None else float("inf")

    def _due_for_refresh(self, now: float) -> bool:
        return self._age(now) >= self._cache_seconds * REFRESH_AHEAD_SHARE and not self._provider_failing(now)

    def _expired(self, now: float) -> bool:
        return self._age(now) >= self._cache_seconds

    def _past_max_staleness(self, now: float) -> bool:
        return self._age(now) >= self._cache_seconds + self._max_stale_seconds

    def _recently_attempted(self, now: float) -> bool:
        return self._last_attempt is not None and now - self._last_attempt < self._cooldown

    def _fetch_in_flight(self) -> bool:
        return self._refreshing is not None and not self._refreshing.done()

    def _provider_failing(self, now: float) -> bool:
        return self._last_error is not None and self._recently_attempted(now)

    def _unavailable_reason(self) -> str:
        reason = f" ({self._last_error})" if self._last_error else ""
        return f"the identity provider's signing keys are unavailable{reason}; retry shortly"

    # -- fetching -----------------------------------------------------------------------------------------------

    async def _refresh(self) -> None:
        """Waits for the one fetch in flight (starting it if none); never raises, the outcome is in the state."""
        await asyncio.shield(self._refresh_in_background())

    def _refresh_in_background(self) -> asyncio.Task:
        if self._refreshing is None or self._refreshing.done():
            self._last_attempt = time.monotonic()
            self._refreshing = asyncio.create_task(self._fetch(), name="mentorgraph-jwks-refresh")
        return self._refreshing

    async def _fetch(self) -> None:
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.get(self._url, headers={"Accept": "application/json"})
            response.raise_for_status()
            key_set = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as error:
            self._last_error = _describe(error)
            log.warning("cannot fetch the identity provider's keys from %s: %s", self._url, self._last_error)
            return
        self._keys = {key.key_id: key for key in key_set.keys if key.key_id}
        self._fetched_at = time.monotonic()
        self._last_error = None


def _describe(error: Exception) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "no answer within the fetch timeout"
    if isinstance(error, httpx.HTTPStatusError):
        return f"HTTP {error.response.status_code}"
    return str(error)[:200] or type(error).__name__

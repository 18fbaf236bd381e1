"""Microsoft identity through msal: the company's app registration (client credentials, token cache kept)
or one person's refresh token. Every token request goes to the configured authority over TLS."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import msal
import msal.exceptions
import requests

from domain.calendar.ports import GrantRevoked, SyncFailed
from integrations.calendar.secret_refs import read_secret

GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default"
# After a 429 or 5xx from the authority, msal answers the same request from its cache for this long (its
# ThrottledHttpClient's default for confidential clients); retrying sooner would only meet the cached error.
MSAL_THROTTLE_SECONDS = 5.0
DELEGATED_SCOPES = ["https://graph.microsoft.com/Calendars.ReadWrite"]


def _session(ca_file: str) -> requests.Session:
    # trust_env off: REQUESTS_CA_BUNDLE in the environment would otherwise override the CA given here.
    session = requests.Session()
    session.trust_env = False
    session.verify = ca_file or True
    return session


def confidential_client(
    *, authority: str, client_id: str, client_secret: str, ca_file: str = "", timeout: float = 20
) -> msal.ConfidentialClientApplication:
    return msal.ConfidentialClientApplication(
        client_id,
        client_credential=client_secret,
        authority=authority,
        http_client=_session(ca_file),
        instance_discovery=False,
        token_cache=msal.SerializableTokenCache(),
        timeout=timeout,
    )


def _token_or_failure(result: dict) -> str:
    if "access_token" in result:
        return result["access_token"]
    error = result.get("error", "unknown_error")
    description = (result.get("error_description") or "").splitlines()[0] if result.get("error_description") else ""
    if error == "invalid_grant":
        raise GrantRevoked(f"Microsoft refused the grant: {description or error}")
    raise SyncFailed(
        f"Microsoft token request failed: {error} {description}".strip(),
        retryable=True,
        retry_after=MSAL_THROTTLE_SECONDS,
    )


# A token is used until this long before the authority said it expires.
EARLY_SECONDS = 300


class _KeptToken:
    """The access token of one grant, kept until shortly before it expires: a Graph request does not wait
    for the authority (nor a thread) each time, and a refresh-token grant is not redeemed per request."""

    def __init__(self, fetch: Callable[[], Awaitable[dict]]) -> None:
        self._fetch = fetch
        self._token, self._until = "", 0.0
        self._lock = asyncio.Lock()

    async def token(self, mailbox: str) -> str:
        if time.monotonic() < self._until:
            return self._token
        async with self._lock:  # one refresh at a time; the others take its token
            if time.monotonic() < self._until:
                return self._token
            result = await self._fetch()
            token = _token_or_failure(result)
            lifetime = float(result.get("expires_in") or 0)
            self._token, self._until = token, time.monotonic() + max(lifetime - EARLY_SECONDS, 0)
            return token

    def refused(self, token: str) -> None:
        """Graph answered 401 to this token (revoked, or expired early): the next request fetches another."""
        if token == self._token:
            self._until = 0.0


async def _from_authority(call, *args, **kwargs) -> dict:
    try:
        return await asyncio.to_thread(call, *args, **kwargs)
    except (msal.exceptions.MsalError, requests.RequestException, OSError, ValueError) as error:
        raise SyncFailed(
            f"Microsoft authority unreachable: {type(error).__name__}",
            retryable=True,
            retry_after=MSAL_THROTTLE_SECONDS,
        ) from None


class AppTokens(_KeptToken):
    """Application permission (Calendars.ReadWrite) for every mailbox of the tenant."""

    def __init__(self, config: dict, *, default_authority: str, ca_file: str, timeout: float) -> None:
        base = config.get("authority_url", default_authority.rsplit("/", 1)[0]).rstrip("/")
        self._app = confidential_client(
            authority=f"{base}/{config['tenant_id']}",
            client_id=config["client_id"],
            client_secret=read_secret(config, "client_secret").strip(),
            ca_file=config.get("ca_file", ca_file),
            timeout=timeout,
        )
        super().__init__(lambda: _from_authority(self._app.acquire_token_for_client, scopes=[GRAPH_DEFAULT_SCOPE]))

    def refused(self, token: str) -> None:
        super().refused(token)
        # msal would hand the same token back from its own cache until it expires.
        cache = self._app.token_cache
        for entry in list(cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN)):
            if entry.get("secret") == token:
                cache.remove_at(entry)


class RefreshTokenTokens(_KeptToken):
    """A person's own grant (delegated Calendars.ReadWrite)."""

    def __init__(self, app: msal.ConfidentialClientApplication, refresh_token: str) -> None:
        super().__init__(lambda: _from_authority(app.acquire_token_by_refresh_token, refresh_token, DELEGATED_SCOPES))

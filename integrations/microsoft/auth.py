"""Microsoft identity through msal: the company's app registration (client credentials, token cache kept)
or one person's refresh token. Every token request goes to the configured authority over TLS."""

from __future__ import annotations

import asyncio

import msal
import requests

from domain.calendar.ports import GrantRevoked, SyncFailed
from integrations.calendar.secret_refs import read_secret

GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default"
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
    raise SyncFailed(f"Microsoft token request failed: {error} {description}".strip(), retryable=True)


class AppTokens:
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

    async def token(self, mailbox: str) -> str:
        try:
            result = await asyncio.to_thread(self._app.acquire_token_for_client, scopes=[GRAPH_DEFAULT_SCOPE])
        except (requests.RequestException, OSError, ValueError) as error:
            raise SyncFailed(f"Microsoft authority unreachable: {type(error).__name__}", retryable=True) from None
        return _token_or_failure(result)


class RefreshTokenTokens:
    """A person's own grant (delegated Calendars.ReadWrite)."""

    def __init__(self, app: msal.ConfidentialClientApplication, refresh_token: str) -> None:
        self._app = app
        self._refresh_token = refresh_token

    async def token(self, mailbox: str) -> str:
        try:
            result = await asyncio.to_thread(
                self._app.acquire_token_by_refresh_token, self._refresh_token, scopes=DELEGATED_SCOPES
            )
        except (requests.RequestException, OSError) as error:
            raise SyncFailed(f"Microsoft authority unreachable: {type(error).__name__}", retryable=True) from None
        return _token_or_failure(result)

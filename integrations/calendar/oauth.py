"""A person connecting their own calendar: the OAuth authorization code flow with PKCE, for Google and Microsoft.

The `state` sent to the provider is the person's id, the provider and the PKCE verifier, Fernet-encrypted with
MENTORGRAPH_SECRET_KEY and valid for ten minutes: the callback learns whom the grant is for from nothing the
browser could forge, and no pending flow is kept in the database.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import ssl
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from domain.calendar.models import Provider
from domain.calendar.secrets import TokenCipher
from domain.errors import ValidationFailed
from integrations.calendar.config import OAuthSettings
from integrations.google.scopes import CALENDAR_EVENTS, CALENDAR_FREEBUSY

STATE_LIFETIME_SECONDS = 600
# Events to write, free/busy to read (the events scopes do not cover freebusy.query).
GOOGLE_SCOPES = f"{CALENDAR_EVENTS} {CALENDAR_FREEBUSY}"
MICROSOFT_SCOPES = (
    "offline_access https://graph.microsoft.com/Calendars.ReadWrite https://graph.microsoft.com/User.Read"
)


@dataclass(frozen=True)
class Grant:
    person_id: int
    provider: Provider
    refresh_token: str
    account_email: str


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class CalendarOAuth:
    def __init__(self, settings: OAuthSettings, cipher: TokenCipher) -> None:
        self.settings = settings
        self.cipher = cipher

    def configured(self, provider: Provider) -> bool:
        s = self.settings
        return bool(s.google_client_id if provider is Provider.GOOGLE else s.microsoft_client_id)

    def redirect_uri(self, provider: Provider) -> str:
        return f"{self.settings.public_url.rstrip('/')}/oauth/{provider.value.lower()}/callback"

    def authorization_url(self, *, person_id: int, provider: Provider) -> str:
        if not self.configured(provider):
            raise ValidationFailed(
                f"Personal {provider.value.title()} connections are not set up on this server.", field="provider"
            )
        verifier = secrets.token_urlsafe(48)
        state = self.cipher.encrypt(json.dumps({"person": person_id, "provider": provider.value, "pkce": verifier}))
        params = {
            "response_type": "code",
            "redirect_uri": self.redirect_uri(provider),
            "state": state,
            "code_challenge": _challenge(verifier),
            "code_challenge_method": "S256",
        }
        s = self.settings
        if provider is Provider.GOOGLE:
            # offline + consent: Google returns a refresh token only then.
            params.update(client_id=s.google_client_id, scope=GOOGLE_SCOPES, access_type="offline", prompt="consent")
            return f"{s.google_auth_url}?{urlencode(params)}"
        params.update(client_id=s.microsoft_client_id, scope=MICROSOFT_SCOPES, response_mode="query")
        return f"{s.microsoft_authority_url.rstrip('/')}/oauth2/v2.0/authorize?{urlencode(params)}"

    def _client(self) -> httpx.AsyncClient:
        ca_file = self.settings.ca_file
        verify = ssl.create_default_context(cafile=ca_file) if ca_file else True
        return httpx.AsyncClient(timeout=20, verify=verify, trust_env=False)

    async def finish(self, *, provider: Provider, code: str, state: str) -> Grant:
        """Exchanges the code for a refresh token, checking the state was made here for this provider."""
        opened = self.cipher.decrypt_fresh(state, max_age_seconds=STATE_LIFETIME_SECONDS)
        flow = json.loads(opened) if opened else None
        if not flow or flow["provider"] != provider.value:
            raise ValidationFailed("This sign-in link expired or was not started here; connect again.", field="state")
        s = self.settings
        if provider is Provider.GOOGLE:
            token_url, client_id, client_secret = s.google_token_url, s.google_client_id, s.google_client_secret
        else:
            token_url = f"{s.microsoft_authority_url.rstrip('/')}/oauth2/v2.0/token"
            client_id, client_secret = s.microsoft_client_id, s.microsoft_client_secret
        async with self._client() as client:
            response = await client.post(
                token_url,
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": self.redirect_uri(provider),
                    "client_id": client_id,
                    "client_secret": client_secret,
                    "code_verifier": flow["pkce"],
                },
            )
            if response.status_code != 200:
                raise ValidationFailed("The provider refused the sign-in; connect again.", field="code")
            tokens = response.json()
            account = await self._account_email(client, provider, tokens["access_token"])
        return Grant(flow["person"], provider, tokens.get("refresh_token", ""), account)

    async def _account_email(self, client: httpx.AsyncClient, provider: Provider, access_token: str) -> str:
        headers = {"Authorization": f"Bearer {access_token}"}
        if provider is Provider.GOOGLE:
            # The primary calendar's id is the account's address, within the scope we asked for.
            response = await client.get(f"{self.settings.google_calendar_url}calendars/primary", headers=headers)
            return response.json()["id"]
        response = await client.get(f"{self.settings.microsoft_graph_url}/me", headers=headers)
        me = response.json()
        return me.get("mail") or me["userPrincipalName"]

    async def close_channels(self, connection) -> int:
        """Stops the connection's push channels (Google channels.stop, Graph subscription DELETE) while its grant
        still works, just before it is revoked; returns how many were stopped."""
        # Imported here: the provider SDKs load only when someone disconnects.
        from integrations.calendar.inbound_worker import close_channels_with

        return await close_channels_with(self.settings, self.cipher, connection)

    async def revoke(self, *, provider: Provider, refresh_token: str) -> None:
        """Google revokes the grant itself; Microsoft has no per-grant revocation (the person removes the app
        from their account's permissions), so forgetting the token is what is left."""
        if provider is not Provider.GOOGLE or not refresh_token:
            return
        async with self._client() as client:
            await client.post(self.settings.google_revoke_url, data={"token": refresh_token})

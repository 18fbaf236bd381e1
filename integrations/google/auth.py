"""Google credentials: a Workspace service account acting as each organizer (domain-wide delegation), or one
person's refresh token. Secrets are read when needed from where the connection's config points."""

from __future__ import annotations

import json
from collections.abc import Sequence

from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from integrations.calendar.secret_refs import read_secret
from integrations.google.scopes import CALENDAR_EVENTS as SCOPE


class ServiceAccountCredentials:
    """One delegated credential per organizer, kept so each keeps its access token until it expires."""

    def __init__(self, config: dict, *, scopes: Sequence[str] = (SCOPE,)) -> None:
        info = json.loads(read_secret(config, "service_account"))
        self._base = service_account.Credentials.from_service_account_info(info, scopes=list(scopes))
        self._per_subject: dict[str, service_account.Credentials] = {}

    def for_subject(self, email: str):
        if email not in self._per_subject:
            self._per_subject[email] = self._base.with_subject(email)
        return self._per_subject[email]


class RefreshTokenCredentials:
    """A person's own grant: every call acts as them, whatever the subject."""

    def __init__(
        self,
        *,
        refresh_token: str,
        client_id: str,
        client_secret: str,
        token_url: str,
        scopes: Sequence[str] = (SCOPE,),
    ) -> None:
        self._credentials = user_credentials.Credentials(
            token=None,
            refresh_token=refresh_token,
            token_uri=token_url,
            client_id=client_id,
            client_secret=client_secret,
            scopes=list(scopes),
        )

    def for_subject(self, email: str):
        return self._credentials

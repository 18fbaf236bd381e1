"""The writer for a connection: Google or Microsoft, company-wide or personal, built once and reused so
credentials keep their access tokens and HTTP clients their connections."""

from __future__ import annotations

import ssl
from collections.abc import Sequence

import httpx

from domain.calendar.models import CalendarConnection, ConnectionKind, Provider
from domain.calendar.ports import CalendarWriter, SyncFailed
from integrations.calendar.config import SyncConfig
from integrations.calendar.limits import ConcurrencyLimiter, RateLimiter
from integrations.google.auth import RefreshTokenCredentials, ServiceAccountCredentials
from integrations.google.calendar import GoogleCalendarWriter, RequestThreads
from integrations.google.scopes import CALENDAR_EVENTS
from integrations.microsoft.auth import AppTokens, RefreshTokenTokens, confidential_client
from integrations.microsoft.calendar import GraphCalendarWriter


def provider_client(ca_file: str, *, timeout: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        verify=ssl.create_default_context(cafile=ca_file) if ca_file else True,
        trust_env=False,
        timeout=timeout,
        # As many kept as allowed: httpcore counts every connection, busy or not, against the keep-alive limit,
        # so a lower one closes idle connections under load and pays for new TLS handshakes.
        limits=httpx.Limits(max_connections=64, max_keepalive_connections=64),
    )


def _refresh_token(settings: SyncConfig, connection: CalendarConnection) -> str:
    return settings.token_cipher().decrypt(connection.refresh_token_encrypted)


def google_credentials(settings: SyncConfig, connection: CalendarConnection, *, scopes: Sequence[str]):
    """The company's service account (acting as whoever the call names) or the person's own grant."""
    if connection.kind is ConnectionKind.PERSONAL:
        return RefreshTokenCredentials(
            refresh_token=_refresh_token(settings, connection),
            client_id=settings.google_client_id,
            client_secret=settings.google_client_secret,
            token_url=settings.google_token_url,
            scopes=scopes,
        )
    return ServiceAccountCredentials(connection.config, scopes=scopes)


def graph_tokens(settings: SyncConfig, connection: CalendarConnection) -> AppTokens | RefreshTokenTokens:
    """The company's app registration (every mailbox of the tenant) or the person's own grant."""
    ca_file = connection.config.get("ca_file", settings.provider_ca_file)
    if connection.kind is ConnectionKind.PERSONAL:
        app = confidential_client(
            authority=settings.microsoft_authority_url,
            client_id=settings.microsoft_client_id,
            client_secret=settings.microsoft_client_secret,
            ca_file=ca_file,
            timeout=settings.provider_timeout_seconds,
        )
        return RefreshTokenTokens(app, _refresh_token(settings, connection))
    return AppTokens(
        connection.config,
        default_authority=settings.microsoft_authority_url,
        ca_file=ca_file,
        timeout=settings.provider_timeout_seconds,
    )


class Writers:
    def __init__(self, settings: SyncConfig) -> None:
        self.settings = settings
        self._writers: dict[tuple, CalendarWriter] = {}
        self._clients: dict[str, httpx.AsyncClient] = {}
        self.google_users = RateLimiter(settings.google_user_requests_per_minute)
        self.outlook_mailboxes = ConcurrencyLimiter(settings.outlook_mailbox_concurrency)
        # Google's client blocks: one thread per meeting the worker may have in flight.
        self.google_threads = RequestThreads(max(settings.worker_concurrency, 4))

    def for_connection(self, connection: CalendarConnection) -> CalendarWriter:
        key = (connection.id, connection.connected_at, connection.refresh_token_encrypted)
        if key not in self._writers:
            try:
                self._writers[key] = self._build(connection)
            except Exception as error:  # noqa: BLE001 - any bad key, file or setting: the admin must fix it
                raise SyncFailed(f"connection {connection.id} is misconfigured: {error}", retryable=True) from None
        return self._writers[key]

    def _client(self, ca_file: str) -> httpx.AsyncClient:
        if ca_file not in self._clients:
            self._clients[ca_file] = provider_client(ca_file, timeout=self.settings.provider_timeout_seconds)
        return self._clients[ca_file]

    def _build(self, connection: CalendarConnection) -> CalendarWriter:
        settings, config = self.settings, connection.config
        if connection.provider is Provider.GOOGLE:
            return GoogleCalendarWriter(
                google_credentials(settings, connection, scopes=[CALENDAR_EVENTS]),
                api_url=config.get("api_url", settings.google_calendar_url),
                timeout=settings.provider_timeout_seconds,
                limiter=self.google_users,
                threads=self.google_threads,
            )
        ca_file = config.get("ca_file", settings.provider_ca_file)
        return GraphCalendarWriter(
            graph_tokens(settings, connection),
            client=self._client(ca_file),
            graph_url=config.get("graph_url", settings.microsoft_graph_url),
            mailboxes=self.outlook_mailboxes,
        )

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self.google_threads.close()

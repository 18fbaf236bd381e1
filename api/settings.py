"""Configuration from MENTORGRAPH_* environment variables, read once into one validated object."""

from __future__ import annotations

from datetime import timedelta
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from api.database.urls import DatabaseUrlError, engine_of
from domain.calendar.secrets import TokenCipher
from domain.meetings.rules import BookingRules
from domain.outbox.backoff import RetryPolicy
from domain.relationships.timing import RelationshipTiming
from integrations.calendar.config import OAuthSettings, SyncConfig
from schema.persisted import PersistedQueries, PersistedQueryMode

ENV_PREFIX = "MENTORGRAPH_"
DEVELOPMENT_SECRET = "mentorgraph-development-secret-change-me"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


# Upper bounds where a larger value is a typo that would only fail later (a port nothing can bind, a date
# arithmetic overflow in the middle of a sweep or a booking): refused at start-up instead.
_AT_MOST = {
    "port": 65_535,
    "dev_token_ttl_minutes": 366 * 24 * 60,
    "booking_min_notice_minutes": 30 * 24 * 60,
    "booking_max_horizon_days": 10 * 366,
    "missed_meeting_grace_hours": 30 * 24,
    "mentor_request_days": 366,
    "inactive_after_days": 10 * 366,
    "inactivity_notice_days": 10 * 366,
    "sweep_interval_seconds": 7 * 24 * 3600,
    "outbox_retention_days": 10 * 366,
    "smtp_port": 65_535,
    "db_statement_timeout_ms": 10 * 60 * 1000,
    "request_timeout_seconds": 600,
}


# SyncConfig fields that are not plain settings of the same name.
_DERIVED = ("token_cipher", "retry_policy", "webhook_base_url")


PRODUCTION_NEEDS = ("jwks_url", "jwt_issuer", "jwt_audience")


class Mode(str, Enum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SettingsError(Exception):
    """A bad configuration value; the message is one line naming the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    mode: Mode = Mode.DEVELOPMENT
    database_url: str = "sqlite://var/mentorgraph.sqlite3"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    # "json": one JSON object per log line, and one line per request (id, operation, status, duration).
    log_format: str = "text"
    # Serve /metrics (Prometheus text format); off by default, since it tells whoever can reach it about load.
    metrics: bool = False
    graphiql: bool = True

    # Development tokens (HS256, `mentorgraph token`); refused in production mode.
    jwt_secret: str = DEVELOPMENT_SECRET
    dev_token_issuer: str = "mentorgraph-dev"
    dev_token_ttl_minutes: int = 12 * 60

    # Production tokens: RS256/ES256 from the identity provider (Entra ID, Google), checked against its JWKS.
    jwks_url: str | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    # Comma-separated in the environment: MENTORGRAPH_EMAIL_CLAIMS=email,preferred_username
    email_claims: Annotated[tuple[str, ...], NoDecode] = ("email", "preferred_username", "upn")
    roles_claim: str = "roles"
    jwks_cache_seconds: float = 600
    jwks_refresh_cooldown_seconds: float = 30
    # A JWKS fetch gives up after this long; when refreshes fail, the cached keys are still trusted for at most
    # `jwks_max_stale_seconds` past their expiry (the provider may have retired one meanwhile).
    jwks_fetch_timeout_seconds: float = 3
    jwks_max_stale_seconds: float = 6 * 3600

    # A client has this long to send a request's headers, and as long again for its body (408 after that), so a
    # slow or stalled client cannot hold a connection; an idle kept-alive connection closes after 5 s (uvicorn's).
    client_timeout_seconds: float = 10
    # Bodies over this many bytes are refused with 413 while they stream in, before being read whole.
    max_body_bytes: int = 1024 * 1024
    # An administrator's requests (importPeople carries a whole HRIS export) may be this large.
    max_import_bytes: int = 64 * 1024 * 1024
    # Browser portals allowed to call the API from another origin (comma-separated; none by default).
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()

    max_query_depth: int = 12
    max_query_tokens: int = 4000
    max_aliases: int = 20
    # Automatic persisted queries: on (any document by its hash), only (the manifest's documents), or off.
    persisted_queries: str = "on"
    persisted_query_manifest: str = ""

    # Booking: how soon a meeting may start, how far ahead it may be booked, and how long after its end an
    # unconfirmed meeting becomes MISSED.
    booking_min_notice_minutes: int = 15
    booking_max_horizon_days: int = 731
    missed_meeting_grace_hours: int = 24
    # Relationships: unanswered mentor requests expire; quiet relationships get a notice, then auto-conclude.
    mentor_request_days: int = 14
    inactive_after_days: int = 90
    inactivity_notice_days: int = 14
    # How often `serve` runs the sweeps in-process (0: never; then run `mentorgraph sweep` from a scheduler).
    sweep_interval_seconds: int = 3600
    # The sweeps delete outbox messages delivered longer ago than this (0: keep them all).
    outbox_retention_days: int = 7
    # Survey invitations and reminders go out through this SMTP server; without a host they stay queued.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "mentorgraph@localhost"
    smtp_timeout_seconds: float = 30

    # Faults: one statement waits at most this long (PostgreSQL statement_timeout, SQLite busy_timeout), and a
    # whole request at most `request_timeout_seconds`, so a frozen database answers 503 instead of hanging.
    db_statement_timeout_ms: int = 5000
    request_timeout_seconds: int = 15
    # Calendar sync. Fernet keys for stored refresh tokens, comma-separated, newest first (rotation).
    secret_key: Annotated[tuple[str, ...], NoDecode] = ()
    # `serve` drains the calendar outbox in-process unless this is "off" (then run `mentorgraph worker`).
    worker: str = "on"
    worker_concurrency: int = 16
    worker_lease_seconds: float = 60
    worker_poll_seconds: float = 0.5
    worker_max_attempts: int = 8
    worker_backoff_base_seconds: float = 2
    worker_backoff_cap_seconds: float = 900
    # Provider limits the worker keeps to by itself.
    google_user_requests_per_minute: int = 600
    outlook_mailbox_concurrency: int = 4
    provider_timeout_seconds: float = 20
    # Personal connections (OAuth authorization code with PKCE). Public base URL for the callbacks.
    public_url: str = "http://127.0.0.1:8000"
    google_client_id: str = ""
    google_client_secret: str = ""
    google_auth_url: str = "https://accounts.google.com/o/oauth2/v2/auth"
    google_token_url: str = "https://oauth2.googleapis.com/token"
    google_revoke_url: str = "https://oauth2.googleapis.com/revoke"
    google_calendar_url: str = "https://www.googleapis.com/calendar/v3/"
    microsoft_client_id: str = ""
    microsoft_client_secret: str = ""
    microsoft_authority_url: str = "https://login.microsoftonline.com/common"
    microsoft_graph_url: str = "https://graph.microsoft.com/v1.0"
    # A CA bundle for providers reached through a TLS-inspecting proxy; empty: the system's.
    provider_ca_file: str = ""
    # Free/busy read from connected calendars during slot searches: a provider slower than the timeout is left
    # out (the answer names whose calendar); answers are cached (0: never) for at most so many entries.
    freebusy_timeout_seconds: float = 4
    freebusy_cache_seconds: float = 60
    freebusy_cache_entries: int = 20_000
    # Inbound calendar sync. Providers POST notifications to <base>/webhooks/google and /webhooks/microsoft;
    # both require public HTTPS. Empty: the public URL above.
    webhook_base_url: str = ""
    # Every followed calendar is synced at least this often (±jitter), whatever the notifications did.
    inbound_backstop_seconds: float = 900
    inbound_backstop_jitter: float = 0.25
    # Channels and subscriptions are renewed this long before they expire.
    inbound_channel_renew_lead_seconds: float = 6 * 3600
    google_channel_lifetime_seconds: float = 7 * 24 * 3600
    # Graph's maximum subscription lifetime for Outlook events (the documented value has changed over time).
    graph_subscription_max_minutes: int = 4230
    # A full resync (first sync, or the provider dropped the cursor) covers this window around now.
    inbound_days_back: int = 30
    inbound_days_ahead: int = 365

    @field_validator("database_url")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        try:
            engine_of(value)
        except DatabaseUrlError as error:
            raise ValueError(str(error)) from None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"unknown log level {value!r}; use one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    @field_validator("jwks_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value and (urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("secret_key", mode="before")
    @classmethod
    def _fernet_keys(cls, value):
        from cryptography.fernet import Fernet

        if isinstance(value, str):
            value = tuple(part.strip() for part in value.split(",") if part.strip())
        for key in value:
            try:
                Fernet(key)
            except (ValueError, TypeError):
                raise ValueError("each key must be a Fernet key (`mentorgraph new-secret-key` makes one)") from None
        return tuple(value)

    @field_validator("persisted_queries")
    @classmethod
    def _persisted_mode(cls, value: str) -> str:
        if value.lower() not in {mode.value for mode in PersistedQueryMode}:
            raise ValueError("use on, only or off")
        return value.lower()

    @field_validator("log_format")
    @classmethod
    def _known_log_format(cls, value: str) -> str:
        if value.lower() not in ("text", "json"):
            raise ValueError("use text or json")
        return value.lower()

    @field_validator("worker")
    @classmethod
    def _on_or_off(cls, value: str) -> str:
        if value.lower() not in ("on", "off"):
            raise ValueError("use on or off")
        return value.lower()

    @field_validator("email_claims", mode="before")
    @classmethod
    def _comma_separated(cls, value):
        if isinstance(value, str):
            value = tuple(part.strip() for part in value.split(",") if part.strip())
        if not value:
            raise ValueError("name at least one claim")
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value):
        if isinstance(value, str):
            value = tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())
        for origin in value:
            parts = urlsplit(origin)
            if origin != "*" and (parts.scheme not in ("http", "https") or not parts.netloc or parts.path):
                raise ValueError(f"{origin!r} is not an origin such as https://portal.example.com")
        return tuple(value)

    @field_validator(
        "port",
        "smtp_port",
        "max_body_bytes",
        "max_import_bytes",
        "max_query_depth",
        "max_query_tokens",
        "max_aliases",
        "dev_token_ttl_minutes",
        "booking_max_horizon_days",
        "missed_meeting_grace_hours",
        "mentor_request_days",
        "inactive_after_days",
        "inactivity_notice_days",
        "db_statement_timeout_ms",
        "request_timeout_seconds",
        "worker_concurrency",
        "worker_max_attempts",
        "graph_subscription_max_minutes",
        "inbound_days_back",
        "inbound_days_ahead",
        "google_user_requests_per_minute",
        "outlook_mailbox_concurrency",
        "freebusy_cache_entries",
    )
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("must be a positive whole number")
        return value

    @field_validator(
        "jwks_cache_seconds",
        "jwks_refresh_cooldown_seconds",
        "jwks_fetch_timeout_seconds",
        "jwks_max_stale_seconds",
        "client_timeout_seconds",
        "worker_lease_seconds",
        "worker_poll_seconds",
        "worker_backoff_base_seconds",
        "worker_backoff_cap_seconds",
        "provider_timeout_seconds",
        "inbound_backstop_seconds",
        "inbound_channel_renew_lead_seconds",
        "google_channel_lifetime_seconds",
        "smtp_timeout_seconds",
        "freebusy_timeout_seconds",
    )
    @classmethod
    def _positive_seconds(cls, value: float) -> float:
        if not value > 0 or value == float("inf"):
            raise ValueError("must be a positive number of seconds")
        return value

    @field_validator("freebusy_cache_seconds")
    @classmethod
    def _seconds_or_zero(cls, value: float) -> float:
        if not 0 <= value < float("inf"):
            raise ValueError("must be zero or a positive number of seconds")
        return value

    @field_validator("inbound_backstop_jitter")
    @classmethod
    def _share(cls, value: float) -> float:
        if not 0 <= value < 1:
            raise ValueError("must be a share from 0 up to (not including) 1")
        return value

    @field_validator("booking_min_notice_minutes", "sweep_interval_seconds", "outbox_retention_days")
    @classmethod
    def _not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError("must be zero or a positive whole number")
        return value

    @field_validator(*_AT_MOST)
    @classmethod
    def _at_most(cls, value: int, info: ValidationInfo) -> int:
        if value > _AT_MOST[info.field_name]:
            raise ValueError(f"must be at most {_AT_MOST[info.field_name]}")
        return value

    @model_validator(mode="after")
    def _notice_inside_inactivity(self) -> Settings:
        if self.inactivity_notice_days >= self.inactive_after_days:
            raise ValueError(f"{ENV_PREFIX}INACTIVITY_NOTICE_DAYS must be shorter than {ENV_PREFIX}INACTIVE_AFTER_DAYS")
        return self

    @model_validator(mode="after")
    def _allowlist_needs_manifest(self) -> Settings:
        if self.persisted_queries == PersistedQueryMode.ONLY.value:
            if not self.persisted_query_manifest:
                raise ValueError(
                    f"{ENV_PREFIX}PERSISTED_QUERY_MANIFEST is required when {ENV_PREFIX}PERSISTED_QUERIES=only"
                )
            try:
                PersistedQueries.from_manifest(Path(self.persisted_query_manifest))
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{ENV_PREFIX}PERSISTED_QUERY_MANIFEST: {error}") from None
        return self

    @model_validator(mode="after")
    def _production_needs_identity_provider(self) -> Settings:
        if self.mode is Mode.PRODUCTION:
            missing = [f"{ENV_PREFIX}{name.upper()}" for name in PRODUCTION_NEEDS if not getattr(self, name)]
            if missing:
                # All at once: an operator fixing one per start-up would need as many restarts.
                verb = "is" if len(missing) == 1 else "are"
                raise ValueError(f"{', '.join(missing)} {verb} required when {ENV_PREFIX}MODE=production")
        return self

    @property
    def engine(self) -> str:
        return engine_of(self.database_url)

    @property
    def booking_rules(self) -> BookingRules:
        return BookingRules(
            minimum_notice=timedelta(minutes=self.booking_min_notice_minutes),
            maximum_horizon=timedelta(days=self.booking_max_horizon_days),
            missed_grace=timedelta(hours=self.missed_meeting_grace_hours),
        )

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=self.worker_max_attempts,
            base=timedelta(seconds=self.worker_backoff_base_seconds),
            cap=timedelta(seconds=self.worker_backoff_cap_seconds),
        )

    def persisted_query_store(self) -> PersistedQueries:
        """The process's persisted-query store: open, the manifest's allowlist, or switched off."""
        if self.persisted_queries == PersistedQueryMode.ONLY.value:
            return PersistedQueries.from_manifest(Path(self.persisted_query_manifest))
        return PersistedQueries(mode=PersistedQueryMode(self.persisted_queries))

    def token_cipher(self) -> TokenCipher:
        """The cipher for stored refresh tokens; without MENTORGRAPH_SECRET_KEY personal connections are off."""
        if not self.secret_key:
            raise SettingsError(f"{ENV_PREFIX}SECRET_KEY is not set: personal calendar connections need it")
        return TokenCipher(self.secret_key)

    @property
    def calendar_sync(self) -> SyncConfig:
        return SyncConfig(
            token_cipher=self.token_cipher,
            retry_policy=self.retry_policy,
            webhook_base_url=self.webhook_base_url or self.public_url,
            **{name: getattr(self, name) for name in SyncConfig.__dataclass_fields__ if name not in _DERIVED},
        )

    @property
    def calendar_oauth(self) -> OAuthSettings:
        return OAuthSettings(
            ca_file=self.provider_ca_file,
            **{name: getattr(self, name) for name in OAuthSettings.__dataclass_fields__ if name != "ca_file"},
        )

    @property
    def relationship_timing(self) -> RelationshipTiming:
        return RelationshipTiming(
            mentor_request_lifetime=timedelta(days=self.mentor_request_days),
            inactive_after=timedelta(days=self.inactive_after_days),
            inactivity_notice=timedelta(days=self.inactivity_notice_days),
        )


def load_settings(**overrides) -> Settings:
    """Reads the environment; a bad value raises SettingsError with one line naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        location = [str(part) for part in first.get("loc", ()) if part]
        message = first["msg"].removeprefix("Value error, ")
        if location:
            raise SettingsError(f"{ENV_PREFIX}{location[0].upper()}: {message}") from None
        raise SettingsError(message) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()

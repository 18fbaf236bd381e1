"""What the calendar worker, its writers and the personal-connection OAuth flow are configured with;
api/settings.py builds these from the environment, so integrations/ needs nothing from api/. Kept free of
provider SDK imports: settings load fast."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from domain.calendar.secrets import TokenCipher
from domain.outbox.backoff import RetryPolicy


@dataclass(frozen=True)
class SyncConfig:
    token_cipher: Callable[[], TokenCipher]
    retry_policy: RetryPolicy = field(default_factory=RetryPolicy)
    worker_concurrency: int = 16
    worker_lease_seconds: float = 60
    worker_poll_seconds: float = 0.5
    google_user_requests_per_minute: int = 600
    outlook_mailbox_concurrency: int = 4
    provider_timeout_seconds: float = 20
    provider_ca_file: str = ""
    google_client_id: str = ""
    google_client_secret: str = ""
    google_token_url: str = "https://oauth2.googleapis.com/token"
    google_calendar_url: str = "https://www.googleapis.com/calendar/v3/"
    microsoft_client_id: str = ""
    microsoft_client_secret: str = ""
    microsoft_authority_url: str = "https://login.microsoftonline.com/common"
    microsoft_graph_url: str = "https://graph.microsoft.com/v1.0"
    # Free/busy for slot searches: a provider slower than this is left out of the answer (and named in it);
    # answers are kept this long, for at most this many (person, window) entries.
    freebusy_timeout_seconds: float = 4
    freebusy_cache_seconds: float = 60
    freebusy_cache_entries: int = 20_000
    # Inbound sync (api/settings.py says what each means).
    webhook_base_url: str = "http://127.0.0.1:8000"
    inbound_backstop_seconds: float = 900
    inbound_backstop_jitter: float = 0.25
    inbound_channel_renew_lead_seconds: float = 6 * 3600
    google_channel_lifetime_seconds: float = 7 * 24 * 3600
    graph_subscription_max_minutes: int = 4230
    inbound_days_back: int = 30
    inbound_days_ahead: int = 365


@dataclass(frozen=True)
class OAuthSettings:
    public_url: str
    google_client_id: str
    google_client_secret: str
    google_auth_url: str
    google_token_url: str
    google_revoke_url: str
    google_calendar_url: str
    microsoft_client_id: str
    microsoft_client_secret: str
    microsoft_authority_url: str
    microsoft_graph_url: str
    ca_file: str = ""

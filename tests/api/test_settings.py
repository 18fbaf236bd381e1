"""Configuration: MENTORGRAPH_* variables become one Settings object, and a bad value stops start-up in one line."""

from __future__ import annotations

import os

import pytest

from api.settings import Mode, SettingsError, load_settings
from tests.api.conftest import run_cli

# variables, the variable the one-line error must name, and a phrase of its reason
BAD_CONFIGURATIONS = {
    "a negative free/busy cache lifetime": (
        {"MENTORGRAPH_FREEBUSY_CACHE_SECONDS": "-1"},
        "MENTORGRAPH_FREEBUSY_CACHE_SECONDS",
        "must be zero or a positive number of seconds",
    ),
    "a zero free/busy timeout": (
        {"MENTORGRAPH_FREEBUSY_TIMEOUT_SECONDS": "0"},
        "MENTORGRAPH_FREEBUSY_TIMEOUT_SECONDS",
        "must be a positive number of seconds",
    ),
    "an empty free/busy cache": (
        {"MENTORGRAPH_FREEBUSY_CACHE_ENTRIES": "0"},
        "MENTORGRAPH_FREEBUSY_CACHE_ENTRIES",
        "positive",
    ),
    "backstop jitter of a whole period": (
        {"MENTORGRAPH_INBOUND_BACKSTOP_JITTER": "1.5"},
        "MENTORGRAPH_INBOUND_BACKSTOP_JITTER",
        "must be a share from 0 up to (not including) 1",
    ),
    "a zero backstop period": (
        {"MENTORGRAPH_INBOUND_BACKSTOP_SECONDS": "0"},
        "MENTORGRAPH_INBOUND_BACKSTOP_SECONDS",
        "must be a positive number of seconds",
    ),
    "unknown database scheme": (
        {"MENTORGRAPH_DATABASE_URL": "mysql://mentorgraph@db.internal/mentorgraph"},
        "MENTORGRAPH_DATABASE_URL",
        "unsupported scheme 'mysql'",
    ),
    "production without a JWKS URL": (
        {
            "MENTORGRAPH_MODE": "production",
            "MENTORGRAPH_JWT_ISSUER": "https://accounts.google.com",
            "MENTORGRAPH_JWT_AUDIENCE": "mentorgraph",
        },
        "MENTORGRAPH_JWKS_URL",
        "required when MENTORGRAPH_MODE=production",
    ),
    "production without an issuer": (
        {
            "MENTORGRAPH_MODE": "production",
            "MENTORGRAPH_JWKS_URL": "https://www.googleapis.com/oauth2/v3/certs",
            "MENTORGRAPH_JWT_AUDIENCE": "mentorgraph",
        },
        "MENTORGRAPH_JWT_ISSUER",
        "required when MENTORGRAPH_MODE=production",
    ),
    "non-numeric port": ({"MENTORGRAPH_PORT": "eighty"}, "MENTORGRAPH_PORT", "valid integer"),
    "negative depth limit": ({"MENTORGRAPH_MAX_QUERY_DEPTH": "-1"}, "MENTORGRAPH_MAX_QUERY_DEPTH", "positive"),
    "unknown mode": ({"MENTORGRAPH_MODE": "staging"}, "MENTORGRAPH_MODE", "'development' or 'production'"),
    "unknown log level": ({"MENTORGRAPH_LOG_LEVEL": "LOUD"}, "MENTORGRAPH_LOG_LEVEL", "unknown log level"),
    "JWKS URL that is a file": (
        {"MENTORGRAPH_JWKS_URL": "file:///etc/passwd"},
        "MENTORGRAPH_JWKS_URL",
        "not an http(s) URL",
    ),
    "zero JWKS cache": ({"MENTORGRAPH_JWKS_CACHE_SECONDS": "0"}, "MENTORGRAPH_JWKS_CACHE_SECONDS", "positive"),
    "port beyond 65535": ({"MENTORGRAPH_PORT": "80000"}, "MENTORGRAPH_PORT", "at most 65535"),
    "empty email claims": ({"MENTORGRAPH_EMAIL_CLAIMS": " , "}, "MENTORGRAPH_EMAIL_CLAIMS", "at least one claim"),
    "negative booking notice": (
        {"MENTORGRAPH_BOOKING_MIN_NOTICE_MINUTES": "-15"},
        "MENTORGRAPH_BOOKING_MIN_NOTICE_MINUTES",
        "zero or a positive",
    ),
    "booking notice of a year": (
        {"MENTORGRAPH_BOOKING_MIN_NOTICE_MINUTES": "525600"},
        "MENTORGRAPH_BOOKING_MIN_NOTICE_MINUTES",
        "at most 43200",
    ),
    "zero booking horizon": (
        {"MENTORGRAPH_BOOKING_MAX_HORIZON_DAYS": "0"},
        "MENTORGRAPH_BOOKING_MAX_HORIZON_DAYS",
        "positive",
    ),
    "booking horizon past any calendar": (
        {"MENTORGRAPH_BOOKING_MAX_HORIZON_DAYS": "10000000000"},
        "MENTORGRAPH_BOOKING_MAX_HORIZON_DAYS",
        "at most 3660",
    ),
    "zero missed-meeting grace": (
        {"MENTORGRAPH_MISSED_MEETING_GRACE_HOURS": "0"},
        "MENTORGRAPH_MISSED_MEETING_GRACE_HOURS",
        "positive",
    ),
    "fractional mentor request days": (
        {"MENTORGRAPH_MENTOR_REQUEST_DAYS": "1.5"},
        "MENTORGRAPH_MENTOR_REQUEST_DAYS",
        "valid integer",
    ),
    "zero mentor request days": (
        {"MENTORGRAPH_MENTOR_REQUEST_DAYS": "0"},
        "MENTORGRAPH_MENTOR_REQUEST_DAYS",
        "positive",
    ),
    "non-numeric inactivity": (
        {"MENTORGRAPH_INACTIVE_AFTER_DAYS": "ninety"},
        "MENTORGRAPH_INACTIVE_AFTER_DAYS",
        "valid integer",
    ),
    "inactivity past any calendar": (
        {"MENTORGRAPH_INACTIVE_AFTER_DAYS": "100000000"},
        "MENTORGRAPH_INACTIVE_AFTER_DAYS",
        "at most 3660",
    ),
    "negative inactivity notice": (
        {"MENTORGRAPH_INACTIVITY_NOTICE_DAYS": "-1"},
        "MENTORGRAPH_INACTIVITY_NOTICE_DAYS",
        "positive",
    ),
    "notice as long as the inactivity": (
        {"MENTORGRAPH_INACTIVE_AFTER_DAYS": "30", "MENTORGRAPH_INACTIVITY_NOTICE_DAYS": "30"},
        "MENTORGRAPH_INACTIVITY_NOTICE_DAYS",
        "must be shorter than MENTORGRAPH_INACTIVE_AFTER_DAYS",
    ),
    "negative sweep interval": (
        {"MENTORGRAPH_SWEEP_INTERVAL_SECONDS": "-60"},
        "MENTORGRAPH_SWEEP_INTERVAL_SECONDS",
        "zero or a positive",
    ),
    "sweep interval beyond a week": (
        {"MENTORGRAPH_SWEEP_INTERVAL_SECONDS": "1000000000"},
        "MENTORGRAPH_SWEEP_INTERVAL_SECONDS",
        "at most 604800",
    ),
}


@pytest.fixture
def environment(monkeypatch):
    """Starts from no MENTORGRAPH_* variables at all, then sets the given ones."""
    for name in [name for name in os.environ if name.startswith("MENTORGRAPH_")]:
        monkeypatch.delenv(name)

    def apply(variables: dict[str, str]) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return apply


@pytest.mark.parametrize("case", list(BAD_CONFIGURATIONS))
def test_a_bad_value_is_one_line_naming_the_variable(environment, case):
    variables, variable, reason = BAD_CONFIGURATIONS[case]
    environment(variables)

    with pytest.raises(SettingsError) as raised:
        load_settings()

    message = str(raised.value)
    assert "\n" not in message
    assert variable in message
    assert reason in message


@pytest.mark.parametrize(
    "case",
    [
        "unknown database scheme",
        "production without a JWKS URL",
        "non-numeric port",
        "unknown log level",
        "booking horizon past any calendar",
        "notice as long as the inactivity",
    ],
)
def test_serve_refuses_to_start_on_a_bad_value_with_one_line(case):
    variables, variable, reason = BAD_CONFIGURATIONS[case]

    finished = run_cli("serve", timeout=30, **variables)

    assert finished.returncode != 0
    assert finished.stdout == ""
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1, finished.stderr
    assert lines[0].startswith("mentorgraph: configuration error: ")
    assert variable in lines[0]
    assert reason in lines[0]


def test_defaults_need_no_configuration(environment):
    environment({})

    settings = load_settings()

    assert settings.mode is Mode.DEVELOPMENT
    assert settings.engine == "sqlite"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_values_come_from_the_environment(environment):
    environment(
        {
            "MENTORGRAPH_MODE": "production",
            "MENTORGRAPH_DATABASE_URL": "postgres://mentorgraph@db.internal:5432/mentorgraph",
            "MENTORGRAPH_JWKS_URL": "https://login.microsoftonline.com/contoso/discovery/v2.0/keys",
            "MENTORGRAPH_JWT_ISSUER": "https://login.microsoftonline.com/contoso/v2.0",
            "MENTORGRAPH_JWT_AUDIENCE": "api://mentorgraph",
            "MENTORGRAPH_EMAIL_CLAIMS": "preferred_username, email",
            "MENTORGRAPH_PORT": "9000",
            "MENTORGRAPH_LOG_LEVEL": "debug",
        }
    )

    settings = load_settings()

    assert settings.mode is Mode.PRODUCTION
    assert settings.engine == "postgres"
    assert settings.email_claims == ("preferred_username", "email")
    assert settings.port == 9000
    assert settings.log_level == "DEBUG"


def test_free_busy_settings_reach_the_calendar_configuration(environment):
    environment(
        {
            "MENTORGRAPH_FREEBUSY_TIMEOUT_SECONDS": "2.5",
            "MENTORGRAPH_FREEBUSY_CACHE_SECONDS": "0",
            "MENTORGRAPH_FREEBUSY_CACHE_ENTRIES": "50",
        }
    )

    sync = load_settings().calendar_sync

    assert (sync.freebusy_timeout_seconds, sync.freebusy_cache_seconds, sync.freebusy_cache_entries) == (2.5, 0, 50)

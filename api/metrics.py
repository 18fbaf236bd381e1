"""`/metrics` in Prometheus' text format (prometheus-client), served only when MENTORGRAPH_METRICS=true.

What is counted: requests by operation and outcome, their latency, database connections in use, sweep runs,
background job runs, and calendar sync's health (read from the database at each scrape: the numbers of the
admins' calendarSyncHealth, so every worker answers alike). With `serve --workers N` the processes share one view
through prometheus-client's multiprocess mode: `serve` points PROMETHEUS_MULTIPROC_DIR at a fresh directory
before the workers start, each writes its samples there, and whichever worker answers a scrape reads them all.
The database pool gauge is the one value a worker sets only when it finishes a request or answers a scrape, so
with several workers it reads "as of each worker's last request".
"""

from __future__ import annotations

import logging
import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import multiprocess as prometheus_multiprocess
from prometheus_client.core import GaugeMetricFamily
from starlette.requests import Request
from starlette.responses import Response

from api.database.connection import connections_in_use
from api.database.faults import database_unavailable
from api.request_log import RequestRecord
from domain.calendar.queries import SyncHealth, sync_health
from domain.clock import utc_now

logger = logging.getLogger(__name__)

MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"
# Client-chosen operation names beyond this many distinct ones are counted as "other": a label per name would
# let any client grow the metrics without bound.
MAX_OPERATIONS = 200
# Failure reasons are provider messages: only the commonest few become labels, cut short, so a flood of distinct
# errors cannot grow the scrape without bound.
MAX_FAILURE_REASONS = 20
REASON_LABEL_LENGTH = 80

REQUESTS = Counter(
    "mentorgraph_requests", "HTTP requests answered, by GraphQL operation and outcome", ["operation", "outcome"]
)
LATENCY = Histogram(
    "mentorgraph_request_duration_seconds",
    "Time from a request's arrival to the end of its response",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15),
)
POOL_IN_USE = Gauge(
    "mentorgraph_database_connections_in_use",
    "Database connections lent out to work right now",
    multiprocess_mode="livesum",
)
SWEEPS = Counter("mentorgraph_sweep_runs", "Sweep rounds, by result (done, skipped, failed)", ["result"])
JOBS = Counter("mentorgraph_job_runs", "Background jobs finished, by kind and result", ["kind", "result"])

_seen_operations: set[str] = set()


def _operation_label(record: RequestRecord) -> str:
    if record.operation is None:
        return record.path if record.path in ("/healthz", "/readyz", "/metrics") else "other"
    if record.operation in _seen_operations or len(_seen_operations) < MAX_OPERATIONS:
        _seen_operations.add(record.operation)
        return record.operation
    return "other"


def observe_request(record: RequestRecord) -> None:
    operation = _operation_label(record)
    REQUESTS.labels(operation=operation, outcome=record.outcome).inc()
    LATENCY.labels(operation=operation).observe(record.duration_seconds)
    _update_pool_gauge()


def count_sweep(result: str) -> None:
    SWEEPS.labels(result=result).inc()


def count_job(kind: str, result: str) -> None:
    JOBS.labels(kind=kind, result=result).inc()


def count_people_import(result: str) -> None:
    count_job("people_import", result)


def listen_to_jobs() -> None:
    """Counts the background jobs this process runs (once per process, however many apps it builds)."""
    from domain.people import import_jobs

    if count_people_import not in import_jobs.FINISHED_LISTENERS:
        import_jobs.FINISHED_LISTENERS.append(count_people_import)


def _update_pool_gauge() -> None:
    in_use = connections_in_use()
    if in_use is not None:
        POOL_IN_USE.set(in_use)


class _CalendarSyncCollector:
    """One scrape's calendar sync numbers, as gauges (a registry of its own, built per scrape)."""

    def __init__(self, health: SyncHealth | None):
        self._health = health

    def collect(self):
        readable = GaugeMetricFamily(
            "mentorgraph_calendar_sync_health_readable", "1 when the calendar sync numbers below could be read"
        )
        readable.add_metric([], 0 if self._health is None else 1)
        yield readable
        if self._health is None:
            return
        health = self._health
        yield GaugeMetricFamily(
            "mentorgraph_calendar_sync_backlog", "Calendar changes waiting to reach a calendar", value=health.backlog
        )
        yield GaugeMetricFamily(
            "mentorgraph_calendar_sync_oldest_pending_seconds",
            "Age of the oldest waiting calendar change (0 when none waits)",
            value=health.oldest_pending_seconds(utc_now()) or 0.0,
        )
        yield GaugeMetricFamily(
            "mentorgraph_calendar_sync_dead_letters",
            "Calendar changes given up on (retryCalendarSync sends them again)",
            value=health.dead_letters,
        )
        yield GaugeMetricFamily(
            "mentorgraph_calendar_connections_broken",
            "Calendar connections whose grant was revoked or expired",
            value=health.broken_connections,
        )
        failures = GaugeMetricFamily(
            "mentorgraph_calendar_sync_failed_meetings",
            "Meetings whose calendar sync failed, by reason",
            labels=["reason"],
        )
        for reason, meetings in list(health.failures_by_reason.items())[:MAX_FAILURE_REASONS]:
            failures.add_metric([reason[:REASON_LABEL_LENGTH]], meetings)
        yield failures


async def _calendar_sync_health() -> SyncHealth | None:
    try:
        return await sync_health()
    except Exception as error:
        # A scrape must still answer while the database is away; the "readable" gauge says the numbers are missing.
        if not database_unavailable(error):
            raise
        logger.warning("calendar sync health unreadable for /metrics: %s", repr(error)[:300])
        return None


async def metrics(request: Request) -> Response:
    _update_pool_gauge()
    if os.environ.get(MULTIPROCESS_DIRECTORY):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest()
    calendar = CollectorRegistry()
    calendar.register(_CalendarSyncCollector(await _calendar_sync_health()))
    return Response(body + generate_latest(calendar), media_type=CONTENT_TYPE_LATEST)

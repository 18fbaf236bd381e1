"""`/metrics` in Prometheus' text format (prometheus-client), served only when MENTORGRAPH_METRICS=true.

What is counted: requests by operation and outcome, their latency, database connections in use, sweep runs
and background job runs. With `serve --workers N` the processes share one view through prometheus-client's
multiprocess mode: `serve` points PROMETHEUS_MULTIPROC_DIR at a fresh directory before the workers start, each
writes its samples there, and whichever worker answers a scrape reads them all. The database pool gauge is the
one value a worker sets only when it finishes a request or answers a scrape, so with several workers it reads
"as of each worker's last request".
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import multiprocess as prometheus_multiprocess
from starlette.requests import Request
from starlette.responses import Response

from api.database.connection import connections_in_use
from api.request_log import RequestRecord

MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"
# Client-chosen operation names beyond this many distinct ones are counted as "other": a label per name would
# let any client grow the metrics without bound.
MAX_OPERATIONS = 200

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


async def metrics(request: Request) -> Response:
    _update_pool_gauge()
    if os.environ.get(MULTIPROCESS_DIRECTORY):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest()
    return Response(body, media_type=CONTENT_TYPE_LATEST)

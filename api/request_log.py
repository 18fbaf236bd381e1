"""One record per HTTP request (operation, status, outcome, duration), for the request log line and /metrics.

The GraphQL view fills in what only it knows (the operation's name, whether the result held errors and of
which kind); the middleware times the request, takes the status from the response, and hands the finished
record to whoever listens: the JSON request log line and the Prometheus metrics.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.request_id import LOG_FORMAT, current_request_id, install_log_record_factory

log = logging.getLogger("mentorgraph.requests")

# Operation names come from clients: anything that is not a plain GraphQL name is not repeated in a log or label.
_OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")

OK, CLIENT_ERROR, UNAVAILABLE, SERVER_ERROR = "ok", "client_error", "unavailable", "server_error"


@dataclass
class RequestRecord:
    method: str
    path: str
    operation: str | None = None
    # What the GraphQL result said, when it was answered 200 with errors in it.
    graphql_outcome: str | None = None
    status: int = 0
    duration_seconds: float = 0.0

    @property
    def outcome(self) -> str:
        if self.status == 503:
            return UNAVAILABLE
        if self.status >= 500:
            return SERVER_ERROR
        if self.status >= 400:
            return CLIENT_ERROR
        return self.graphql_outcome or OK


_current: ContextVar[RequestRecord | None] = ContextVar("request_record", default=None)


def current_record() -> RequestRecord | None:
    return _current.get()


def note_operation(name: str | None) -> None:
    record = _current.get()
    if record is not None:
        record.operation = name if name and _OPERATION_NAME.fullmatch(name) else "anonymous"


def note_graphql_outcome(outcome: str) -> None:
    record = _current.get()
    if record is not None:
        record.graphql_outcome = outcome


class RequestRecordMiddleware:
    """Pure ASGI, inside the request-id middleware (the log line carries the id) and outside everything else."""

    def __init__(self, app: ASGIApp, *, listeners: tuple[Callable[[RequestRecord], None], ...]) -> None:
        self.app = app
        self.listeners = listeners

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.listeners:
            await self.app(scope, receive, send)
            return
        record = RequestRecord(method=scope["method"], path=scope["path"])
        started = time.perf_counter()

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            await send(message)

        token = _current.set(record)
        try:
            await self.app(scope, receive, recording_send)
        except BaseException:
            record.status = record.status or 500
            raise
        finally:
            _current.reset(token)
            record.duration_seconds = time.perf_counter() - started
            for listener in self.listeners:
                listener(record)


def log_request(record: RequestRecord) -> None:
    """The request log line; its fields are separate attributes for the JSON format."""
    log.info(
        "%s %s %s %s %.1f ms",
        record.method,
        record.path,
        record.status,
        record.operation or "-",
        record.duration_seconds * 1000,
        extra={
            "http_method": record.method,
            "path": record.path,
            "status": record.status,
            "outcome": record.outcome,
            "operation": record.operation,
            "duration_ms": round(record.duration_seconds * 1000, 1),
        },
    )


# Attributes of a log record that JSON lines carry when a line sets them (the request log line does).
_REQUEST_FIELDS = ("http_method", "path", "status", "outcome", "operation", "duration_ms")


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and the request's fields if any."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        for name in _REQUEST_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


JsonLogFormatter.converter = time.gmtime

LOG_FORMATS = ("text", "json")


def configure_logging(level: str, log_format: str) -> None:
    """The root logger's format: text lines with the request id, or JSON lines (MENTORGRAPH_LOG_FORMAT=json)."""
    install_log_record_factory()
    if log_format == "json":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonLogFormatter())
        logging.basicConfig(level=level, handlers=[handler])
    else:
        logging.basicConfig(level=level, format=LOG_FORMAT)

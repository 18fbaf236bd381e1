"""The machinery the provider fakes share: a threaded HTTP(S) server on 127.0.0.1, a request log, and faults.

A fake is a `handle(request) -> Reply` method over its own state. Faults are decided per request before the
fake sees it (429, 403 rate limits, 5xx, slow answers, a connection dropped unanswered) or after it has
committed the write (the connection dropped, or a 504, with the change already made: the lost response).
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body or b"{}")

    def form(self) -> dict[str, str]:
        return {key: values[-1] for key, values in parse_qs(self.body.decode()).items()}

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass
class Reply:
    status: int
    body: dict | str | None = None
    headers: dict[str, str] = field(default_factory=dict)


# What a fault does: answer instead of the fake (before), or drop or replace the answer after the commit.
DROP = "drop"
LOST_AFTER_COMMIT = "lost-after-commit"


@dataclass
class Gate:
    """Holds a request at the fake until the test opens it: an interleaving chosen by the test, not a timing."""

    arrived: threading.Event = field(default_factory=threading.Event)
    opened: threading.Event = field(default_factory=threading.Event)


@dataclass
class Fault:
    name: str
    reply: Reply | None = None  # None with name DROP / LOST_AFTER_COMMIT: close the connection unanswered
    after_commit: bool = False
    delay: float = 0.0
    # Held until the gate opens, then served as usual.
    gate: Gate | None = None


def held(gate: Gate) -> Fault:
    return Fault("held", gate=gate)


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    subject: str
    status: int | None  # None: the connection was dropped
    fault: str = ""
    prefer: str = ""


class FaultPlan:
    """Chooses a fault for a share of the requests (seeded, so a failing run can be replayed)."""

    def __init__(self, faults: list[Fault], *, rate: float = 0.0, seed: int = 1, methods: frozenset = frozenset()):
        self.faults = faults
        self.rate = rate
        self.rng = random.Random(seed)
        self.methods = methods  # empty: every method
        self._lock = threading.Lock()
        self.queued: list[tuple[Callable[[Request], bool] | None, Fault]] = []

    def queue(self, *faults: Fault, when: Callable[[Request], bool] | None = None) -> None:
        """The next requests (those `when` accepts, if given) get these faults, in order, whatever the rate."""
        with self._lock:
            self.queued.extend((when, fault) for fault in faults)

    def pick(self, request: Request) -> Fault | None:
        with self._lock:
            for index, (when, fault) in enumerate(self.queued):
                if when is None or when(request):
                    del self.queued[index]
                    return fault
            if self.methods and request.method not in self.methods:
                return None
            if self.faults and self.rng.random() < self.rate:
                return self.rng.choice(self.faults)
        return None


class FakeServer:
    """Serves a fake over HTTP/1.1 (keep-alive) on a free loopback port, with TLS when given a context."""

    def __init__(self, fake, *, tls: ssl.SSLContext | None = None) -> None:
        self.fake = fake
        fake_server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _serve(self) -> None:
                fake_server._serve(self)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        request = Request(
            method=handler.command,
            path=unquote(parts.path),
            query={key: values[-1] for key, values in parse_qs(parts.query).items()},
            # Repeated headers (Graph's two Prefer values) are joined, as HTTP allows.
            headers={key.lower(): ", ".join(handler.headers.get_all(key)) for key in set(handler.headers.keys())},
            body=handler.rfile.read(length) if length else b"",
        )
        fault = self.fake.faults.pick(request)
        if fault is not None:
            fault = self.fake.shaped(request, fault)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.gate is not None:
            fault.gate.arrived.set()
            fault.gate.opened.wait(timeout=120)
        if fault is not None and not fault.after_commit and fault.name not in ("slow", "held"):
            self._record(request, None if fault.reply is None else fault.reply.status, fault.name)
            self._answer(handler, fault.reply)
            return
        reply = self.fake.handle(request)
        if fault is not None and fault.after_commit:
            self._record(request, None if fault.reply is None else fault.reply.status, fault.name)
            self._answer(handler, fault.reply)
            return
        self._record(request, reply.status, fault.name if fault else "")
        self._answer(handler, reply)

    def _record(self, request: Request, status: int | None, fault: str) -> None:
        self.fake.record(
            Recorded(
                method=request.method,
                path=request.path,
                query=request.query,
                subject=self.fake.subject_of(request),
                status=status,
                fault=fault,
                prefer=request.header("prefer"),
            )
        )

    @staticmethod
    def _answer(handler: BaseHTTPRequestHandler, reply: Reply | None) -> None:
        if reply is None:
            # The lost response: the peer sees the connection close with nothing written.
            handler.close_connection = True
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if reply.body is None:
            payload, content_type = b"", None
        elif isinstance(reply.body, str):
            payload, content_type = reply.body.encode(), "text/plain"
        else:
            payload, content_type = json.dumps(reply.body).encode(), "application/json; charset=UTF-8"
        handler.send_response(reply.status)
        if content_type:
            handler.send_header("Content-Type", content_type)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)


class RecordingFake:
    """What every fake has: a fault plan, a lock over its state, and the log of every request."""

    def __init__(self) -> None:
        self.faults = FaultPlan([])
        self.lock = threading.RLock()
        self.requests: list[Recorded] = []

    def record(self, entry: Recorded) -> None:
        with self.lock:
            self.requests.append(entry)

    def subject_of(self, request: Request) -> str:
        return ""

    def shaped(self, request: Request, fault: Fault) -> Fault:
        """The fault as this endpoint would answer it (a token endpoint speaks OAuth's error shape)."""
        return fault

    def handle(self, request: Request) -> Reply:
        raise NotImplementedError


class SlidingWindow:
    """At most `limit` events per `seconds` per key, like the providers' per-user quotas."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit, self.seconds = limit, seconds
        self.events: dict[str, list[float]] = {}

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        recent = [t for t in self.events.get(key, []) if now - t < self.seconds]
        if len(recent) >= self.limit:
            self.events[key] = recent
            return False
        recent.append(now)
        self.events[key] = recent
        return True

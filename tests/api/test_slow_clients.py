"""Slow clients cannot hold a connection: half a request line, or headers with half a body, are cut off.

Given `mentorgraph serve` with MENTORGRAPH_CLIENT_TIMEOUT_SECONDS=1, when a raw socket sends part of a request
and then nothing, then the server answers 408 and closes the connection within the bound. The bound asserted
is generous (ten times the setting, for a loaded machine); without the deadlines the server holds such a
connection for as long as the client likes (a half body until the 15 s request deadline).
"""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from tests.api.conftest import run_cli, serving

CLIENT_TIMEOUT_SECONDS = 1
CLOSED_WITHIN_SECONDS = CLIENT_TIMEOUT_SECONDS * 10


@pytest.fixture(autouse=True)
def _sqlite_pass_only(engine):
    if engine != "sqlite":
        pytest.skip("the deadlines live in the HTTP layer, whatever the engine; runs in the SQLite pass")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    database_url = f"sqlite://{tmp_path_factory.mktemp('slow') / 'mentorgraph.sqlite3'}"
    assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=database_url).returncode == 0
    with serving(
        MENTORGRAPH_DATABASE_URL=database_url,
        MENTORGRAPH_CLIENT_TIMEOUT_SECONDS=str(CLIENT_TIMEOUT_SECONDS),
        MENTORGRAPH_SWEEP_INTERVAL_SECONDS="0",
    ) as running:
        yield running


def connect(service) -> socket.socket:
    host, port = service.url.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)), timeout=CLOSED_WITHIN_SECONDS)
    return connection


def read_until_closed(connection: socket.socket) -> bytes:
    """Everything the server sends until it closes; socket.timeout (a failure) if it holds on past the bound."""
    received = b""
    deadline = time.monotonic() + CLOSED_WITHIN_SECONDS
    while chunk := connection.recv(65536):
        received += chunk
        connection.settimeout(max(0.01, deadline - time.monotonic()))
    return received


def test_half_a_request_line_is_answered_408_and_closed(service):
    with connect(service) as connection:
        connection.sendall(b"POST /graph")

        answer = read_until_closed(connection)

    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b'"REQUEST_TIMEOUT"' in answer


def test_headers_without_their_end_are_closed(service):
    with connect(service) as connection:
        connection.sendall(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n")

        answer = read_until_closed(connection)

    assert answer.startswith(b"HTTP/1.1 408 ")


def test_a_connection_that_sends_nothing_is_closed(service):
    with connect(service) as connection:
        assert read_until_closed(connection) == b""


def test_half_a_body_is_answered_408_in_the_error_shape_and_closed(service):
    body = b'{"query": "{ me { name } }"}'
    token = run_cli("token", "--email", "maya@example.com").stdout.strip()
    with connect(service) as connection:
        connection.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + token.encode() + b"\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:10]
        )

        answer = read_until_closed(connection)

    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert b"connection: close" in head.lower()
    assert b'"REQUEST_TIMEOUT"' in payload and b"did not arrive within 1 s" in payload


def test_the_next_request_on_a_kept_alive_connection_gets_the_same_bound(service):
    with connect(service) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = b""
        while not first.endswith(b'{"status":"ok"}'):
            first += connection.recv(65536)
        connection.sendall(b"GET /heal")

        rest = read_until_closed(connection)

    assert first.startswith(b"HTTP/1.1 200 ")
    assert rest.startswith(b"HTTP/1.1 408 ")


def test_stalled_clients_do_not_stop_others_being_served(service):
    stalled = [connect(service) for _ in range(20)]
    try:
        for connection in stalled:
            connection.sendall(b"GET /heal")
        answers = [httpx.get(f"{service.url}/healthz", timeout=CLOSED_WITHIN_SECONDS) for _ in range(5)]
    finally:
        for connection in stalled:
            connection.close()

    assert [answer.status_code for answer in answers] == [200] * 5

"""Slow clients: a connection that does not finish its request headers in time is closed.

uvicorn (0.54, h11) has no deadline for a request's headers: a client that sends half a request line and then
nothing holds its connection, and a slot of `--limit-concurrency`, for as long as it likes. This protocol is
uvicorn's own with one addition: from the moment a connection opens, or a keep-alive connection starts sending
its next request, the headers must be complete within `MENTORGRAPH_CLIENT_TIMEOUT_SECONDS`, or the client gets
`408 Request Timeout` and the connection is closed. The body has the same bound, applied in the ASGI layer
(api/request_body.py), where a 408 can be answered in GraphQL's error shape.
"""

from __future__ import annotations

import asyncio
import json
import logging

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.settings import get_settings

log = logging.getLogger("mentorgraph.slow_clients")

_TIMED_OUT = json.dumps(
    {"errors": [{"message": "The request headers did not arrive in time.", "extensions": {"code": "REQUEST_TIMEOUT"}}]}
).encode()
TIMED_OUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
    b"content-length: " + str(len(_TIMED_OUT)).encode() + b"\r\n\r\n" + _TIMED_OUT
)


class HeaderDeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers.

    The setting is read here (not passed in) because `serve --workers N` builds this class in each worker
    process, from the same environment.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = get_settings().client_timeout_seconds
        self._header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        # Still waiting for a request's headers (the first, or the next on a kept-alive connection)?
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self._arm_header_deadline()
        else:
            self._cancel_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        if self._header_deadline is None:
            self._header_deadline = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _cancel_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_too_slow(self) -> None:
        self._header_deadline = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.conn.trailing_data[0]:  # part of a request came: say why the connection ends
            log.info("closing %s: no complete request headers within %s s", self.client, self.header_timeout)
            self.transport.write(TIMED_OUT_RESPONSE)
        self.transport.close()

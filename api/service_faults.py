"""Answering honestly when the database cannot: a 503 in GraphQL's JSON shape, within a bounded time.

Whatever fails with an outage before Strawberry answers (the viewer's lookup, a calendar feed's query) or
takes longer than the per-request deadline becomes `503 Service Unavailable` with `Retry-After`, and the
connection stays open for the client's retry; an outage inside resolvers is turned into the same status by
the GraphQL view.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.database.faults import database_unavailable
from schema.schema import SERVICE_UNAVAILABLE, UNAVAILABLE_MESSAGE

# Long enough for a restarting database or a failover, short enough that clients come back soon.
RETRY_AFTER_SECONDS = 5
DEADLINE_MESSAGE = "The request took longer than the service allows; retry shortly."

log = logging.getLogger("mentorgraph.faults")


def service_unavailable(message: str = UNAVAILABLE_MESSAGE) -> JSONResponse:
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": SERVICE_UNAVAILABLE}}]}
    return JSONResponse(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def mark_unavailable(headers) -> None:
    """What a 503 built elsewhere (Strawberry's response) carries besides its status."""
    headers["Retry-After"] = str(RETRY_AFTER_SECONDS)


class ServiceFaultsMiddleware:
    """Pure ASGI, inside the request-id middleware so every 503 carries X-Request-ID.

    The request runs as a task of its own so the deadline is a hard bound: a task stuck in a rollback or a
    pool release on a frozen database is cancelled and left to unwind while the client already has its 503.
    """

    def __init__(self, app: ASGIApp, *, request_timeout_seconds: float) -> None:
        self.app = app
        self.request_timeout_seconds = request_timeout_seconds
        self._unwinding: set[asyncio.Task] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = abandoned = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if abandoned:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        work = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        try:
            done, _ = await asyncio.wait({work}, timeout=self.request_timeout_seconds)
        except asyncio.CancelledError:
            work.cancel()
            raise
        if not done and started:
            await work  # the answer is already on its way: let it finish
            return
        if not done:
            abandoned = True
            self._abandon(work)
            log.warning("%s %s passed the %s s deadline", scope["method"], scope["path"], self.request_timeout_seconds)
            message = DEADLINE_MESSAGE
        else:
            error = work.exception()
            if error is None:
                return
            if started or not database_unavailable(error):
                raise error
            log.warning("database unavailable: %s", repr(error)[:300])
            message = UNAVAILABLE_MESSAGE
        await service_unavailable(message)(scope, receive, send)

    def _abandon(self, work: asyncio.Task) -> None:
        work.cancel()
        self._unwinding.add(work)
        work.add_done_callback(self._unwound)

    def _unwound(self, work: asyncio.Task) -> None:
        self._unwinding.discard(work)
        if not work.cancelled() and work.exception() is not None:
            log.info("a request abandoned at its deadline ended with %r", work.exception())

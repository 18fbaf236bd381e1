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
from api.http_errors import error_response
from schema.schema import SERVICE_UNAVAILABLE, UNAVAILABLE_MESSAGE

# Long enough for a restarting database or a failover, short enough that clients come back soon.
RETRY_AFTER_SECONDS = 5
DEADLINE_MESSAGE = "The request took longer than the service allows; retry shortly."

log = logging.getLogger("mentorgraph.faults")


def service_unavailable(message: str = UNAVAILABLE_MESSAGE) -> JSONResponse:
    return error_response(
        message, status=503, code=SERVICE_UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
    )


def mark_unavailable(headers) -> None:
    """What a 503 built elsewhere (Strawberry's response) carries besides its status."""
    headers["Retry-After"] = str(RETRY_AFTER_SECONDS)


class ServiceFaultsMiddleware:
    """Pure ASGI, inside the request-id middleware so every 503 carries X-Request-ID.

    The deadline cancels the request's work; a COMMIT already on its way is waited for (see
    api/database/postgres_client.py), so a request that wrote answers with what it wrote, never a 503.
    """

    def __init__(self, app: ASGIApp, *, request_timeout_seconds: float) -> None:
        self.app = app
        self.request_timeout_seconds = request_timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            async with asyncio.timeout(self.request_timeout_seconds):
                await self.app(scope, receive, watching_send)
            return
        except TimeoutError:
            if started:
                raise
            log.warning("%s %s passed the %s s deadline", scope["method"], scope["path"], self.request_timeout_seconds)
            message = DEADLINE_MESSAGE
        except Exception as error:
            if started or not database_unavailable(error):
                raise
            log.warning("database unavailable: %s", repr(error)[:300])
            message = UNAVAILABLE_MESSAGE
        await service_unavailable(message)(scope, receive, send)

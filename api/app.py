"""The Starlette application: the route table and the database's lifespan."""

from __future__ import annotations

import asyncio
import contextlib

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp

from api.auth import TokenVerifier
from api.calendar_worker import start_calendar_worker
from api.database.connection import close_database, database_is_reachable, open_database
from api.database.faults import database_unavailable
from api.graphiql import graphiql_assets
from api.graphql_endpoint import AuthenticatedGraphQL, MentorgraphGraphQL
from api.http_errors import error_response
from api.ics_routes import calendar_feed
from api.oauth_routes import oauth_callback
from api.request_body import BodyLimitMiddleware
from api.request_id import HEADER as REQUEST_ID_HEADER
from api.request_id import RequestIdMiddleware
from api.request_log import RequestRecordMiddleware, configure_logging, log_request
from api.service_faults import ServiceFaultsMiddleware
from api.settings import Settings, get_settings
from api.sweeper import sweep_forever
from api.webhooks import google_webhook, microsoft_webhook
from domain.meetings.ports import FreeBusyProvider
from integrations.calendar.free_busy import ConnectedCalendars
from schema.schema import build_schema


async def healthz(request: Request) -> JSONResponse:
    """The process is up."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """The process can reach its database and (in production) holds the identity provider's keys.

    Stale keys still verify tokens (the provider's refresh failed, within the allowed staleness): ready, and
    said so. Missing keys mean no signed-in request can be served: not ready.
    """
    keys = request.app.state.verifier.key_set_state()
    answer = {} if keys is None else {"signingKeys": keys.as_json()}
    if not await database_is_reachable():
        return JSONResponse({"status": "database unreachable", **answer}, status_code=503)
    if keys is not None and keys.state == "missing":
        return JSONResponse({"status": "signing keys missing", **answer}, status_code=503)
    return JSONResponse({"status": "ready", **answer})


async def refused(request: Request, error: HTTPException) -> JSONResponse:
    """Starlette's own refusals (unknown path, method not allowed) in the JSON error shape."""
    return error_response(error.detail, status=error.status_code, headers=error.headers)


async def crashed(request: Request, error: Exception) -> JSONResponse:
    """What an unhandled exception answers; the exception itself is logged by the server, never sent."""
    return error_response("Unexpected error.", status=500)


class MentorgraphApp(Starlette):
    """Starlette with the request id outermost, so even the 500 that Starlette's error handler sends carries it,
    and the request's record (log line, metrics) just inside it, so it sees that 500 too."""

    request_listeners: tuple = ()  # set on the instance before the first request (the stack is built then)

    def build_middleware_stack(self) -> ASGIApp:
        inner = RequestRecordMiddleware(super().build_middleware_stack(), listeners=self.request_listeners)
        return RequestIdMiddleware(inner)


def cross_origin(settings: Settings) -> list[Middleware]:
    """Browser portals on the configured origins may call the API with a bearer token (no cookies)."""
    if not settings.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            allow_credentials=False,
            expose_headers=[REQUEST_ID_HEADER],
            max_age=600,
        )
    ]


def create_app(
    settings: Settings | None = None, *, manage_database: bool = True, free_busy: FreeBusyProvider | None = None
) -> Starlette:
    """`manage_database=False` leaves connecting to the caller (the tests open one database per session).

    `free_busy` is where busy time beyond meetings booked here comes from; by default, people's connected
    calendars (Google, Outlook).
    """
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_format)
    schema = build_schema(
        max_depth=settings.max_query_depth,
        max_tokens=settings.max_query_tokens,
        max_aliases=settings.max_aliases,
        is_outage=database_unavailable,
    )
    connected_calendars = ConnectedCalendars(settings.calendar_sync) if free_busy is None else None
    graphql = MentorgraphGraphQL(
        schema,
        settings=settings,
        free_busy=free_busy or connected_calendars,
        graphql_ide="graphiql" if settings.graphiql else None,
        allow_queries_via_get=True,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        sweeping = None
        calendar_worker = None
        if manage_database:
            await open_database(settings.database_url, statement_timeout_ms=settings.db_statement_timeout_ms)
            if settings.sweep_interval_seconds:
                sweeping = asyncio.create_task(sweep_forever(settings), name="mentorgraph-sweeps")
            if settings.worker == "on":
                calendar_worker = start_calendar_worker(settings)
        try:
            yield
        finally:
            if calendar_worker is not None:
                await calendar_worker.stop()
            if connected_calendars is not None:
                await connected_calendars.close()
            # An import still running is cut off with the process: its transaction rolls back, its job reads FAILED.
            if sweeping is not None:
                sweeping.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sweeping
            if manage_database:
                await close_database()

    verifier = TokenVerifier(settings)
    routes = [
        Route(
            "/graphql",
            AuthenticatedGraphQL(graphql, verifier, max_import_bytes=settings.max_import_bytes),
            methods=["GET", "POST"],
        ),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/ics/{token}.ics", calendar_feed, methods=["GET"]),
        Route("/oauth/google/callback", oauth_callback, methods=["GET"]),
        Route("/oauth/microsoft/callback", oauth_callback, methods=["GET"]),
        Route("/webhooks/google", google_webhook, methods=["POST"]),
        Route("/webhooks/microsoft", microsoft_webhook, methods=["POST"]),
    ]
    if settings.graphiql:
        routes.append(graphiql_assets())
    listeners = []
    if settings.log_format == "json":
        listeners.append(log_request)
    if settings.metrics:
        from api.metrics import listen_to_jobs, metrics, observe_request

        routes.append(Route("/metrics", metrics, methods=["GET"]))
        listeners.append(observe_request)
        listen_to_jobs()
    app = MentorgraphApp(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            *cross_origin(settings),
            Middleware(
                BodyLimitMiddleware,
                max_bytes=settings.max_body_bytes,
                read_timeout_seconds=settings.client_timeout_seconds,
            ),
            Middleware(ServiceFaultsMiddleware, request_timeout_seconds=settings.request_timeout_seconds),
        ],
        exception_handlers={HTTPException: refused, Exception: crashed},
    )
    app.request_listeners = tuple(listeners)
    app.state.settings = settings
    app.state.verifier = verifier
    app.state.schema = schema
    return app

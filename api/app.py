"""The Starlette application: the route table and the database's lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.auth import TokenVerifier
from api.calendar_worker import start_calendar_worker
from api.database.connection import close_database, database_is_reachable, open_database
from api.graphql_endpoint import AuthenticatedGraphQL, MentorgraphGraphQL
from api.ics_routes import calendar_feed
from api.request_id import LOG_FORMAT, RequestIdMiddleware, install_log_record_factory
from api.settings import Settings, get_settings
from api.sweeper import sweep_forever
from domain.meetings.ports import FreeBusyProvider
from integrations.calendar.no_external import NoExternalCalendar
from schema.schema import build_schema


async def healthz(request: Request) -> JSONResponse:
    """The process is up."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """The process can reach its database."""
    if await database_is_reachable():
        return JSONResponse({"status": "ready"})
    return JSONResponse({"status": "database unreachable"}, status_code=503)


def create_app(
    settings: Settings | None = None, *, manage_database: bool = True, free_busy: FreeBusyProvider | None = None
) -> Starlette:
    """`manage_database=False` leaves connecting to the caller (the tests open one database per session).

    `free_busy` is where a connected calendar's busy time comes from; without one, only meetings booked here count.
    """
    settings = settings or get_settings()
    install_log_record_factory()
    logging.basicConfig(level=settings.log_level, format=LOG_FORMAT)
    schema = build_schema(
        max_depth=settings.max_query_depth,
        max_tokens=settings.max_query_tokens,
        max_aliases=settings.max_aliases,
    )
    graphql = MentorgraphGraphQL(
        schema,
        settings=settings,
        free_busy=free_busy or NoExternalCalendar(),
        graphql_ide="graphiql" if settings.graphiql else None,
        allow_queries_via_get=False,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        sweeping = None
        calendar_worker = None
        if manage_database:
            await open_database(settings.database_url)
            if settings.sweep_interval_seconds:
                sweeping = asyncio.create_task(sweep_forever(settings), name="mentorgraph-sweeps")
            if settings.worker == "on":
                calendar_worker = start_calendar_worker(settings)
        try:
            yield
        finally:
            if calendar_worker is not None:
                await calendar_worker.stop()
            if sweeping is not None:
                sweeping.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sweeping
            if manage_database:
                await close_database()

    routes = [
        Route("/graphql", AuthenticatedGraphQL(graphql, TokenVerifier(settings)), methods=["GET", "POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/ics/{token}.ics", calendar_feed, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(RequestIdMiddleware)])
    app.state.settings = settings
    app.state.schema = schema
    return app

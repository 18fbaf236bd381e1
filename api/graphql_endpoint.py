"""The /graphql endpoint: authenticate first, then hand the request to Strawberry with a fresh context."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL

from api.auth import AuthenticationFailed, TokenVerifier, bearer_token
from api.oauth_routes import calendar_oauth
from api.settings import Settings
from domain.meetings.ports import FreeBusyProvider
from domain.people.service import viewer_for
from schema.context import Context


class MentorgraphGraphQL(GraphQL):
    """Strawberry's ASGI view, giving each request its viewer, the configured rules and the free/busy port."""

    def __init__(self, schema, *, settings: Settings, free_busy: FreeBusyProvider, **options) -> None:
        super().__init__(schema, **options)
        self._free_busy = free_busy
        self._booking_rules = settings.booking_rules
        self._relationship_timing = settings.relationship_timing
        self._calendar_oauth = calendar_oauth(settings)

    async def get_context(self, request, response) -> Context:
        return Context(
            viewer=request.state.viewer,
            request=request,
            free_busy=self._free_busy,
            booking_rules=self._booking_rules,
            relationship_timing=self._relationship_timing,
            calendar_oauth=self._calendar_oauth,
        )


def _wants_ide_page(request: Request) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


def unauthenticated(message: str) -> JSONResponse:
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}
    return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})


class AuthenticatedGraphQL:
    """Every operation needs a valid bearer token; only the GraphiQL page itself is served without one."""

    def __init__(self, graphql: MentorgraphGraphQL, verifier: TokenVerifier) -> None:
        self._graphql = graphql
        self._verifier = verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope, receive)
            if _wants_ide_page(request) and self._graphql.graphql_ide:
                # Rendered here, not by Strawberry's view: it builds the per-request context (the viewer) first.
                await (await self._graphql.render_graphql_ide(request))(scope, receive, send)
                return
            try:
                identity = await self._verifier.verify(bearer_token(request.headers.get("authorization")))
            except AuthenticationFailed as error:
                await unauthenticated(str(error))(scope, receive, send)
                return
            request.state.viewer = await viewer_for(email=identity.email, role=identity.role)
        await self._graphql(scope, receive, send)

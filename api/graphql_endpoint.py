"""The /graphql endpoint: authenticate first, then hand the request to Strawberry with a fresh context."""

from __future__ import annotations

import dataclasses

from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from api.auth import AuthenticationFailed, TokenVerifier, bearer_token
from api.graphiql import graphiql_page
from api.http_errors import error_response
from api.oauth_routes import calendar_oauth
from api.request_body import allow_body_up_to, decode_json_object
from api.request_log import CLIENT_ERROR, SERVER_ERROR, UNAVAILABLE, note_graphql_outcome, note_operation
from api.service_faults import mark_unavailable, service_unavailable
from api.settings import Settings
from api.signing_keys import SigningKeysUnavailable
from domain.access import Role
from domain.meetings.ports import FreeBusyProvider
from domain.people.service import viewer_for
from schema.context import Context
from schema.error_codes import INTERNAL_SERVER_ERROR
from schema.persisted import PersistedQueryRefused
from schema.schema import SERVICE_UNAVAILABLE


class MentorgraphGraphQL(GraphQL):
    """Strawberry's ASGI view, giving each request its viewer, the configured rules and the free/busy port."""

    def __init__(self, schema, *, settings: Settings, free_busy: FreeBusyProvider, **options) -> None:
        super().__init__(schema, **options)
        self._free_busy = free_busy
        self._booking_rules = settings.booking_rules
        self._relationship_timing = settings.relationship_timing
        self._calendar_oauth = calendar_oauth(settings)
        self._cipher = settings.token_cipher() if settings.secret_key else None
        self._persisted = settings.persisted_query_store()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope, receive))
        except HTTPException as refusal:
            # Strawberry answers these in plain text; clients get the one JSON error shape instead.
            headers = {"Allow": "POST"} if refusal.status_code == 405 else None
            response = error_response(refusal.reason, status=refusal.status_code, headers=headers)
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        return decode_json_object(data)

    async def parse_http_body(self, request):
        if request.method == "POST":
            content_type, _ = parse_content_type(request.content_type or "")
            if content_type != "application/json":
                raise HTTPException(415, "Send the operation as a JSON body with Content-Type: application/json.")
        return await super().parse_http_body(request)

    async def execute_single(self, *, request_adapter, request_data, context, **arguments):
        try:
            query, context.persisted_document = self._persisted.resolve(request_data.query, request_data.extensions)
        except PersistedQueryRefused as refused:
            # Answered as Apollo clients expect (200, one error naming the code): they resend with the document.
            return ExecutionResult(data=None, errors=[GraphQLError(refused.message, extensions={"code": refused.code})])
        request_data = dataclasses.replace(request_data, query=query)
        note_operation(request_data.operation_name or _only_operation_name(query))
        try:
            return await super().execute_single(
                request_adapter=request_adapter, request_data=request_data, context=context, **arguments
            )
        except HTTPException as refusal:
            if isinstance(refusal.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, "Only queries may be sent with GET; send mutations with POST.") from None
            raise
        finally:
            context.fresh_loaders()

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return graphiql_page()

    async def get_context(self, request, response) -> Context:
        request.state.sub_response = response
        return Context(
            viewer=request.state.viewer,
            request=request,
            free_busy=self._free_busy,
            booking_rules=self._booking_rules,
            relationship_timing=self._relationship_timing,
            calendar_oauth=self._calendar_oauth,
            cipher=self._cipher,
        )

    async def process_result(self, request, result):
        answer = await super().process_result(request, result)
        codes = {(error.extensions or {}).get("code") for error in result.errors or ()}
        # The database went away under a resolver: the client should retry, not report our bug.
        if SERVICE_UNAVAILABLE in codes:
            request.state.sub_response.status_code = 503
            mark_unavailable(request.state.sub_response.headers)
            note_graphql_outcome(UNAVAILABLE)
        elif INTERNAL_SERVER_ERROR in codes:
            note_graphql_outcome(SERVER_ERROR)
        elif codes:
            note_graphql_outcome(CLIENT_ERROR)
        return answer


def _only_operation_name(query: str | None) -> str | None:
    """The name of a document's operation when the client sent no operationName (cheap: no parse)."""
    if not query:
        return None
    head = query.lstrip().split("(", 1)[0].split("{", 1)[0].split()
    return head[1] if len(head) >= 2 and head[0] in ("query", "mutation", "subscription") else None


def _wants_ide_page(request: Request) -> bool:
    return (
        request.method == "GET"
        and "query" not in request.query_params
        and "text/html" in request.headers.get("accept", "")
    )


def unauthenticated(message: str) -> JSONResponse:
    return error_response(message, status=401, headers={"WWW-Authenticate": "Bearer"})


class AuthenticatedGraphQL:
    """Every operation needs a valid bearer token; only the GraphiQL page itself is served without one."""

    def __init__(self, graphql: MentorgraphGraphQL, verifier: TokenVerifier, *, max_import_bytes: int) -> None:
        self._graphql = graphql
        self._verifier = verifier
        self._max_import_bytes = max_import_bytes

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
            except SigningKeysUnavailable as error:
                # Nobody's token can be checked: the client should retry, not sign in again.
                await service_unavailable(str(error))(scope, receive, send)
                return
            request.state.viewer = await viewer_for(email=identity.email, role=identity.role)
            if identity.role is Role.ADMIN:
                # Only administrators import people, and a whole HRIS export is larger than any other request.
                allow_body_up_to(scope, self._max_import_bytes)
        await self._graphql(scope, receive, send)

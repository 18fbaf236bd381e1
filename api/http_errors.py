"""Every refusal made at the HTTP level, in GraphQL's JSON error shape, so a client parses one shape everywhere.

`{"errors": [{"message": "...", "extensions": {"code": "..."}}]}` with no `data` key: the request never reached
execution (GraphQL over HTTP, "request errors").
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse

# The code a client branches on, by HTTP status; a refusal may name a more precise one.
CODE_BY_STATUS = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    408: "REQUEST_TIMEOUT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


def error_response(
    message: str, *, status: int, code: str | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """One error as GraphQL's JSON shape with the given HTTP status; the code defaults to the status's."""
    code = code or CODE_BY_STATUS.get(status, "BAD_REQUEST" if status < 500 else "INTERNAL_SERVER_ERROR")
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))

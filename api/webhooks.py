"""Where Google and Microsoft announce calendar changes: `/webhooks/google` and `/webhooks/microsoft`.

A notification is checked (the per-channel token or clientState, compared in constant time), persisted to the
inbox, and answered 202 at once: the work is the inbound worker's, so the answer is well inside Graph's
3-second budget. Anything that fails its check is refused with nothing written; a notification that could not
be persisted gets 503, so the provider delivers it again. Graph's validation handshake is echoed as text/plain.
"""

from __future__ import annotations

import logging

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from api.request_body import decode_json_object
from domain.calendar import watches
from domain.calendar.models import Provider
from domain.clock import utc_now

log = logging.getLogger("mentorgraph.webhooks")

# Google's notifications have no body; Graph batches a few notifications per POST.
MAX_BODY_BYTES = 256 * 1024
GOOGLE_STATES = frozenset({"sync", "exists", "not_exists"})


async def _body(request: Request) -> bytes | None:
    """The body, or None once it passes the limit (read no further than that)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def _persist(provider: Provider, notices: list[tuple[str, str, str]]) -> Response:
    try:
        await watches.receive(provider, notices, now=utc_now())
    except Exception:
        log.exception("a %s notification could not be persisted", provider.value)
        return Response(status_code=503)
    return Response(status_code=202)


async def google_webhook(request: Request) -> Response:
    if await _body(request) is None:
        return Response(status_code=413)
    channel_id = request.headers.get("x-goog-channel-id", "")
    state = request.headers.get("x-goog-resource-state", "")
    if not channel_id or state not in GOOGLE_STATES:
        return Response(status_code=400)
    if await watches.authentic_google_channel(channel_id, request.headers.get("x-goog-channel-token", "")) is None:
        return Response(status_code=403)
    return await _persist(Provider.GOOGLE, [(channel_id, state, request.headers.get("x-goog-message-number", ""))])


async def microsoft_webhook(request: Request) -> Response:
    token = request.query_params.get("validationToken")
    if token is not None:
        # The subscription handshake (for the change and the lifecycle URL alike): the decoded token, as is.
        return PlainTextResponse(token)
    body = await _body(request)
    if body is None:
        return Response(status_code=413)
    try:
        # The same reader as /graphql's: UTF-8, no lone surrogates, bounded nesting.
        items = decode_json_object(body).get("value")
    except HTTPException:
        return Response(status_code=400)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        return Response(status_code=400)
    notices = await watches.authentic_graph_notices(items)
    if not notices:
        return Response(status_code=403)
    return await _persist(Provider.MICROSOFT, notices)

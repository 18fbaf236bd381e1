"""The request body: a size limit and a read deadline enforced while it streams in, and the rules its JSON must keep.

Both refuse with 4xx in GraphQL's error shape before anything is executed, so a hostile body never reaches
the schema, the database or a log line as an exception.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from typing import Any

from cross_web import HTTPException
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http_errors import error_response

# Deeper than any input the schema has (an input object inside a list inside an input is 3-4 levels); far
# below Python's recursion limit, so neither the decoder nor GraphQL's coercion can be driven into it.
MAX_JSON_DEPTH = 32
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_KIND = {str: "a string", int: "a number", float: "a number", bool: "true or false", type(None): "null"}


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    """The client did not send the whole body within the read deadline."""


_LIMIT = "mentorgraph.max_body_bytes"


def allow_body_up_to(scope: Scope, max_bytes: int) -> None:
    """Raises this request's body limit before the body is read (an administrator's people import)."""
    scope[_LIMIT] = max(max_bytes, scope.get(_LIMIT, 0))


class BodyLimitMiddleware:
    """Answers 413 once a body passes its limit: from Content-Length at the first read, else while chunks arrive;
    answers 408 when the body is not complete `read_timeout_seconds` after the first read.

    The limit is `max_bytes` unless the endpoint raised it (allow_body_up_to) before reading the body. The
    deadline covers only the body: a read after the last chunk (waiting for a disconnect) is not bounded.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int, read_timeout_seconds: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout_seconds = read_timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        received = 0
        deadline: float | None = None
        body_complete = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, deadline, body_complete
            if body_complete:
                return await receive()
            limit = scope.get(_LIMIT, self.max_bytes)
            if received == 0 and declared.isdigit() and int(declared) > limit:
                raise BodyTooLarge
            if deadline is None:
                deadline = asyncio.get_running_loop().time() + self.read_timeout_seconds
            message = None
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            if message is None:
                # Raised outside the handler: a TimeoutError in its context would read as a database outage.
                raise BodyTooSlow
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_complete = not message.get("more_body", False)
                if received > limit:
                    raise BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if started:
                raise
            message = f"The request body is larger than {scope.get(_LIMIT, self.max_bytes)} bytes."
            await self._refuse(message, 413, scope, receive, send)
        except BodyTooSlow:
            if started:
                raise
            message = f"The request body did not arrive within {self.read_timeout_seconds:g} s."
            await self._refuse(message, 408, scope, receive, send)

    async def _refuse(self, message: str, status: int, scope: Scope, receive: Receive, send: Send) -> None:
        await error_response(message, status=status, headers={"Connection": "close"})(scope, receive, send)


def decode_json_object(data: str | bytes) -> dict[str, Any]:
    """A JSON object of UTF-8 text with no lone surrogate and no deeper than MAX_JSON_DEPTH; else HTTP 400."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPException(400, "The request body is not valid UTF-8.") from None
    try:
        value = json.loads(data)
    except json.JSONDecodeError as error:
        raise HTTPException(400, f"The request body is not JSON: {error.msg} at character {error.pos}.") from None
    except RecursionError:
        raise HTTPException(400, f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels.") from None
    if isinstance(value, list):
        raise HTTPException(400, "Batched requests (a JSON array) are not accepted: send one operation per request.")
    if not isinstance(value, dict):
        raise HTTPException(400, f"The request must be a JSON object, not {_JSON_KIND[type(value)]}.")
    _check_nesting_and_text(value)
    return value


def _check_nesting_and_text(value: Any) -> None:
    """Walks the decoded JSON without recursion: every level counted, every string and key checked."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise HTTPException(400, f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels.")
        if isinstance(item, dict):
            for key, child in item.items():
                _check_text(key)
                pending.append((child, depth + 1))
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            _check_text(item)


def _check_text(text: str) -> None:
    if _LONE_SURROGATE.search(text):
        raise HTTPException(400, "The JSON holds a lone UTF-16 surrogate (such as \\ud800), which is not text.")

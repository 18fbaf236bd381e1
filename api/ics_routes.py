"""GET /ics/<token>.ics: a person's meetings for any calendar app. The secret token in the URL is the credential."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from domain.clock import utc_now
from domain.meetings.feed import feed_for_token
from integrations.ics.render import render_feed


async def calendar_feed(request: Request) -> Response:
    feed = await feed_for_token(request.path_params["token"], now=utc_now())
    if feed is None:
        return PlainTextResponse("Not found.", status_code=404)
    # no-cache: a rotated or changed feed must never be served from a stale copy.
    return Response(
        render_feed(feed),
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, no-cache"},
    )

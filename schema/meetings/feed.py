"""The owner's calendar feed: `me { calendarFeed { url createdAt } }`, readable without rotating it."""

from __future__ import annotations

import datetime

import strawberry

from domain.meetings import feed
from schema.context import Info


def feed_url(info: Info, token: str) -> str:
    return str(info.context.request.url_for("calendar_feed", token=token))


@strawberry.type(description="Your secret calendar feed (RFC 5545): subscribe to its URL in any calendar app.")
class CalendarFeed:
    url: str | None = strawberry.field(
        description="The current URL; null for a feed made while the server kept no secret key "
        "(MENTORGRAPH_SECRET_KEY): rotate it once to get one readable here."
    )
    created_at: datetime.datetime = strawberry.field(description="When this URL was made (its last rotation).")


async def calendar_feed_of(info: Info, person_id: int) -> CalendarFeed | None:
    """The person's feed, for that person only; null for anyone else, or before they first made one."""
    found = await feed.current_feed(info.context.viewer, person_id=person_id, cipher=info.context.cipher)
    if found is None:
        return None
    return CalendarFeed(url=None if found.token is None else feed_url(info, found.token), created_at=found.created_at)

"""Cursor connections over the primary key: stable under inserts, one query per page."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry
from strawberry.relay import PageInfo
from tortoise.queryset import QuerySet

from domain.batch import is_storable_key
from domain.errors import ValidationFailed

NodeT = TypeVar("NodeT")
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
_CURSOR_PREFIX = "cursor:"


@strawberry.type(description="An edge in a connection.")
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type(description="A page of results with the cursors to fetch the next.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    total_count: int


def encode_cursor(list_of: str, key: int) -> str:
    """An opaque cursor naming the kind of row it points into, so another list's cursor is refused, not misread."""
    return base64.b64encode(f"{_CURSOR_PREFIX}{list_of}:{key}".encode()).decode()


def decode_cursor(cursor: str, list_of: str) -> int:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        if not text.startswith(_CURSOR_PREFIX):
            raise ValueError(text)
        kind, _, key = text[len(_CURSOR_PREFIX) :].rpartition(":")
        if not kind or not (key.isascii() and key.isdigit()) or not is_storable_key(int(key)):
            raise ValueError(text)
    except ValueError:
        raise ValidationFailed("Not a cursor this API issued.", field="after") from None
    if kind != list_of:
        raise ValidationFailed(f"This cursor is from a list of {kind}, not of {list_of}.", field="after")
    return int(key)


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 0 or first > MAX_PAGE_SIZE:
        raise ValidationFailed(f"Ask for between 0 and {MAX_PAGE_SIZE} items with `first`.", field="first")
    return first


async def paginate(
    queryset: QuerySet, *, first: int | None, after: str | None, convert: Callable[[object], NodeT]
) -> Connection[NodeT]:
    """Keyset pagination on `id`: the page after the cursor, one row extra to learn whether more follow."""
    size = page_size(first)
    list_of = queryset.model.__name__
    total = await queryset.count()
    page_query = queryset.order_by("id")
    if after:
        page_query = page_query.filter(id__gt=decode_cursor(after, list_of))
    rows = await page_query.limit(size + 1)
    has_next = len(rows) > size
    rows = rows[:size]
    edges = [Edge(cursor=encode_cursor(list_of, row.id), node=convert(row)) for row in rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )

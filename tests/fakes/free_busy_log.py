"""What the provider fakes remember of each free/busy request, so tests can check the limits were kept and
that the requests together covered every calendar over the whole window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class FreeBusyAsked:
    subject: str  # whose token asked (a delegated user, the app, a person's own grant)
    acting_as: str  # Graph: the mailbox in the path; Google: the subject
    calendars: tuple[str, ...]
    start: datetime
    end: datetime
    status: int


def instant(text: str) -> datetime:
    """RFC 3339 (Google) or Graph's naive dateTime with up to seven fractional digits, read as UTC."""
    head, dot, fraction = text.replace("Z", "").partition(".")
    fraction = fraction.split("+")[0]
    moment = datetime.fromisoformat(head + (f".{fraction[:6]}" if dot and fraction else ""))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def overlapping(blocks: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> list:
    """The blocks inside [start, end), cut at its edges, merged where they overlap."""
    inside = sorted((max(b, start), min(e, end)) for b, e in blocks if b < end and e > start)
    merged: list[tuple[datetime, datetime]] = []
    for begin, finish in inside:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
        else:
            merged.append((begin, finish))
    return merged

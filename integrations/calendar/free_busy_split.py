"""Cutting a free/busy question into requests a provider accepts, and putting the answers back together.

Both providers refuse a request over their limits (Google: 50 calendars, about 90 days; Graph: 100
schedules, 62 days) rather than answering part of it, so every adapter asks in pieces: calendars in
batches, the window in consecutive spans, every batch over every span.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from domain.meetings.ports import Block

# Per calendar address: its busy blocks, or None where the provider could not read it.
Answer = dict[str, list[Block] | None]


def spans(start: datetime, end: datetime, longest: timedelta) -> list[Block]:
    """[start, end) as consecutive spans of at most `longest`."""
    cuts: list[Block] = []
    while start < end:
        cuts.append((start, min(start + longest, end)))
        start = cuts[-1][1]
    return cuts


def pieces(
    calendars: Sequence[str], start: datetime, end: datetime, *, most_calendars: int, longest: timedelta
) -> list[tuple[list[str], datetime, datetime]]:
    """Every batch of at most `most_calendars` over every span of at most `longest`."""
    batches = [list(calendars[at : at + most_calendars]) for at in range(0, len(calendars), most_calendars)]
    return [(batch, *span) for batch in batches for span in spans(start, end, longest)]


def merged(blocks: Sequence[Block]) -> list[Block]:
    """Overlapping or touching blocks as one (spans meet at their edges; a block may cross one)."""
    result: list[Block] = []
    for begin, finish in sorted(blocks):
        if result and begin <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], finish))
        else:
            result.append((begin, finish))
    return result


def combined(answers: Sequence[Answer], calendars: Sequence[str]) -> Answer:
    """Each calendar's blocks from all pieces; None (unreadable) if any piece could not read it."""
    result: Answer = {}
    for calendar in calendars:
        parts = [answer[calendar] for answer in answers if calendar in answer]
        result[calendar] = None if any(part is None for part in parts) else merged([b for p in parts for b in p])
    return result

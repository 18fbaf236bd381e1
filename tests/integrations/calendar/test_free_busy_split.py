"""Cutting free/busy questions into pieces a provider accepts, and merging the answers, over plain data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from integrations.calendar.free_busy import whole_days
from integrations.calendar.free_busy_split import combined, merged, pieces, spans

T0 = datetime(2027, 1, 1, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def test_a_window_is_cut_into_consecutive_spans_no_longer_than_the_limit():
    assert spans(day(0), day(120), timedelta(days=62)) == [(day(0), day(62)), (day(62), day(120))]
    assert spans(day(0), day(62), timedelta(days=62)) == [(day(0), day(62))]
    assert spans(day(0), day(0), timedelta(days=62)) == []


def test_every_batch_is_asked_over_every_span():
    calendars = [f"p{n}@x.example" for n in range(101)]
    asked = pieces(calendars, day(0), day(120), most_calendars=50, longest=timedelta(days=90))
    assert [(len(batch), start, end) for batch, start, end in asked] == [
        (50, day(0), day(90)),
        (50, day(90), day(120)),
        (50, day(0), day(90)),
        (50, day(90), day(120)),
        (1, day(0), day(90)),
        (1, day(90), day(120)),
    ]


def test_blocks_meeting_at_a_span_edge_become_one():
    assert merged([(day(1), day(2)), (day(0), day(1)), (day(3), day(4))]) == [(day(0), day(2)), (day(3), day(4))]


def test_a_calendar_unreadable_in_any_piece_is_unreadable():
    answers = [{"a": [(day(0), day(1))], "b": [(day(0), day(1))]}, {"a": [(day(1), day(2))], "b": None}]
    assert combined(answers, ["a", "b"]) == {"a": [(day(0), day(2))], "b": None}


def test_the_cache_window_is_whole_utc_days():
    assert whole_days(day(0.4), day(2.1)) == (day(0), day(3))
    assert whole_days(day(0), day(2)) == (day(0), day(2))

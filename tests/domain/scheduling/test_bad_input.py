"""Bad input fails with ValidationFailed naming the offending field."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from domain.errors import ValidationFailed
from domain.scheduling import (
    Attendee,
    WorkingInterval,
    best_fixed_time_series,
    find_slots,
    fixed_time_series_cost,
    occurrence_windows,
    plan_series,
)
from tests.domain.scheduling.helpers import person, utc

HOUR = timedelta(hours=1)
ALICE = person("alice", "Europe/London")
BOB = person("bob", "Asia/Singapore")
MONDAY, TUESDAY = utc(2027, 1, 4), utc(2027, 1, 5)


def _field(call) -> str | None:
    with pytest.raises(ValidationFailed) as failure:
        call()
    return failure.value.field


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "Europe", "UTC+3"])
def test_unknown_zone(zone):
    assert _field(lambda: Attendee("x", zone, ALICE.working_hours)) == "timeZone"


def test_window_that_ends_before_it_starts():
    assert _field(lambda: find_slots([ALICE], TUESDAY, MONDAY, HOUR)) == "to"
    assert _field(lambda: find_slots([ALICE], MONDAY, MONDAY, HOUR)) == "to"


@pytest.mark.parametrize("duration", [timedelta(0), -HOUR, timedelta(hours=9)])
def test_duration_zero_negative_or_longer_than_any_working_interval(duration):
    assert _field(lambda: find_slots([ALICE, BOB], MONDAY, TUESDAY, duration)) == "duration"


def test_duration_may_exceed_one_persons_day_if_someone_works_that_long():
    # given Bob works 10h on Mondays and Alice 8h
    long_day = person("bob", "Asia/Singapore", working_hours=(WorkingInterval(0, time(8), time(18)),))
    # when searching nine hours, then no error: someone's day is long enough (the rest pay for it)
    assert find_slots([ALICE, long_day], MONDAY, utc(2027, 1, 6), timedelta(hours=9), limit=1)


def test_window_entirely_in_the_past():
    assert _field(lambda: find_slots([ALICE], MONDAY, TUESDAY, HOUR, now=utc(2027, 2, 1))) == "from"


def test_partly_past_window_is_searched_from_now_on():
    slots = find_slots([ALICE], MONDAY, TUESDAY, HOUR, now=utc(2027, 1, 4, 12, 7))
    assert slots and min(slot.start for slot in slots) >= utc(2027, 1, 4, 12, 7)


def test_naive_instants():
    naive = datetime(2027, 1, 4)
    assert _field(lambda: find_slots([ALICE], naive, TUESDAY, HOUR)) == "from"
    assert _field(lambda: find_slots([ALICE], MONDAY, datetime(2027, 1, 5), HOUR)) == "to"
    assert _field(lambda: person("x", "Europe/London", busy=((naive, naive + HOUR),))) == "busy"


def test_working_interval_that_does_not_end_after_it_starts():
    assert _field(lambda: WorkingInterval(0, time(17), time(9))) == "workingHours"
    assert _field(lambda: WorkingInterval(7, time(9), time(17))) == "workingHours"


def test_attendees_step_and_limit():
    assert _field(lambda: find_slots([], MONDAY, TUESDAY, HOUR)) == "attendees"
    assert _field(lambda: find_slots([ALICE, ALICE], MONDAY, TUESDAY, HOUR)) == "attendees"
    assert _field(lambda: find_slots([ALICE], MONDAY, TUESDAY, HOUR, step=timedelta(0))) == "step"
    assert _field(lambda: find_slots([ALICE], MONDAY, TUESDAY, HOUR, limit=0)) == "limit"


def test_series_inputs():
    windows = occurrence_windows(date(2027, 1, 4), "MONTHLY", 2)
    assert _field(lambda: occurrence_windows(date(2027, 1, 4), "DAILY", 2)) == "cadence"
    assert _field(lambda: occurrence_windows(date(2027, 1, 4), "WEEKLY", 0)) == "count"
    assert _field(lambda: occurrence_windows(date(2027, 1, 4), "WEEKLY", 2, days=8)) == "days"
    assert _field(lambda: plan_series([ALICE, BOB], [], HOUR)) == "windows"
    assert _field(lambda: plan_series([ALICE, BOB], [(TUESDAY, MONDAY)], HOUR)) == "to"
    assert _field(lambda: plan_series([ALICE, BOB], windows, timedelta(0))) == "duration"
    blocked = person("alice", "Europe/London", busy=((MONDAY, TUESDAY),))
    assert _field(lambda: plan_series([blocked], [(MONDAY, TUESDAY)], HOUR)) == "windows"
    assert _field(lambda: fixed_time_series_cost([ALICE], windows, HOUR, weekday=9, at=time(9))) == "weekday"
    assert _field(lambda: best_fixed_time_series([ALICE], [(MONDAY, MONDAY + HOUR / 2)], HOUR)) == "windows"

"""Occurrence windows keep the week of the month; costs grow away from working hours and nights dominate."""

from __future__ import annotations

from datetime import date, time, timedelta

from domain.scheduling import (
    NIGHT_PENALTY,
    WorkingInterval,
    best_fixed_time_series,
    find_slots,
    fixed_time_series_cost,
    occurrence_windows,
)
from tests.domain.scheduling.helpers import person, utc

HOUR = timedelta(hours=1)


def test_monthly_windows_keep_the_weekday_and_week_of_the_month():
    # given the first Monday of January 2027
    windows = occurrence_windows(date(2027, 1, 4), "MONTHLY", 12)
    # then every window opens on a first Monday and lasts a week
    assert len(windows) == 12
    for start, end in windows:
        assert start.weekday() == 0 and start.day <= 7
        assert end - start == timedelta(days=7)


def test_fifth_weekday_falls_back_to_the_last_one_and_local_midnight_is_used():
    # given the fifth Friday of January 2027 in New York
    windows = occurrence_windows(date(2027, 1, 29), "MONTHLY", 3, zone="America/New_York", days=2)
    # then February (four Fridays) uses its last Friday, and windows open at local midnight
    assert [start.date() for start, _ in windows] == [date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 26)]
    assert windows[0][0] == utc(2027, 1, 29, 5)  # EST
    assert windows[2][0] == utc(2027, 3, 26, 4)  # EDT


def test_weekly_and_biweekly_windows_step_by_their_period():
    weekly = occurrence_windows(date(2027, 1, 4), "WEEKLY", 3)
    biweekly = occurrence_windows(date(2027, 1, 4), "biweekly", 3, days=5)
    assert [s.day for s, _ in weekly] == [4, 11, 18]
    assert [s.day for s, _ in biweekly] == [4, 18, 1]
    assert all(e - s == timedelta(days=5) for s, e in biweekly)


def _cost_at(hour: int, minute: int = 0) -> float:
    london = person("ln", "Europe/London")
    start = utc(2027, 1, 5, hour, minute)
    (slot,) = find_slots([london], start, start + HOUR, HOUR)
    return slot.attendees[0].cost


def test_cost_is_zero_inside_hours_and_grows_with_distance_outside():
    # given a London 09:00-17:00 day in winter (local = UTC)
    # then inside is free, and each step away from the working day costs more than the last
    assert _cost_at(9) == _cost_at(16) == 0.0
    assert 0 < _cost_at(8, 30) < _cost_at(8) < _cost_at(7)
    assert 0 < _cost_at(16, 30) < _cost_at(17) < _cost_at(18) < _cost_at(20)


def test_night_dominates_every_non_night_cost():
    # given a night starting 22:00
    # then touching it costs more than the worst non-night hour (a weekend afternoon)
    weekend = find_slots([person("ln", "Europe/London")], utc(2027, 1, 9, 14), utc(2027, 1, 9, 15), HOUR)
    assert _cost_at(21, 30) >= NIGHT_PENALTY > weekend[0].attendees[0].cost
    assert (
        find_slots([person("ln", "Europe/London")], utc(2027, 1, 5, 21), utc(2027, 1, 5, 22, 30), HOUR)[-1]
        .attendees[0]
        .in_night
    )


def test_a_night_shift_worker_is_not_penalised_for_meetings_in_their_shift():
    # given someone working 22:00-23:59 Tuesdays, inside their default night
    shift = person("shift", "Europe/London", working_hours=(WorkingInterval(1, time(22), time(23, 59)),))
    # when a slot falls in their shift
    (slot,) = find_slots([shift], utc(2027, 1, 5, 22), utc(2027, 1, 5, 23), HOUR)
    # then it is inside working hours and not counted as night
    assert slot.attendees[0].inside_working_hours and not slot.attendees[0].in_night


def test_slots_in_nobodys_night_rank_before_any_night_slot():
    # given London and Sydney (11h apart in January) with a window covering a whole day
    pair = [person("ln", "Europe/London"), person("syd", "Australia/Sydney")]
    slots = find_slots(pair, utc(2027, 1, 5), utc(2027, 1, 6), HOUR)
    # then every slot with no night comes before every slot with one
    nights = [any(a.in_night for a in slot.attendees) for slot in slots]
    assert nights == sorted(nights)
    assert not nights[0]


def test_fixed_time_series_repeats_the_first_best_slot_at_the_same_utc_time():
    # given a monthly London-Singapore series
    pair = [person("ln", "Europe/London"), person("sg", "Asia/Singapore")]
    windows = occurrence_windows(date(2027, 1, 4), "MONTHLY", 12)
    # when costed as a plain recurring event
    fixed = fixed_time_series_cost(pair, windows, HOUR)
    explicit = fixed_time_series_cost(pair, windows, HOUR, weekday=0, at=time(8))
    best = best_fixed_time_series(pair, windows, HOUR)
    # then every occurrence is at one UTC time, and the best fixed time is no worse than the others
    assert len({start.time() for start in fixed.starts}) == 1
    assert all(start.time() == time(8) and start.weekday() == 0 for start in explicit.starts)
    assert explicit.ledger == {"ln": 12.5, "sg": 0.0}  # London 08:00 GMT in the five winter months
    assert best.max_cost <= min(fixed.max_cost, explicit.max_cost)

"""DST gaps and folds are resolved by explicit rules: gaps move forward, starts take fold 0, ends fold 1."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.errors import ValidationFailed
from domain.scheduling import WorkingInterval, find_slots
from domain.scheduling.availability import expand
from domain.scheduling.calendar_math import (
    MICROS_PER_DAY,
    from_micros,
    load_zone,
    steady_offsets,
    to_micros,
    wall_to_utc,
)
from tests.domain.scheduling.helpers import person, utc

# (zone, local date, wall time inside the gap, first valid instant after the gap in UTC)
GAPS = [
    ("Europe/London", date(2027, 3, 28), time(1, 30), utc(2027, 3, 28, 1, 0)),  # 01:00 GMT -> 02:00 BST
    ("America/New_York", date(2027, 3, 14), time(2, 30), utc(2027, 3, 14, 7, 0)),  # 02:00 EST -> 03:00 EDT
    ("Australia/Sydney", date(2027, 10, 3), time(2, 30), utc(2027, 10, 2, 16, 0)),  # 02:00 AEST -> 03:00 AEDT
]

# (zone, local date, ambiguous wall time, first occurrence UTC, second occurrence UTC)
FOLDS = [
    ("Europe/London", date(2027, 10, 31), time(1, 30), utc(2027, 10, 31, 0, 30), utc(2027, 10, 31, 1, 30)),
    ("America/New_York", date(2027, 11, 7), time(1, 30), utc(2027, 11, 7, 5, 30), utc(2027, 11, 7, 6, 30)),
    ("Australia/Sydney", date(2027, 4, 4), time(2, 30), utc(2027, 4, 3, 15, 30), utc(2027, 4, 3, 16, 30)),
]


@pytest.mark.parametrize(("zone", "day", "wall", "after_gap"), GAPS)
def test_wall_time_in_a_gap_moves_to_the_first_valid_instant_after_it(zone, day, wall, after_gap):
    # given a wall time skipped by spring-forward
    tz = ZoneInfo(zone)
    # when it is resolved as a start and as an end
    as_start = wall_to_utc(day, wall, tz, edge="start")
    as_end = wall_to_utc(day, wall, tz, edge="end")
    # then both land on the transition, and one microsecond earlier is still the old offset
    assert as_start == as_end == after_gap
    assert (after_gap - timedelta(microseconds=1)).astimezone(tz).utcoffset() != after_gap.astimezone(tz).utcoffset()


@pytest.mark.parametrize(("zone", "day", "wall", "first", "second"), FOLDS)
def test_ambiguous_wall_time_starts_at_first_and_ends_at_second_occurrence(zone, day, wall, first, second):
    # given a wall time repeated by fall-back
    tz = ZoneInfo(zone)
    # when it is resolved
    # then a start takes the earlier instant and an end the later one
    assert wall_to_utc(day, wall, tz, edge="start") == first
    assert wall_to_utc(day, wall, tz, edge="end") == second
    assert first.astimezone(tz).replace(tzinfo=None) == second.astimezone(tz).replace(tzinfo=None)


@pytest.mark.parametrize(
    ("zone", "day", "start", "end", "expected_hours"),
    [
        ("Europe/London", date(2027, 10, 31), time(1, 0), time(3, 0), 3),  # fold: never shortened
        ("America/New_York", date(2027, 11, 7), time(1, 0), time(3, 0), 3),
        ("Australia/Sydney", date(2027, 4, 4), time(2, 0), time(4, 0), 3),
        ("Europe/London", date(2027, 3, 28), time(0, 30), time(3, 0), 1.5),  # the skipped hour is lost
        ("America/New_York", date(2027, 3, 14), time(2, 30), time(5, 0), 2),  # start in gap moves to 03:00
        ("Australia/Sydney", date(2027, 10, 3), time(2, 15), time(2, 45), 0),  # wholly inside the gap
    ],
)
def test_working_interval_on_a_transition_day_expands_by_the_rules(zone, day, start, end, expected_hours):
    # given someone who works on the transition day only
    someone = person("p", zone, working_hours=(WorkingInterval(day.weekday(), start, end),))
    around = to_micros(utc(day.year, day.month, day.day) - timedelta(days=1))
    # when their working hours are expanded
    working, _ = expand(someone, around, around + 2 * MICROS_PER_DAY)
    on_day = [(s, e) for s, e in working if from_micros(s).astimezone(ZoneInfo(zone)).date() == day]
    # then the interval has the length the rules give
    assert sum(e - s for s, e in on_day) == expected_hours * 3_600_000_000


def test_slot_across_a_fold_counts_as_inside_the_lengthened_interval():
    # given someone in Sydney working 02:00-04:00 on the Sunday clocks go back (02:00-03:00 happens twice)
    sydney = person("syd", "Australia/Sydney", working_hours=(WorkingInterval(6, time(2), time(4)),))
    # when searching the two hours from the first 02:00 (15:00 UTC, AEDT)
    slots = find_slots([sydney], utc(2027, 4, 3, 15), utc(2027, 4, 3, 17), timedelta(hours=2), step=timedelta(hours=1))
    # then the slot is inside working hours and costs nothing
    (slot,) = slots
    assert slot.attendees[0].inside_working_hours
    assert slot.attendees[0].cost == 0.0
    assert slot.attendees[0].local_start.utcoffset() == timedelta(hours=11)
    assert slot.attendees[0].local_end.utcoffset() == timedelta(hours=10)


def test_london_0900_is_inside_singapore_hours_only_in_the_british_summer():
    # given a London and a Singapore office day
    pair = [person("ln", "Europe/London"), person("sg", "Asia/Singapore")]
    # when searching a winter and a summer Monday for a one-hour slot inside both days
    winter = find_slots(pair, utc(2027, 1, 4), utc(2027, 1, 5), timedelta(hours=1), limit=1)
    summer = find_slots(pair, utc(2027, 6, 7), utc(2027, 6, 8), timedelta(hours=1), limit=1)
    # then only summer has one: 09:00 BST = 16:00 SGT
    assert not winter[0].inside_everyones_working_hours
    assert summer[0].inside_everyones_working_hours
    assert summer[0].start == utc(2027, 6, 7, 8)
    assert [a.local_start.hour for a in summer[0].attendees] == [9, 16]


def test_steady_offsets_flag_exactly_the_transition_days():
    # given London across the 2027 spring change
    offsets = steady_offsets(date(2027, 3, 26), date(2027, 3, 30), ZoneInfo("Europe/London"))
    # then the day of the change has no single offset and its neighbours do
    assert offsets[date(2027, 3, 28)] is None
    assert offsets[date(2027, 3, 27)] == 0
    assert offsets[date(2027, 3, 29)] == 3_600_000_000


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../etc/passwd", None])
def test_unknown_zone_is_rejected_naming_the_time_zone_field(zone):
    with pytest.raises(ValidationFailed) as failure:
        load_zone(zone)
    assert failure.value.field == "timeZone"

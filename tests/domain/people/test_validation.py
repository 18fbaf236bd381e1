"""Working-hour checks, on the minutes-after-midnight values that are stored."""

from __future__ import annotations

import datetime

import pytest

from domain.errors import ValidationFailed
from domain.people.validation import WorkingInterval, valid_time_zone, valid_working_interval, without_overlaps


def at(hour: int, minute: int = 0, second: int = 0, **kwargs) -> datetime.time:
    return datetime.time(hour, minute, second, **kwargs)


def test_a_valid_stretch_comes_back_in_minutes_after_midnight():
    assert valid_working_interval(2, at(9, 30), at(17), field="hours[0]") == WorkingInterval(2, 570, 1020)


@pytest.mark.parametrize(
    ("start", "end"),
    [(at(17), at(9)), (at(9), at(9)), (at(9, 0, 10), at(9, 0, 50))],
    ids=["backwards", "empty", "under-a-minute"],
)
def test_a_stretch_must_end_at_least_a_minute_after_it_starts(start, end):
    with pytest.raises(ValidationFailed) as raised:
        valid_working_interval(0, start, end, field="hours[3]")
    assert raised.value.field == "hours[3].end"


def test_weekday_must_be_monday_to_sunday():
    with pytest.raises(ValidationFailed) as raised:
        valid_working_interval(7, at(9), at(17), field="hours[0]")
    assert raised.value.field == "hours[0].weekday"


def test_times_with_an_offset_are_refused():
    with pytest.raises(ValidationFailed) as raised:
        valid_working_interval(0, at(9, tzinfo=datetime.UTC), at(17), field="hours[1]")
    assert raised.value.field == "hours[1].start"


def test_touching_stretches_and_the_same_hours_on_other_days_are_fine():
    week = [WorkingInterval(0, 540, 720), WorkingInterval(0, 720, 1020), WorkingInterval(1, 540, 1020)]
    assert without_overlaps(week, field="hours") == week


def test_an_overlap_names_the_later_stretch_by_its_position_in_the_input():
    week = [WorkingInterval(0, 780, 1020), WorkingInterval(1, 540, 600), WorkingInterval(0, 540, 800)]
    with pytest.raises(ValidationFailed) as raised:
        without_overlaps(week, field="hours")
    assert raised.value.field == "hours[0].start"


def test_a_stretch_inside_a_longer_one_overlaps():
    week = [WorkingInterval(4, 540, 1020), WorkingInterval(4, 600, 660), WorkingInterval(4, 700, 720)]
    with pytest.raises(ValidationFailed) as raised:
        without_overlaps(week, field="hours")
    assert raised.value.field == "hours[1].start"


@pytest.mark.parametrize("legacy", ["EST", "EST5EDT", "MST", "CET", "GMT+5", "Etc/GMT+5", "US/Eastern", "SystemV/EST5"])
def test_a_legacy_zone_name_is_refused_because_it_ignores_daylight_saving(legacy):
    with pytest.raises(ValidationFailed, match="is not an IANA time zone"):
        valid_time_zone(legacy)


@pytest.mark.parametrize("place", ["Europe/London", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "UTC"])
def test_an_area_location_zone_or_utc_is_accepted(place):
    assert valid_time_zone(f" {place} ") == place


def test_a_refused_zone_is_quoted_briefly():
    with pytest.raises(ValidationFailed) as refused:
        valid_time_zone("Europe/" + "x" * 1_000_000)

    assert len(refused.value.message) < 160

"""Score inputs: weights refused when they cannot rank anything, and working weeks that follow each zone's clocks."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import ValidationFailed
from domain.matching.profiles import Weights
from domain.matching.working_week import SLOTS_PER_WEEK, week_mask

OFFICE = tuple((day, 9 * 60, 17 * 60) for day in range(5))


def test_negative_weights_are_refused_naming_the_weight():
    with pytest.raises(ValidationFailed) as refused:
        Weights(skills=-1)
    assert refused.value.field == "weights.skills"


def test_all_zero_weights_are_refused():
    with pytest.raises(ValidationFailed) as refused:
        Weights(
            **dict.fromkeys(("skills", "topics", "cross_department", "seniority", "working_hours"), 0),
            language=0,
            formats=0,
        )
    assert refused.value.field == "weights"


def test_shared_hours_follow_daylight_saving_week_by_week():
    # given New York and London offices, 09:00-17:00 local, Monday to Friday
    def shared(monday: date) -> int:
        return (week_mask("America/New_York", OFFICE, monday) & week_mask("Europe/London", OFFICE, monday)).bit_count()

    # when New York has moved its clocks (8 March 2026) but London has not yet (29 March)
    # then they share four hours a day instead of three
    assert shared(date(2026, 3, 2)) == 3 * 2 * 5
    assert shared(date(2026, 3, 9)) == 4 * 2 * 5
    assert shared(date(2026, 3, 30)) == 3 * 2 * 5


def test_hours_on_the_far_side_of_the_date_line_land_in_the_utc_week():
    # Monday 09:00 in Auckland (UTC+12 in June) is Sunday 21:00 UTC: the end of the UTC week
    mask = week_mask("Pacific/Auckland", ((0, 9 * 60, 10 * 60),), date(2026, 6, 1))
    assert mask.bit_count() == 2
    assert mask >> (SLOTS_PER_WEEK - 6) == 0b11

"""programRoi's arithmetic on a hand-computed organisation, its suppression at 4 vs 5, and its assumption checks.

Over 2026 (365 days, one year): ten participants, six at level 3 and four at level 4, one of whom left (10%);
twenty comparable non-participants at levels 3 and 4, five of whom left (25%); and five at level 7, not
comparable (no participant holds it), three of whom left. One mentor held twenty two-hour meetings.
- avoided leavers: (0.25 - 0.10) x 10 = 1.5
- savings: 0.15 x (6 x 60,000 x 100% + 4 x 80,000 x 150%) = 0.15 x 840,000 = 126,000
- costs: coordination 0.5 x 90,000 = 45,000, training 10,000, platform 12,000, mentor time 40 h x 100 = 4,000:
  71,000; net 55,000; ROI 55,000 / 71,000 = 0.7746
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from datetime import UTC

import pytest

from domain.analytics.facts import EnrollmentFacts, MeetingFacts, PersonFacts, ProgramFacts, RelationshipFacts
from domain.analytics.period import Period
from domain.analytics.roi import Costs, LevelCost, RoiAssumptions, roi_figures
from domain.errors import ValidationFailed

YEAR = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
JOINED_ON = datetime.date(2025, 1, 1)
ASSUMPTIONS = RoiAssumptions(
    levels=(LevelCost(3, 60_000, 100), LevelCost(4, 80_000, 150)),
    coordination_fte=0.5,
    coordinator_annual_cost=90_000,
    training_cost=10_000,
    platform_annual_cost=12_000,
    mentor_hourly_cost=100,
)


def organisation(*, participants: int = 10, comparable: int = 20) -> ProgramFacts:
    people: list[PersonFacts] = []

    def add(level: int, count: int, leavers: int) -> list[int]:
        start = len(people) + 1
        for k in range(count):
            left = datetime.date(2026, 6, 30) if k < leavers else None
            people.append(PersonFacts(len(people) + 1, "Engineering", level, JOINED_ON, left))
        return list(range(start, start + count))

    taking_part = add(3, participants - 4, 1) + add(4, 4, 0)
    add(3, comparable // 2, 3)
    add(4, comparable - comparable // 2, 2)
    add(7, 5, 3)
    start = datetime.datetime(2026, 1, 5, 9, tzinfo=UTC)
    members = ((taking_part[1], "MENTOR"), (taking_part[2], "MENTEE"))
    meetings = [
        MeetingFacts(1, start + datetime.timedelta(weeks=k), start + datetime.timedelta(weeks=k, hours=2), True)
        for k in range(20)
    ]
    return ProgramFacts(
        people={p.id: p for p in people},
        enrollments=[EnrollmentFacts(p, "MENTEE", "ACTIVE", start) for p in taking_part],
        relationships=[RelationshipFacts(1, "ONE_ON_ONE", "ACTIVE", "MATCHING", start, None, 7, members)],
        meetings=meetings,
    )


def test_the_business_case_matches_the_hand_computed_year():
    roi = roi_figures(organisation(), YEAR, ASSUMPTIONS.checked())

    assert (roi.participants.people, roi.participants.leavers, roi.participants.rate) == (10, 1, 0.1)
    assert (roi.comparison.people, roi.comparison.leavers, roi.comparison.rate) == (20, 5, 0.25)
    assert (roi.avoided_leavers, roi.savings) == (1.5, 126_000)
    assert roi.costs == Costs(coordination=45_000, training=10_000, platform=12_000, mentor_hours=40, mentor_time=4_000)
    assert roi.costs.total == 71_000
    assert (roi.net_benefit, roi.roi) == (55_000, 0.7746)
    assert roi.assumptions == ASSUMPTIONS
    assert roi.unpriced_levels == ()


def test_annual_costs_are_spread_over_the_period():
    half = Period(datetime.date(2026, 1, 1), datetime.date(2026, 7, 2))  # 183 days
    roi = roi_figures(organisation(), half, ASSUMPTIONS)

    assert (roi.costs.coordination, roi.costs.platform) == (round(45_000 * 183 / 365, 2), round(12_000 * 183 / 365, 2))


@pytest.mark.parametrize(
    ("participants", "comparable", "shown"), [(5, 20, True), (4, 20, False), (10, 5, True), (10, 4, False)]
)
def test_figures_about_people_are_withheld_when_either_group_is_under_five(participants, comparable, shown):
    roi = roi_figures(organisation(participants=participants, comparable=comparable), YEAR, ASSUMPTIONS)

    assert roi.participants.suppressed is not shown and roi.comparison.suppressed is not shown
    assert (roi.savings is None, roi.net_benefit is None, roi.roi is None) == (not shown,) * 3
    # the costs are the program's, not anyone's: always there
    assert roi.costs.total == 71_000


def test_a_participant_level_without_an_assumed_cost_is_valued_at_the_mean_and_named():
    only_level_3 = replace(ASSUMPTIONS, levels=(LevelCost(3, 60_000, 100),))
    roi = roi_figures(organisation(), YEAR, only_level_3)

    assert roi.unpriced_levels == (4,)
    assert roi.savings == round(0.15 * 10 * 60_000, 2)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (dict(levels=(LevelCost(3, 60_000, 49),)), "assumptions.levels[0].replacement_cost_percent"),
        (dict(levels=(LevelCost(3, 60_000, 201),)), "assumptions.levels[0].replacement_cost_percent"),
        (dict(levels=(LevelCost(3, 0, 100),)), "assumptions.levels[0].average_annual_salary"),
        (dict(levels=(LevelCost(21, 60_000, 100),)), "assumptions.levels[0].level"),
        (dict(levels=(LevelCost(3, 60_000, 100), LevelCost(3, 50_000, 60))), "assumptions.levels[1].level"),
        (dict(levels=()), "assumptions.levels"),
        (dict(coordination_fte=-1), "assumptions.coordination_fte"),
        (dict(training_cost=-5), "assumptions.training_cost"),
        (dict(mentor_hourly_cost=float("inf")), "assumptions.mentor_hourly_cost"),
    ],
)
def test_an_assumption_out_of_range_is_a_validation_error_naming_it(change, field):
    with pytest.raises(ValidationFailed) as error:
        replace(ASSUMPTIONS, **change).checked()
    assert error.value.field == field


def test_the_edges_of_the_replacement_range_are_accepted():
    assert replace(ASSUMPTIONS, levels=(LevelCost(3, 1, 50), LevelCost(4, 1, 200))).checked()

"""programRoi's arithmetic on a hand-computed organisation, its suppression at 4 vs 5 and against differencing,
and its assumption checks.

Over 2026 (365 days, one year; whole quarters): fifty participants, thirty at level 3 and twenty at level 4,
five of whom (level 3) left on 30 June (10%); twenty comparable non-participants, ten at level 3 and ten at
level 4, five of whom left that day (25%); and five at level 7, not comparable (no one in the program holds
it), three of whom left. Five mentors among the participants each held four two-hour meetings, one a quarter.
- avoided leavers: (0.25 - 0.10) x 50 = 7.5
- savings: 0.15 x (30 x 60,000 x 100% + 20 x 80,000 x 150%) = 0.15 x 4,200,000 = 630,000
- costs: coordination 0.5 x 90,000 = 45,000, training 10,000, platform 12,000, mentor time 40 h x 100 = 4,000:
  71,000; net 559,000; ROI 559,000 / 71,000 = 7.8732
The second quarter's leavers are five participants and five others: blocks of five, so nothing is withheld.
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
LEFT_ON = datetime.date(2026, 6, 30)
ASSUMPTIONS = RoiAssumptions(
    levels=(LevelCost(3, 60_000, 100), LevelCost(4, 80_000, 150)),
    coordination_fte=0.5,
    coordinator_annual_cost=90_000,
    training_cost=10_000,
    platform_annual_cost=12_000,
    mentor_hourly_cost=100,
)


def organisation(
    *, participants: int = 50, leavers: int = 5, comparable: int = 20, comparable_leavers=(3, 2), mentors: int = 5
) -> ProgramFacts:
    people: list[PersonFacts] = []

    def add(level: int, count: int, leaving: int) -> list[int]:
        start = len(people) + 1
        for k in range(count):
            people.append(
                PersonFacts(len(people) + 1, "Engineering", level, JOINED_ON, LEFT_ON if k < leaving else None)
            )
        return list(range(start, start + count))

    at_four = min(20, participants)
    taking_part = add(3, participants - at_four, leavers) + add(4, at_four, 0)
    add(3, comparable // 2, comparable_leavers[0])
    add(4, comparable - comparable // 2, comparable_leavers[1])
    add(7, 5, 3)
    start = datetime.datetime(2026, 1, 5, 9, tzinfo=UTC)
    relationships, meetings = [], []
    for k in range(mentors):
        members = ((taking_part[-1 - k], "MENTOR"), (taking_part[-1 - k - mentors], "MENTEE"))
        relationships.append(RelationshipFacts(k + 1, "ONE_ON_ONE", "ACTIVE", "MATCHING", start, None, 7, members))
        for quarter in range(4):
            begins = start + datetime.timedelta(weeks=13 * quarter)
            meetings.append(MeetingFacts(k + 1, begins, begins + datetime.timedelta(hours=2), True))
    return ProgramFacts(
        people={p.id: p for p in people},
        enrollments=[EnrollmentFacts(p, "MENTEE", "ACTIVE", start) for p in taking_part],
        relationships=relationships,
        meetings=meetings,
    )


def test_the_business_case_matches_the_hand_computed_year():
    roi = roi_figures(organisation(), YEAR, ASSUMPTIONS.checked())

    assert (roi.participants.people, roi.participants.leavers, roi.participants.rate) == (50, 5, 0.1)
    assert (roi.comparison.people, roi.comparison.leavers, roi.comparison.rate) == (20, 5, 0.25)
    assert (roi.avoided_leavers, roi.savings) == (7.5, 630_000)
    assert roi.costs == Costs(coordination=45_000, training=10_000, platform=12_000, mentor_hours=40, mentor_time=4_000)
    assert roi.costs.total == 71_000
    assert (roi.net_benefit, roi.roi) == (559_000, 7.8732)
    assert roi.assumptions == ASSUMPTIONS
    assert roi.unpriced_levels == ()
    assert roi.period == YEAR


def test_annual_costs_are_spread_over_the_whole_quarters_the_period_touches():
    half = Period(datetime.date(2026, 1, 1), datetime.date(2026, 7, 2))  # answered over 1 January - 30 September
    roi = roi_figures(organisation(), half, ASSUMPTIONS)

    assert roi.period == Period(datetime.date(2026, 1, 1), datetime.date(2026, 9, 30))  # 273 days
    assert (roi.costs.coordination, roi.costs.platform) == (round(45_000 * 273 / 365, 2), round(12_000 * 273 / 365, 2))
    assert roi.costs.mentor_hours == 30  # three quarters of five mentors' two hours


@pytest.mark.parametrize(
    ("participants", "leavers", "comparable", "comparable_leavers", "shown"),
    # five or four participants, all at level 4: the comparison is the ten at level 4, five of whom leave
    [(5, 0, 20, (0, 5), True), (4, 0, 20, (0, 5), False), (50, 5, 5, (0, 0), True), (50, 5, 4, (0, 0), False)],
)
def test_figures_about_people_are_withheld_when_either_group_is_under_five(
    participants, leavers, comparable, comparable_leavers, shown
):
    facts = organisation(
        participants=participants, leavers=leavers, comparable=comparable, comparable_leavers=comparable_leavers,
        mentors=0,
    )  # fmt: skip
    roi = roi_figures(facts, YEAR, ASSUMPTIONS)

    assert roi.participants.suppressed is not shown and roi.comparison.suppressed is not shown
    assert (roi.savings is None, roi.net_benefit is None, roi.roi is None) == (not shown,) * 3
    # the costs are the program's, not anyone's: always there (no mentor held a meeting here)
    assert roi.costs.total == 67_000


def test_one_leaver_between_two_overlapping_periods_withholds_the_turnover():
    # the attack: the first quarter against the first half, which differ by the one participant leaving in June
    first_quarter = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    first_half = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    facts = organisation(leavers=1, comparable_leavers=(0, 0))

    assert roi_figures(facts, first_quarter, ASSUMPTIONS).participants.leavers == 0
    half = roi_figures(facts, first_half, ASSUMPTIONS)
    assert half.participants.suppressed and half.comparison.suppressed
    assert (half.avoided_leavers, half.savings, half.net_benefit) == (None, None, None)
    # four more participants leaving that quarter make a block of five: shown again
    shown = roi_figures(organisation(leavers=5, comparable_leavers=(0, 0)), first_half, ASSUMPTIONS)
    assert (shown.participants.leavers, shown.participants.suppressed) == (5, False)


def test_one_mentor_meeting_in_a_quarter_withholds_the_mentor_hours_and_every_cost_they_enter():
    facts = organisation()
    # the fourth quarter keeps one mentor's meeting: the year and its first three quarters would differ by it
    facts.meetings[:] = [m for m in facts.meetings if m.starts_at.month < 10 or m.relationship_id == 1]
    roi = roi_figures(facts, YEAR, ASSUMPTIONS)

    assert (roi.costs.mentor_hours, roi.costs.mentor_time, roi.costs.total) == (None, None, None)
    assert (roi.net_benefit, roi.roi) == (None, None)
    assert roi.savings == 630_000  # turnover is no one mentor's: still shown
    # with mentor time priced at nothing, no cost hides the hours: the total is given
    free = roi_figures(facts, YEAR, replace(ASSUMPTIONS, mentor_hourly_cost=0))
    assert (free.costs.mentor_hours, free.costs.mentor_time, free.costs.total) == (None, 0, 67_000)


def test_a_participant_level_without_an_assumed_cost_is_valued_at_the_mean_and_named():
    only_level_3 = replace(ASSUMPTIONS, levels=(LevelCost(3, 60_000, 100),))
    roi = roi_figures(organisation(), YEAR, only_level_3)

    assert roi.unpriced_levels == (4,)
    assert roi.savings == round(0.15 * 50 * 60_000, 2)


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

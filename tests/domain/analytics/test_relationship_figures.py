"""programInsights' relationship figures under the quarter rule, on plain facts computed by hand: each figure
is shown when five relationships change in a quarter and withheld at four, by the change that figure counts
(began, ended, first met, ran, set or achieved a goal, rematched).

Unless a test says otherwise, the quarters are the first of 2026 (90 days), relationships have a 30-day
cadence, and pair i is mentor 100+i with mentee 200+i.
"""

from __future__ import annotations

import datetime
from datetime import UTC

import pytest

from domain.analytics.facts import GoalFacts, MeetingFacts, ProgramFacts, RelationshipFacts
from domain.analytics.period import Period
from domain.analytics.program_figures import WITHHELD_RATIO, WITHHELD_REMATCH, WITHHELD_WAIT, BandPosition
from domain.analytics.quarterly import each_quarter, relationship_figures

Q1 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
Q1_AND_Q2 = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))


def at(month: int, day: int, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, tzinfo=UTC)


def pair(i: int, started_at, *, ended_at=None, origin="COORDINATOR", previous_id=None) -> RelationshipFacts:
    return RelationshipFacts(
        i, "TRADITIONAL", "ACTIVE", origin, started_at, ended_at, 30, ((100 + i, "MENTOR"), (200 + i, "MENTEE")),
        previous_id,
    )  # fmt: skip


def held(i: int, day: datetime.datetime) -> MeetingFacts:
    return MeetingFacts(i, day, day + datetime.timedelta(hours=1), True)


def goal(i: int, set_on, achieved_on=None, status="IN_PROGRESS") -> GoalFacts:
    return GoalFacts(i, 200 + i, set_on, "ACHIEVED" if achieved_on else status, achieved_on)


def facts(relationships, meetings=(), goals=()) -> ProgramFacts:
    return ProgramFacts(people={}, relationships=list(relationships), meetings=list(meetings), goals=list(goals))


def running_since_2025(count: int) -> list[RelationshipFacts]:
    """Pairs that began in October 2025 and run on: no change in 2026 but running."""
    return [pair(i, at(10, 1, 2025)) for i in range(count)]


def test_the_quarters_are_split_into_calendar_quarters():
    quarters = each_quarter(Period(datetime.date(2025, 10, 1), Q1_AND_Q2.end))

    assert [(q.start.isoformat(), q.end.isoformat()) for q in quarters] == [
        ("2025-10-01", "2025-12-31"),
        ("2026-01-01", "2026-03-31"),
        ("2026-04-01", "2026-06-30"),
    ]


@pytest.mark.parametrize(("started", "shown"), [(5, True), (4, False)])
def test_time_to_first_meeting_at_five_and_four_pairs_started_in_the_quarter(started, shown):
    # Waits of 2, 4, 6, 8, 10 days (first four: 2, 4, 6, 8), each first meeting in the quarter; a later meeting
    # of pair 0 is not its first. A pair started in 2025 is no part of the figure.
    relationships = [pair(i, at(1, 5)) for i in range(started)] + [pair(9, at(12, 1, 2025))]
    meetings = [held(i, at(1, 5 + 2 * (i + 1))) for i in range(started)] + [held(0, at(2, 1)), held(9, at(1, 2))]

    wait = relationship_figures(facts(relationships, meetings), Q1).time_to_first_meeting

    if shown:
        assert (wait.measured, wait.waiting, wait.median_days, wait.mean_days, wait.suppressed) == (
            5, 0, 6.0, 6.0, False,
        )  # fmt: skip
    else:
        assert wait == WITHHELD_WAIT


def test_a_first_meeting_after_the_quarters_is_still_waiting_and_one_in_a_later_quarter_is_a_block():
    # Six pairs started on 5 January; five met within the first quarter (waits 2, 4, 6, 8, 10), pair 5 only on
    # 10 April. Over the first quarter pair 5 is waiting; over both quarters its April first meeting is the only
    # one of the second quarter, which would tell its wait (95 days): withheld.
    relationships = [pair(i, at(1, 5)) for i in range(6)]
    meetings = [held(i, at(1, 5 + 2 * (i + 1))) for i in range(5)] + [held(5, at(4, 10))]

    first = relationship_figures(facts(relationships, meetings), Q1).time_to_first_meeting
    both = relationship_figures(facts(relationships, meetings), Q1_AND_Q2).time_to_first_meeting

    assert (first.measured, first.waiting, first.median_days, first.mean_days, first.suppressed) == (
        5, 1, 6.0, 6.0, False,
    )  # fmt: skip
    assert both == WITHHELD_WAIT


@pytest.mark.parametrize(("running", "shown"), [(5, True), (4, False)])
def test_cadence_at_five_and_four_pairs_running_in_the_quarter(running, shown):
    # No pair began or ended in 2026: only the quarter's running pairs make its block. Each ran all 90 days at
    # a 30-day cadence (3 planned); pair i held i meetings (pair 0 none): 0+1+2+3+4 = 10 of 15.
    counts = [0, 1, 2, 3, 4][:running]
    meetings = [
        held(i, at(1, 10) + datetime.timedelta(days=15 * n)) for i, count in enumerate(counts) for n in range(count)
    ]

    cadence = relationship_figures(facts(running_since_2025(running), meetings), Q1).cadence_adherence

    if shown:
        assert (cadence.of, cadence.count, cadence.rate, cadence.suppressed) == (15, 10, 0.6667, False)
    else:
        assert cadence == WITHHELD_RATIO


def test_cadence_over_two_quarters_is_withheld_when_the_second_runs_one_pair():
    # Five pairs ran since 2025 and ended at the start of 31 March, each holding one meeting in February.
    ended = [pair(i, at(10, 1, 2025), ended_at=at(3, 31)) for i in range(5)]
    meetings = [held(i, at(2, 10)) for i in range(5)]
    shown = relationship_figures(facts(ended, meetings), Q1_AND_Q2).cadence_adherence
    # 89 days each at 30 a meeting: 2 planned, 10 in all; 5 held. Nothing ran in the second quarter.
    assert (shown.of, shown.count, shown.rate, shown.suppressed) == (10, 5, 0.5, False)

    # Pair 5 runs on alone into the second quarter, whose block is that one pair.
    running_on = [*ended, pair(5, at(10, 1, 2025))]
    assert relationship_figures(facts(running_on, meetings), Q1_AND_Q2).cadence_adherence == WITHHELD_RATIO


@pytest.mark.parametrize(("with_goals", "shown"), [(5, True), (4, False)])
def test_goal_completion_at_five_and_four_pairs_setting_goals_in_the_quarter(with_goals, shown):
    # Pair i sets a goal on 15 January, none achieved yet; pair 0 also dropped one, and pair 1 achieved in
    # February a goal set in 2025: neither is a goal of the quarter, nor in its blocks.
    goals = [goal(i, at(1, 15)) for i in range(with_goals)]
    goals += [goal(0, at(1, 20), status="DROPPED"), goal(1, at(11, 1, 2025), at(2, 1))]

    completion = relationship_figures(facts(running_since_2025(5), goals=goals), Q1).goal_completion

    if shown:
        assert (completion.of, completion.count, completion.rate, completion.suppressed) == (5, 0, 0.0, False)
    else:
        assert completion == WITHHELD_RATIO


@pytest.mark.parametrize(("achieved", "shown"), [(5, True), (4, False)])
def test_goal_completion_at_five_and_four_pairs_achieving_goals_in_the_quarter(achieved, shown):
    # Six pairs set a goal on 15 January; `achieved` of them achieve it on 1 March: 5 of 6, or a block of four.
    goals = [goal(i, at(1, 15), at(3, 1) if i < achieved else None) for i in range(6)]

    completion = relationship_figures(facts(running_since_2025(6), goals=goals), Q1).goal_completion

    if shown:
        assert (completion.of, completion.count, completion.rate) == (6, 5, 0.8333)
    else:
        assert completion == WITHHELD_RATIO


@pytest.mark.parametrize(("began", "shown"), [(5, True), (4, False)])
def test_active_relationships_at_five_and_four_pairs_beginning_in_the_quarter(began, shown):
    # Three pairs run since 2025 (no change); `began` more start on 1 February.
    relationships = running_since_2025(3) + [pair(10 + i, at(2, 1)) for i in range(began)]

    active = relationship_figures(facts(relationships), Q1).active

    assert active == (8 if shown else None)


@pytest.mark.parametrize(("ended", "shown"), [(5, True), (4, False)])
def test_active_relationships_at_five_and_four_pairs_ending_in_the_quarter(ended, shown):
    # Seven pairs run since 2025; `ended` of them end on 1 February (still counted: they ran in the quarter).
    relationships = [pair(i, at(10, 1, 2025), ended_at=at(2, 1) if i < ended else None) for i in range(7)]

    assert relationship_figures(facts(relationships), Q1).active == (7 if shown else None)


@pytest.mark.parametrize(("rematched", "shown"), [(5, True), (4, False)])
def test_rematch_rate_at_five_and_four_rematches_in_the_quarter(rematched, shown):
    # Ten pairs start on 5 January; `rematched` of them end on 1 February and are replaced by a rematch from
    # 5 February, which start in the quarter too: 5 of 15 (one third, above the 10-15% band).
    originals = [pair(i, at(1, 5), ended_at=at(2, 1) if i <= rematched else None) for i in range(1, 11)]
    replacements = [pair(20 + i, at(2, 5), origin="REMATCH", previous_id=i) for i in range(1, rematched + 1)]

    rate = relationship_figures(facts(originals + replacements), Q1).rematch_rate

    if shown:
        assert (rate.relationships, rate.rematched, rate.rate, rate.position, rate.suppressed) == (
            15, 5, 0.3333, BandPosition.ABOVE, False,
        )  # fmt: skip
    else:
        assert rate == WITHHELD_REMATCH


def test_a_rematch_after_the_quarters_is_not_counted_in_them():
    # Five pairs started in January; pair 1 is replaced by a rematch only in April.
    relationships = [pair(i, at(1, 5)) for i in range(1, 6)] + [pair(20, at(4, 2), origin="REMATCH", previous_id=1)]

    rate = relationship_figures(facts(relationships), Q1).rematch_rate

    assert (rate.relationships, rate.rematched, rate.position) == (5, 0, BandPosition.BELOW)
    # Over both quarters the one rematch (and the one replacement beginning) would be told apart: withheld.
    assert relationship_figures(facts(relationships), Q1_AND_Q2).rematch_rate == WITHHELD_REMATCH


def test_a_program_with_no_relationships_shows_empty_figures():
    figures = relationship_figures(facts([]), Q1)

    assert figures.active == 0
    assert (figures.time_to_first_meeting.measured, figures.time_to_first_meeting.suppressed) == (0, False)
    assert (figures.cadence_adherence.of, figures.cadence_adherence.rate) == (0, None)
    assert (figures.goal_completion.of, figures.rematch_rate.position) == (0, BandPosition.NO_DATA)

"""Differencing attacks on programInsights' relationship figures: two overlapping periods whose difference is
one relationship must not reveal that pair's wait for a first meeting, cadence, goals or rematch.

The program (monthly cadence): five pairs m0->p0 ... m4->p4 ran from 5 January to 31 March 2026 (completed),
each with a first held meeting on 12 January (7 days' wait), held meetings on 12 February and 12 March, and a
goal set on 15 January and achieved on 1 March. The one extra pair, m5->p5, started on 10 April: its first
meeting on 20 April (10 days), a goal set on 15 April and achieved on 25 April; it ended early on 28 April and
was rematched into m0->p5 from 2 May.
- First quarter: 5 active; 5 measured, median and mean 7 days; 15 meetings held against 10 planned (85 days
  each at 30 days a meeting: 2); 5 of 5 goals achieved; 0 of 5 rematched.
- 1 January to 30 April, by days: the difference is m5->p5 alone.
"""

from __future__ import annotations

import datetime
from datetime import UTC

import pytest

from domain.access import Role
from domain.goals.models import Goal, GoalStatus
from domain.meetings.models import MeetingStatus
from domain.programs.models import Cadence
from domain.relationships.models import MemberRole, Relationship, RelationshipOrigin, RelationshipStatus
from tests.factories import make_person, make_program
from tests.factories_meetings import make_meeting
from tests.factories_relationships import make_relationship
from tests.support import gid

INSIGHTS = """
query I($program: ID!, $period: PeriodInput!) {
  programInsights(programId: $program, period: $period) {
    __typename
    ... on ProgramInsights {
      breakdownsStart breakdownsEnd
      activeRelationships
      timeToFirstMeeting { measured waiting medianDays meanDays suppressed }
      cadenceAdherence { of count rate suppressed }
      goalCompletion { of count rate suppressed }
      rematchRate { relationships rematched rate position suppressed }
    }
    ... on Error { code field }
  }
}
"""
FIRST_QUARTER = {"start": "2026-01-01", "end": "2026-03-31"}
# Differs from the first quarter, by days, in the pair m5->p5 alone.
TO_APRIL_END = {"start": "2026-01-01", "end": "2026-04-30"}
FIRST_QUARTER_FIGURES = {
    "breakdownsStart": "2026-01-01",
    "breakdownsEnd": "2026-03-31",
    "activeRelationships": 5,
    "timeToFirstMeeting": {"measured": 5, "waiting": 0, "medianDays": 7.0, "meanDays": 7.0, "suppressed": False},
    "cadenceAdherence": {"of": 10, "count": 15, "rate": 1.5, "suppressed": False},
    "goalCompletion": {"of": 5, "count": 5, "rate": 1.0, "suppressed": False},
    "rematchRate": {"relationships": 5, "rematched": 0, "rate": 0.0, "position": "BELOW", "suppressed": False},
}
WITHHELD = {
    "activeRelationships": None,
    "timeToFirstMeeting": {"measured": None, "waiting": None, "medianDays": None, "meanDays": None, "suppressed": True},
    "cadenceAdherence": {"of": None, "count": None, "rate": None, "suppressed": True},
    "goalCompletion": {"of": None, "count": None, "rate": None, "suppressed": True},
    "rematchRate": {"relationships": None, "rematched": None, "rate": None, "position": None, "suppressed": True},
}


def at(month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
async def org(db):
    cora = await make_person(name="Cora")
    mentors = [await make_person(name=f"m{i}") for i in range(6)]
    mentees = [await make_person(name=f"p{i}") for i in range(6)]
    program = await make_program(coordinators=[cora], cadence=Cadence.MONTHLY)

    def pair(mentor, mentee, **fields):
        return make_relationship([(mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE)], program=program, **fields)

    held = MeetingStatus.HELD
    pairs = []
    for mentor, mentee in zip(mentors[:5], mentees[:5], strict=True):
        relationship = await pair(
            mentor, mentee, status=RelationshipStatus.COMPLETED, started_at=at(1, 5), ended_at=at(3, 31)
        )
        for month in (1, 2, 3):
            await make_meeting(relationship, mentor, mentee, start=at(month, 12), minutes=60, status=held)
        goal = await Goal.create(owner=mentee, relationship=relationship, title="g", status=GoalStatus.ACHIEVED)
        await Goal.filter(id=goal.id).update(created_at=at(1, 15), achieved_at=at(3, 1))
        pairs.append(relationship)
    extra = await pair(
        mentors[5], mentees[5], status=RelationshipStatus.ENDED_EARLY, started_at=at(4, 10), ended_at=at(4, 28)
    )
    await make_meeting(extra, mentors[5], mentees[5], start=at(4, 20), minutes=60, status=held)
    goal = await Goal.create(owner=mentees[5], relationship=extra, title="g", status=GoalStatus.ACHIEVED)
    await Goal.filter(id=goal.id).update(created_at=at(4, 15), achieved_at=at(4, 25))
    await pair(
        mentors[0],
        mentees[5],
        status=RelationshipStatus.ACTIVE,
        started_at=at(5, 2),
        origin=RelationshipOrigin.REMATCH,
        previous=extra,
    )
    return dict(program=program, cora=cora, pairs=pairs)


async def _insights(gql, org, period):
    variables = {"program": gid("Program", org["program"].id), "period": period}
    return (await gql(INSIGHTS, variables, as_=org["cora"], role=Role.COORDINATOR))["programInsights"]


def _figures(answer):
    return {key: value for key, value in answer.items() if key in WITHHELD}


async def test_the_first_quarter_shows_every_relationship_figure(gql, org):
    assert await _insights(gql, org, FIRST_QUARTER) == {"__typename": "ProgramInsights", **FIRST_QUARTER_FIGURES}


async def test_stretching_the_period_by_one_pair_withholds_what_would_reveal_it(gql, org):
    first = await _insights(gql, org, FIRST_QUARTER)
    stretched = await _insights(gql, org, TO_APRIL_END)

    # By the period's days the difference would be m5->p5's 10-day wait (mean 7 -> 7.5 over 6), its one planned
    # and one held April meeting, its one goal and its rematch. Both quarters are covered instead, and the
    # second holds one or two relationships' changes: every one of these figures is withheld.
    assert _figures(first) == {k: v for k, v in FIRST_QUARTER_FIGURES.items() if k in WITHHELD}
    assert (stretched["breakdownsStart"], stretched["breakdownsEnd"]) == ("2026-01-01", "2026-06-30")
    assert _figures(stretched) == WITHHELD


async def test_periods_of_some_days_in_the_same_quarters_give_the_same_answer(gql, org):
    # 10 January to 20 March leaves out every first meeting's start day and the last planned meeting by days;
    # answered for the whole first quarter it cannot differ from it.
    some_days = await _insights(gql, org, {"start": "2026-01-10", "end": "2026-03-20"})

    assert some_days == await _insights(gql, org, FIRST_QUARTER)


async def test_four_pairs_in_the_quarter_are_withheld_and_five_are_shown(gql, org):
    assert _figures(await _insights(gql, org, FIRST_QUARTER))["activeRelationships"] == 5

    # The fifth pair, with its meetings and goals, moves to another program.
    await Relationship.filter(id=org["pairs"][4].id).update(program=await make_program())

    assert _figures(await _insights(gql, org, FIRST_QUARTER)) == WITHHELD

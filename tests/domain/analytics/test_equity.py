"""The equity report on a hand-computed program: every figure per gender, four fifths, suppression at 4 vs 5,
and a differencing attack across two overlapping periods.

Thirty people, all employed since June 2025 and none leaving: women w0-w9, men m0-m9, non-binary n0-n3 and
u0-u5 who gave no gender. Over the first quarter of 2026:
- Enrolled (ACTIVE) on 10 January: w0-w7, m0-m4, n0-n1, u0-u2 (participation: women 8/10, men 5/10).
- Relationships from 1 February: w0-m0, w1-m1, w2-m2, w3-m3, w4-m4, w5-n0, n1-u0, u1-u2 (match rate:
  women 6/8, men 5/5); first meetings after 2, 12, 8, 10, 5, 3, 1 and 19 days (medians: women
  [2, 3, 5, 8, 10, 12] -> 6.5, men [2, 5, 8, 10, 12] -> 8.0).
- Goals set on 15 February: two each for w0-w5 and m0-m4, one each for n0-n1 and u0-u2; achieved on 10 March:
  one each by w0-w4 (5/12), both by m0-m4 (10/10).
- Named pulse ratings in February: women 5, 5, 4, 4, 4, 2 (5/6 of 4 or more), men 5, 5, 5, 5, 4 (5/5),
  n0-n1 1, 2 and u0-u2 3, 3, 3.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from datetime import UTC

from domain.analytics.equity import HIDDEN, Measure, equity_dimensions, whole_quarters
from domain.analytics.facts import (
    EnrollmentFacts,
    GoalFacts,
    MeetingFacts,
    PersonFacts,
    ProgramFacts,
    PulseFacts,
    RelationshipFacts,
)
from domain.analytics.period import Period

QUARTER = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
JOINED_ON = datetime.date(2025, 6, 1)


def at(month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=UTC)


def people() -> dict[str, PersonFacts]:
    cast = {}
    for prefix, gender, count in (("w", "WOMAN", 10), ("m", "MAN", 10), ("n", "NON_BINARY", 4), ("u", None, 6)):
        for i in range(count):
            key = f"{prefix}{i}"
            cast[key] = PersonFacts(len(cast) + 1, "Engineering", 3, JOINED_ON, None, gender=gender)
    return cast


def facts(cast: dict[str, PersonFacts] | None = None) -> tuple[ProgramFacts, dict[str, int]]:
    cast = cast or people()
    ids = {key: person.id for key, person in cast.items()}
    enrolled = [*(f"w{i}" for i in range(8)), *(f"m{i}" for i in range(5)), "n0", "n1", "u0", "u1", "u2"]
    pairs = [("w0", "m0", 2), ("w1", "m1", 12), ("w2", "m2", 8), ("w3", "m3", 10), ("w4", "m4", 5)]
    pairs += [("w5", "n0", 3), ("n1", "u0", 1), ("u1", "u2", 19)]
    relationships, meetings = [], []
    for number, (mentor, mentee, days) in enumerate(pairs, start=1):
        members = ((ids[mentor], "MENTOR"), (ids[mentee], "MENTEE"))
        relationships.append(RelationshipFacts(number, "ONE_ON_ONE", "ACTIVE", "MATCHING", at(2, 1), None, 30, members))
        first = at(2, 1) + datetime.timedelta(days=days)
        meetings.append(MeetingFacts(number, first, first + datetime.timedelta(hours=1), True))
    owner_of = {key: ids[key] for key in ids}
    goals = []
    for key in [*(f"w{i}" for i in range(6)), *(f"m{i}" for i in range(5))]:
        achieved = (1 if key[0] == "w" and int(key[1:]) < 5 else 0) if key[0] == "w" else 2
        for k in range(2):
            goals.append(GoalFacts(0, owner_of[key], at(2, 15), "ACHIEVED" if k < achieved else "IN_PROGRESS",
                                   at(3, 10) if k < achieved else None))  # fmt: skip
    goals += [GoalFacts(0, owner_of[key], at(2, 15), "IN_PROGRESS", None) for key in ("n0", "n1", "u0", "u1", "u2")]
    ratings = {"w0": 5, "w1": 5, "w2": 4, "w3": 4, "w4": 4, "w5": 2, "m0": 5, "m1": 5, "m2": 5, "m3": 5, "m4": 4}
    ratings |= {"n0": 1, "n1": 2, "u0": 3, "u1": 3, "u2": 3}
    pulses = [PulseFacts(datetime.date(2026, 2, 1), rating, ids[key]) for key, rating in ratings.items()]
    # and one anonymous answer, which no group can claim
    pulses.append(PulseFacts(datetime.date(2026, 2, 1), 1, None))
    program = ProgramFacts(
        people={person.id: person for person in cast.values()},
        enrollments=[EnrollmentFacts(ids[key], "MENTEE", "ACTIVE", at(1, 10)) for key in enrolled],
        relationships=relationships,
        meetings=meetings,
        goals=goals,
        pulses=pulses,
    )
    return program, ids


def gender(program: ProgramFacts, period: Period = QUARTER):
    (dimension,) = [d for d in equity_dimensions(program, period) if d.dimension == "gender"]
    return dimension, {row.group: row.measures for row in dimension.groups}


def test_every_figure_per_group_matches_the_hand_computed_quarter():
    dimension, rows = gender(facts()[0])

    # non-binary (4 people) is suppressed in every figure, so not even named
    assert sorted(rows) == ["MAN", "WOMAN"]
    assert dimension.suppressed_groups == 1
    woman, man = rows["WOMAN"], rows["MAN"]
    assert woman["participation"] == Measure(10, 10, 8, 0.8, 1.0, False, False)
    assert man["participation"] == Measure(10, 10, 5, 0.5, 0.625, True, False)
    assert woman["match_rate"] == Measure(8, 8, 6, 0.75, 0.75, True, False)
    assert man["match_rate"] == Measure(5, 5, 5, 1.0, 1.0, False, False)
    # less is better: the men's ratio is the women's median over theirs, 6.5 / 8 = 0.8125 (not flagged)
    assert woman["time_to_first_meeting"] == Measure(6, 6, 6, 6.5, 1.0, False, False)
    assert man["time_to_first_meeting"] == Measure(5, 5, 5, 8.0, 0.8125, False, False)
    assert woman["goal_completion"] == Measure(6, 12, 5, 0.4167, 0.4167, True, False)
    assert man["goal_completion"] == Measure(5, 10, 10, 1.0, 1.0, False, False)
    assert woman["satisfaction"] == Measure(6, 6, 5, 0.8333, 0.8333, False, False)
    assert man["satisfaction"] == Measure(5, 5, 5, 1.0, 1.0, False, False)


def test_dimensions_nobody_reported_are_empty():
    dimensions = {d.dimension: d for d in equity_dimensions(facts()[0], QUARTER)}

    assert [(d.groups, d.suppressed_groups) for name, d in dimensions.items() if name != "gender"] == [([], 0)] * 3


def test_a_group_is_shown_at_five_and_suppressed_at_four():
    # given the quarter, with m4 no longer in the program: 4 men take part
    program, ids = facts()
    program.enrollments = [e for e in program.enrollments if e.person_id != ids["m4"]]
    program.relationships = [r for r in program.relationships if ids["m4"] not in r.people()]

    _, rows = gender(program)

    assert rows["MAN"]["participation"] == HIDDEN
    # and at 5 (the fixture as it is) they are shown
    assert gender(facts()[0])[1]["MAN"]["participation"].count == 5


def test_a_differencing_attack_with_overlapping_periods_learns_nothing_about_the_one_extra_person():
    # given w8 enrolls on 5 April, the only change of the second quarter
    program, ids = facts()
    program.enrollments.append(EnrollmentFacts(ids["w8"], "MENTEE", "ACTIVE", at(4, 5)))
    first_half = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))

    _, quarter = gender(program)
    _, stretched = gender(program, first_half)

    # the first quarter shows both groups; the half year, whose participation and intake differ by one
    # person, withholds those figures from every group (a man's unchanged count would say she is not one)
    assert (quarter["WOMAN"]["participation"].count, quarter["MAN"]["participation"].count) == (8, 5)
    for group in ("WOMAN", "MAN"):
        assert stretched[group]["participation"] == HIDDEN
        assert stretched[group]["match_rate"] == HIDDEN
    # while the figures the extra person is not in are still there
    assert stretched["MAN"]["goal_completion"] == quarter["MAN"]["goal_completion"]


def test_a_leaver_is_a_change_too():
    # given m9 (not in the program) left on 20 March: 1 change of the employed population in the quarter
    cast = people()
    cast["m9"] = replace(cast["m9"], left_on=datetime.date(2026, 3, 20))

    _, rows = gender(facts(cast)[0])

    assert rows["WOMAN"]["participation"] == HIDDEN
    assert rows["WOMAN"]["match_rate"].count == 6


def test_a_period_is_widened_to_the_quarters_it_touches():
    assert whole_quarters(Period(datetime.date(2026, 2, 10), datetime.date(2026, 4, 3))) == Period(
        datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
    )

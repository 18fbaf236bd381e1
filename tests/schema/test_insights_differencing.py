"""Differencing attacks on programInsights' participation breakdowns and on intergenerationalInsights: two
overlapping periods whose difference is one person must not reveal them.

The organisation, everyone employed since June 2025 and nobody leaving: Engineering e0-e9 (level 3, Gen Z),
Sales s0-s9 (level 4, Millennial), and the analyst Ada (Engineering, level 3, Gen Z). In the program (ACTIVE,
enrolled on 15 December 2025): e0-e5 and s0-s4. Nothing changes in the first quarter of 2026; on 5 April
e6 enrolls, the one change of the second quarter.
- First quarter: Engineering / level 3 / Gen Z 6 of 11 (0.5455), Sales / level 4 / Millennial 5 of 10 (0.5).
- 1 January to 5 April: the one extra person is e6; before the quarters, Engineering read 7 of 11 there.
"""

from __future__ import annotations

import datetime
from datetime import UTC

import pytest

from domain.access import Role
from domain.people.models import Demographics, Generation, Person
from domain.programs.models import Enrollment, EnrollmentStatus
from tests.factories import make_enrollment, make_person, make_program
from tests.support import gid

INSIGHTS = """
query I($program: ID!, $period: PeriodInput!) {
  programInsights(programId: $program, period: $period) {
    __typename
    ... on ProgramInsights {
      start end breakdownsStart breakdownsEnd
      participationByDepartment { group size count rate suppressed }
      participationByLevel { group size count rate suppressed }
      participationByGeneration { group size count rate suppressed }
    }
    ... on Error { code field }
  }
}
"""
INTERGENERATIONAL = """
query I($program: ID!, $period: PeriodInput!) {
  intergenerationalInsights(programId: $program, period: $period) {
    __typename
    ... on IntergenerationalInsights {
      start end
      dimensions {
        dimension suppressedGroups
        groups {
          group
          participation { people count suppressed }
          retention { people count suppressed }
        }
      }
    }
    ... on Error { code field }
  }
}
"""
FIRST_QUARTER = {"start": "2026-01-01", "end": "2026-03-31"}
# Differs from the first quarter by e6's enrollment alone.
TO_FIFTH_APRIL = {"start": "2026-01-01", "end": "2026-04-05"}
BREAKDOWNS = ("participationByDepartment", "participationByLevel", "participationByGeneration")


def shown(group, size, count, rate):
    return {"group": group, "size": size, "count": count, "rate": rate, "suppressed": False}


def hidden(group):
    return {"group": group, "size": None, "count": None, "rate": None, "suppressed": True}


@pytest.fixture
async def org(db):
    ada = await make_person(name="Ada", department="Engineering", level=3)
    engineers = [await make_person(name=f"e{i}", department="Engineering", level=3) for i in range(10)]
    sales = [await make_person(name=f"s{i}", department="Sales", level=4) for i in range(10)]
    await Person.all().update(created_at=datetime.datetime(2025, 6, 1, tzinfo=UTC))
    for person, generation in (
        (ada, Generation.GEN_Z),
        *((p, Generation.GEN_Z) for p in engineers),
        *((p, Generation.MILLENNIAL) for p in sales),
    ):
        await Demographics.create(person=person, generation=generation)
    program = await make_program()
    for person in (*engineers[:6], *sales[:5]):
        await make_enrollment(person, program, status=EnrollmentStatus.ACTIVE)
    await Enrollment.all().update(created_at=datetime.datetime(2025, 12, 15, tzinfo=UTC))
    late = await make_enrollment(engineers[6], program, status=EnrollmentStatus.ACTIVE)
    await Enrollment.filter(id=late.id).update(created_at=datetime.datetime(2026, 4, 5, 10, tzinfo=UTC))
    return dict(program=program, ada=ada)


async def _ask(gql, org, query, period):
    variables = {"program": gid("Program", org["program"].id), "period": period}
    result = await gql(query, variables, as_=org["ada"], role=Role.ANALYST)
    return next(iter(result.values()))


async def test_the_breakdowns_of_a_quiet_quarter_are_shown_for_any_days_inside_it(gql, org):
    quarter = await _ask(gql, org, INSIGHTS, FIRST_QUARTER)
    some_days = await _ask(gql, org, INSIGHTS, {"start": "2026-02-10", "end": "2026-02-20"})

    assert quarter["participationByDepartment"] == [shown("Engineering", 11, 6, 0.5455), shown("Sales", 10, 5, 0.5)]
    assert quarter["participationByLevel"] == [shown("3", 11, 6, 0.5455), shown("4", 10, 5, 0.5)]
    assert quarter["participationByGeneration"] == [shown("GEN_Z", 11, 6, 0.5455), shown("MILLENNIAL", 10, 5, 0.5)]
    # the days asked for stay the period; the breakdowns are the quarter's
    assert (some_days["start"], some_days["end"]) == ("2026-02-10", "2026-02-20")
    assert (some_days["breakdownsStart"], some_days["breakdownsEnd"]) == ("2026-01-01", "2026-03-31")
    for breakdown in BREAKDOWNS:
        assert some_days[breakdown] == quarter[breakdown]


async def test_two_overlapping_periods_differing_by_one_enrollment_do_not_reveal_it(gql, org):
    first = await _ask(gql, org, INSIGHTS, FIRST_QUARTER)
    stretched = await _ask(gql, org, INSIGHTS, TO_FIFTH_APRIL)
    day_before = await _ask(gql, org, INSIGHTS, {"start": "2026-01-01", "end": "2026-04-04"})

    assert first["participationByDepartment"][0] == shown("Engineering", 11, 6, 0.5455)
    # the stretched period covers the first half year, whose second quarter holds one change: every group of
    # every breakdown is withheld (Sales unchanged would say the newcomer is not in Sales)
    assert (stretched["breakdownsStart"], stretched["breakdownsEnd"]) == ("2026-01-01", "2026-06-30")
    assert stretched["participationByDepartment"] == [hidden("Engineering"), hidden("Sales")]
    assert stretched["participationByLevel"] == [hidden("3"), hidden("4")]
    assert stretched["participationByGeneration"] == [hidden("GEN_Z"), hidden("MILLENNIAL")]
    # and a day either side of the enrollment answers alike, so the two cannot be told apart
    for breakdown in BREAKDOWNS:
        assert day_before[breakdown] == stretched[breakdown]


async def test_five_enrollments_in_a_quarter_are_shown_again(gql, org):
    # given four more engineers enroll in April: five changes in the second quarter, a block of its own
    more = await Person.filter(name__in=["e7", "e8", "e9"]).order_by("name")
    for person in (*more, org["ada"]):
        late = await make_enrollment(person, org["program"], status=EnrollmentStatus.ACTIVE)
        await Enrollment.filter(id=late.id).update(created_at=datetime.datetime(2026, 4, 20, tzinfo=UTC))

    stretched = await _ask(gql, org, INSIGHTS, TO_FIFTH_APRIL)

    # all five are engineers: the other groups, unchanged, would tell as much, and that is no one's answer
    assert stretched["participationByDepartment"] == [shown("Engineering", 11, 11, 1.0), shown("Sales", 10, 5, 0.5)]


async def test_intergenerational_insights_do_not_reveal_the_one_enrollment_either(gql, org):
    first = await _ask(gql, org, INTERGENERATIONAL, FIRST_QUARTER)
    stretched = await _ask(gql, org, INTERGENERATIONAL, TO_FIFTH_APRIL)

    generations = {d["dimension"]: d for d in first["dimensions"]}["GENERATION"]
    assert [(g["group"], g["participation"], g["retention"]) for g in generations["groups"]] == [
        ("GEN_Z", {"people": 11, "count": 6, "suppressed": False}, {"people": 6, "count": 6, "suppressed": False}),
        ("MILLENNIAL", {"people": 10, "count": 5, "suppressed": False}, {"people": 5, "count": 5, "suppressed": False}),
    ]
    # over the half year the one enrollment withholds participation and retention (whose population it also
    # changes) from both groups, so neither is named
    assert (stretched["start"], stretched["end"]) == ("2026-01-01", "2026-06-30")
    generations = {d["dimension"]: d for d in stretched["dimensions"]}["GENERATION"]
    assert generations == {"dimension": "GENERATION", "suppressedGroups": 2, "groups": []}

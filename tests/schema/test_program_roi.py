"""programRoi over GraphQL: the business case on a hand-computed program, the assumptions echoed, suppression
under 5, and assumptions out of range as typed errors naming the field. (The arithmetic in full:
tests/domain/analytics/test_roi.py.)

Over 2026: five participants at level 3 (enrolled in December 2025, none left) and ten non-participants at
level 3 (five left on 30 June, 50%), everyone employed since 2025; no meetings. Avoided leavers
(0.5 - 0) x 5 = 2.5, valued at 60,000 x 100%: 150,000; platform 12,000 a year; net 138,000; ROI 11.5.
"""

from __future__ import annotations

import csv
import datetime
import io
from datetime import UTC

import pytest

from domain.access import Role
from domain.people.models import Person
from domain.programs.models import Enrollment, EnrollmentStatus
from tests.factories import make_enrollment, make_person, make_program
from tests.support import assert_unchanged, gid

ROI = """
query R($program: ID!, $period: PeriodInput!, $assumptions: RoiAssumptionsInput!) {
  programRoi(programId: $program, period: $period, assumptions: $assumptions) {
    __typename
    ... on ProgramRoi {
      start end
      assumptions { levels { level averageAnnualSalary replacementCostPercent replacementCost } platformAnnualCost }
      participants { people leavers rate suppressed }
      comparison { people leavers rate suppressed }
      avoidedLeavers savings costs { platform total } netBenefit roi unpricedLevels
      csv { name content }
    }
    ... on Error { code field message }
  }
}
"""
YEAR = {"start": "2026-01-01", "end": "2026-12-31"}
ASSUMPTIONS = {
    "levels": [{"level": 3, "averageAnnualSalary": 60000, "replacementCostPercent": 100}],
    "platformAnnualCost": 12000,
}


@pytest.fixture
async def program(db):
    cora = await make_person(name="Cora", level=None)
    taking_part = [await make_person(name=f"p{i}", level=3) for i in range(5)]
    others = [await make_person(name=f"n{i}", level=3) for i in range(10)]
    await Person.all().update(created_at=datetime.datetime(2025, 1, 1, tzinfo=UTC))
    await Person.filter(id__in=[p.id for p in others[:5]]).update(is_active=False, left_on=datetime.date(2026, 6, 30))
    program = await make_program(coordinators=[cora])
    for person in taking_part:
        await make_enrollment(person, program, status=EnrollmentStatus.ACTIVE)
    await Enrollment.all().update(created_at=datetime.datetime(2025, 12, 15, tzinfo=UTC))
    return dict(program=program, cora=cora, taking_part=taking_part)


async def _roi(gql, program, assumptions=ASSUMPTIONS, role=Role.COORDINATOR, period=YEAR):
    variables = {"program": gid("Program", program["program"].id), "period": period, "assumptions": assumptions}
    return (await gql(ROI, variables, as_=program["cora"], role=role))["programRoi"]


async def test_the_business_case_with_its_assumptions_echoed(gql, program):
    roi = await _roi(gql, program)

    assert roi["assumptions"] == {
        "levels": [{"level": 3, "averageAnnualSalary": 60000, "replacementCostPercent": 100, "replacementCost": 60000}],
        "platformAnnualCost": 12000,
    }
    assert (roi["start"], roi["end"]) == ("2026-01-01", "2026-12-31")
    assert roi["participants"] == {"people": 5, "leavers": 0, "rate": 0.0, "suppressed": False}
    assert roi["comparison"] == {"people": 10, "leavers": 5, "rate": 0.5, "suppressed": False}
    assert (roi["avoidedLeavers"], roi["savings"]) == (2.5, 150000)
    assert roi["costs"] == {"platform": 12000, "total": 12000}
    assert (roi["netBenefit"], roi["roi"], roi["unpricedLevels"]) == (138000, 11.5, [])
    exported = dict(csv.reader(io.StringIO(roi["csv"]["content"])))
    assert roi["csv"]["name"] == "program_roi"
    assert [exported[k] for k in ("start", "end", "level_3_replacement_cost_percent", "comparison_leavers")] == [
        "2026-01-01",
        "2026-12-31",
        "100.0",
        "5",
    ]
    assert [exported[k] for k in ("savings", "cost_total", "net_benefit", "roi")] == [
        "150000.0",
        "12000.0",
        "138000.0",
        "11.5",
    ]


async def test_two_overlapping_periods_differing_by_one_leaver_do_not_reveal_whether_they_took_part(gql, program):
    # given one participant leaves on 10 May: the first quarter, and January to May, differ by that leaver alone
    await Person.filter(id=program["taking_part"][0].id).update(is_active=False, left_on=datetime.date(2026, 5, 10))
    hidden = {"people": None, "leavers": None, "rate": None, "suppressed": True}

    first = await _roi(gql, program, period={"start": "2026-01-01", "end": "2026-03-31"})
    longer = await _roi(gql, program, period={"start": "2026-01-01", "end": "2026-05-31"})

    assert first["participants"] == {"people": 5, "leavers": 0, "rate": 0.0, "suppressed": False}
    # the longer period is answered over the first half year, whose second quarter holds six leavers, one of
    # them a participant: a group of one in that quarter, so neither group's turnover is shown
    assert (longer["start"], longer["end"]) == ("2026-01-01", "2026-06-30")
    assert (longer["participants"], longer["comparison"]) == (hidden, hidden)
    assert (longer["avoidedLeavers"], longer["savings"], longer["netBenefit"]) == (None, None, None)


async def test_four_participants_withhold_every_figure_about_people(gql, program):
    await program["taking_part"][4].enrollments.all().delete()

    roi = await _roi(gql, program)

    hidden = {"people": None, "leavers": None, "rate": None, "suppressed": True}
    assert (roi["participants"], roi["comparison"]) == (hidden, hidden)
    assert (roi["avoidedLeavers"], roi["savings"], roi["netBenefit"], roi["roi"]) == (None, None, None, None)
    assert roi["costs"]["total"] == 12000


@pytest.mark.parametrize(
    ("assumptions", "field"),
    [
        ({"levels": [{"level": 3, "averageAnnualSalary": 60000, "replacementCostPercent": 40}]},
         "assumptions.levels[0].replacementCostPercent"),
        ({"levels": [{"level": 3, "averageAnnualSalary": 60000, "replacementCostPercent": 250}]},
         "assumptions.levels[0].replacementCostPercent"),
        ({"levels": [{"level": 3, "averageAnnualSalary": -1, "replacementCostPercent": 100}]},
         "assumptions.levels[0].averageAnnualSalary"),
        ({**ASSUMPTIONS, "mentorHourlyCost": -20}, "assumptions.mentorHourlyCost"),
        ({"levels": []}, "assumptions.levels"),
    ],
)  # fmt: skip
async def test_an_assumption_out_of_range_is_a_typed_error_naming_it_and_writes_nothing(
    gql, program, assumptions, field
):
    async with assert_unchanged():
        result = await _roi(gql, program, assumptions)

    assert (result["__typename"], result["field"]) == ("ValidationError", field)


async def test_a_participant_may_not_read_the_business_case(gql, program):
    result = await _roi(gql, program, role=Role.PARTICIPANT)

    assert (result["__typename"], result["field"]) == ("PermissionDeniedError", "programId")

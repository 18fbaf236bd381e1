"""equityReport over GraphQL on a hand-computed program: the figures, the CSV, the period widened to quarters,
suppression at 4 vs 5 and bad input. (Every figure's arithmetic: tests/domain/analytics/test_equity.py.)

Women w0-w9 and men m0-m9, employed since June 2025, and five people who gave no gender (the coordinator
among them). Enrolled on 10 January 2026: w0-w7 and m0-m4 (participation: women 8/10, men 5/10, ratio
0.625, flagged). Relationships w0-m0 ... w4-m4 from 1 February (match rate: women 5/8 = 0.625, flagged;
men 5/5).
"""

from __future__ import annotations

import csv
import datetime
import io
from datetime import UTC

import pytest

from domain.access import Role
from domain.people.models import Demographics, Gender, Person
from domain.programs.models import Enrollment, EnrollmentStatus
from domain.relationships.models import MemberRole, Relationship, RelationshipMember, RelationshipStatus
from tests.factories import make_enrollment, make_person, make_program
from tests.factories_relationships import make_relationship
from tests.support import assert_unchanged, gid

REPORT = """
query E($program: ID!, $period: PeriodInput!) {
  equityReport(programId: $program, period: $period) {
    __typename
    ... on EquityReport {
      start end
      dimensions {
        dimension suppressedGroups
        groups {
          group
          participation { people of count value impactRatio flagged suppressed }
          matchRate { people of count value impactRatio flagged suppressed }
        }
      }
      csv { name content }
    }
    ... on Error { code field message }
  }
}
"""
QUARTER = {"start": "2026-01-01", "end": "2026-03-31"}


def measure(people, of, count, value, ratio, flagged):
    return dict(people=people, of=of, count=count, value=value, impactRatio=ratio, flagged=flagged, suppressed=False)


@pytest.fixture
async def program(db):
    cora = await make_person(name="Cora")
    women = [await make_person(name=f"w{i}") for i in range(10)]
    men = [await make_person(name=f"m{i}") for i in range(10)]
    for i in range(4):
        await make_person(name=f"u{i}")
    await Person.all().update(created_at=datetime.datetime(2025, 6, 1, tzinfo=UTC))
    for people, gender in ((women, Gender.WOMAN), (men, Gender.MAN)):
        for person in people:
            await Demographics.create(person=person, gender=gender)
    program = await make_program(coordinators=[cora])
    for person in (*women[:8], *men[:5]):
        await make_enrollment(person, program, status=EnrollmentStatus.ACTIVE)
    await Enrollment.all().update(created_at=datetime.datetime(2026, 1, 10, 9, tzinfo=UTC))
    for woman, man in zip(women[:5], men[:5], strict=True):
        await make_relationship(
            [(woman, MemberRole.MENTOR), (man, MemberRole.MENTEE)],
            program=program,
            status=RelationshipStatus.ACTIVE,
            started_at=datetime.datetime(2026, 2, 1, 9, tzinfo=UTC),
        )
    return dict(program=program, cora=cora, men=men)


async def _report(gql, program, period=QUARTER, *, role=Role.COORDINATOR):
    variables = {"program": gid("Program", program["program"].id), "period": period}
    return (await gql(REPORT, variables, as_=program["cora"], role=role))["equityReport"]


def _gender(report):
    (gender,) = [d for d in report["dimensions"] if d["dimension"] == "GENDER"]
    return gender


async def test_the_figures_per_gender_match_the_hand_computed_quarter(gql, program):
    report = await _report(gql, program)

    assert (report["start"], report["end"]) == ("2026-01-01", "2026-03-31")
    gender = _gender(report)
    assert gender["suppressedGroups"] == 0
    assert gender["groups"] == [
        {
            "group": "MAN",
            "participation": measure(10, 10, 5, 0.5, 0.625, True),
            "matchRate": measure(5, 5, 5, 1.0, 1.0, False),
        },
        {
            "group": "WOMAN",
            "participation": measure(10, 10, 8, 0.8, 1.0, False),
            "matchRate": measure(8, 8, 5, 0.625, 0.625, True),
        },
    ]
    assert [d["groups"] for d in report["dimensions"] if d["dimension"] != "GENDER"] == [[], [], []]


async def test_each_dimension_exports_as_csv(gql, program):
    tables = {t["name"]: t["content"] for t in (await _report(gql, program))["csv"]}

    assert sorted(tables) == ["equity_by_age_band", "equity_by_ethnicity", "equity_by_gender", "equity_by_generation"]
    rows = list(csv.reader(io.StringIO(tables["equity_by_gender"])))
    header = [
        "group",
        "figure",
        "people",
        "of",
        "count",
        "value",
        "impact_ratio",
        "flagged",
        "suppressed",
        "start",
        "end",
    ]
    assert rows[0] == header
    # every row says which whole quarters it covers
    assert [
        "MAN",
        "participation",
        "10",
        "10",
        "5",
        "0.5",
        "0.625",
        "True",
        "False",
        "2026-01-01",
        "2026-03-31",
    ] in rows
    assert {tuple(row[-2:]) for row in rows[1:]} == {("2026-01-01", "2026-03-31")}


async def test_a_period_is_widened_to_whole_quarters(gql, program):
    report = await _report(gql, program, {"start": "2026-02-10", "end": "2026-02-20"})

    assert (report["start"], report["end"]) == ("2026-01-01", "2026-03-31")
    assert _gender(report) == _gender(await _report(gql, program))


async def test_a_group_of_five_is_shown_and_of_four_suppressed(gql, program):
    shown = {g["group"]: g for g in _gender(await _report(gql, program))["groups"]}
    # given m4 never took part: four men do
    m4 = program["men"][4]
    await Enrollment.filter(person=m4).delete()
    ids = await RelationshipMember.filter(person=m4).values_list("relationship_id", flat=True)
    await Relationship.filter(id__in=list(ids)).update(status=RelationshipStatus.PROPOSED, started_at=None)

    gender = _gender(await _report(gql, program))

    assert shown["MAN"]["participation"]["count"] == 5
    # the four men's figures are suppressed, and the women's with them (the total less 8 women would give 4
    # away); with every figure of both groups suppressed, neither is named
    assert (gender["groups"], gender["suppressedGroups"]) == ([], 2)


async def test_a_quarter_with_no_data_gives_empty_groups(gql, program):
    report = await _report(gql, program, {"start": "2024-01-01", "end": "2024-03-31"})

    assert report["__typename"] == "EquityReport"
    assert all(d["groups"] == [] for d in report["dimensions"])


async def test_a_backwards_period_is_a_validation_error_and_a_participant_is_refused(gql, program):
    async with assert_unchanged():
        backwards = await _report(gql, program, {"start": "2026-03-01", "end": "2026-01-01"})
        refused = await _report(gql, program, role=Role.PARTICIPANT)

    assert (backwards["__typename"], backwards["field"]) == ("ValidationError", "period.end")
    assert (refused["__typename"], refused["field"]) == ("PermissionDeniedError", "programId")

"""mentoringNetwork over GraphQL on a hand-drawn organisation, and differencing attacks on it: two overlapping
periods whose difference is one relationship must not tell whom it links.

Engineering e0-e19, Sales s0-s19, Legal l0-l9, Operations o0 and the analyst Ada (Operations). Every
relationship began on 5 January 2026 (one block of eighteen in the first quarter), none has ended:
- e0 mentors s0-s5 (6 Engineering-Sales), s6 mentors l0-l4 (5 Legal-Sales), e1 mentors l5, l6 (2
  Engineering-Legal), e2-e6 mentor e7-e11 (5 within Engineering).
- 26 people in the network; cross-department 13 of 18 (0.7222). Engineering-Legal (2) is suppressed; the
  cross total would give it away by subtraction, so the smallest shown cross cell, Legal-Sales, is hidden
  with it (together 7), and within Engineering (5) is hidden with them, as the suppression over every cell
  takes the smallest.
- Bridges: e0 on 15 shortest paths (between any two of its six mentees), s6 on 10, e1 on 1.
"""

from __future__ import annotations

import csv
import datetime
import io
from datetime import UTC

import pytest

from domain.access import Role
from domain.relationships.models import MemberRole, Relationship, RelationshipStatus
from tests.factories import make_person, make_program
from tests.factories_relationships import make_relationship

NETWORK = """
query N($period: PeriodInput!) {
  mentoringNetwork(period: $period) {
    __typename
    ... on MentoringNetwork {
      start end withheld peopleInNetwork relationships crossDepartment crossDepartmentShare
      departmentMatrix { department other relationships suppressed }
      silos
      bridges { department departmentsReached betweenness person { name } }
      csv { name content }
    }
  }
}
"""
FIRST_QUARTER = {"start": "2026-01-01", "end": "2026-03-31"}
TO_FIFTH_APRIL = {"start": "2026-01-01", "end": "2026-04-05"}


def cell(department, other, relationships=None):
    return {"department": department, "other": other, "relationships": relationships, "suppressed": not relationships}


def bridge(department, betweenness, name=None):
    person = None if name is None else {"name": name}
    return {"department": department, "departmentsReached": 1, "betweenness": betweenness, "person": person}


SHOWN_MATRIX = [
    cell("Engineering", "Engineering"),
    cell("Engineering", "Legal"),
    cell("Engineering", "Sales", 6),
    cell("Legal", "Sales"),
]


def at(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 9, tzinfo=UTC)


@pytest.fixture
async def org(db):
    ada = await make_person(name="Ada", department="Operations")
    await make_person(name="o0", department="Operations")
    e = [await make_person(name=f"e{i}", department="Engineering") for i in range(20)]
    s = [await make_person(name=f"s{i}", department="Sales") for i in range(20)]
    legal = [await make_person(name=f"l{i}", department="Legal") for i in range(10)]
    program = await make_program()

    async def pair(mentor, mentee, began=at(1, 5), **fields):
        return await make_relationship(
            [(mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE)],
            program=program,
            status=fields.pop("status", RelationshipStatus.ACTIVE),
            started_at=began,
            **fields,
        )

    for mentee in s[:6]:
        await pair(e[0], mentee)
    for mentee in legal[:5]:
        await pair(s[6], mentee)
    for mentee in legal[5:7]:
        await pair(e[1], mentee)
    for mentor, mentee in zip(e[2:7], e[7:12], strict=True):
        await pair(mentor, mentee)
    return dict(ada=ada, e=e, s=s, pair=pair)


async def _ask(gql, org, period, role=Role.ANALYST):
    return (await gql(NETWORK, {"period": period}, as_=org["ada"], role=role))["mentoringNetwork"]


async def test_the_network_of_a_quarter_matches_the_hand_count(gql, org):
    network = await _ask(gql, org, FIRST_QUARTER)

    assert (network["start"], network["end"], network["withheld"]) == ("2026-01-01", "2026-03-31", False)
    assert (network["peopleInNetwork"], network["relationships"]) == (26, 18)
    assert (network["crossDepartment"], network["crossDepartmentShare"]) == (13, 0.7222)
    assert network["departmentMatrix"] == SHOWN_MATRIX
    assert network["silos"] == ["Operations"]
    # unnamed for an analyst
    assert network["bridges"] == [bridge("Engineering", 15.0), bridge("Sales", 10.0), bridge("Engineering", 1.0)]


async def test_the_aggregates_export_as_csv_with_their_quarters_and_no_bridge(gql, org):
    tables = {
        t["name"]: t["content"] for t in (await _ask(gql, org, {"start": "2026-02-10", "end": "2026-02-20"}))["csv"]
    }

    assert sorted(tables) == ["department_matrix", "network_summary"]
    summary = dict(csv.reader(io.StringIO(tables["network_summary"])))
    assert [summary[k] for k in ("start", "end", "withheld", "cross_department", "silos")] == [
        "2026-01-01",
        "2026-03-31",
        "False",
        "13",
        "Operations",
    ]
    assert list(csv.reader(io.StringIO(tables["department_matrix"]))) == [
        ["department", "other", "relationships", "suppressed", "start", "end"],
        ["Engineering", "Engineering", "", "True", "2026-01-01", "2026-03-31"],
        ["Engineering", "Legal", "", "True", "2026-01-01", "2026-03-31"],
        ["Engineering", "Sales", "6", "False", "2026-01-01", "2026-03-31"],
        ["Legal", "Sales", "", "True", "2026-01-01", "2026-03-31"],
    ]


async def test_an_admin_sees_the_bridges_by_name(gql, org):
    network = await _ask(gql, org, FIRST_QUARTER, role=Role.ADMIN)

    assert [b["person"] for b in network["bridges"]] == [{"name": "e0"}, {"name": "s6"}, {"name": "e1"}]


async def test_some_days_are_answered_over_their_whole_quarter(gql, org):
    some_days = await _ask(gql, org, {"start": "2026-02-10", "end": "2026-02-20"})

    quarter = await _ask(gql, org, FIRST_QUARTER)
    assert some_days == quarter


async def test_one_relationship_beginning_between_two_overlapping_periods_does_not_tell_whom_it_links(gql, org):
    # the attack: e12 starts mentoring s7 on 2 April; over days, 1 January - 5 April would read Engineering-Sales
    # 7 and cross-department 14, telling that the newcomer links Engineering and Sales
    await org["pair"](org["e"][12], org["s"][7], began=at(4, 2))

    first = await _ask(gql, org, FIRST_QUARTER)
    stretched = await _ask(gql, org, TO_FIFTH_APRIL)
    admin = await _ask(gql, org, TO_FIFTH_APRIL, role=Role.ADMIN)

    assert first["departmentMatrix"] == SHOWN_MATRIX
    # answered over the first half year, whose second quarter holds one new relationship: withheld
    assert (stretched["start"], stretched["end"], stretched["withheld"]) == ("2026-01-01", "2026-06-30", True)
    assert (stretched["crossDepartment"], stretched["crossDepartmentShare"]) == (None, None)
    assert (stretched["departmentMatrix"], stretched["silos"], stretched["bridges"]) == ([], None, [])
    matrix = {t["name"]: t["content"] for t in stretched["csv"]}["department_matrix"]
    assert len(list(csv.reader(io.StringIO(matrix)))) == 1  # the header alone
    assert stretched["relationships"] == 19
    # admins, who may read any relationship, keep the named bridges
    assert admin["bridges"][0] == bridge("Engineering", 15.0, "e0")


async def test_five_relationships_beginning_in_the_quarter_are_shown_again(gql, org):
    for mentor, mentee in zip(org["e"][12:17], org["s"][7:12], strict=True):
        await org["pair"](mentor, mentee, began=at(4, 2))

    stretched = await _ask(gql, org, TO_FIFTH_APRIL)

    assert stretched["withheld"] is False
    assert (stretched["relationships"], stretched["crossDepartment"]) == (23, 18)
    assert cell("Engineering", "Sales", 11) in stretched["departmentMatrix"]


async def test_one_relationship_ending_in_a_quarter_withholds_the_network_too(gql, org):
    # the attack the other way: the second quarter alone against the first half, differing by one that ended
    ended = await Relationship.filter(started_at=at(1, 5)).order_by("id").first()
    await Relationship.filter(id=ended.id).update(status=RelationshipStatus.COMPLETED, ended_at=at(3, 20))

    half = await _ask(gql, org, {"start": "2026-01-01", "end": "2026-06-30"})

    assert half["withheld"] is True
    assert half["departmentMatrix"] == []

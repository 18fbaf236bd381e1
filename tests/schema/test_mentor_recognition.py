"""mentorRecognition and shareRecognition: a mentor's hours, completed relationships and mentees' goals met, seen
by the mentor always and by their programs' coordinators only while shared, and exported as CSV.

Over the first quarter of 2026 Maria mentors Ben in Alpha (Cora coordinates) and Zed in Beta (Dan coordinates):
- Alpha: held 10 Jan 60 min and 10 Feb 90 min, missed 1 Mar; the relationship completed on 15 March; Ben
  achieved one goal on 1 March (another in December 2025, outside), and Maria's own goal does not count.
- Beta: held 20 Feb 30 min, still active; Zed achieved one goal on 25 February.
So: Alpha 2.5 h, 1 completed, 1 goal met; Beta 0.5 h, 0, 1; in all 3.0 h, 1, 2.
"""

from __future__ import annotations

import asyncio
import csv
import datetime
import io
from datetime import UTC

import pytest

from domain.access import Role
from domain.analytics.models import RecognitionSharing
from domain.goals.models import Goal, GoalStatus
from domain.meetings.models import MeetingStatus
from domain.relationships.models import Relationship, RelationshipStatus
from tests.factories import make_person, make_program
from tests.factories_meetings import make_meeting, make_relationship
from tests.support import assert_unchanged, gid

RECOGNITION = """
query R($mentor: ID, $period: PeriodInput!) {
  mentorRecognition(mentorId: $mentor, period: $period) {
    __typename
    ... on MentorRecognition {
      name sharing hoursMentored relationshipsCompleted menteeGoalsMet
      programs { programName hoursMentored relationshipsCompleted menteeGoalsMet }
      csv { name content }
    }
    ... on Error { code field }
  }
}
"""
SHARE = """
mutation S($share: Boolean!) {
  shareRecognition(input: {share: $share}) { __typename ... on ShareRecognitionPayload { sharing } }
}
"""
QUARTER = {"start": "2026-01-01", "end": "2026-03-31"}


def at(month: int, day: int, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, tzinfo=UTC)


@pytest.fixture
async def world(db):
    cora, dan = await make_person(name="Cora"), await make_person(name="Dan")
    maria, ben, zed = await make_person(name="Maria"), await make_person(name="Ben"), await make_person(name="Zed")
    alpha = await make_program(name="Alpha", coordinators=[cora])
    beta = await make_program(name="Beta", coordinators=[dan])
    r1 = await make_relationship(maria, ben, program=alpha, started_at=at(1, 2))
    r2 = await make_relationship(maria, zed, program=beta, started_at=at(2, 1))
    await make_meeting(r1, maria, ben, start=at(1, 10), minutes=60, status=MeetingStatus.HELD)
    await make_meeting(r1, maria, ben, start=at(2, 10), minutes=90, status=MeetingStatus.HELD)
    await make_meeting(r1, maria, ben, start=at(3, 1), minutes=60, status=MeetingStatus.MISSED)
    await make_meeting(r2, maria, zed, start=at(2, 20), minutes=30, status=MeetingStatus.HELD)
    await Relationship.filter(id=r1.id).update(status=RelationshipStatus.COMPLETED, ended_at=at(3, 15))
    achieved = GoalStatus.ACHIEVED
    await Goal.create(owner=ben, relationship=r1, title="a", status=achieved, achieved_at=at(3, 1))
    await Goal.create(owner=ben, relationship=r1, title="b", status=achieved, achieved_at=at(12, 1, 2025))
    await Goal.create(owner=maria, relationship=r1, title="c", status=achieved, achieved_at=at(3, 2))
    await Goal.create(owner=zed, relationship=r2, title="d", status=achieved, achieved_at=at(2, 25))
    return dict(cora=cora, dan=dan, maria=maria, ben=ben)


async def _recognition(gql, world, viewer, role=Role.PARTICIPANT, *, mentor="maria"):
    variables = {"mentor": gid("Person", world[mentor].id) if mentor else None, "period": QUARTER}
    return (await gql(RECOGNITION, variables, as_=world[viewer], role=role))["mentorRecognition"]


def alpha(hours=2.5):
    return {"programName": "Alpha", "hoursMentored": hours, "relationshipsCompleted": 1, "menteeGoalsMet": 1}


BETA = {"programName": "Beta", "hoursMentored": 0.5, "relationshipsCompleted": 0, "menteeGoalsMet": 1}


async def test_the_mentor_sees_their_figures_in_every_program(gql, world):
    mine = await _recognition(gql, world, "maria", mentor=None)

    assert (mine["name"], mine["sharing"]) == ("Maria", False)
    assert (mine["hoursMentored"], mine["relationshipsCompleted"], mine["menteeGoalsMet"]) == (3.0, 1, 2)
    assert mine["programs"] == [alpha(), BETA]
    assert mine == await _recognition(gql, world, "maria")


async def test_the_export_is_one_csv_table_for_a_performance_review(gql, world):
    table = (await _recognition(gql, world, "maria", mentor=None))["csv"]

    email = world["maria"].email
    assert table["name"] == "mentor_recognition"
    assert list(csv.reader(io.StringIO(table["content"]))) == [
        ["mentor", "email", "start", "end", "program", "hours_mentored", "relationships_completed",
         "mentee_goals_met"],
        ["Maria", email, "2026-01-01", "2026-03-31", "Alpha", "2.5", "1", "1"],
        ["Maria", email, "2026-01-01", "2026-03-31", "Beta", "0.5", "0", "1"],
        ["Maria", email, "2026-01-01", "2026-03-31", "ALL", "3.0", "1", "2"],
    ]  # fmt: skip


async def test_coordinators_see_a_mentor_only_once_shared_and_only_their_programs(gql, world):
    async with assert_unchanged():
        before = await _recognition(gql, world, "cora", Role.COORDINATOR)
    assert (before["__typename"], before["field"]) == ("PermissionDeniedError", "mentorId")

    shared = (await gql(SHARE, {"share": True}, as_=world["maria"]))["shareRecognition"]
    assert shared == {"__typename": "ShareRecognitionPayload", "sharing": True}
    assert await RecognitionSharing.filter(person=world["maria"]).count() == 1

    cora = await _recognition(gql, world, "cora", Role.COORDINATOR)
    dan = await _recognition(gql, world, "dan", Role.COORDINATOR)
    assert (cora["hoursMentored"], cora["programs"]) == (2.5, [alpha()])
    assert (dan["hoursMentored"], dan["programs"]) == (0.5, [BETA])
    analyst = await _recognition(gql, world, "ben", Role.ANALYST)
    assert analyst["__typename"] == "PermissionDeniedError"

    # sharing twice changes nothing; opting out hides her again
    async with assert_unchanged():
        await gql(SHARE, {"share": True}, as_=world["maria"])
    await gql(SHARE, {"share": False}, as_=world["maria"])
    assert (await _recognition(gql, world, "cora", Role.COORDINATOR))["__typename"] == "PermissionDeniedError"


async def test_someone_unknown_is_not_found(gql, world):
    variables = {"mentor": gid("Person", 999_999), "period": QUARTER}
    result = (await gql(RECOGNITION, variables, as_=world["cora"], role=Role.ADMIN))["mentorRecognition"]

    assert (result["code"], result["field"]) == ("NOT_FOUND", "mentorId")


@pytest.mark.postgres_only
async def test_sharing_from_several_requests_at_once_leaves_one_consent(gql, world):
    results = await asyncio.gather(*(gql(SHARE, {"share": True}, as_=world["maria"]) for _ in range(6)))

    assert [r["shareRecognition"] for r in results] == [{"__typename": "ShareRecognitionPayload", "sharing": True}] * 6
    assert await RecognitionSharing.filter(person=world["maria"]).count() == 1

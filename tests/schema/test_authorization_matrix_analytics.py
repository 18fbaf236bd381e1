"""Who reads analytics: every analytics field x every role. Aggregates for analysts, admins and the program's
coordinators; mentors by name only for who oversees the program, and only mentors who share recognition.

Cora coordinates a program where Maria (who shares her recognition) mentors Ben, with one held hour, and Ben
mentors Zed from Sales: Ben is the one bridge of the mentoring network.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.analytics.models import RecognitionSharing
from domain.meetings.models import MeetingStatus
from tests.factories import make_person, make_program
from tests.factories_meetings import make_meeting, make_relationship
from tests.schema.authorization import (
    ADMIN,
    ANALYST,
    COORDINATOR,
    OTHER_COORDINATOR,
    ROLES,
    Read,
    cast_around,
    wrong_reads,
)
from tests.support import gid

DENIED = {"__typename": "PermissionDeniedError"}


async def build_world():
    cora, dan = await make_person(name="Cora"), await make_person(name="Dan")
    maria, ben = await make_person(name="Maria"), await make_person(name="Ben")
    program = await make_program(coordinators=[cora])
    await make_program(coordinators=[dan])
    now = datetime.now(UTC)
    relationship = await make_relationship(maria, ben, program=program, started_at=now - timedelta(days=20))
    await make_meeting(relationship, maria, ben, start=now - timedelta(days=3), minutes=60, status=MeetingStatus.HELD)
    zed = await make_person(name="Zed", department="Sales")
    await make_relationship(ben, zed, program=program, started_at=now - timedelta(days=10))
    await RecognitionSharing.create(person=maria)
    people = await cast_around(owner=ben, partner=maria, coordinator=cora, other_coordinator=dan)
    period = {"from": str(now.date() - timedelta(days=30)), "to": str(now.date())}
    return people, {"program": gid("Program", program.id), **period}


INSIGHTS = """
query($program: ID!, $from: Date!, $to: Date!) {
  programInsights(programId: $program, period: {start: $from, end: $to}) {
    __typename ... on ProgramInsights { mentorHoursTotal mentorHours { name hours } }
  }
}
"""

NETWORK = """
query($from: Date!, $to: Date!) {
  mentoringNetwork(period: {start: $from, end: $to}) {
    __typename ... on MentoringNetwork { relationships bridges { department departmentsReached person { name } } }
  }
}
"""


def network_seen(person):
    bridge = {"department": "Engineering", "departmentsReached": 1, "person": person}
    return {"mentoringNetwork": {"__typename": "MentoringNetwork", "relationships": 2, "bridges": [bridge]}}


READS = [
    Read(
        "mentoringNetwork (bridges named for admins only)",
        NETWORK,
        {ADMIN},
        network_seen({"name": "Ben"}),
        {"mentoringNetwork": DENIED},
        partial={role: network_seen(None) for role in (COORDINATOR, OTHER_COORDINATOR, ANALYST)},
    ),
    Read(
        "programInsights",
        INSIGHTS,
        {COORDINATOR, ADMIN},
        {
            "programInsights": {
                "__typename": "ProgramInsights",
                "mentorHoursTotal": 1.0,
                "mentorHours": [{"name": "Maria", "hours": 1.0}],
            }
        },
        {"programInsights": DENIED},
        partial={
            ANALYST: {"programInsights": {"__typename": "ProgramInsights", "mentorHoursTotal": 1.0, "mentorHours": []}}
        },
    ),
]


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_reads_exactly_what_it_may(gql, db, role):
    people, ids = await build_world()
    wrong = await wrong_reads(gql, READS, ids, role, people)
    assert not wrong, "\n".join(wrong)

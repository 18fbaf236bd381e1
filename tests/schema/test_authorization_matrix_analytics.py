"""Who reads analytics: every analytics field and mutation x every role. Aggregates for analysts, admins and the
program's coordinators; mentors by name only for who oversees the program, and only mentors who share recognition.

Cora coordinates a program where Maria (who shares her recognition) mentors Ben, with one held hour, and Ben
(who does not share) mentors Zed from Sales: Ben is the one bridge of the mentoring network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from domain.analytics.equity import whole_quarters
from domain.analytics.models import RecognitionSharing
from domain.analytics.period import Period
from domain.meetings.models import MeetingStatus
from schema.analytics.recognition import AnalyticsMutations
from tests.factories import make_person, make_program
from tests.factories_meetings import make_meeting, make_relationship
from tests.schema.authorization import (
    ADMIN,
    ANALYST,
    COORDINATOR,
    OTHER_COORDINATOR,
    OWNER,
    PARTNER,
    ROLES,
    WITH_PROFILE,
    Read,
    Write,
    assert_write_matrix,
    cast_around,
    mutation_names,
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
    return people, {
        "program": gid("Program", program.id),
        "maria": gid("Person", maria.id),
        "ben": gid("Person", ben.id),
        **period,
    }


INSIGHTS = """
query($program: ID!, $from: Date!, $to: Date!) {
  programInsights(programId: $program, period: {start: $from, end: $to}) {
    __typename ... on ProgramInsights { breakdownsStart breakdownsEnd mentorHoursTotal mentorHours { name hours } }
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


def _quarters_of_the_last_30_days() -> dict[str, str]:
    # build_world asks for the last 30 days; the participation breakdowns cover the quarters they touch.
    today = datetime.now(UTC).date()
    quarters = whole_quarters(Period(today - timedelta(days=30), today))
    return {"breakdownsStart": str(quarters.start), "breakdownsEnd": str(quarters.end)}


BREAKDOWNS_PERIOD = _quarters_of_the_last_30_days()


def network_seen(person):
    bridge = {"department": "Engineering", "departmentsReached": 1, "person": person}
    return {"mentoringNetwork": {"__typename": "MentoringNetwork", "relationships": 2, "bridges": [bridge]}}


# The world's two relationships began this quarter, a block of two: the network is withheld, and only admins
# still see its bridges (named); tests/schema/test_mentoring_network.py shows the unnamed bridges of a network
# that is shown.
NETWORK_WITHHELD = {"mentoringNetwork": {"__typename": "MentoringNetwork", "relationships": 2, "bridges": []}}


READS = [
    Read(
        "mentoringNetwork (bridges named for admins only)",
        NETWORK,
        {ADMIN},
        network_seen({"name": "Ben"}),
        {"mentoringNetwork": DENIED},
        partial={role: NETWORK_WITHHELD for role in (COORDINATOR, OTHER_COORDINATOR, ANALYST)},
    ),
    Read(
        "programInsights",
        INSIGHTS,
        {COORDINATOR, ADMIN},
        {
            "programInsights": {
                "__typename": "ProgramInsights",
                **BREAKDOWNS_PERIOD,
                # one mentor held meetings: the total across mentors would be hers alone, so it is withheld,
                # while her own hours, shared with coordinators, are named
                "mentorHoursTotal": None,
                "mentorHours": [{"name": "Maria", "hours": 1.0}],
            }
        },
        {"programInsights": DENIED},
        partial={
            ANALYST: {
                "programInsights": {
                    "__typename": "ProgramInsights",
                    **BREAKDOWNS_PERIOD,
                    "mentorHoursTotal": None,
                    "mentorHours": [],
                }
            }
        },
    ),
]


PROGRAM_READERS = {COORDINATOR, ADMIN, ANALYST}
EQUITY = """
query($program: ID!, $from: Date!, $to: Date!) {
  equityReport(programId: $program, period: {start: $from, end: $to}) {
    __typename ... on EquityReport { dimensions { groups { group } } }
  }
}
"""
ROI = """
query($program: ID!, $from: Date!, $to: Date!) {
  programRoi(programId: $program, period: {start: $from, end: $to},
             assumptions: {levels: [{level: 3, averageAnnualSalary: 50000, replacementCostPercent: 100}]}) {
    __typename ... on ProgramRoi { participants { suppressed } costs { mentorHours } }
  }
}
"""
INTERGENERATIONAL = """
query($program: ID!, $from: Date!, $to: Date!) {
  intergenerationalInsights(programId: $program, period: {start: $from, end: $to}) {
    __typename ... on IntergenerationalInsights { dimensions { groups { group } } viewsChanged { suppressed } }
  }
}
"""
RECOGNITION = """
query($mentor: ID!, $from: Date!, $to: Date!) {
  mentorRecognition(mentorId: $mentor, period: {start: $from, end: $to}) {
    __typename ... on MentorRecognition { hoursMentored }
  }
}
"""


def recognition_of(mentor: str) -> str:
    return RECOGNITION.replace("$mentor", f"${mentor}")


READS += [
    Read(
        "equityReport",
        EQUITY,
        PROGRAM_READERS,
        {"equityReport": {"__typename": "EquityReport", "dimensions": [{"groups": []}] * 4}},
        {"equityReport": DENIED},
    ),
    Read(
        "programRoi",
        ROI,
        PROGRAM_READERS,
        {
            "programRoi": {
                "__typename": "ProgramRoi",
                "participants": {"suppressed": True},
                "costs": {"mentorHours": None},  # one mentor's hours: withheld, as in programInsights
            }
        },
        {"programRoi": DENIED},
    ),
    Read(
        "intergenerationalInsights",
        INTERGENERATIONAL,
        PROGRAM_READERS,
        {
            "intergenerationalInsights": {
                "__typename": "IntergenerationalInsights",
                "dimensions": [{"groups": []}] * 2,
                "viewsChanged": {"suppressed": False},
            }
        },
        {"intergenerationalInsights": DENIED},
    ),
    Read(
        "mentorRecognition of a mentor who shares (Maria)",
        recognition_of("maria"),
        {PARTNER, COORDINATOR, ADMIN},
        {"mentorRecognition": {"__typename": "MentorRecognition", "hoursMentored": 1.0}},
        {"mentorRecognition": DENIED},
    ),
    Read(
        "mentorRecognition of a mentor who does not share (Ben)",
        recognition_of("ben"),
        {OWNER},
        {"mentorRecognition": {"__typename": "MentorRecognition", "hoursMentored": 0.0}},
        {"mentorRecognition": DENIED},
    ),
]


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_reads_exactly_what_it_may(gql, db, role):
    people, ids = await build_world()
    wrong = await wrong_reads(gql, READS, ids, role, people)
    assert not wrong, "\n".join(wrong)


@dataclass
class World:
    people: dict


async def _share(world) -> dict:
    return {"share": True}


# Anyone with a profile decides for themselves; a token without one has nothing to share.
WRITES = [Write("shareRecognition", "ShareRecognitionInput", tuple(WITH_PROFILE), _share)]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.mutation)
async def test_each_mutation_is_open_to_its_roles_only_and_a_denial_writes_nothing(gql, db, write):
    people, _ = await build_world()
    await RecognitionSharing.all().delete()
    await assert_write_matrix(gql, write, World(people))


def test_every_analytics_mutation_is_in_the_matrix():
    assert mutation_names(AnalyticsMutations) == {write.mutation for write in WRITES}

"""Reading meetings: who sees what (members, coordinators, outsiders), Person.meetings, health queries, loaders."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from tortoise import connections

from domain.access import Role
from domain.meetings.models import MeetingReschedule, MeetingStatus
from domain.programs.models import Cadence
from tests.factories import make_person, make_program
from tests.factories_meetings import iso, make_meeting, make_relationship, soon
from tests.support import gid

MEETING = """
query M($id: ID!) {
  meeting(id: $id) {
    status start title location conferenceUrl cancellationReason relationship { id status }
    attendees { person { name } rsvp }
    agenda { text }
    reschedules { reason }
  }
}
"""
NODE = "query N($id: ID!) { node(id: $id) { __typename ... on Meeting { title status } } }"
MY_MEETINGS = """
query Mine($from: DateTime, $to: DateTime) {
  me { meetings(from: $from, to: $to) { title start attendees { person { name } rsvp } agenda { text } } }
}
"""
SOMEONES_MEETINGS = "query P($id: ID!) { person(id: $id) { name meetings { title } } }"
HEALTH = "query H($id: ID!) { relationshipHealth(relationshipId: $id) { relationshipId status cadence dueBy } }"
AT_RISK = """
query R($id: ID!) { atRiskRelationships(programId: $id) { relationshipId status lastHeldAt relationship { id } } }
"""


@pytest.fixture
async def setting(db):
    """Ana and Ben's meeting in a program Cody coordinates; Dora coordinates another program; Eve is nobody."""
    ana, ben = await make_person(name="Ana"), await make_person(name="Ben")
    cody, dora, eve = await make_person(name="Cody"), await make_person(name="Dora"), await make_person(name="Eve")
    program = await make_program(coordinators=[cody], cadence=Cadence.MONTHLY)
    await make_program(coordinators=[dora])
    relationship = await make_relationship(ana, ben, program=program)
    meeting = await make_meeting(relationship, ana, ben, start=soon(), title="Salary talk", agenda=["Offer"])
    await MeetingReschedule.create(
        meeting=meeting,
        old_starts_at=meeting.starts_at,
        old_ends_at=meeting.ends_at,
        new_starts_at=meeting.starts_at,
        new_ends_at=meeting.ends_at,
        rescheduled_by=ana,
        reason="Personal",
        rescheduled_at=datetime.now(UTC),
    )
    return dict(
        ana=ana, ben=ben, cody=cody, dora=dora, eve=eve, program=program, relationship=relationship, meeting=meeting
    )


async def test_members_see_the_whole_meeting(gql, setting):
    data = await gql(MEETING, {"id": gid("Meeting", setting["meeting"].id)}, as_=setting["ben"])
    meeting = data["meeting"]
    assert meeting["title"] == "Salary talk"
    assert meeting["agenda"] == [{"text": "Offer"}]
    assert meeting["reschedules"] == [{"reason": "Personal"}]
    assert meeting["relationship"] == {"id": gid("Relationship", setting["relationship"].id), "status": "ACTIVE"}
    assert meeting["attendees"] == [
        {"person": {"name": "Ana"}, "rsvp": "NEEDS_ACTION"},
        {"person": {"name": "Ben"}, "rsvp": "NEEDS_ACTION"},
    ]


@pytest.mark.parametrize("who", ["cody", "admin"])
async def test_the_programs_coordinators_see_when_and_who_but_not_what(gql, setting, who):
    person, role = (setting["cody"], Role.COORDINATOR) if who == "cody" else (setting["eve"], Role.ADMIN)
    data = await gql(MEETING, {"id": gid("Meeting", setting["meeting"].id)}, as_=person, role=role)
    meeting = data["meeting"]
    assert meeting["status"] == "SCHEDULED"
    assert meeting["relationship"]["status"] == "ACTIVE"
    assert meeting["start"] == setting["meeting"].starts_at.isoformat()
    assert len(meeting["attendees"]) == 2
    assert (meeting["title"], meeting["location"], meeting["conferenceUrl"], meeting["agenda"]) == (
        None,
        None,
        None,
        None,
    )
    assert meeting["cancellationReason"] is None
    assert meeting["reschedules"] == [{"reason": None}]


@pytest.mark.parametrize(
    ("who", "role"),
    [("eve", Role.PARTICIPANT), ("dora", Role.COORDINATOR), ("cody", Role.PARTICIPANT), ("eve", Role.ANALYST)],
)
async def test_everyone_else_gets_null(gql, setting, who, role):
    variables = {"id": gid("Meeting", setting["meeting"].id)}
    assert (await gql(MEETING, variables, as_=setting[who], role=role))["meeting"] is None
    assert (await gql(NODE, variables, as_=setting[who], role=role))["node"] is None


async def test_node_resolves_a_meeting_for_its_members(gql, setting):
    data = await gql(NODE, {"id": gid("Meeting", setting["meeting"].id)}, as_=setting["ana"])
    assert data["node"] == {"__typename": "Meeting", "title": "Salary talk", "status": "SCHEDULED"}


async def test_my_meetings_in_a_window_in_start_order(gql, setting):
    ana, ben, relationship = setting["ana"], setting["ben"], setting["relationship"]
    later = await make_meeting(relationship, ana, ben, start=soon(days=10), title="Later")
    await make_meeting(relationship, ana, ben, start=soon(days=40), title="Much later")
    earlier = await make_meeting(
        relationship, ben, ana, start=soon(days=1), title="Earlier", status=MeetingStatus.CANCELLED
    )

    data = await gql(MY_MEETINGS, {"from": iso(earlier.starts_at), "to": iso(later.ends_at)}, as_=ana)

    assert [m["title"] for m in data["me"]["meetings"]] == ["Earlier", "Salary talk", "Later"]
    everything = await gql(MY_MEETINGS, {}, as_=ana)
    assert len(everything["me"]["meetings"]) == 4


async def test_nobody_reads_someone_elses_meeting_list(gql, setting):
    for who, role in (("ben", Role.PARTICIPANT), ("cody", Role.COORDINATOR), ("eve", Role.ADMIN)):
        data = await gql(SOMEONES_MEETINGS, {"id": gid("Person", setting["ana"].id)}, as_=setting[who], role=role)
        assert data["person"]["meetings"] is None


@contextlib.contextmanager
def counting_statements():
    """Counts the SQL statements the default connection runs inside the block."""
    client = type(connections.get("default"))
    counted = []
    originals = {name: getattr(client, name) for name in ("execute_query", "execute_query_dict")}

    def wrap(original):
        async def counting(self, query, *args, **kwargs):
            counted.append(query)
            return await original(self, query, *args, **kwargs)

        return counting

    for name, original in originals.items():
        setattr(client, name, wrap(original))
    try:
        yield counted
    finally:
        for name, original in originals.items():
            setattr(client, name, original)


async def test_my_meetings_cost_the_same_statements_for_two_or_twelve_meetings(gql, db):
    async def statements_for(count: int) -> int:
        me, partner = await make_person(), await make_person()
        relationship = await make_relationship(me, partner)
        for index in range(count):
            await make_meeting(relationship, me, partner, start=soon(days=index + 1), agenda=["a", "b"])
        with counting_statements() as counted:
            data = await gql(MY_MEETINGS, {}, as_=me)
        assert len(data["me"]["meetings"]) == count
        assert counted, "the counter saw no statements"
        return len(counted)

    assert await statements_for(2) == await statements_for(12)


async def test_relationship_health_for_members_and_coordinators_only(gql, setting):
    relationship = setting["relationship"]
    variables = {"id": gid("Relationship", relationship.id)}
    for who, role in (("ana", Role.PARTICIPANT), ("cody", Role.COORDINATOR)):
        data = await gql(HEALTH, variables, as_=setting[who], role=role)
        assert data["relationshipHealth"]["status"] == "ON_TRACK"
        assert data["relationshipHealth"]["cadence"] == "MONTHLY"
        assert data["relationshipHealth"]["relationshipId"] == variables["id"]
    for who, role in (("eve", Role.PARTICIPANT), ("dora", Role.COORDINATOR)):
        assert (await gql(HEALTH, variables, as_=setting[who], role=role))["relationshipHealth"] is None


async def test_at_risk_relationships_for_the_programs_coordinators(gql, setting):
    program = setting["program"]
    stale_pair = [await make_person(), await make_person()]
    stale = await make_relationship(*stale_pair, program=program, started_at=datetime.now(UTC) - timedelta(days=90))
    variables = {"id": gid("Program", program.id)}

    data = await gql(AT_RISK, variables, as_=setting["cody"], role=Role.COORDINATOR)

    assert data["atRiskRelationships"] == [
        {
            "relationshipId": gid("Relationship", stale.id),
            "status": "AT_RISK",
            "lastHeldAt": None,
            "relationship": {"id": gid("Relationship", stale.id)},
        }
    ]
    assert (await gql(AT_RISK, variables, as_=setting["dora"], role=Role.COORDINATOR))["atRiskRelationships"] is None
    assert (await gql(AT_RISK, variables, as_=setting["ana"]))["atRiskRelationships"] is None

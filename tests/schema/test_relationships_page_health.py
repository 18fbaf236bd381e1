"""Relationship.health and Relationship.nextMeeting on a coordinator's page: right per relationship, and read
in the same number of statements however many relationships the page holds."""

from __future__ import annotations

import datetime
from datetime import UTC, timedelta

from domain.access import Role
from domain.meetings.models import MeetingStatus
from domain.programs.models import Cadence
from domain.relationships.models import RelationshipStatus
from tests.factories import make_person, make_program
from tests.factories_meetings import make_agreement, make_meeting, make_relationship
from tests.schema.test_relationships_dashboard import counting_statements
from tests.support import gid, wipe_all_tables

PAGE = """
query($program: ID!) {
  relationships(programId: $program, first: 100) {
    edges { node { id health { status cadence lastHeldAt dueBy } nextMeeting { start title status } } }
  }
}
"""
NOW = datetime.datetime.now(UTC).replace(microsecond=0)


def ago(days: int) -> datetime.datetime:
    return NOW - timedelta(days=days)


async def page(gql, program, coordinator) -> dict[str, dict]:
    data = await gql(PAGE, {"program": gid("Program", program.id)}, as_=coordinator, role=Role.COORDINATOR)
    return {edge["node"]["id"]: edge["node"] for edge in data["relationships"]["edges"]}


async def test_each_relationship_on_the_page_shows_its_own_health_and_next_meeting(gql, db):
    coordinator = await make_person(name="Cora")
    program = await make_program(coordinators=[coordinator], cadence=Cadence.MONTHLY)
    ana, ben, cy, di = [await make_person(name=name) for name in ("Ana", "Ben", "Cy", "Di")]
    quiet = await make_relationship(ana, ben, program=program, started_at=ago(100))
    await make_agreement(quiet, Cadence.WEEKLY)
    await make_meeting(quiet, ana, ben, start=ago(20), status=MeetingStatus.HELD)
    await make_meeting(quiet, ana, ben, start=NOW + timedelta(days=9), title="Later")
    await make_meeting(quiet, ana, ben, start=NOW + timedelta(days=2), status=MeetingStatus.CANCELLED)
    await make_meeting(quiet, ana, ben, start=NOW + timedelta(days=3), title="Next")
    busy = await make_relationship(cy, di, program=program, started_at=ago(100))
    await make_meeting(busy, cy, di, start=ago(10), status=MeetingStatus.HELD)
    await make_meeting(busy, cy, di, start=ago(3), status=MeetingStatus.HELD)
    await make_meeting(busy, cy, di, start=NOW - timedelta(minutes=10), minutes=60, title="Now")

    found = await page(gql, program, coordinator)

    # weekly: twice seven days after the last held meeting 20 days ago has passed
    assert found[gid("Relationship", quiet.id)]["health"] == {
        "status": "AT_RISK",
        "cadence": "WEEKLY",
        "lastHeldAt": ago(20).isoformat(),
        "dueBy": (ago(20) + timedelta(days=14)).isoformat(),
    }
    # the coordinator sees when and whether, not the title
    assert found[gid("Relationship", quiet.id)]["nextMeeting"] == {
        "start": (NOW + timedelta(days=3)).isoformat(),
        "title": None,
        "status": "SCHEDULED",
    }
    # monthly (the program's, no agreement): on track; a meeting under way is still the next one
    assert found[gid("Relationship", busy.id)]["health"]["status"] == "ON_TRACK"
    assert found[gid("Relationship", busy.id)]["health"]["lastHeldAt"] == ago(3).isoformat()
    assert found[gid("Relationship", busy.id)]["nextMeeting"]["start"] == (NOW - timedelta(minutes=10)).isoformat()

    member_view = await gql(
        "query($id: ID!) { relationship(id: $id) { nextMeeting { title } health { status } } }",
        {"id": gid("Relationship", quiet.id)},
        as_=ana,
    )
    assert member_view["relationship"] == {"nextMeeting": {"title": "Next"}, "health": {"status": "AT_RISK"}}


async def test_a_relationship_with_nothing_ahead_has_no_next_meeting_and_a_proposal_is_not_tracked(gql, db):
    coordinator = await make_person(name="Cora")
    program = await make_program(coordinators=[coordinator])
    ana, ben = await make_person(name="Ana"), await make_person(name="Ben")
    relationship = await make_relationship(ana, ben, program=program, status=RelationshipStatus.PROPOSED)
    await make_meeting(relationship, ana, ben, start=ago(5))

    node = (await page(gql, program, coordinator))[gid("Relationship", relationship.id)]

    assert node["nextMeeting"] is None
    assert (node["health"]["status"], node["health"]["dueBy"]) == ("NOT_TRACKED", None)


async def statements_for_page(gql, monkeypatch, size: int) -> int:
    coordinator = await make_person(name="Cora")
    program = await make_program(coordinators=[coordinator])
    for index in range(size):
        mentor, mentee = await make_person(), await make_person()
        relationship = await make_relationship(mentor, mentee, program=program, started_at=ago(60))
        await make_meeting(relationship, mentor, mentee, start=ago(10 + index % 30), status=MeetingStatus.HELD)
        await make_meeting(relationship, mentor, mentee, start=NOW + timedelta(days=1 + index % 5))
    with counting_statements(monkeypatch) as executed:
        found = await page(gql, program, coordinator)
    assert len(found) == size
    assert all(node["nextMeeting"] is not None and node["health"]["lastHeldAt"] for node in found.values())
    return len(executed)


async def test_a_page_of_five_and_one_of_forty_take_the_same_number_of_statements(gql, db, monkeypatch, engine):
    few = await statements_for_page(gql, monkeypatch, 5)
    await wipe_all_tables(engine)
    many = await statements_for_page(gql, monkeypatch, 40)
    assert few == many

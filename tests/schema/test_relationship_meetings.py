"""Relationship.meetings: members read them in full, the program's coordinators read when and whether."""

from __future__ import annotations

from domain.access import Role
from tests.factories import make_person, make_program
from tests.factories_meetings import make_meeting, make_relationship, soon
from tests.support import gid

READ = """
query($id: ID!) { relationship(id: $id) { meetings { title status start attendees { person { name } } } } }
"""


async def test_members_see_meetings_in_full_and_coordinators_see_only_time_and_status(gql):
    cora = await make_person(name="Cora")
    program = await make_program(coordinators=[cora])
    ana, ben, olga = await make_person(name="Ana"), await make_person(name="Ben"), await make_person(name="Olga")
    relationship = await make_relationship(ana, ben, program=program)
    later, earlier = soon(days=5), soon(days=3)
    await make_meeting(relationship, ana, ben, start=later, title="Second")
    await make_meeting(relationship, ana, ben, start=earlier, title="First")
    variables = {"id": gid("Relationship", relationship.id)}

    as_member = (await gql(READ, variables, as_=ben))["relationship"]["meetings"]
    as_coordinator = (await gql(READ, variables, as_=cora, role=Role.COORDINATOR))["relationship"]["meetings"]
    as_outsider = (await gql(READ, variables, as_=olga))["relationship"]

    assert [m["title"] for m in as_member] == ["First", "Second"]
    assert as_member[0]["attendees"] == [{"person": {"name": "Ana"}}, {"person": {"name": "Ben"}}]
    assert [(m["title"], m["status"]) for m in as_coordinator] == [(None, "SCHEDULED"), (None, "SCHEDULED")]
    assert as_outsider is None

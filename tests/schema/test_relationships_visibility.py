"""Who sees a relationship and a rematch reason, per role: members and overseers; outsiders get null."""

from __future__ import annotations

import pytest

from domain.access import Role
from domain.programs.models import EnrollmentRole
from domain.relationships.models import MemberRole, RelationshipStatus, RematchRequest
from tests.domain.relationships.scenario import enrolled, mentoring_pair, program_run_by, relationship_of
from tests.factories import make_person
from tests.support import gid

RELATIONSHIP = """
query One($id: ID!) {
  relationship(id: $id) { status members { role } rematchRequests { reason requestedBy { name } } }
  node(id: $id) { ... on Relationship { status } }
}
"""

REMATCH_NODE = """
query Rematch($id: ID!) { node(id: $id) { ... on RematchRequest { status reason resolutionNote } } }
"""

MINE = """
query Mine($status: [RelationshipStatus!], $other: ID!) {
  me { relationships(status: $status) { status members { person { name } } } }
  person(id: $other) { relationships { status } }
}
"""

REASON = "My mentor keeps cancelling."
SEES_ALL = {"status": "ACTIVE", "members": [{"role": "MENTOR"}, {"role": "MENTEE"}]}
WITH_REASON = [{"reason": REASON, "requestedBy": {"name": "Milo Mentee"}}]

# who, the role their token carries, what relationship(id) returns (None: null), and its rematchRequests.
ROLES = [
    ("mentee who asked for a rematch", Role.PARTICIPANT, SEES_ALL, WITH_REASON),
    ("mentor (the partner)", Role.PARTICIPANT, SEES_ALL, []),
    ("other participant", Role.PARTICIPANT, None, None),
    ("coordinator of this program", Role.COORDINATOR, SEES_ALL, WITH_REASON),
    ("coordinator of this program, signed in as participant", Role.PARTICIPANT, None, None),
    ("coordinator of another program", Role.COORDINATOR, None, None),
    ("analyst", Role.ANALYST, None, None),
    ("admin", Role.ADMIN, SEES_ALL, WITH_REASON),
]


async def scenario():
    coordinator = await make_person()
    relationship, mentor, mentee = await mentoring_pair(await program_run_by(coordinator))
    rematch = await RematchRequest.create(relationship=relationship, requested_by=mentee, reason=REASON)
    other_coordinator = await make_person()
    await program_run_by(other_coordinator)
    people = {
        "mentee who asked for a rematch": mentee,
        "mentor (the partner)": mentor,
        "coordinator of this program": coordinator,
        "coordinator of this program, signed in as participant": coordinator,
        "coordinator of another program": other_coordinator,
    }
    return relationship, rematch, people


@pytest.mark.parametrize(("who", "role", "relationship_seen", "rematches_seen"), ROLES)
async def test_relationship_and_rematch_reason_per_role(gql, who, role, relationship_seen, rematches_seen):
    relationship, _, people = await scenario()
    viewer = people.get(who) or await make_person()

    data = await gql(RELATIONSHIP, {"id": gid("Relationship", relationship.id)}, as_=viewer, role=role)

    if relationship_seen is None:
        assert data == {"relationship": None, "node": None}
        return
    assert {k: data["relationship"][k] for k in ("status", "members")} == relationship_seen
    assert data["relationship"]["rematchRequests"] == rematches_seen
    assert data["node"] == {"status": "ACTIVE"}


@pytest.mark.parametrize(
    ("who", "role", "sees_reason"),
    [(who, role, rematches == WITH_REASON) for who, role, _, rematches in ROLES],
)
async def test_a_rematch_request_by_id_is_null_for_all_but_the_asker_and_overseers(gql, who, role, sees_reason):
    _, rematch, people = await scenario()
    viewer = people.get(who) or await make_person()

    data = await gql(REMATCH_NODE, {"id": gid("RematchRequest", rematch.id)}, as_=viewer, role=role)

    expected = {"status": "OPEN", "reason": REASON, "resolutionNote": ""} if sees_reason else None
    assert data["node"] == expected


async def test_unknown_ids_look_exactly_like_hidden_ones(gql, db):
    viewer = await make_person()
    data = await gql(RELATIONSHIP, {"id": gid("Relationship", 12345)}, as_=viewer)
    assert data == {"relationship": None, "node": None}


async def test_me_lists_my_relationships_by_status_and_nobody_elses(gql):
    program = await program_run_by()
    _, mentor, mentee = await mentoring_pair(program)
    earlier_mentor = await enrolled(program, EnrollmentRole.MENTOR)
    await relationship_of(
        program,
        [(earlier_mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE)],
        status=RelationshipStatus.ENDED_EARLY,
    )
    await mentoring_pair(program)  # strangers

    everything = await gql(MINE, {"other": gid("Person", mentor.id)}, as_=mentee)
    only_active = await gql(MINE, {"status": ["ACTIVE", "PAUSED"], "other": gid("Person", mentor.id)}, as_=mentee)

    assert [r["status"] for r in everything["me"]["relationships"]] == ["ACTIVE", "ENDED_EARLY"]
    assert only_active["me"]["relationships"] == [
        {"status": "ACTIVE", "members": [{"person": {"name": "Mara Mentor"}}, {"person": {"name": "Milo Mentee"}}]}
    ]
    assert everything["person"]["relationships"] == []  # Mara's list is hers alone

"""The documents `make bench-api` times — the coordinator's dashboard with its at-risk list, and the
participant's home — read in the same number of SQL statements at two sizes of program."""

from __future__ import annotations

from bench.api import DASHBOARD, HOME
from bench.orggen import OrgSpec, generate, write_organisation
from bench.orggen_activity import ActivitySpec, write_program_activity
from domain.access import Role
from tests.schema.test_relationships_dashboard import counting_statements
from tests.support import gid, wipe_all_tables


async def seeded(relationships: int, *, home_relationships: int, meetings: int):
    org = generate(OrgSpec(people=2 * relationships + 10, skills=20, departments=4))
    await write_organisation(org)
    spec = ActivitySpec(
        relationships=relationships, home_relationships=home_relationships, meetings_per_relationship=meetings
    )
    return await write_program_activity(org, spec)


async def dashboard_statements(gql, monkeypatch, relationships: int) -> int:
    activity = await seeded(relationships, home_relationships=2, meetings=6)
    variables = {"program": gid("Program", activity.program_id)}
    with counting_statements(monkeypatch) as executed:
        data = await gql(DASHBOARD, variables, as_=activity.coordinator_email, role=Role.COORDINATOR)
    page = data["relationships"]
    assert page["totalCount"] == relationships
    assert len(page["edges"]) == min(relationships, 50)
    assert all(len(edge["node"]["members"]) == 2 for edge in page["edges"])
    assert all(edge["node"]["agreement"]["cadence"] for edge in page["edges"])
    assert {edge["node"]["health"]["status"] for edge in page["edges"]} <= {"ON_TRACK", "AT_RISK", "NOT_TRACKED"}
    assert data["atRiskRelationships"], "the seeded program has relationships whose meetings stopped"
    return len(executed)


async def test_the_dashboard_with_its_at_risk_list_takes_the_same_statements_for_12_and_90(
    gql, db, monkeypatch, engine
):
    few = await dashboard_statements(gql, monkeypatch, 12)
    await wipe_all_tables(engine)
    many = await dashboard_statements(gql, monkeypatch, 90)
    assert few == many


async def home_statements(gql, monkeypatch, home_relationships: int, meetings: int) -> int:
    activity = await seeded(20, home_relationships=home_relationships, meetings=meetings)
    with counting_statements(monkeypatch) as executed:
        data = await gql(HOME, as_=activity.participant_email)
    relationships = data["me"]["relationships"]
    assert len(relationships) >= home_relationships
    mine = relationships[0]
    assert len(mine["meetings"]) == meetings
    assert all(len(meeting["attendees"]) == 2 for meeting in mine["meetings"])
    assert all(len(goal["milestones"]) == 2 for goal in mine["goals"])
    assert mine["meetings"][0]["title"] == "Catch-up", "a member reads the meeting's title"
    return len(executed)


async def test_the_home_takes_the_same_statements_for_two_and_ten_relationships(gql, db, monkeypatch, engine):
    few = await home_statements(gql, monkeypatch, 2, 3)
    await wipe_all_tables(engine)
    many = await home_statements(gql, monkeypatch, 10, 12)
    assert few == many

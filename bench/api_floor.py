"""Baseline (b) of `make bench-api`, the floor: the dashboard and the home in hand-written SQL.

The same token check and visibility rules as baseline (a) (bench/api_baselines.py), and the same JSON,
but every read is a statement written here, joined where a join saves one, with rows as plain dicts (no
model anywhere). Health and the at-risk list use the domain's own aggregate (domain/meetings/health_facts.py),
which is already hand-written SQL.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise import connections

from api.auth import AuthenticationFailed, bearer_token
from api.graphql_endpoint import unauthenticated
from bench.api_baselines import (
    PAGE_SIZE,
    answer,
    dashboard_answer,
    decode_id,
    endpoint,
    gid,
    health_json,
    variables_of,
)
from domain.access import Viewer
from domain.clock import utc_now
from domain.meetings.health import check_in_list, health_by_id, next_meetings
from domain.meetings.models import Meeting
from domain.people.service import normalise_email
from domain.programs.policy import can_manage_program

_DATETIME = Meeting._meta.fields_map["starts_at"]


def ids(values) -> str:
    return ", ".join(str(int(value)) for value in values) or "NULL"


def instant(value: datetime | str | None) -> str | None:
    """SQLite returns the stored text, PostgreSQL a datetime: both leave as the ISO 8601 GraphQL writes."""
    return None if value is None else _DATETIME.to_python_value(value).isoformat()


def day(value: date | str | None) -> str | None:
    return None if value is None else value if isinstance(value, str) else value.isoformat()


async def rows(sql: str, *values) -> list[dict]:
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        for number in range(1, len(values) + 1):
            sql = sql.replace("?", f"${number}", 1)
    return await connection.execute_query_dict(sql, list(values))


async def viewer_of(request: Request) -> Viewer | Response:
    try:
        identity = await request.app.state.verifier.verify(bearer_token(request.headers.get("authorization")))
    except AuthenticationFailed as error:
        return unauthenticated(str(error))
    email = normalise_email(identity.email)
    found = await rows("SELECT id FROM person WHERE email = ? LIMIT 1", email)
    return Viewer(email=email, role=identity.role, person_id=found[0]["id"] if found else None)


async def members_of(relationship_ids: list[int]) -> dict[int, list[dict]]:
    found = await rows(
        "SELECT m.relationship_id, m.role, p.id, p.name, p.time_zone, p.department FROM relationship_member m "
        f"JOIN person p ON p.id = m.person_id WHERE m.relationship_id IN ({ids(relationship_ids)}) ORDER BY m.id"
    )
    grouped = defaultdict(list)
    for row in found:
        grouped[row["relationship_id"]].append(row)
    return grouped


async def agreements_of(relationship_ids: list[int]) -> dict[int, dict]:
    """The current version's terms and whether every member signed it."""
    found = await rows(
        "SELECT a.relationship_id, v.cadence, v.meeting_minutes, "
        "(SELECT COUNT(*) FROM relationship_member m WHERE m.relationship_id = a.relationship_id AND NOT EXISTS "
        " (SELECT 1 FROM agreement_signature s WHERE s.version_id = v.id AND s.person_id = m.person_id)) AS unsigned "
        "FROM agreement a JOIN agreement_version v ON v.agreement_id = a.id AND v.number = a.current_version "
        f"WHERE a.relationship_id IN ({ids(relationship_ids)})"
    )
    return {row["relationship_id"]: row for row in found}


async def dashboard(request: Request) -> Response:
    viewer = await viewer_of(request)
    if isinstance(viewer, Response):
        return viewer
    program_id = decode_id((await variables_of(request))["program"], "Program", field="programId")
    coordinators = await rows(f"SELECT person_id FROM program_coordinator WHERE program_id = {program_id}")
    if not can_manage_program(viewer, [row["person_id"] for row in coordinators]):
        return answer({"relationships": None, "atRiskRelationships": None})
    now = utc_now()
    total = (await rows(f"SELECT COUNT(*) AS n FROM relationship WHERE program_id = {program_id}"))[0]["n"]
    page = await rows(
        f"SELECT id, status, started_at FROM relationship WHERE program_id = {program_id} ORDER BY id "
        f"LIMIT {PAGE_SIZE + 1}"
    )
    has_next, page = len(page) > PAGE_SIZE, page[:PAGE_SIZE]
    page_ids = [row["id"] for row in page]
    members, agreements = await members_of(page_ids), await agreements_of(page_ids)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in await rows(
        f"SELECT relationship_id, status, COUNT(*) AS n FROM goal WHERE relationship_id IN ({ids(page_ids)}) "
        "GROUP BY relationship_id, status"
    ):
        counts[row["relationship_id"]][row["status"]] = row["n"]
    healths = dict(zip(page_ids, await health_by_id(page_ids, now), strict=True))
    upcoming = dict(zip(page_ids, await next_meetings(page_ids, now), strict=True))
    at_risk = await check_in_list(program_id, now)

    def node(row: dict) -> dict:
        agreement, c, next_meeting = agreements.get(row["id"]), counts[row["id"]], upcoming[row["id"]]
        return {
            "id": gid("Relationship", row["id"]),
            "status": row["status"],
            "startedAt": instant(row["started_at"]),
            "members": [
                {"role": m["role"], "person": {"name": m["name"], "timeZone": m["time_zone"],
                                               "department": m["department"]}}
                for m in members[row["id"]]
            ],
            "agreement": None
            if agreement is None
            else {"cadence": agreement["cadence"], "signedByAll": agreement["unsigned"] == 0},
            "goalSummary": {
                "total": sum(c.values()), "notStarted": c.get("NOT_STARTED", 0), "inProgress": c.get("IN_PROGRESS", 0),
                "achieved": c.get("ACHIEVED", 0), "dropped": c.get("DROPPED", 0),
            },
            "health": health_json(healths[row["id"]]),
            "nextMeeting": None
            if next_meeting is None
            else {"start": next_meeting.starts_at.isoformat(), "status": next_meeting.status.value},
        }  # fmt: skip

    return dashboard_answer(total, has_next, page_ids, [node(row) for row in page], at_risk)


async def home(request: Request) -> Response:
    viewer = await viewer_of(request)
    if isinstance(viewer, Response):
        return viewer
    if viewer.person_id is None:
        return answer({"me": None})
    person_id = int(viewer.person_id)
    relationships = await rows(
        "SELECT r.id, r.status, r.kind, r.started_at FROM relationship r JOIN relationship_member m "
        f"ON m.relationship_id = r.id WHERE m.person_id = {person_id} ORDER BY r.id"
    )
    relationship_ids = [r["id"] for r in relationships]
    members, agreements = await members_of(relationship_ids), await agreements_of(relationship_ids)
    goals = await rows(
        f"SELECT id, relationship_id, title, status, target_date FROM goal WHERE relationship_id IN "
        f"({ids(relationship_ids)}) ORDER BY id"
    )
    milestones = defaultdict(list)
    for row in await rows(
        f"SELECT goal_id, title, due_on, completed_at FROM milestone WHERE goal_id IN ({ids(g['id'] for g in goals)}) "
        "ORDER BY due_on IS NULL, due_on, id"
    ):
        milestones[row["goal_id"]].append(row)
    meetings = await rows(
        "SELECT id, relationship_id, starts_at, ends_at, status, title FROM meeting "
        f"WHERE relationship_id IN ({ids(relationship_ids)}) ORDER BY starts_at, id"
    )
    attendees = defaultdict(list)
    for row in await rows(
        "SELECT a.meeting_id, a.rsvp, p.name FROM meeting_attendee a JOIN person p ON p.id = a.person_id "
        f"WHERE a.meeting_id IN ({ids(m['id'] for m in meetings)}) ORDER BY a.id"
    ):
        attendees[row["meeting_id"]].append({"rsvp": row["rsvp"], "person": {"name": row["name"]}})
    by_relationship = defaultdict(lambda: {"goals": [], "meetings": []})
    for goal in goals:
        by_relationship[goal["relationship_id"]]["goals"].append(
            {
                "id": gid("Goal", goal["id"]),
                "title": goal["title"],
                "status": goal["status"],
                "targetDate": day(goal["target_date"]),
                "milestones": [
                    {"title": m["title"], "dueOn": day(m["due_on"]), "completedAt": instant(m["completed_at"])}
                    for m in milestones[goal["id"]]
                ],
            }
        )
    for m in meetings:
        by_relationship[m["relationship_id"]]["meetings"].append(
            {
                "id": gid("Meeting", m["id"]),
                "start": instant(m["starts_at"]),
                "end": instant(m["ends_at"]),
                "status": m["status"],
                "title": m["title"],
                "attendees": attendees[m["id"]],
            }
        )

    def relationship_json(r: dict) -> dict:
        agreement = agreements.get(r["id"])
        return {
            "id": gid("Relationship", r["id"]),
            "status": r["status"],
            "kind": r["kind"],
            "startedAt": instant(r["started_at"]),
            "members": [
                {
                    "role": m["role"],
                    "person": {"id": gid("Person", m["id"]), "name": m["name"], "timeZone": m["time_zone"]},
                }
                for m in members[r["id"]]
            ],
            "agreement": None
            if agreement is None
            else {
                "cadence": agreement["cadence"],
                "meetingMinutes": agreement["meeting_minutes"],
                "signedByAll": agreement["unsigned"] == 0,
            },
            **by_relationship[r["id"]],
        }

    return answer({"me": {"relationships": [relationship_json(r) for r in relationships]}})


def routes() -> list[Route]:
    return [
        Route("/baseline/sql/dashboard", endpoint(dashboard), methods=["POST"]),
        Route("/baseline/sql/home", endpoint(home), methods=["POST"]),
    ]

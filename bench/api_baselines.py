"""Baseline (a) of `make bench-api`: hand-written Starlette endpoints that answer what /graphql answers.

Each checks the same bearer token as /graphql, reads the same rows through the same Tortoise models and the
domain's batched queries with as few statements as it can (`.values()` where no model is needed), applies
the same visibility rules, and writes byte-for-byte the JSON the GraphQL document returns (bench/api.py
checks that before timing). They take the GraphQL request's body as it is and read only its variables.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from strawberry import relay

from api.auth import AuthenticationFailed, bearer_token
from api.graphql_endpoint import unauthenticated
from domain.access import Viewer
from domain.agreements.models import Agreement, AgreementSignature, AgreementVersion
from domain.clock import utc_now
from domain.goals.models import Goal, Milestone
from domain.goals.queries import goal_counts_by_relationship
from domain.meetings import availability
from domain.meetings.health import at_risk_relationships, health_by_id, next_meetings
from domain.meetings.models import Meeting, MeetingAttendee
from domain.people.models import Person
from domain.people.service import viewer_for
from domain.relationships.models import RelationshipMember
from domain.relationships.queries import program_relationships, relationships_of_people
from schema.pagination import encode_cursor
from schema.relay_ids import decode_id as decode_global_id

PAGE_SIZE = 50


def gid(type_name: str, key: int) -> str:
    from base64 import b64encode

    return b64encode(f"{type_name}:{key}".encode()).decode()


def decode_id(value: str, type_name: str, *, field: str) -> int:
    return decode_global_id(relay.GlobalID.from_id(value), type_name, field=field)


def iso(value: datetime | date | None) -> str | None:
    return None if value is None else value.isoformat()


def answer(data: dict) -> Response:
    """Serialised as Strawberry serialises a result, so the bytes can be compared."""
    return Response(json.dumps({"data": data}, separators=(",", ":")), media_type="application/json")


async def viewer_of(request: Request) -> Viewer | Response:
    """The same token check and viewer as /graphql; a Response when the token is refused."""
    try:
        identity = await request.app.state.verifier.verify(bearer_token(request.headers.get("authorization")))
    except AuthenticationFailed as error:
        return unauthenticated(str(error))
    return await viewer_for(email=identity.email, role=identity.role)


async def variables_of(request: Request) -> dict:
    return json.loads(await request.body()).get("variables") or {}


def endpoint(handler):
    """wrk closes its connections mid-request when a run ends: the answer then goes nowhere, quietly."""

    async def handle(request: Request) -> Response:
        try:
            return await handler(request)
        except ClientDisconnect:
            return Response(status_code=499)

    return handle


def health_json(health) -> dict:
    return {"status": health.status.value, "dueBy": iso(health.due_by)}


def at_risk_json(health) -> dict:
    return {
        "relationshipId": gid("Relationship", health.relationship_id),
        "dueBy": iso(health.due_by),
        "lastHeldAt": iso(health.last_held_at),
        "signals": [{"kind": s.kind.value, "value": s.value} for s in health.signals],
    }


async def current_agreements(relationship_ids: list[int]) -> dict[int, tuple[dict, set[int]]]:
    """Per relationship: its agreement's current version (as values) and who signed that version."""
    agreements = await Agreement.filter(relationship_id__in=relationship_ids).values_list(
        "id", "relationship_id", "current_version"
    )
    current = {(agreement_id, number): relationship_id for agreement_id, relationship_id, number in agreements}
    versions = await AgreementVersion.filter(agreement_id__in=[a[0] for a in agreements]).values(
        "id", "agreement_id", "number", "cadence", "meeting_minutes"
    )
    found = {
        current[(v["agreement_id"], v["number"])]: v for v in versions if (v["agreement_id"], v["number"]) in current
    }
    signers: dict[int, set[int]] = defaultdict(set)
    for version_id, person_id in await AgreementSignature.filter(
        version_id__in=[v["id"] for v in found.values()]
    ).values_list("version_id", "person_id"):
        signers[version_id].add(person_id)
    return {relationship_id: (v, signers[v["id"]]) for relationship_id, v in found.items()}


async def dashboard(request: Request) -> Response:
    viewer = await viewer_of(request)
    if isinstance(viewer, Response):
        return viewer
    program_id = decode_id((await variables_of(request))["program"], "Program", field="programId")
    query = await program_relationships(viewer, program_id=program_id)
    if query is None:
        return answer({"relationships": None, "atRiskRelationships": None})
    now = utc_now()
    total = await query.count()
    rows = await query.order_by("id").limit(PAGE_SIZE + 1)
    has_next, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    ids = [row.id for row in rows]
    members = await RelationshipMember.filter(relationship_id__in=ids).values_list(
        "relationship_id", "role", "person_id"
    )
    people = {
        p["id"]: p
        for p in await Person.filter(id__in={m[2] for m in members}).values("id", "name", "time_zone", "department")
    }
    by_relationship: dict[int, list[tuple]] = defaultdict(list)
    for relationship_id, role, person_id in members:
        by_relationship[relationship_id].append((role, people[person_id]))
    agreements = await current_agreements(ids)
    counts = dict(zip(ids, await goal_counts_by_relationship(ids), strict=True))
    healths = {h.relationship_id: h for h in await health_by_id(ids, now)}
    upcoming = dict(zip(ids, await next_meetings(ids, now), strict=True))
    at_risk = await at_risk_relationships(viewer, program_id=program_id, now=now)

    def person_json(p: dict) -> dict:
        return {"name": p["name"], "timeZone": p["time_zone"], "department": p["department"]}

    def node(row) -> dict:
        agreement = agreements.get(row.id)
        member_ids = {p["id"] for _, p in by_relationship[row.id]}
        c, next_meeting = counts[row.id], upcoming[row.id]
        return {
            "id": gid("Relationship", row.id),
            "status": row.status.value,
            "startedAt": iso(row.started_at),
            "members": [
                {"role": role.value, "person": person_json(p)} for role, p in by_relationship[row.id]
            ],
            "agreement": None
            if agreement is None
            else {"cadence": agreement[0]["cadence"].value, "signedByAll": member_ids <= agreement[1]},
            "goalSummary": {
                "total": c.total, "notStarted": c.not_started, "inProgress": c.in_progress, "achieved": c.achieved,
                "dropped": c.dropped,
            },
            "health": health_json(healths[row.id]),
            "nextMeeting": None
            if next_meeting is None
            else {"start": iso(next_meeting.starts_at), "status": next_meeting.status.value},
        }  # fmt: skip

    return dashboard_answer(total, has_next, ids, [node(row) for row in rows], at_risk)


def dashboard_answer(total: int, has_next: bool, ids: list[int], nodes: list[dict], at_risk: list) -> Response:
    return answer(
        {
            "relationships": {
                "totalCount": total,
                "pageInfo": {
                    "hasNextPage": has_next,
                    "endCursor": encode_cursor("Relationship", ids[-1]) if ids else None,
                },
                "edges": [{"node": node} for node in nodes],
            },
            "atRiskRelationships": [at_risk_json(h) for h in at_risk],
        }
    )


async def home(request: Request) -> Response:
    viewer = await viewer_of(request)
    if isinstance(viewer, Response):
        return viewer
    if viewer.person_id is None or not await Person.exists(id=viewer.person_id):
        return answer({"me": None})
    relationships = (await relationships_of_people([viewer.person_id]))[0]
    ids = [r.id for r in relationships]
    members = await RelationshipMember.filter(relationship_id__in=ids).values_list(
        "relationship_id", "role", "person_id"
    )
    goals = await Goal.filter(relationship_id__in=ids).values("id", "relationship_id", "title", "status", "target_date")
    milestones = await Milestone.filter(goal_id__in=[g["id"] for g in goals]).values(
        "id", "goal_id", "title", "due_on", "completed_at"
    )
    meetings = await Meeting.filter(relationship_id__in=ids).values(
        "id", "relationship_id", "starts_at", "ends_at", "status", "title"
    )
    attendees = await MeetingAttendee.filter(meeting_id__in=[m["id"] for m in meetings]).values_list(
        "meeting_id", "rsvp", "person_id"
    )
    people = await Person.filter(id__in={m[2] for m in members} | {a[2] for a in attendees}).values_list(
        "id", "name", "time_zone"
    )
    names, zones = {p[0]: p[1] for p in people}, {p[0]: p[2] for p in people}
    agreements = await current_agreements(ids)
    grouped = {name: defaultdict(list) for name in ("members", "goals", "milestones", "meetings", "attendees")}
    for relationship_id, role, person_id in members:
        grouped["members"][relationship_id].append((role, person_id))
    for goal in goals:
        grouped["goals"][goal["relationship_id"]].append(goal)
    for milestone in milestones:
        grouped["milestones"][milestone["goal_id"]].append(milestone)
    for meeting in meetings:
        grouped["meetings"][meeting["relationship_id"]].append(meeting)
    for meeting_id, rsvp, person_id in attendees:
        grouped["attendees"][meeting_id].append((rsvp, person_id))

    def relationship_json(r) -> dict:
        agreement = agreements.get(r.id)
        member_ids = {person_id for _, person_id in grouped["members"][r.id]}
        return {
            "id": gid("Relationship", r.id),
            "status": r.status.value,
            "kind": r.kind.value,
            "startedAt": iso(r.started_at),
            "members": [
                {"role": role.value, "person": {"id": gid("Person", p), "name": names[p], "timeZone": zones[p]}}
                for role, p in grouped["members"][r.id]
            ],
            "agreement": None
            if agreement is None
            else {
                "cadence": agreement[0]["cadence"].value,
                "meetingMinutes": agreement[0]["meeting_minutes"],
                "signedByAll": member_ids <= agreement[1],
            },
            "goals": [goal_json(g) for g in grouped["goals"][r.id]],
            "meetings": [meeting_json(m) for m in grouped["meetings"][r.id]],
        }

    def goal_json(g) -> dict:
        ordered = sorted(
            grouped["milestones"][g["id"]], key=lambda m: (m["due_on"] is None, m["due_on"] or date.min, m["id"])
        )
        return {
            "id": gid("Goal", g["id"]),
            "title": g["title"],
            "status": g["status"].value,
            "targetDate": iso(g["target_date"]),
            "milestones": [
                {"title": m["title"], "dueOn": iso(m["due_on"]), "completedAt": iso(m["completed_at"])} for m in ordered
            ],
        }

    def meeting_json(m) -> dict:
        return {
            "id": gid("Meeting", m["id"]),
            "start": iso(m["starts_at"]),
            "end": iso(m["ends_at"]),
            "status": m["status"].value,
            "title": m["title"],
            "attendees": [
                {"rsvp": rsvp.value, "person": {"name": names[p]}} for rsvp, p in grouped["attendees"][m["id"]]
            ],
        }

    return answer({"me": {"relationships": [relationship_json(r) for r in relationships]}})


def slot_search_window(now: datetime) -> tuple[datetime, datetime]:
    """Next Monday 00:00 UTC and a week on: the same window every request of a run."""
    monday = (now + timedelta(days=7 - now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday, monday + timedelta(days=7)


async def available_slots(request: Request) -> Response:
    viewer = await viewer_of(request)
    if isinstance(viewer, Response):
        return viewer
    given = (await variables_of(request))["input"]
    found = await availability.available_slots(
        viewer,
        relationship_id=decode_id(given["relationshipId"], "Relationship", field="relationshipId"),
        start=datetime.fromisoformat(given["from"]),
        end=datetime.fromisoformat(given["to"]),
        duration_minutes=given["durationMinutes"],
        limit=given["limit"],
        free_busy=request.app.state.free_busy,
        rules=request.app.state.settings.booking_rules,
    )
    slots = [
        {
            "start": iso(slot.start),
            "end": iso(slot.end),
            "insideEveryonesWorkingHours": slot.inside_everyones_working_hours,
            "maxCost": slot.max_cost,
            "totalCost": slot.total_cost,
            "attendees": [
                {
                    "timeZone": str(a.local_start.tzinfo),
                    "localStart": iso(a.local_start),
                    "localEnd": iso(a.local_end),
                    "insideWorkingHours": a.inside_working_hours,
                    "inNight": a.in_night,
                    "cost": a.cost,
                }
                for a in slot.attendees
            ],
        }
        for slot in found.slots
    ]
    end = found.offset + len(found.slots)
    return answer(
        {
            "availableSlots": {
                "slots": slots,
                "hasMore": found.has_more,
                "endCursor": encode_cursor("AvailableSlot", end) if found.slots else None,
            }
        }
    )


def routes() -> list[Route]:
    return [
        Route("/baseline/orm/dashboard", endpoint(dashboard), methods=["POST"]),
        Route("/baseline/orm/home", endpoint(home), methods=["POST"]),
        Route("/baseline/orm/slots", endpoint(available_slots), methods=["POST"]),
    ]

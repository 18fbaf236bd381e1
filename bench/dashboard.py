"""Benchmark the coordinator's dashboard through the real ASGI app, against a temporary migrated SQLite database.

Run: python bench/dashboard.py. Seeds one program of RELATIONSHIPS one-on-ones (agreements, goals, a held
meeting and a booked one each), then, as its coordinator, times POST /graphql in process (httpx over ASGI):

* the page as a dashboard reads it now: `relationships(first: 50)` with each relationship's `health` and
  `nextMeeting`, batched over the page;
* the baseline: the same page with every meeting of each relationship plus the program-wide
  `atRiskRelationships` list, which is what a dashboard had to read before;
* the new page again with the garbage collector as start-up leaves it (`api.runtime`) against the
  interpreter's defaults, in alternating rounds so noise hits both alike.

Prints median and p90 wall times per request, and the ratio baseline / measured.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import statistics
import sys
import time as clock
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from api.app import create_app
from api.auth import issue_development_token
from api.runtime import tune_garbage_collector
from api.settings import load_settings
from bench.scratch_database import scratch_sqlite
from domain.access import Role
from domain.agreements.models import Agreement, AgreementVersion
from domain.goals.models import Goal, Milestone
from domain.meetings.models import Meeting, MeetingAttendee, MeetingStatus
from domain.people.models import MeetingFormat, Person
from domain.programs.models import Cadence, Program, ProgramCoordinator, ProgramKind, ProgramStatus, ProgramTier
from domain.relationships.models import (
    MemberRole,
    Relationship,
    RelationshipMember,
    RelationshipOrigin,
    RelationshipStatus,
)
from schema.relay_ids import encode_id

RELATIONSHIPS = 600
ROUNDS = 6
REQUESTS_PER_ROUND = 8

COMMON = "id status startedAt members { role person { name timeZone department } } agreement { cadence signedByAll }"
PAGE = (
    "query($program: ID!) { relationships(programId: $program, first: 50) { totalCount edges { node { "
    + COMMON
    + " goalSummary { total inProgress } health { status dueBy } nextMeeting { start status } } } } }"
)
BEFORE = (
    "query($program: ID!) { relationships(programId: $program, first: 50) { totalCount edges { node { "
    + COMMON
    + " goalSummary { total inProgress } meetings { start status } } } }"
    " atRiskRelationships(programId: $program) { relationshipId dueBy } }"
)


async def seed() -> tuple[Person, int]:
    now = datetime.now(UTC).replace(microsecond=0)
    coordinator = await Person.create(name="Cora", email="cora@example.com", time_zone="Europe/London")
    program = await Program.create(
        name="Mentoring", kind=ProgramKind.ONE_ON_ONE, tier=ProgramTier.FORMAL, status=ProgramStatus.ACTIVE
    )
    await ProgramCoordinator.create(program=program, person=coordinator)
    people = await Person.bulk_create(
        [
            Person(name=f"Person {n}", email=f"p{n}@example.com", time_zone="America/New_York", department="Data")
            for n in range(2 * RELATIONSHIPS)
        ]
    )
    people = await Person.exclude(id=coordinator.id).order_by("id")
    started = now - timedelta(days=200)
    await Relationship.bulk_create(
        [
            Relationship(
                program=program,
                kind=program.kind,
                status=RelationshipStatus.ACTIVE,
                origin=RelationshipOrigin.COORDINATOR,
                started_at=started,
                last_activity_at=started,
            )
            for _ in range(RELATIONSHIPS)
        ]
    )
    relationships = await Relationship.all().order_by("id")
    members, meetings = [], []
    for index, relationship in enumerate(relationships):
        mentor, mentee = people[2 * index], people[2 * index + 1]
        members += [
            RelationshipMember(relationship=relationship, person=mentor, role=MemberRole.MENTOR),
            RelationshipMember(relationship=relationship, person=mentee, role=MemberRole.MENTEE),
        ]
        for days, status in [(-90, MeetingStatus.HELD), (-(index % 60), MeetingStatus.HELD), (7 + index % 20, None)]:
            start = now + timedelta(days=days)
            meetings.append(
                Meeting(
                    relationship=relationship,
                    organizer=mentor,
                    starts_at=start,
                    ends_at=start + timedelta(hours=1),
                    format=MeetingFormat.VIDEO,
                    title="Catch-up",
                    status=status or MeetingStatus.SCHEDULED,
                    uid=f"bench-{relationship.id}-{days}",
                )
            )
    await RelationshipMember.bulk_create(members)
    await Meeting.bulk_create(meetings)
    by_relationship = {m.relationship_id: m.person_id for m in members if m.role is MemberRole.MENTOR}
    await MeetingAttendee.bulk_create(
        [MeetingAttendee(meeting=m, person_id=by_relationship[m.relationship_id]) for m in await Meeting.all()]
    )
    await Agreement.bulk_create([Agreement(relationship=r, current_version=1) for r in relationships])
    await AgreementVersion.bulk_create(
        [
            AgreementVersion(
                agreement=a,
                number=1,
                cadence=Cadence.MONTHLY,
                meeting_minutes=45,
                starts_on=date.today(),
                ends_on=date.today() + timedelta(days=365),
            )
            for a in await Agreement.all()
        ]
    )
    await Goal.bulk_create([Goal(owner_id=by_relationship[r.id], relationship=r, title="Grow") for r in relationships])
    await Milestone.bulk_create([Milestone(goal=g, title="Step") for g in await Goal.all()])
    return coordinator, program.id


async def timed(client: httpx.AsyncClient, document: str, variables: dict, headers: dict, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = clock.perf_counter()
        response = await client.post("/graphql", json={"query": document, "variables": variables}, headers=headers)
        times.append((clock.perf_counter() - started) * 1000)
        body = response.json()
        assert "errors" not in body, body["errors"]
    return times


def default_collector() -> None:
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)


def row(name: str, times: list[float], baseline: list[float] | None, baseline_name: str) -> str:
    median = statistics.median(times)
    p90 = statistics.quantiles(times, n=10)[-1]
    ratio = f"{statistics.median(baseline) / median:5.2f}x vs {baseline_name}" if baseline else ""
    return f"{name:<58} {median:9.1f} {p90:9.1f}  {ratio}"


async def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("tortoise").setLevel(logging.WARNING)
    async with scratch_sqlite() as url:
        settings = load_settings(database_url=url)
        coordinator, program_id = await seed()
        token = issue_development_token(settings, email=coordinator.email, role=Role.COORDINATOR)
        headers = {"Authorization": f"Bearer {token}"}
        variables = {"program": str(encode_id("Program", program_id))}
        app = create_app(settings, manage_database=False)
        transport = httpx.ASGITransport(app=app)
        results: dict[str, list[float]] = {"page": [], "before": [], "page_default_gc": [], "page_tuned_gc": []}
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await timed(client, PAGE, variables, headers, 2)
            await timed(client, BEFORE, variables, headers, 2)
            for _ in range(ROUNDS):
                default_collector()
                results["page"] += await timed(client, PAGE, variables, headers, REQUESTS_PER_ROUND)
                results["before"] += await timed(client, BEFORE, variables, headers, REQUESTS_PER_ROUND)
                results["page_default_gc"] += await timed(client, PAGE, variables, headers, REQUESTS_PER_ROUND)
                tune_garbage_collector()
                results["page_tuned_gc"] += await timed(client, PAGE, variables, headers, REQUESTS_PER_ROUND)
            default_collector()
    print(f"Coordinator dashboard, page of 50 in a program of {RELATIONSHIPS} (SQLite, in-process ASGI), ms/request")
    print(f"{'':<58} {'median':>9} {'p90':>9}")
    print(row("page with health + nextMeeting (default GC)", results["page"], results["before"], "baseline"))
    print(row("baseline: every meeting + atRiskRelationships", results["before"], None, ""))
    print(row("page, GC frozen after start-up, gen0 threshold 50,000", results["page_tuned_gc"],
              results["page_default_gc"], "default GC"))  # fmt: skip
    print(row("page, interpreter's default GC (same rounds)", results["page_default_gc"], None, ""))


if __name__ == "__main__":
    asyncio.run(main())

"""Benchmark availableSlots for 200 pairs in one query, against a real (temporary, migrated) SQLite database.

Run: python bench/availability.py. Builds 200 one-on-one relationships (400 people in random zones with
8-hour days and four meetings each in the searched fortnight), then times, as a coordinator of their
program:

* availableSlotsForRelationships for all 200 through the real GraphQL schema (schema.execute with a
  Context), loading everything in a fixed number of statements;
* the same search through the domain use case alone (no GraphQL), to show where the time goes;
* the baseline: 200 separate availableSlots queries through the same schema, one per relationship.

Prints median wall times over repeated runs, the 1000 ms target, and the ratio baseline / measured.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import time as clock
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scratch_database import scratch_sqlite
from domain.access import Role, Viewer
from domain.meetings import batch_slots
from domain.meetings.models import Meeting, MeetingAttendee
from domain.people.models import MeetingFormat, Person, WorkingHours
from domain.programs.models import Program, ProgramCoordinator, ProgramKind, ProgramStatus, ProgramTier
from domain.relationships.models import (
    MemberRole,
    Relationship,
    RelationshipMember,
    RelationshipOrigin,
    RelationshipStatus,
)
from integrations.calendar.no_external import NoExternalCalendar
from schema.context import Context
from schema.relay_ids import encode_id
from schema.schema import build_schema

PAIRS = 200
LIMIT = 3
TARGET_MS = 1000
ZONES = [
    "America/Los_Angeles", "America/New_York", "America/Sao_Paulo", "Europe/London", "Europe/Berlin",
    "Africa/Lagos", "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
]  # fmt: skip
SLOT_FIELDS = (
    "slots { start end insideEveryonesWorkingHours maxCost attendees { timeZone localStart insideWorkingHours } }"
)
BATCH = f"""
query Batch($input: AvailableSlotsForRelationshipsInput!) {{
  availableSlotsForRelationships(input: $input) {{
    ... on AvailableSlotsForRelationships {{ results {{ relationshipId {SLOT_FIELDS} }} }}
    ... on Error {{ message field }}
  }}
}}
"""
SINGLE = f"""
query Single($input: AvailableSlotsInput!) {{
  availableSlots(input: $input) {{ ... on AvailableSlots {{ {SLOT_FIELDS} }} ... on Error {{ message field }} }}
}}
"""


def search_window() -> tuple[datetime, datetime]:
    """The fortnight from the Monday at least two days ahead (inside any booking notice and horizon)."""
    day = (datetime.now(UTC) + timedelta(days=2)).replace(hour=0, minute=0, second=0, microsecond=0)
    day += timedelta(days=(7 - day.weekday()) % 7)
    return day, day + timedelta(days=14)


async def build_organisation(window_start: datetime, seed: int = 7) -> tuple[Viewer, list[int]]:
    """A coordinator, and PAIRS relationships of their program with working weeks and meetings, in bulk."""
    rng = random.Random(seed)
    coordinator = await Person.create(name="Coordinator", email="coordinator@example.com", time_zone="UTC")
    program = await Program.create(
        name="Global mentoring", kind=ProgramKind.ONE_ON_ONE, tier=ProgramTier.FORMAL, status=ProgramStatus.ACTIVE
    )
    await ProgramCoordinator.create(program=program, person=coordinator)
    await Person.bulk_create(
        [
            Person(name=f"Person {n}", email=f"person{n}@example.com", time_zone=rng.choice(ZONES))
            for n in range(2 * PAIRS)
        ]
    )
    people = await Person.filter(email__startswith="person").order_by("id")
    hours = []
    for person in people:
        start = rng.randint(7, 11) * 60
        hours += [
            WorkingHours(person=person, weekday=day, start_minute=start, end_minute=start + 480) for day in range(5)
        ]
    await WorkingHours.bulk_create(hours)
    now = datetime.now(UTC)
    await Relationship.bulk_create(
        [
            Relationship(
                program=program,
                kind=program.kind,
                status=RelationshipStatus.ACTIVE,
                origin=RelationshipOrigin.COORDINATOR,
                started_at=now,
                last_activity_at=now,
            )
            for _ in range(PAIRS)
        ]
    )
    relationships = await Relationship.all().order_by("id")
    await RelationshipMember.bulk_create(
        [
            RelationshipMember(relationship=r, person=people[2 * i + side], role=role)
            for i, r in enumerate(relationships)
            for side, role in enumerate([MemberRole.MENTOR, MemberRole.MENTEE])
        ]
    )
    meetings, attendance = [], []
    for i, relationship in enumerate(relationships):
        for side in range(2):
            for _ in range(4):
                begins = window_start + timedelta(minutes=30 * rng.randrange(14 * 48))
                meetings.append(
                    Meeting(
                        relationship=relationship,
                        organizer=people[2 * i + side],
                        starts_at=begins,
                        ends_at=begins + timedelta(hours=1),
                        format=MeetingFormat.VIDEO,
                        title="Busy",
                    )
                )
    await Meeting.bulk_create(meetings)
    for meeting in await Meeting.all():
        attendance.append(MeetingAttendee(meeting=meeting, person_id=meeting.organizer_id))
    await MeetingAttendee.bulk_create(attendance)
    viewer = Viewer(email=coordinator.email, role=Role.COORDINATOR, person_id=coordinator.id)
    return viewer, [r.id for r in relationships]


async def median_ms(run: Callable[[], Awaitable[object]], repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        began = clock.perf_counter()
        result = await run()
        times.append((clock.perf_counter() - began) * 1000)
    return statistics.median(times), result


async def main() -> None:
    async with scratch_sqlite():
        await run_cases()


async def run_cases() -> None:
    window = search_window()
    viewer, ids = await build_organisation(window[0])
    schema = build_schema(max_depth=12, max_tokens=4000, max_aliases=20)
    common = {"from": window[0].isoformat(), "to": window[1].isoformat(), "durationMinutes": 60, "limit": LIMIT}
    global_ids = [str(encode_id("Relationship", key)) for key in ids]

    async def batch_query():
        variables = {"input": {"relationshipIds": global_ids, **common}}
        result = await schema.execute(BATCH, variable_values=variables, context_value=Context(viewer=viewer))
        assert result.errors is None, result.errors
        return result.data["availableSlotsForRelationships"]["results"]

    async def use_case():
        return await batch_slots.available_slots_for_relationships(
            viewer,
            relationship_ids=ids,
            start=window[0],
            end=window[1],
            duration_minutes=60,
            limit=LIMIT,
            free_busy=NoExternalCalendar(),
        )

    async def one_query_each():
        found = []
        for relationship_id in global_ids:
            variables = {"input": {"relationshipId": relationship_id, **common}}
            result = await schema.execute(SINGLE, variable_values=variables, context_value=Context(viewer=viewer))
            assert result.errors is None, result.errors
            found.append(result.data["availableSlots"])
        return found

    await batch_query()  # warm-up: imports, zone caches, schema first run
    batch_ms, batch = await median_ms(batch_query, 7)
    domain_ms, _ = await median_ms(use_case, 7)
    single_ms, singles = await median_ms(one_query_each, 3)
    same = sum(entry["slots"] == single["slots"] for entry, single in zip(batch, singles, strict=True))
    answered = sum(bool(entry["slots"]) for entry in batch)

    rows = [
        (f"availableSlotsForRelationships: {PAIRS} pairs, GraphQL", batch_ms, TARGET_MS),
        ("  same search, domain use case only (no GraphQL)", domain_ms, TARGET_MS),
    ]
    print(
        f"{'case (SQLite, 2 weeks, 60 min, limit ' + str(LIMIT) + ')':58} {'median ms':>9} {'target':>6} "
        f"{'result':>6} {'baseline ms':>11} {'ratio':>7} baseline"
    )
    for name, measured, target in rows:
        verdict = "PASS" if measured <= target else "FAIL"
        print(
            f"{name:58} {measured:9.1f} {target:6d} {verdict:>6} {single_ms:11.1f} {single_ms / measured:6.1f}x "
            f"{PAIRS} availableSlots queries (same slots: {same}/{PAIRS})"
        )
    print(f"pairs with at least one slot: {answered}/{PAIRS}")


if __name__ == "__main__":
    asyncio.run(main())

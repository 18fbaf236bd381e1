"""Benchmark slot searches that read connected calendars, against the same searches without them.

Run: python bench/free_busy.py. A temporary migrated SQLite database; Ana's calendar on the Google fake and
Ben's on the Outlook fake (company connections, real client libraries over HTTP and TLS on 127.0.0.1), each
with a busy block every working day. Times, through the real GraphQL schema:

* availableSlots for the pair over two weeks, and planSeries for twelve monthly meetings (a year of
  free/busy: two Google spans, six Graph spans), with free/busy read fresh each time (cache off);
* the same with the cache on (the second page of a planning session);
* the baseline: the same query with no connected calendar (NoExternalCalendar), in the same process.

Prints median wall times and the ratio measured / baseline (the cost free/busy adds).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time as clock
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scratch_database import scratch_sqlite
from domain.access import Role, Viewer
from domain.calendar.models import Provider
from domain.people.models import Person, WorkingHours
from domain.programs.models import Program, ProgramKind, ProgramStatus, ProgramTier
from domain.relationships.models import (
    MemberRole,
    Relationship,
    RelationshipMember,
    RelationshipOrigin,
    RelationshipStatus,
)
from integrations.calendar.free_busy import ConnectedCalendars
from integrations.calendar.no_external import NoExternalCalendar
from schema.context import Context
from schema.relay_ids import encode_id
from schema.schema import build_schema
from tests.fakes.calendar_setup import connect, fast_config, running_google, running_microsoft

SLOTS = """
query S($input: AvailableSlotsInput!) {
  availableSlots(input: $input) {
    ... on AvailableSlots { slots { start end maxCost } unavailableCalendars { name } }
    ... on Error { message field }
  }
}
"""
PLAN = """
query P($input: PlanSeriesInput!) {
  planSeries(input: $input) {
    ... on SeriesPlan { occurrences { start } unavailableCalendars { name } }
    ... on Error { message field }
  }
}
"""
REPEATS = 15


async def build_pair(first_day: datetime) -> tuple[Viewer, int, Person, Person]:
    program = await Program.create(
        name="Mentoring",
        kind=ProgramKind.ONE_ON_ONE,
        tier=ProgramTier.FORMAL,
        status=ProgramStatus.ACTIVE,
        duration_months=13,
    )
    ana = await Person.create(name="Ana", email="ana@g.example", time_zone="Europe/London")
    ben = await Person.create(name="Ben", email="ben@m.example", time_zone="America/New_York")
    await WorkingHours.bulk_create(
        [WorkingHours(person=p, weekday=d, start_minute=540, end_minute=1020) for p in (ana, ben) for d in range(5)]
    )
    now = datetime.now(UTC)
    relationship = await Relationship.create(
        program=program,
        kind=program.kind,
        status=RelationshipStatus.ACTIVE,
        origin=RelationshipOrigin.COORDINATOR,
        started_at=now,
        last_activity_at=now,
    )
    for person, role in ((ana, MemberRole.MENTOR), (ben, MemberRole.MENTEE)):
        await RelationshipMember.create(relationship=relationship, person=person, role=role)
    return Viewer(email=ana.email, role=Role.PARTICIPANT, person_id=ana.id), relationship.id, ana, ben


async def median_ms(run, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        began = clock.perf_counter()
        await run()
        times.append((clock.perf_counter() - began) * 1000)
    return statistics.median(times)


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with scratch_sqlite():
            with running_google(Path(folder) / "google") as google, running_microsoft(Path(folder) / "ms") as ms:
                await run_cases(google, ms)


async def run_cases(google, microsoft) -> None:
    day = (datetime.now(UTC) + timedelta(days=3)).replace(hour=0, minute=0, second=0, microsecond=0)
    viewer, relationship_id, ana, ben = await build_pair(day)
    await connect(Provider.GOOGLE, google, "g.example")
    await connect(Provider.MICROSOFT, microsoft, "m.example")
    year = [day + timedelta(days=n) for n in range(400)]
    google.fake.set_busy(ana.email, *[(d + timedelta(hours=9), d + timedelta(hours=11)) for d in year])
    microsoft.fake.set_busy(ben.email, *[(d + timedelta(hours=15), d + timedelta(hours=16)) for d in year])
    schema = build_schema(max_depth=12, max_tokens=4000, max_aliases=20)
    relationship = str(encode_id("Relationship", relationship_id))
    slots = {"relationshipId": relationship, "from": day.isoformat(), "to": (day + timedelta(days=14)).isoformat()}
    slots["durationMinutes"] = 60
    plan = {"relationshipId": relationship, "firstDate": day.date().isoformat(), "count": 12, "cadence": "MONTHLY"}
    plan["durationMinutes"] = 60

    cold = ConnectedCalendars(fast_config(freebusy_cache_seconds=0, freebusy_timeout_seconds=30))
    warm = ConnectedCalendars(fast_config(freebusy_cache_seconds=3600, freebusy_timeout_seconds=30))
    without = NoExternalCalendar()

    def query(document: str, variables: dict, provider):
        async def run():
            context = Context(viewer=viewer, free_busy=provider)
            result = await schema.execute(document, variable_values={"input": variables}, context_value=context)
            assert result.errors is None, result.errors
            answer = next(iter(result.data.values()))
            assert answer.get("unavailableCalendars") == [], answer
            return answer

        return run

    rows = []
    for name, document, variables in (
        ("availableSlots, 2 weeks", SLOTS, slots),
        ("planSeries, 12 monthly", PLAN, plan),
    ):
        for provider in (without, cold, warm):
            await query(document, variables, provider)()  # warm-up: imports, tokens, connections, the cache
        baseline = await median_ms(query(document, variables, without))
        rows.append((f"{name}: free/busy read fresh", await median_ms(query(document, variables, cold)), baseline))
        rows.append((f"{name}: free/busy from the cache", await median_ms(query(document, variables, warm)), baseline))
    asked = len(google.fake.free_busy_asked), len(microsoft.fake.free_busy_asked)
    await cold.close()
    await warm.close()

    print(
        f"{'case (SQLite; Google + Outlook fakes on 127.0.0.1)':52} {'median ms':>9} {'baseline ms':>11} {'ratio':>7}"
    )
    for name, measured, baseline in rows:
        print(f"{name:52} {measured:9.1f} {baseline:11.1f} {measured / baseline:6.1f}x")
    print(f"baseline: the same query with no connected calendar; requests served: Google {asked[0]}, Graph {asked[1]}")


if __name__ == "__main__":
    asyncio.run(main())

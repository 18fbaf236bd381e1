"""Program insight at scale: the mentoring network, programInsights, the equity report, programRoi and the
intergenerational insights on 20,000 people and 10,000 relationships.

Run: python bench/insight.py. The organisation comes from bench/orggen.py (seeded), stored in a temporary
SQLite database through the ORM. Each row is the median of a few runs; the baseline, run in the same process
on the same data, is the floor of each task: reading the same rows (for the program reports) and one pass that
only counts cross-department relationships (for the network). The goal is at most 2 s for each.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from orggen import OrgSpec, generate, mentoring_history, write_mentoring_history, write_organisation, write_pair_program

from bench.scratch_database import scratch_sqlite
from domain.access import Role, Viewer
from domain.analytics import program_figures as figures
from domain.analytics.equity import equity_report
from domain.analytics.insights import mentoring_network, program_insights
from domain.analytics.intergenerational import intergenerational_report
from domain.analytics.loading import load_people, load_program, load_relationships
from domain.analytics.period import Period
from domain.analytics.roi import LevelCost, RoiAssumptions, program_roi

PEOPLE, RELATIONSHIPS, RUNS, GOAL_SECONDS = 20_000, 10_000, 3, 2.0
PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
ANALYST = Viewer(email="analyst@org.example", role=Role.ANALYST)


async def timed(action) -> float:
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        await action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


async def build() -> int:
    org = generate(OrgSpec(people=PEOPLE))
    await write_organisation(org)
    program_id = await write_pair_program(name="Bench", kind="ONE_ON_ONE", mentors=[], mentees=[], status="ACTIVE")
    history = mentoring_history(org, relationships=RELATIONSHIPS, start=datetime(2025, 12, 1, tzinfo=UTC))
    await write_mentoring_history(org, history, program_id=program_id)
    return program_id


async def run_cases() -> None:
    began = time.perf_counter()
    program_id = await build()
    print(f"organisation of {PEOPLE:,} people and {RELATIONSHIPS:,} relationships written in "
          f"{time.perf_counter() - began:.1f} s")  # fmt: skip

    async def read_rows():
        await load_program(program_id, PERIOD, demographics=True)

    async def insights():
        await program_insights(ANALYST, program_id=program_id, period=PERIOD)

    async def equity():
        await equity_report(ANALYST, program_id=program_id, period=PERIOD)

    assumptions = RoiAssumptions(levels=tuple(LevelCost(level, 40_000 + 10_000 * level, 100) for level in range(1, 21)))

    async def roi():
        await program_roi(ANALYST, program_id=program_id, period=PERIOD, assumptions=assumptions)

    async def intergenerational():
        await intergenerational_report(ANALYST, program_id=program_id, period=PERIOD)

    people = await load_people(demographics=True)
    relationships = [r for r in await load_relationships() if figures.running_in(r, PERIOD)]

    async def count_cross():
        departments = {pid: p.department for pid, p in people.items()}
        sum(len({departments[m] for m in r.people()}) > 1 for r in relationships)

    async def network_compute():
        from domain.analytics.network import network_report, relationship_changes

        network_report(people, relationships, relationship_changes(relationships, PERIOD), PERIOD)

    async def network_end_to_end():
        await mentoring_network(ANALYST, period=PERIOD)

    rows = [
        ("programInsights, baseline: read its rows", await timed(read_rows), None),
        ("programInsights (read + every figure + CSV-ready)", await timed(insights), "insights"),
        ("equityReport (read + 5 figures x 4 dimensions)", await timed(equity), "insights"),
        ("programRoi (read + turnover + costs)", await timed(roi), "insights"),
        ("intergenerationalInsights (read + 3 figures x 2)", await timed(intergenerational), "insights"),
        ("network, baseline: one counting pass", await timed(count_cross), None),
        ("network analytics, computation (networkx)", await timed(network_compute), None),
        ("mentoringNetwork end to end (read + compute)", await timed(network_end_to_end), "network"),
    ]
    baseline = {"insights": rows[0][1], "network": rows[5][1]}
    print(f"\n{'case':<52} {'median s':>9} {'x baseline':>11} {'goal':>7}")
    for name, seconds, key in rows:
        ratio = f"{seconds / baseline[key]:.1f}x" if key else ""
        goal = ("ok" if seconds <= GOAL_SECONDS else "OVER") if key else ""
        print(f"{name:<52} {seconds:>9.3f} {ratio:>11} {goal:>7}")


async def main() -> None:
    async with scratch_sqlite():
        await run_cases()


if __name__ == "__main__":
    asyncio.run(main())

"""Benchmark directory sync: a 20,000-person full read and a 200-change delta, against the local fakes.

Run: python bench/directory.py [PEOPLE] [CHANGES] (defaults 20000 and 200), on a scratch SQLite database.
Cases, in this order, in one process:
  baseline   the CSV import of the same people (email, name, department, title, manager, zone, hours)
  entra full      Graph /users/delta from nothing, plus every mailbox's settings (time zone, hours), 20 a $batch
  entra delta     CHANGES edits (titles, managers, leavers, new hires) read through the delta link
  workspace full  Admin SDK users.list, Calendar time zones off (one token + call per person otherwise)
  workspace 200   the same CHANGES; the Directory API has no change feed, so the whole listing is read again
Each row: seconds, records read, ms per record, HTTP requests made (a Graph $batch of 20 mailbox reads is one),
and the ratio against the baseline.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scratch_database import scratch_sqlite
from domain.calendar.connections import connect_company
from domain.calendar.models import Provider
from domain.clock import utc_now
from domain.people.directory_mapping import DirectoryMapping
from domain.people.directory_models import DirectoryAccount, DirectorySync
from domain.people.importer import import_people_csv
from domain.people.models import Person, WorkingHours
from integrations.directory.sources import DirectoryOptions, sync_connection
from tests.fakes.calendar_setup import fast_config
from tests.fakes.directory_org import external_id, organisation, populate_entra, populate_workspace
from tests.fakes.directory_setup import running_entra, running_workspace

DOMAIN = "contoso.example"


def organisation_csv(people) -> str:
    lines = ["email,name,department,title,manager_email,time_zone,working_hours"]
    for person in people:
        manager = "" if person.manager_index is None else f"person{person.manager_index}@{DOMAIN}"
        lines.append(
            f"{person.email},{person.name},{person.department},{person.title},{manager},{person.iana_zone},"
            "Mon-Fri 09:00-17:00"
        )
    return "\n".join(lines) + "\n"


async def wipe() -> None:
    await DirectoryAccount.all().delete()
    await DirectorySync.all().delete()
    await WorkingHours.all().delete()
    await Person.all().update(manager_id=None)
    await Person.all().delete()


def starts(size: int) -> tuple[int, int, int]:
    """Where the edited titles, moved managers and leavers begin: spread over the organisation."""
    return size // 5, 2 * size // 5, 3 * size // 5


def change_entra(fake, changes: int, size: int) -> None:
    quarter, (titles, moves, leavers) = changes // 4, starts(size)
    for n in range(titles, titles + quarter):
        fake.update_user(external_id(n), jobTitle=f"Lead {n}")
    for n in range(moves, moves + quarter):
        fake.update_user(external_id(n), manager_id=external_id(3))
    for n in range(leavers, leavers + quarter):
        fake.update_user(external_id(n), accountEnabled=False)
    for n in range(changes - 3 * quarter):
        fake.add_user(f"new-{n}", mail=f"new{n}@{DOMAIN}", displayName=f"New {n}", accountEnabled=True)


def change_workspace(fake, changes: int, size: int) -> None:
    quarter, (titles, moves, leavers) = changes // 4, starts(size)
    for n in range(titles, titles + quarter):
        fake.update_user(f"person{n}@{DOMAIN}", title=f"Lead {n}")
    for n in range(moves, moves + quarter):
        fake.update_user(f"person{n}@{DOMAIN}", manager=f"person3@{DOMAIN}")
    for n in range(leavers, leavers + quarter):
        fake.update_user(f"person{n}@{DOMAIN}", suspended=True)
    for n in range(changes - 3 * quarter):
        fake.add_user(f"new{n}@{DOMAIN}", name=f"New {n}")


async def timed_sync(connection, fake, options: DirectoryOptions) -> tuple[float, int, int, str]:
    before = len(fake.requests)
    started = time.perf_counter()
    report = await sync_connection(connection, fast_config(), options, mapping=DirectoryMapping(), now=utc_now())
    seconds = time.perf_counter() - started
    assert not report.errors, report.errors[:3]
    # HTTP requests made; the items inside a Graph $batch are logged too, and are not counted again.
    requests = [r for r in fake.requests[before:] if r.prefer != "$batch"]
    return seconds, report.fetched, len(requests), report.people.summary()


async def main(size: int, changes: int) -> int:
    people = organisation(size, domain=DOMAIN)
    rows: list[tuple[str, float, int, int, str]] = []
    folder = Path(tempfile.mkdtemp())
    async with scratch_sqlite():
        started = time.perf_counter()
        report = await import_people_csv(organisation_csv(people))
        rows.append(("baseline: CSV import", time.perf_counter() - started, size, 0, report.summary()))
        await wipe()
        with running_entra(folder / "entra", page_size=999) as entra:
            populate_entra(entra.fake, people)
            connection = await connect_company(
                provider=Provider.MICROSOFT, domains=[DOMAIN], config=entra.config, now=utc_now()
            )
            rows.append(("entra full", *await timed_sync(connection, entra.fake, DirectoryOptions())))
            change_entra(entra.fake, changes, size)
            rows.append(
                (f"entra delta, {changes} changes", *await timed_sync(connection, entra.fake, DirectoryOptions()))
            )
        await wipe()
        await connection.delete()
        with running_workspace(folder / "workspace") as workspace:
            populate_workspace(workspace.fake, people)
            connection = await connect_company(
                provider=Provider.GOOGLE, domains=[DOMAIN], config=workspace.config, now=utc_now()
            )
            options = DirectoryOptions(google_calendar_time_zones="off")
            rows.append(("workspace full", *await timed_sync(connection, workspace.fake, options)))
            change_workspace(workspace.fake, changes, size)
            rows.append((f"workspace, {changes} changes", *await timed_sync(connection, workspace.fake, options)))
    baseline = rows[0][1]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"directory sync, {size:,} people on SQLite; load average {load}; ratio = seconds / the CSV import's")
    print(f"{'case':<30}{'seconds':>9}{'records':>9}{'ms/rec':>8}{'requests':>10}{'ratio':>7}  outcome")
    for name, seconds, records, requests, summary in rows:
        print(
            f"{name:<30}{seconds:>9.2f}{records:>9,}{1000 * seconds / max(records, 1):>8.2f}{requests:>10,}"
            f"{seconds / baseline:>7.2f}  {summary.splitlines()[0]}"
        )
    return 0


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    changes = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    sys.exit(asyncio.run(main(size, changes)))

"""Benchmark inbound calendar sync: changes made in Google Calendar and Outlook flowing back to meetings.

Run: python bench/calendar_inbound.py [sqlite|postgres] (default sqlite; a PostgreSQL database is made on the
tests' server and dropped at the end). The fakes of both providers (real
client libraries, real HTTP) POST their notifications to the app served on a loopback port.

Cases, on one load of meetings (half Google, half Outlook organizers):
- baseline: a burst of 1,000 attendee answers with every notification lost, taken in by a full resync of every
  calendar (what a system without notifications or cursors does);
- the same burst with notifications: webhook -> inbox -> incremental sync, in notifications processed per
  second, and the ratio against the baseline's answers per second;
- p50/p99 from an answer given in the provider to the meeting showing it, at a steady pace, worker running.
Every case checks that each meeting ended with the last answer given.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvicorn

from api.app import create_app
from api.database import migrations
from api.database.connection import close_database, open_database
from api.settings import load_settings
from bench.scratch_database import scratch_database_url
from domain.calendar.inbound_models import CalendarNotification, CalendarWatch
from domain.calendar.models import CalendarEvent, Provider
from domain.meetings.models import Meeting, MeetingAttendee, Rsvp
from integrations.calendar.inbound_worker import InboundWorker
from integrations.calendar.worker import CalendarWorker
from tests.fakes.calendar_load import GOOGLE_DOMAIN, MICROSOFT_DOMAIN, book_load
from tests.fakes.calendar_setup import connect, fast_config, running_google, running_microsoft

BURST = 1000
MEETINGS = 100
STEADY = 200


class Bench:
    def __init__(self, google, microsoft, base_url: str) -> None:
        self.google, self.microsoft = google, microsoft
        self.config = fast_config(webhook_base_url=base_url, inbound_backstop_seconds=3600, worker_poll_seconds=0.02)
        self.targets: list[tuple[Provider, str, str, str, int]] = []  # provider, organizer, event, guest, meeting
        self.given: dict[int, str] = {}  # meeting -> the last answer its guest gave in the calendar

    async def prepare(self) -> None:
        await connect(Provider.GOOGLE, self.google, GOOGLE_DOMAIN)
        await connect(Provider.MICROSOFT, self.microsoft, MICROSOFT_DOMAIN)
        load = await book_load(MEETINGS)
        outbound = CalendarWorker(self.config, name="bench")
        await outbound.drain()
        await outbound.writers.close()
        inbound = InboundWorker(self.config)
        await inbound.drain()
        await self.delivered()
        await inbound.drain()
        await inbound.writers.close()
        events = dict(await CalendarEvent.all().values_list("meeting_id", "event_id"))
        for meeting in load.meetings:
            row = await Meeting.get(id=meeting.id)
            if row.status.value != "SCHEDULED":
                continue
            organizer = load.viewers[meeting.id].email
            guest = (
                await MeetingAttendee.filter(meeting_id=meeting.id)
                .exclude(person_id=row.organizer_id)
                .values_list("person__email", flat=True)
            )[0]
            provider = Provider.GOOGLE if organizer.endswith(GOOGLE_DOMAIN) else Provider.MICROSOFT
            self.targets.append((provider, organizer, events[meeting.id], guest, meeting.id))

    async def delivered(self) -> None:
        await asyncio.to_thread(self.google.fake.notifier.wait_idle, 120)
        await asyncio.to_thread(self.microsoft.fake.notifier.wait_idle, 120)

    def answer(self, target) -> str:
        """The guest changes their answer in their calendar app (declined <-> accepted)."""
        provider, organizer, event_id, guest, meeting_id = target
        answer = "accepted" if self.given.get(meeting_id) == "declined" else "declined"
        self.given[meeting_id] = answer
        if provider is Provider.GOOGLE:
            self.google.fake.set_response(organizer, event_id, guest, answer)
        else:
            self.microsoft.fake.respond(organizer, event_id, guest, answer)
        return answer

    def burst(self, count: int) -> dict[int, str]:
        for number in range(count):
            self.answer(self.targets[number % len(self.targets)])
        return dict(self.given)

    async def wrong(self, last: dict[int, str]) -> int:
        """Meetings whose guest does not show the last answer given in the calendar."""
        shown = dict(
            await MeetingAttendee.filter(meeting_id__in=list(last), rsvp__in=[Rsvp.DECLINED, Rsvp.ACCEPTED])
            .exclude(person__email__startswith="mentor")
            .values_list("meeting_id", "rsvp")
        )
        want = {m: Rsvp.DECLINED if a == "declined" else Rsvp.ACCEPTED for m, a in last.items()}
        return sum(1 for m, rsvp in want.items() if shown.get(m) != rsvp)

    def drops(self, rate: float) -> None:
        self.google.fake.notifier.drop_rate = self.microsoft.fake.notifier.drop_rate = rate

    async def full_resync_case(self) -> tuple[float, int]:
        self.drops(1.0)
        last = self.burst(BURST)
        self.drops(0.0)
        started = time.perf_counter()
        await CalendarWatch.all().update(cursor="", sync_due_at=datetime.now(UTC))
        inbound = InboundWorker(self.config)
        await inbound.drain()
        await inbound.writers.close()
        return time.perf_counter() - started, await self.wrong(last)

    async def notified_case(self) -> tuple[float, int, int]:
        before = await CalendarNotification.all().count()
        stop = asyncio.Event()
        inbound = InboundWorker(self.config)
        task = asyncio.create_task(inbound.run_forever(stop))
        started = time.perf_counter()
        last = self.burst(BURST)
        await self.delivered()
        while await CalendarNotification.filter(processed_at=None).exists() or await self.wrong(last):  # noqa: ASYNC110
            await asyncio.sleep(0.02)
        seconds = time.perf_counter() - started
        stop.set()
        await task
        received = await CalendarNotification.all().count() - before
        return seconds, received, await self.wrong(last)

    async def steady_case(self, per_second: float = 20) -> list[float]:
        stop = asyncio.Event()
        inbound = InboundWorker(self.config)
        task = asyncio.create_task(inbound.run_forever(stop))
        given: dict[int, datetime] = {}
        for number in range(STEADY):
            target = self.targets[number % len(self.targets)]
            if target[4] in given:
                break
            before = (await Meeting.get(id=target[4])).updated_at
            self.answer(target)
            given[target[4]] = (datetime.now(UTC), before)
            await asyncio.sleep(1 / per_second)
        deadline = time.monotonic() + 60
        waits = []
        pending = dict(given)
        while pending and time.monotonic() < deadline:
            for meeting_id, updated in await Meeting.filter(id__in=list(pending)).values_list("id", "updated_at"):
                at, before = pending[meeting_id]
                if updated != before:
                    waits.append((updated - at).total_seconds())
                    del pending[meeting_id]
            await asyncio.sleep(0.01)
        stop.set()
        await task
        return sorted(waits)


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 100 else max(values)


async def main(engine: str) -> None:
    with scratch_database_url(engine) as url:
        await run(url, engine)


async def run(url: str, engine: str) -> None:
    migrations.upgrade(url)
    await open_database(url)
    folder = Path(tempfile.mkdtemp())
    app = create_app(load_settings(database_url=url), manage_database=False)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    serving = asyncio.create_task(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
            await asyncio.sleep(0.01)
        base_url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
        with running_google(folder / "g") as google, running_microsoft(folder / "m") as microsoft:
            bench = Bench(google, microsoft, base_url)
            await bench.prepare()
            base_seconds, base_wrong = await bench.full_resync_case()
            seconds, received, wrong = await bench.notified_case()
            waits = await bench.steady_case()
    finally:
        server.should_exit = True
        await serving
        await close_database()
    base_rate, rate = BURST / base_seconds, received / seconds
    calendars = MEETINGS // 10
    print(f"inbound calendar sync, {len(bench.targets)} meetings in {calendars} calendars per provider ({engine})")
    print(f"{'case':<44} {'seconds':>8} {'per second':>11} {'ratio':>6} {'wrong':>6}")
    base_case = "1,000 answers, full resync, no notices (base)"
    print(f"{base_case:<44} {base_seconds:>8.2f} {base_rate:>11.1f} {1:>6.2f} {base_wrong:>6}")
    print(
        f"{f'1,000 answers, {received} notifications':<44} {seconds:>8.2f} {rate:>11.1f} "
        f"{(BURST / seconds) / base_rate:>6.2f} {wrong:>6}"
    )
    print("(per second: answers taken in for the base; notifications received and processed otherwise;")
    print(" ratio: answers per second against the base)")
    print(
        f"provider change -> meeting shows the answer ({len(waits)} answers at 20/s): "
        f"p50 {statistics.median(waits) * 1000:.0f} ms, p99 {p99(waits) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "sqlite"))

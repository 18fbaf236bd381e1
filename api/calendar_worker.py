"""`serve` drains the calendar outbox in-process, so `make run` sends invites with no other process to start.

MENTORGRAPH_WORKER=off leaves it to `mentorgraph worker` processes (any number, on PostgreSQL).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from api.settings import Settings

log = logging.getLogger("mentorgraph.calendar.worker")


@dataclass
class RunningWorker:
    task: asyncio.Task
    stopping: asyncio.Event

    async def stop(self) -> None:
        self.stopping.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(self.task, timeout=10)


def start_calendar_worker(settings: Settings) -> RunningWorker:
    # Imported here: the provider SDKs load only in a process that runs the worker.
    from integrations.calendar.inbound_worker import InboundWorker
    from integrations.calendar.worker import CalendarWorker

    stopping = asyncio.Event()
    worker = CalendarWorker(settings.calendar_sync)
    # Changes made in the calendars come back through the inbound worker, beside the outbound one.
    inbound = InboundWorker(settings.calendar_sync)
    log.info("calendar worker %s runs in-process (MENTORGRAPH_WORKER=off to run it apart)", worker.name)

    async def both() -> None:
        await asyncio.gather(worker.run_forever(stopping), inbound.run_forever(stopping))

    task = asyncio.create_task(both(), name="mentorgraph-calendar-worker")
    return RunningWorker(task, stopping)

"""Keeping a bulk job (a people import, a directory sync) from stalling the event loop with its memory.

A 20,000-row import keeps a few hundred thousand objects alive at once (the parsed rows, the stored people,
their hours and skills, the plans). Each pass of the cycle collector over the younger generations walks all of
them, and one such pass took 100-300 ms, holding the GIL: every request the server had in hand waited that
long (the `/healthz` row of `make bench-people-import`). While any bulk job runs, automatic collection is off;
nearly everything the job allocates is freed by reference counting when it ends, and the first collection after
it walks only what cycles are left (about 20 ms for a 20,000-row import). The server's own cycles from requests
served meanwhile wait for that collection too: memory grows a little for the job's length, never without bound.

Freeing that working set is work too (a few hundred milliseconds for 20,000 rows), done wherever the last
reference goes: the job keeps its large structures in a WorkingSet, which lets go of them in a worker thread
when the job ends, so the loop goes on serving in between (the GIL changes hands every few milliseconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_jobs_running = 0
_was_enabled = True


@contextlib.contextmanager
def cycle_collector_held() -> Iterator[None]:
    """Automatic cycle collection off while the block runs; nested and concurrent jobs share one pause, and the
    collector is put back as it was when the last of them ends."""
    global _jobs_running, _was_enabled
    if _jobs_running == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _jobs_running += 1
    try:
        yield
    finally:
        _jobs_running -= 1
        if _jobs_running == 0 and _was_enabled:
            gc.enable()


async def in_worker_thread(work: Callable[..., T], /, *args: Any) -> T:
    """`asyncio.to_thread`, with the answer handed over outside the futures.

    The executor's future and the loop's future chained to it refer to each other, and so to the answer they
    carry: that answer (a job's parsed rows, say) lives on until the cycle collector runs, which a bulk job
    holds off. Passed through a box instead, it is freed as soon as the caller lets go of it."""
    box: list[T] = []
    await asyncio.to_thread(lambda: box.append(work(*args)))
    return box.pop()


class WorkingSet:
    """The large structures of one bulk job, kept here so that they are freed together off the loop."""

    def __init__(self) -> None:
        self._held: list[Any] = []

    def keep(self, value: T) -> T:
        self._held.append(value)
        return value

    async def release(self) -> None:
        held, self._held = self._held, []
        await asyncio.to_thread(held.clear)


@contextlib.asynccontextmanager
async def bulk_job() -> AsyncIterator[WorkingSet]:
    """The cycle collector held off for the block, and what it kept in the WorkingSet freed in a worker thread."""
    working_set = WorkingSet()
    with cycle_collector_held():
        try:
            yield working_set
        finally:
            await working_set.release()

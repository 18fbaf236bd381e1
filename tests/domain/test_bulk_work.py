"""A bulk job holds off the cycle collector for its length, and its big structures are freed as soon as it lets
go of them, never kept alive by the futures that carried them out of a worker thread."""

from __future__ import annotations

import asyncio
import gc
import weakref

from domain.bulk_work import bulk_job, cycle_collector_held, in_worker_thread


class Rows(list):
    """A list that a weak reference can watch."""


def test_nested_and_overlapping_jobs_share_one_pause_and_put_the_collector_back():
    assert gc.isenabled()
    with cycle_collector_held():
        assert not gc.isenabled()
        with cycle_collector_held():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


async def test_an_answer_from_a_worker_thread_is_freed_once_the_caller_drops_it():
    gc.disable()  # only reference counting may free it, as during a bulk job
    try:
        rows = await in_worker_thread(lambda count: Rows(range(count)), 1_000)
        watched = weakref.ref(rows)
        del rows
        assert watched() is None
        # asyncio.to_thread itself keeps its answer in the futures' cycle: what in_worker_thread avoids
        rows = await asyncio.to_thread(lambda: Rows(range(1_000)))
        kept = weakref.ref(rows)
        del rows
        assert kept() is not None
    finally:
        gc.enable()
        gc.collect()


async def test_what_a_job_keeps_is_freed_when_it_ends_and_the_collector_is_back():
    async with bulk_job() as working_set:
        assert not gc.isenabled()
        watched = weakref.ref(working_set.keep(Rows(range(1_000))))
        assert watched() is not None
    assert watched() is None
    assert gc.isenabled()

"""Sweeps run in one process at a time on PostgreSQL: with several servers or workers on one database, whoever
finds the sweep lock taken skips its round and writes nothing."""

from __future__ import annotations

import datetime
from datetime import UTC

import asyncpg
import pytest

from api.database.exclusive import lock_key
from api.sweeper import SWEEP_LOCK
from domain.relationships.models import MentorRequest, MentorRequestStatus
from tests.api.test_sweeper import a_world_with_one_of_each
from tests.support import assert_unchanged, run_cli

pytestmark = pytest.mark.postgres_only


async def test_a_sweep_skips_its_round_while_another_process_sweeps(db):
    ids = await a_world_with_one_of_each(datetime.datetime.now(UTC))
    other_process = await asyncpg.connect(db.replace("postgres://", "postgresql://", 1))
    try:
        assert await other_process.fetchval("SELECT pg_try_advisory_lock($1)", lock_key(SWEEP_LOCK))
        async with assert_unchanged():
            code, out, err = await run_cli("sweep", env={"MENTORGRAPH_DATABASE_URL": db})
    finally:
        await other_process.close()  # its session ends, and the lock with it

    assert (code, out.strip(), err) == (0, "another process is sweeping; this round skipped", "")
    code, out, _ = await run_cli("sweep", env={"MENTORGRAPH_DATABASE_URL": db})
    assert code == 0 and out.startswith("1 mentor requests expired")
    assert (await MentorRequest.get(id=ids["overdue"])).status is MentorRequestStatus.EXPIRED

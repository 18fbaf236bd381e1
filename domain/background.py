"""Work a request starts and does not wait for (a matching run, a large import), kept track of per process.

The loop holds only weak references to tasks, so each kind keeps its own set until the task ends; `wait` lets
shutdown and tests see every task of that kind through.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


class BackgroundTasks:
    def __init__(self) -> None:
        self._running: set[asyncio.Task] = set()

    def start(self, work: Coroutine[Any, Any, None]) -> asyncio.Task:
        """Runs `work` as a task on this loop, held until it ends."""
        task = asyncio.get_running_loop().create_task(work)
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return task

    async def wait(self) -> None:
        """Returns once every task started here (including those started meanwhile) has ended."""
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)

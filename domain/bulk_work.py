"""Holding off the cycle collector while a bulk job (a people import, a directory sync) holds its working set.

A 20,000-row import keeps a few hundred thousand objects alive at once (the parsed rows, the stored people,
their hours and skills, the plans). Each pass of the cycle collector over the younger generations walks all of
them, and one such pass took 100-300 ms, holding the GIL: every request the server had in hand waited that
long (the `/healthz` row of `make bench-people-import`). While any bulk job runs, automatic collection is off;
nearly everything the job allocates is freed by reference counting when it ends, and the first collection after
it walks only what cycles are left (about 20 ms for a 20,000-row import). The server's own cycles from requests
served meanwhile wait for that collection too: memory grows a little for the job's length, never without bound.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

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

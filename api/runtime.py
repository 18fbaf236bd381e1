"""Process tuning for serving: a garbage collector that stops re-scanning what start-up loaded.

Everything imported and built before serving (the schema, the ORM's models, zoneinfo data) lives as long
as the process, yet the default collector walks it again on every older-generation pass, and a dashboard
request allocates enough short-lived objects to trigger dozens of collections. Freezing moves the start-up
heap out of the collector's sight; a larger first-generation threshold collects less often. `make
bench-dashboard` measures both settings in one process.
"""

from __future__ import annotations

import gc

GEN0_THRESHOLD = 50_000


def tune_garbage_collector(gen0_threshold: int = GEN0_THRESHOLD) -> None:
    """Call once, after start-up has loaded everything long-lived and before the first request."""
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(gen0_threshold, gen1, gen2)

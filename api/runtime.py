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
    import os, time, sys
    if os.environ.get("EXP_GC") == "off":
        gc.disable()
    elif os.environ.get("EXP_GC"):
        a, b, c = map(int, os.environ["EXP_GC"].split(","))
        gc.set_threshold(a, b, c)
    stats = {0: [0, 0.0, 0.0], 1: [0, 0.0, 0.0], 2: [0, 0.0, 0.0]}
    start = [0.0]
    def cb(phase, info):
        if phase == "start":
            start[0] = time.perf_counter()
        else:
            s = stats[info["generation"]]; d = time.perf_counter() - start[0]; s[0] += 1; s[1] += d; s[2] = max(s[2], d)
    gc.callbacks.append(cb)
    import signal
    def report(*a):
        print("GCSTATS n,total ms,max ms", {g: (n, round(t * 1000, 1), round(m * 1000, 1)) for g, (n, t, m) in stats.items()}, "counts", gc.get_count(), "threshold", gc.get_threshold(), file=sys.stderr, flush=True)
        sys.exit(0)
    signal.signal(signal.SIGTERM, report)

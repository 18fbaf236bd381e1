"""Start-up tuning of the garbage collector: the loaded heap is frozen and young collections run less often."""

from __future__ import annotations

import gc

from api.runtime import GEN0_THRESHOLD, tune_garbage_collector


def test_start_up_freezes_what_is_loaded_and_raises_the_first_threshold():
    before = gc.get_threshold()
    try:
        tune_garbage_collector()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (GEN0_THRESHOLD, before[1], before[2])
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)

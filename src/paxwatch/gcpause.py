"""``gc_paused``: Python's cyclic garbage collector held off around a burst of work.

A batch of ingest (read, minimise, store) or of screening makes tens of thousands of
objects (model objects, digests, rows; prepared names, memo rows, matches) that live until
the batch is done and are then freed by reference counting. The collector, triggered every
700 allocations, traverses them again and again (and, every so often, everything else the
process holds): about a fifth of an ingest worker's CPU. What cyclic garbage a batch leaves
is collected by the first collection after it. ``freeze_long_lived`` takes what a process
keeps for its lifetime (the active lists' screener: ~1.8 million tracked objects for a
100,000-name list) out of the collector's reach. A module of its own, importing nothing of
paxwatch, so that every stage may use it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["freeze_long_lived", "gc_paused"]


_lock = threading.Lock()
_depth = 0
_restore = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off the cyclic collector inside the block, and for as long as another thread is
    inside such a block too (the collector is one per process: the retention job's chunks
    run on several threads at once, the API's threads share a ``paxwatch serve``); back on
    after the last block ends if it was on before the first one began, so nothing is
    changed when it was already off (a caller's choice)."""
    global _depth, _restore
    with _lock:
        if _depth == 0:
            _restore = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _restore:
                gc.enable()


def freeze_long_lived() -> None:
    """Move every object alive out of the cyclic collector's reach (``gc.freeze``), after
    collecting what is garbage: call it once something that lives as long as the process
    uses it has been built (``assess.screen.current_screener`` does, after building the
    active lists' screener). Every full collection walks every tracked object: ~0.85 s of
    CPU with the screener of a 100,000-name list (~1.8 million objects), paid at random
    within the screening of a flight whenever enough new objects have survived; frozen,
    they are never walked. What an earlier call froze is unfrozen first, so a screener
    replaced since (garbage now, cycles included) is collected, not kept."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()

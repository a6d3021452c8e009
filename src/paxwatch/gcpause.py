"""``gc_paused``: Python's cyclic garbage collector held off around a burst of work.

A batch of ingest (read, minimise, store) or of screening makes tens of thousands of
objects (model objects, digests, rows; prepared names, memo rows, matches) that live until
the batch is done and are then freed by reference counting. The collector, triggered every
700 allocations, traverses them again and again (and, every so often, everything else the
process holds): about a fifth of an ingest worker's CPU. What cyclic garbage a batch leaves
is collected by the first collection after it. A module of its own, importing nothing of
paxwatch, so that every stage may use it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off the cyclic collector inside the block; nothing is changed when it is
    already off (a caller's choice, or an enclosing block)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()

"""Batch screening in worker processes that share one screener copy-on-write.

    with ScreeningPool(screener, workers=2) as pool:
        results = pool.screen_many(subjects)        # list[list[Match]], in order

The workers are forked after the screener is built, so the index is not pickled nor
rebuilt: each worker reads the parent's memory (``gc.freeze`` keeps the collector from
touching, hence copying, the shared objects). Subjects go to the workers in chunks and the
matches come back in order; the results are exactly those of ``Screener.screen``. Where
``fork`` is unavailable, or for one worker, screening stays in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterable, Sequence
from multiprocessing.pool import Pool
from types import TracebackType
from typing import TYPE_CHECKING

from paxwatch.screening.score import Match
from paxwatch.screening.subject import Subject

if TYPE_CHECKING:
    from paxwatch.screening.screen import Screener

CHUNK_SIZE = 200
"""Subjects sent to a worker at a time."""

_SHARED: Screener | None = None
"""The screener inherited by forked workers."""


def _screen_chunk(chunk: Sequence[Subject]) -> list[list[Match]]:
    screener = _SHARED
    if screener is None:  # pragma: no cover - only if a worker was not forked from a pool
        raise RuntimeError("no screener in this worker")
    return [screener.screen(subject) for subject in chunk]


def can_fork() -> bool:
    """Whether worker processes can share the screener (the ``fork`` start method)."""
    return "fork" in multiprocessing.get_all_start_methods()


class ScreeningPool:
    """Worker processes forked with a built screener; reusable for many batches."""

    def __init__(self, screener: Screener, workers: int = 2) -> None:
        self.screener = screener
        self.workers = workers if can_fork() else 1
        self._pool: Pool | None = None

    def __enter__(self) -> ScreeningPool:
        global _SHARED
        if self.workers > 1:
            _SHARED = self.screener
            gc.freeze()
            try:
                self._pool = multiprocessing.get_context("fork").Pool(self.workers)
            finally:
                gc.unfreeze()
                _SHARED = None
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def screen_many(
        self, subjects: Iterable[Subject], chunk_size: int = CHUNK_SIZE
    ) -> list[list[Match]]:
        """The matches of each subject, in order (``Screener.screen`` of each)."""
        items = list(subjects)
        if self._pool is None or len(items) <= chunk_size:
            return [self.screener.screen(subject) for subject in items]
        chunks = [items[i : i + chunk_size] for i in range(0, len(items), chunk_size)]
        out: list[list[Match]] = []
        for part in self._pool.imap(_screen_chunk, chunks):
            out.extend(part)
        return out


def screen_many(
    screener: Screener, subjects: Iterable[Subject], *, workers: int = 2
) -> list[list[Match]]:
    """Screen a batch with ``workers`` forked processes (started and stopped for this batch;
    keep a ``ScreeningPool`` open to screen many batches)."""
    with ScreeningPool(screener, workers) as pool:
        return pool.screen_many(subjects)

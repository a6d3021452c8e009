"""Batch screening in worker processes that share one screener copy-on-write.

    with ScreeningPool(screener, workers=2) as pool:
        results = pool.screen_many(subjects)        # list[list[Match]], in order

``workers`` is the number of processes that screen: the calling process and
``workers - 1`` worker processes forked after the screener is built, so the index is not
pickled nor rebuilt: each worker reads the parent's memory (``gc.freeze`` while the pool
is open keeps the collector from touching, hence copying, the shared objects). A batch is split by
a key of the traveller's first name (``shard_of``): each process always screens the same
names, so the memos of names and token pairs that a process fills are not filled again by
another one, and stay warm for the next batches of the pool. A worker's share goes to it
in one message and its matches come back in one; the caller screens its own share in the
meantime (the cyclic collector paused, as in the workers) and puts the results back in
input order: they are exactly those of ``Screener.screen``. Where ``fork`` is unavailable,
for one worker, or for a small batch, screening stays in the calling process.
"""

from __future__ import annotations

import gc
import multiprocessing
import zlib
from collections.abc import Iterable, Sequence
from contextlib import suppress
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import TYPE_CHECKING

from paxwatch.gcpause import gc_paused
from paxwatch.screening.score import Match
from paxwatch.screening.subject import Subject

if TYPE_CHECKING:
    from paxwatch.screening.screen import Screener

MIN_SPLIT = 200
"""Batches of at most this many subjects are screened in the calling process (sending a
share to a worker costs more than it saves)."""


def shard_of(subject: Subject, shards: int) -> int:
    """The process (0 is the caller) that screens ``subject``: a stable hash (CRC-32) of its
    first name as given, the key of the screener's name memo."""
    text = subject.names[0] if subject.names else ""
    return zlib.crc32(text.encode("utf-8", "surrogatepass")) % shards


def _screen_all(screener: Screener, subjects: Sequence[Subject]) -> list[list[Match]]:
    with gc_paused():
        return [screener.screen(subject) for subject in subjects]


def _serve(screener: Screener, conn: Connection) -> None:
    """A worker: screen each list of subjects received, send back the matches (or the
    exception raised), until ``None``."""
    while True:
        subjects: list[Subject] | None = conn.recv()
        if subjects is None:
            conn.close()
            return
        try:
            conn.send(_screen_all(screener, subjects))
        except Exception as exc:  # the caller raises it
            conn.send(exc)


def can_fork() -> bool:
    """Whether worker processes can share the screener (the ``fork`` start method)."""
    return "fork" in multiprocessing.get_all_start_methods()


class ScreeningPool:
    """The calling process and ``workers - 1`` processes forked with a built screener;
    reusable for many batches."""

    def __init__(self, screener: Screener, workers: int = 2) -> None:
        self.screener = screener
        self.workers = max(1, workers) if can_fork() else 1
        self._links: list[tuple[BaseProcess, Connection]] = []
        self._frozen = False

    def __enter__(self) -> ScreeningPool:
        if self.workers > 1:
            context = multiprocessing.get_context("fork")
            # Frozen until the pool closes (the caller screens too, see ``_stop``), unless
            # something was frozen for good before (``gcpause.freeze_long_lived``).
            self._frozen = gc.get_freeze_count() == 0
            gc.freeze()
            try:
                for _ in range(self.workers - 1):
                    mine, theirs = context.Pipe()
                    process = context.Process(
                        target=_serve, args=(self.screener, theirs), daemon=True
                    )
                    process.start()
                    theirs.close()
                    self._links.append((process, mine))
            except BaseException:
                self._stop()
                raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop()

    def _stop(self) -> None:
        """Stop the workers; the objects frozen when they were forked are the collector's
        again (unless the process had frozen objects for good before: then they all stay
        frozen). While the pool is open they stay frozen: a full collection in the caller
        would write to the header of every shared object, copying nearly all its pages."""
        for process, conn in self._links:
            with suppress(OSError):  # the worker is gone already
                conn.send(None)
            conn.close()
            process.join()
        self._links = []
        if self._frozen:
            gc.unfreeze()
            self._frozen = False

    def screen_many(
        self, subjects: Iterable[Subject], min_split: int = MIN_SPLIT
    ) -> list[list[Match]]:
        """The matches of each subject, in order (``Screener.screen`` of each)."""
        items = list(subjects)
        if not self._links or len(items) <= min_split:
            return _screen_all(self.screener, items)
        shards = len(self._links) + 1
        positions: list[list[int]] = [[] for _ in range(shards)]
        for i, subject in enumerate(items):
            positions[shard_of(subject, shards)].append(i)
        for (_process, conn), share in zip(self._links, positions[1:], strict=True):
            conn.send([items[i] for i in share])
        out: list[list[Match]] = [[] for _ in items]
        failure: BaseException | None = None
        try:
            own = _screen_all(self.screener, [items[i] for i in positions[0]])
            for i, matches in zip(positions[0], own, strict=True):
                out[i] = matches
        except BaseException as exc:  # the workers' answers are still read (next batch)
            failure = exc
        for (_process, conn), share in zip(self._links, positions[1:], strict=True):
            received: list[list[Match]] | Exception = conn.recv()
            if isinstance(received, Exception):
                failure = failure or received
                continue
            for i, matches in zip(share, received, strict=True):
                out[i] = matches
        if failure is not None:
            raise failure
        return out


def screen_many(
    screener: Screener, subjects: Iterable[Subject], *, workers: int = 2
) -> list[list[Match]]:
    """Screen a batch with ``workers`` processes, this one included (the others forked and
    stopped for this batch; keep a ``ScreeningPool`` open to screen many batches)."""
    with ScreeningPool(screener, workers) as pool:
        return pool.screen_many(subjects)

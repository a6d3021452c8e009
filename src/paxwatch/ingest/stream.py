"""``ingest_stream``: a stream of inputs stored in batches, in one process or in several.

With ``jobs > 1``, ``jobs`` worker processes each take whole batches: a worker reads and
minimises its batch (``prepare``), then waits for its turn and stores it in one
transaction, then passes the turn on. Batches are committed strictly in stream order
(batch ``n`` commits before batch ``n + 1`` is stored), so versions are made in arrival
order exactly as in one process; while one worker stores, the others read the next
batches. Nothing but the input bytes goes to a worker and nothing but the (small) results
come back: no model objects or rows cross processes. This process only hands out the
batches, yields the results in order and calls the assessment hooks (``notify_hooks``) for
each committed batch.

What a batch does in its turn bounds the rate, so a worker does beforehand whatever does
not depend on the batches before it:

- SQLite (one writer at a time): it builds the rows of the bookings that differ from their
  stored version, in the database's form (``prepare.prebuild``), so that its turn is mostly
  inserts; and after its turn it checkpoints the write-ahead log (``Store.
  defer_checkpoints``): a commit no longer copies the log into the database file in the
  turn (SQLite's default, at every 1,000 pages: about every batch).
- PostgreSQL: it analyses the tables the correlation looks up if they are stale (in a
  transaction of its own), then opens its batch's transaction and inserts there the
  travellers and child rows of those bookings (``prepare.stage_early``, ``store.early``);
  they are invisible to every other transaction until the commit. In its turn it decides
  the versions from what is committed by then, as always, and keeps, re-owns or deletes
  those rows accordingly: the stored data is that of one process.

A worker checks, once it holds the turn, which inputs of its batch an earlier batch stored
meanwhile (a resend close behind the original): those are acknowledged as duplicates.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing.context import BaseContext
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Condition, Event
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError

from paxwatch.ingest.pipeline import (
    DEFAULT_BATCH,
    chunks,
    gc_paused,
    ingest_many,
    known,
    known_hashes,
    merge_known,
    notify_hooks,
    store_batch,
    store_each,
    with_timings,
    write_batch,
)
from paxwatch.ingest.prepare import Prepared, prebuild, prepare, stage_early
from paxwatch.ingest.results import IngestItem, IngestResult
from paxwatch.privacy.minimise import MinimiseConfig, load_config
from paxwatch.store.engine import Store, open_store
from paxwatch.store.flight_times import load_zones
from paxwatch.store.keys import sha256_hex
from paxwatch.store.relink import refresh_link_statistics

__all__ = ["DEFAULT_BATCH", "ingest_stream"]

#: How long a worker waiting for its turn sleeps between checks that the stream goes on.
_POLL = 1.0
#: The shared memory for the booking ids claimed by one batch (``_Turns.claim``): about
#: 40 bytes a booking.
_SLOT_BYTES = 1 << 18
_log = logging.getLogger(__name__)


def ingest_stream(
    store: Store,
    items: Iterable[IngestItem],
    *,
    batch: int = DEFAULT_BATCH,
    jobs: int = 1,
    config: MinimiseConfig | None = None,
) -> Iterator[IngestResult]:
    """Ingest a stream of inputs in batches, yielding one result per input, in order.

    With ``jobs > 1`` the batches are read and stored by that many worker processes taking
    turns (see the module doc); a store that other processes cannot open (an in-memory
    SQLite database) is written by this process alone.
    """
    config = config or load_config()
    url = shareable_url(store)
    if jobs <= 1 or url is None:
        for chunk in chunks(items, batch):
            yield from ingest_many(store, chunk, config=config)
        return
    yield from _in_processes(url, items, batch, jobs, config)


def shareable_url(store: Store) -> str | None:
    """The store's URL with its password, or None when another process cannot open it."""
    url = store.engine.url
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database in ("", ":memory:") or "mode=memory" in str(url.query):
            return None
    return url.render_as_string(hide_password=False)


class _Turns:
    """Whose turn it is to store: batch numbers in order, shared by the worker processes;
    and the ids that the batches in flight give the bookings they will create (PostgreSQL,
    ``claim``), one slot of shared memory per batch that can be in flight."""

    def __init__(self, ctx: BaseContext, in_flight: int = 8) -> None:
        self.cond: Condition = ctx.Condition()
        self.next: Synchronized[int] = ctx.Value("q", 0, lock=False)
        self.stopped: Event = ctx.Event()
        self.slots = in_flight + 1
        self.claims = ctx.RawArray("c", self.slots * _SLOT_BYTES)
        self.claim_of = ctx.RawArray("q", [-1] * self.slots)
        self.claim_size = ctx.RawArray("q", self.slots)

    def claim(self, number: int, ids: dict[str, int]) -> None:
        """Batch ``number`` (staged, not committed) creates the bookings ``ids`` (key → id)
        with these ids unless another batch does first: the later batches staged meanwhile
        give their early rows the same ids (``claimed``), which saves re-owning them in
        their turn. (Too many to share: nothing is shared, which only costs that.)"""
        blob = pickle.dumps(ids)
        if not ids or len(blob) > _SLOT_BYTES:
            return
        slot = number % self.slots
        start = slot * _SLOT_BYTES
        with self.cond:
            self.claims[start : start + len(blob)] = blob
            self.claim_size[slot] = len(blob)
            self.claim_of[slot] = number

    def claimed(self, number: int) -> dict[str, int]:
        """The ids claimed by the batches before ``number`` not yet committed (for a key
        claimed twice, the earlier batch's: it commits first)."""
        out: dict[str, int] = {}
        with self.cond:
            for earlier in range(number - 1, self.next.value - 1, -1):
                slot = earlier % self.slots
                if self.claim_of[slot] != earlier:
                    continue
                start = slot * _SLOT_BYTES
                out.update(pickle.loads(self.claims[start : start + self.claim_size[slot]]))
        return out

    def wait(self, number: int) -> None:
        """Block until batch ``number`` may be stored (raises if the stream was stopped)."""
        with self.cond:
            while self.next.value != number:
                if self.stopped.is_set():
                    raise RuntimeError("the ingest stream was stopped")
                self.cond.wait(_POLL)

    def done(self, number: int) -> None:
        """Batch ``number`` is committed (or failed): the next one may go."""
        with self.cond:
            self.next.value = number + 1
            self.cond.notify_all()

    def stop(self) -> None:
        self.stopped.set()
        with self.cond:
            self.cond.notify_all()


@dataclass(slots=True)
class _Worker:
    store: Store
    config: MinimiseConfig
    turns: _Turns


_WORKER: list[_Worker] = []


def _start(url: str, config: MinimiseConfig, turns: _Turns) -> None:
    """Worker process initialiser: its own connection to the store; the airports' time
    zones read (inherited from this process when workers are forked)."""
    load_zones()
    store = open_store(url)
    store.defer_checkpoints()
    _WORKER.append(_Worker(store, config, turns))


def _run(number: int, items: list[IngestItem]) -> list[IngestResult]:
    """In a worker: read and minimise batch ``number``, then store it in its turn (with
    the cyclic garbage collector held off, see ``pipeline.gc_paused``)."""
    with gc_paused():
        return _read_and_store(number, items)


def _read_and_store(number: int, items: list[IngestItem]) -> list[IngestResult]:
    worker = _WORKER[0]
    found = known(worker.store, items)
    fresh = [i for i in items if sha256_hex(i.data) not in found]
    read = [prepare(item, worker.config) for item in fresh]
    if read and not worker.store.is_sqlite:
        return _store_early(number, items, found, read)
    prepared = prebuild(worker.store, read)
    t0 = time.perf_counter()
    worker.turns.wait(number)
    t1 = time.perf_counter()
    try:
        late = known_hashes(worker.store, [p.content_hash for p in read]) if read else {}
        if late:
            found = {**found, **late}
            prepared = [p for p in prepared if p.content_hash not in late]
        stored = store_batch(worker.store, prepared, notify=False) if prepared else []
    finally:
        worker.turns.done(number)
    t2 = time.perf_counter()
    # Off the serial path: the next batch is being stored meanwhile (``defer_checkpoints``).
    worker.store.checkpoint_passive()
    stored = _with_turn(stored, (t1 - t0) / len(items), (t2 - t1) / len(items))
    return merge_known(items, found, stored) if found else stored


def _store_early(
    number: int, items: list[IngestItem], found: dict[str, int], prepared: list[Prepared]
) -> list[IngestResult]:
    """PostgreSQL: open the batch's transaction and insert the rows of its likely new
    versions (``prepare.stage_early``) before the turn; in the turn, store the batch in the
    same transaction, commit, pass the turn on. If the transaction fails, its inputs are
    stored one by one in the turn (as ``store_batch`` does)."""
    worker = _WORKER[0]
    held = False
    t0 = t1 = time.perf_counter()
    c1 = time.process_time()
    try:
        try:
            with worker.store.write() as conn:
                # Committed at once: ANALYZE holds its lock to the end of its transaction.
                refresh_link_statistics(conn)
            # Read before the committed state is: a batch that commits in between shows
            # its bookings there, with the ids it claimed.
            claimed = worker.turns.claimed(number)
            with worker.store.write() as conn:
                staged, early = stage_early(conn, prepared, claimed)
                worker.turns.claim(
                    number, {e.key: e.booking_id for e in early.values() if e.new_booking}
                )
                t0 = time.perf_counter()
                worker.turns.wait(number)
                held = True
                t1, c1 = time.perf_counter(), time.process_time()
                found, staged = _late(worker.store, found, staged)
                stored = write_batch(conn, staged, early) if staged else []
            stored = with_timings(stored, staged, t1, c1)
        except (IntegrityError, DBAPIError):
            _log.warning("batch failed, storing its inputs one by one", exc_info=True)
            if not held:
                t0 = time.perf_counter()
                worker.turns.wait(number)
                held = True
                t1 = time.perf_counter()
            found, prepared = _late(worker.store, found, prepared)
            stored = store_each(worker.store, prepared)
    finally:
        if held:
            worker.turns.done(number)
    t2 = time.perf_counter()
    stored = _with_turn(stored, (t1 - t0) / len(items), (t2 - t1) / len(items))
    return merge_known(items, found, stored) if found else stored


def _late(
    store: Store, found: dict[str, int], prepared: list[Prepared]
) -> tuple[dict[str, int], list[Prepared]]:
    """Inputs of ``prepared`` that an earlier batch stored meanwhile (a resend close behind
    the original) join ``found``, and leave ``prepared``."""
    late = known_hashes(store, [p.content_hash for p in prepared]) if prepared else {}
    if not late:
        return found, prepared
    return {**found, **late}, [p for p in prepared if p.content_hash not in late]


def _with_turn(results: list[IngestResult], wait: float, turn: float) -> list[IngestResult]:
    """``results`` with each one's share of the batch's wait for the turn and time in it."""
    return [replace(r, timings=replace(r.timings, wait=wait, turn=turn)) for r in results]


def _in_processes(
    url: str, items: Iterable[IngestItem], batch: int, jobs: int, config: MinimiseConfig
) -> Iterator[IngestResult]:
    ctx = multiprocessing.get_context()
    load_zones()
    # Batches handed out ahead, so that a worker that has stored one finds the next waiting
    # even while this process runs the assessment hooks.
    ahead = 2 * jobs
    turns = _Turns(ctx, ahead)
    initargs: tuple[Any, ...] = (url, config, turns)
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_start, initargs=initargs)
    pending: deque[Future[list[IngestResult]]] = deque()
    try:
        for number, chunk in enumerate(chunks(items, batch)):
            pending.append(pool.submit(_run, number, chunk))
            if len(pending) >= ahead:
                yield from _committed(pending.popleft())
        while pending:
            yield from _committed(pending.popleft())
    except BaseException:
        turns.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _committed(future: Future[list[IngestResult]]) -> list[IngestResult]:
    results = future.result()
    notify_hooks(results)
    return results

"""The big retention steps (5 years, mask age) on several connections at once (PostgreSQL).

On PostgreSQL most of a chunk's CPU is the server's backend, which works on one core while
the client waits. With ``jobs`` > 1 a step reads ``jobs × chunk`` rows at a time (a
*round*), seals the figures of the round's flights, then runs the round as ``jobs`` chunks
on ``jobs`` connections at once (threads: psycopg releases the GIL while the server works),
and reads the next round once they have all committed. Every guarantee of the serial walk
holds:

- each chunk is one transaction with its own audit events (one ``DeletionEvent`` per kind
  of record), its counts added to the run's report once it has committed;
- the chunks of a round never share an owner: the rows are split by a *group* (the booking
  of a version, the API list of an API traveller, the raw message itself), contiguous
  ranges of groups of about equal size, so a booking whose last version goes is deleted
  by exactly one chunk (two chunks deleting versions of one booking would each still see
  the other's, not yet committed, and neither would delete it), and the dependent rows
  (booking_flight, hits, links, identifiers…) belong to one chunk's owners only; the one
  row they share is the audit trail's anchor, which a chunk locks to append its events as
  the last thing before its commit (so commits follow one another; no deadlock on it);
- the flights' figures (``flight_figures.seal_flights``) are sealed before any chunk of
  the round touches their data, themselves split by flight over the connections (a
  flight sealed by one transaction only), each in its own committed transaction;
- a chunk that meets a deadlock or serialisation failure (``40P01``/``40001``; none is
  expected with the split above, but other writers run too) is rolled back and run again
  from scratch, as ingest does;
- if a chunk fails, the others of its round still commit (their counts are in the report),
  the error is raised, and the next run does what is left (each chunk is whole or absent).

``jobs`` = 1 (SQLite: one writer; a dry run: one transaction) is the serial walk
(``Run.batches``), chunk by chunk, the flights sealed inside each chunk; so is a round of
fewer than ``jobs × MIN_PART`` rows (the last one, or a step with little to do).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from paxwatch.privacy.flight_figures import seal_flights
from paxwatch.privacy.retention_report import RetentionReport
from paxwatch.privacy.retention_run import Run

_log = logging.getLogger(__name__)
ATTEMPTS = 5
MIN_PART = 1_000
"""A round of fewer than ``jobs × MIN_PART`` rows runs chunk by chunk on one connection:
splitting it would cost more (threads, a transaction to seal its flights) than it saves."""
Query = Callable[[Connection, int, int], list[Any]]
"""(connection, last id, limit) → rows whose first column is an increasing id."""
Work = Callable[[Run, Connection, list[Any]], None]
"""Handles a chunk's rows in the given connection, counting in the given run's report."""
Group = Callable[[Any], int]
"""A row's owner: rows of one owner go to the same chunk."""
Flights = Callable[[Connection, list[Any]], list[int]]
"""The flights whose figures must be sealed before the rows are touched."""


def split(rows: Sequence[Any], group: Group, parts: int) -> list[list[Any]]:
    """``rows`` in at most ``parts`` lists of about equal size, each a contiguous range of
    groups (no group in two lists), each list in the rows' order."""
    groups: dict[int, list[Any]] = {}
    for row in rows:
        groups.setdefault(group(row), []).append(row)
    out: list[list[Any]] = [[]]
    share = len(rows) / max(1, parts)
    done = 0
    for key in sorted(groups):
        size = len(groups[key])
        # A new part once this group would end nearer the next share than the current one.
        if out[-1] and done + size / 2 > share * len(out) and len(out) < parts:
            out.append([])
        out[-1].extend(groups[key])
        done += size
    return [sorted(part, key=lambda r: int(r[0])) for part in out if part]


def fan_out(
    run: Run, step: str, query: Query, work: Work, *, group: Group, flights: Flights | None
) -> None:
    """Walk ``query``'s rows upwards and ``work`` them: chunk by chunk if ``run.jobs`` is 1,
    else round by round on ``run.jobs`` connections at once (see the module doc)."""
    if run.jobs <= 1:
        for conn, rows in run.batches(step, lambda c, last: query(c, last, run.chunk)):
            work(run, conn, rows)
            run.tick(step, len(rows))
        return
    last = 0
    with ThreadPoolExecutor(max_workers=run.jobs, thread_name_prefix="retention") as pool:
        while True:
            with run.tx() as conn:
                rows = query(conn, last, run.chunk * run.jobs)
                fanned = len(rows) >= run.jobs * MIN_PART
                # (a round run serially seals its flights inside its chunks)
                todo = flights(conn, rows) if fanned and flights is not None else []
            if not rows:
                return
            last = int(rows[-1][0])
            if not fanned:
                _serially(run, step, rows, work)
                continue
            todo = sorted(set(todo).difference(run.sealed))
            if todo:
                flight_rows = [(i,) for i in todo]
                parts = split(flight_rows, lambda r: int(r[0]), run.jobs)
                _round(run, pool, step, parts, _seal, tick=False)
                run.sealed.update(todo)
            _round(run, pool, step, split(rows, group, run.jobs), work, tick=True)


def _serially(run: Run, step: str, rows: list[Any], work: Work) -> None:
    """A round too small to be worth splitting (the last one, or a step with little to do):
    chunk by chunk on this thread, the flights sealed inside each chunk, as the serial
    walk does (so its chunks and audit events are the serial walk's)."""
    for start in range(0, len(rows), run.chunk):
        part = rows[start : start + run.chunk]
        _merge(run, _chunk(run, step, part, work, presealed=False))
        run.tick(step, len(part))


def _seal(run: Run, conn: Connection, rows: list[Any]) -> None:
    run.report.flights_sealed += seal_flights(conn, [int(r[0]) for r in rows], run.now)


def _round(
    run: Run,
    pool: ThreadPoolExecutor,
    step: str,
    parts: list[list[Any]],
    work: Work,
    *,
    tick: bool,
) -> None:
    """Run ``parts`` at once, each a chunk in its own transaction; add the counts of those
    that committed to the run's report; raise the first error once all are done."""
    futures: list[Future[Run]] = [
        pool.submit(_chunk, run, step, part, work, presealed=True) for part in parts
    ]
    error: BaseException | None = None
    for future, part in zip(futures, parts, strict=True):
        try:
            done = future.result()
        except BaseException as exc:  # the others still commit; the next run does the rest
            error = error or exc
            continue
        _merge(run, done)
        if tick:
            run.tick(step, len(part))
    if error is not None:
        raise error


def _chunk(run: Run, step: str, rows: list[Any], work: Work, *, presealed: bool) -> Run:
    """One chunk in its own transaction, counted in a report of its own (threads must not
    share one: the audit events are the difference of its counts), retried from scratch on
    a deadlock or serialisation failure. ``presealed``: the flights of its rows are sealed
    already; else it seals them (and the flights it sealed count once it has committed)."""
    for attempt in range(1, ATTEMPTS + 1):
        report = RetentionReport(
            policy=run.report.policy, now=run.report.now, dry_run=run.report.dry_run
        )
        mine = dataclasses.replace(
            run,
            report=report,
            touched_raw=set(),
            sealed=run.sealed if presealed else set(run.sealed),
            presealed=presealed,
            jobs=1,
            progress=None,
        )
        try:
            with run.tx() as conn:
                before = report.counts()
                work(mine, conn, rows)
                mine.audit(conn, step, before)
            return mine
        except DBAPIError as exc:
            if attempt == ATTEMPTS or not retryable(exc):
                raise
            _log.warning("retention: write conflict, retrying the chunk (attempt %d)", attempt)
            time.sleep(0.01 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def retryable(exc: DBAPIError) -> bool:
    """A deadlock or serialisation failure reported by PostgreSQL."""
    return getattr(exc.orig, "sqlstate", None) in ("40001", "40P01")


def _merge(run: Run, done: Run) -> None:
    for name, value in done.report.counts().items():
        if value:
            setattr(run.report, name, getattr(run.report, name) + value)
    run.touched_raw.update(done.touched_raw)
    if done.sealed is not run.sealed:
        run.sealed.update(done.sealed)

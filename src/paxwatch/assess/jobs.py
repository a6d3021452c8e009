"""Assessment runs over a scope, in chunks: resumable jobs, re-screening, the pending sweep.

``run_scope`` walks a scope (a flight, a day, the whole legal window) in chunks of
travellers, resumably: an ``assess_job`` row holds the last traveller id done and is
updated in the same transaction as the hits of each chunk, so a run killed half-way
continues where it stopped. ``pending_pairs`` finds travellers no assessment ran on (the
hook is called after the ingest commit, so a crash in between misses it). Each chunk is
``paxwatch.assess.run.assess_pairs``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, and_, exists, or_, select, update

from paxwatch.assess import rules as rules_
from paxwatch.assess import screen as screen_
from paxwatch.assess.hits import (
    digest_values,
)
from paxwatch.assess.load import (
    Scope,
    count_pairs,
    pairs_query,
    traveller_pairs,
)
from paxwatch.assess.outcome import AssessCounts as AssessCounts
from paxwatch.assess.outcome import Assessors as Assessors
from paxwatch.assess.run import Progress, assess_pairs, current_assessors
from paxwatch.assess.run_api import assess_api_scope
from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.screening.screen import Screener
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow


def _job(
    conn: Connection, kind: str, scope: Scope, digest: str, total: int, resume: bool
) -> tuple[int, int, int]:
    """(job id, last traveller id, done) of an unfinished run to resume, or a new one."""
    job = sa_.assess_job
    if resume:
        row = conn.execute(
            select(job.c.id, job.c.last_traveller_id, job.c.done)
            .where(
                job.c.kind == kind,
                job.c.scope == scope.describe(),
                job.c.digest == digest,
                job.c.finished_at.is_(None),
            )
            .order_by(job.c.id.desc())
            .limit(1)
        ).first()
        if row is not None:
            return int(row[0]), int(row[1]), int(row[2])
    now = utcnow()
    result = conn.execute(
        job.insert()
        .values(
            kind=kind,
            scope=scope.describe(),
            digest=digest,
            window_from=scope.window_from,
            last_traveller_id=0,
            total=total,
            done=0,
            hits=0,
            started_at=now,
            updated_at=now,
        )
        .returning(job.c.id)
    )
    return int(result.scalar_one()), 0, 0


def run_scope(
    store: Store,
    scope: Scope,
    assessors: Assessors,
    *,
    kind: str = "rescreen",
    chunk: int = 2000,
    resume: bool = True,
    progress: Progress | None = None,
    stop_after: int | None = None,
) -> AssessCounts:
    """Assess every pair of ``scope`` in chunks, resumable (see module docstring).

    ``stop_after``: stop after that many chunks (tests simulate an interrupted run).
    """
    digest = digest_values(
        assessors.screening_digest, assessors.rules.digest if assessors.rules else None, kind
    )
    with store.write() as conn:
        total = count_pairs(conn, scope)
        job_id, after, done = _job(conn, kind, scope, digest, total, resume)
    counts = AssessCounts(job_id=job_id, resumed_from=after or None)
    chunks = 0
    while True:
        with store.read() as conn:
            pairs = traveller_pairs(conn, scope, after=after, limit=chunk)
        if not pairs:
            break
        last = pairs[-1][0]
        done += len(pairs)

        def checkpoint(
            conn: Connection, part: AssessCounts, last: int = last, done: int = done
        ) -> None:
            job = sa_.assess_job
            conn.execute(
                update(job)
                .where(job.c.id == job_id)
                .values(
                    last_traveller_id=last,
                    done=done,
                    hits=job.c.hits + part.watchlist_hits + part.rule_hits,
                    updated_at=utcnow(),
                )
            )

        counts.add(assess_pairs(store, pairs, assessors, checkpoint=checkpoint))
        after = last
        if progress is not None:
            progress(done, max(total, done))
        chunks += 1
        if stop_after is not None and chunks >= stop_after:
            return counts
    # The API travellers of the scope that match no booking, every one of them again.
    counts.add(assess_api_scope(store, scope, assessors, force=True))
    with store.write() as conn:
        job = sa_.assess_job
        conn.execute(update(job).where(job.c.id == job_id).values(finished_at=utcnow()))
    return counts


def rescreen_entries(
    store: Store,
    entries: Sequence[WatchlistEntry],
    scope: Scope,
    *,
    chunk: int = 2000,
    progress: Progress | None = None,
) -> AssessCounts:
    """Screen the stored travellers of ``scope`` against ``entries`` only (the entries an
    import added or changed); the assessment is recorded with the active-list digest."""
    if not entries:
        return AssessCounts()
    active = screen_.current_screener(store)
    assessors = Assessors(
        screener=Screener(entries, active.screener.config),
        screening_digest=active.lists.digest,
        complete=False,
    )
    return run_scope(
        store,
        scope,
        assessors,
        kind=f"rescreen-entries:{len(entries)}",
        chunk=chunk,
        resume=False,
        progress=progress,
    )


def pending_pairs(
    conn: Connection, scope: Scope, kinds: Sequence[str], *, limit: int | None = None
) -> list[tuple[int, int]]:
    """Pairs of ``scope`` lacking an assessment of one of ``kinds`` (traveller id order)."""
    t, bf, a = s.traveller, s.booking_flight, sa_.assessment
    query = pairs_query(scope)
    missing = [
        ~exists().where(
            and_(a.c.traveller_id == t.c.id, a.c.flight_id == bf.c.flight_id, a.c.kind == kind)
        )
        for kind in kinds
    ]
    if missing:
        query = query.where(or_(*missing))
    query = query.order_by(t.c.id, bf.c.flight_id)
    if limit is not None:
        query = query.limit(limit)
    return [(r[0], r[1]) for r in conn.execute(query)]


def sweep_pending(
    store: Store,
    scope: Scope,
    *,
    chunk: int = 2000,
    progress: Progress | None = None,
) -> AssessCounts:
    """Assess the travellers of ``scope`` that no screening or rule evaluation ran on."""
    assessors = current_assessors(store)
    kinds = [screen_.KIND, rules_.KIND]
    counts = AssessCounts()
    with store.read() as conn:
        total = len(pending_pairs(conn, scope, kinds))
    done = 0
    tried: set[tuple[int, int]] = set()
    while True:
        with store.read() as conn:
            pairs = pending_pairs(conn, scope, kinds, limit=chunk)
        if not pairs or tried.issuperset(pairs):
            break  # nothing left, or only pairs that cannot be loaded
        tried.update(pairs)
        counts.add(assess_pairs(store, pairs, assessors))
        done += len(pairs)
        if progress is not None:
            progress(done, max(total, done))
    counts.add(assess_api_scope(store, scope, assessors))
    return counts


@dataclass(frozen=True, slots=True, kw_only=True)
class JobInfo:
    """A re-screening run and how far it went."""

    id: int
    kind: str
    scope: str
    total: int
    done: int
    hits: int
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    notes: tuple[str, ...] = field(default=())


def list_jobs(conn: Connection, limit: int = 20) -> list[JobInfo]:
    """The latest runs, newest first."""
    job = sa_.assess_job
    rows = conn.execute(select(job).order_by(job.c.id.desc()).limit(limit))
    return [
        JobInfo(
            id=r.id,
            kind=r.kind,
            scope=r.scope,
            total=r.total,
            done=r.done,
            hits=r.hits,
            started_at=r.started_at,
            updated_at=r.updated_at,
            finished_at=r.finished_at,
        )
        for r in rows
    ]

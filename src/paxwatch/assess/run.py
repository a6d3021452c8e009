"""Assessment runs: load travellers once, screen and evaluate rules, store hits durably.

``assess_pairs(store, pairs)`` is the unit of work of the ingest hook, the pending sweep
and re-screening: it loads the (traveller, flight) pairs from the store once, screens them
against the active lists and evaluates the active rules (contexts built once per
traveller), then in ONE write transaction stores the new hits and records in
``assessment`` which assessment (kind + digest of the list set / rule set) ran on each
pair. A result already stored for the same booking and flight with the same fingerprint
is not stored again; a watch-list match whose fingerprint a human dismissed is stored with
status ``suppressed`` (``suppression.is_suppressed``).

API travellers that match no booking are assessed on their own by
``paxwatch.assess.run_api`` (the hook, and at the end of ``run_scope`` and
``sweep_pending``); ``assess_pairs`` settles their hits once one is linked to a booked
traveller (``api_merge.merge_linked``).

``run_scope`` walks a scope (a flight, a day, the whole legal window) in chunks of
travellers, resumably: an ``assess_job`` row holds the last traveller id done and is
updated in the same transaction as the hits of each chunk, so a run killed half-way
continues where it stopped. ``pending_pairs`` finds travellers no assessment ran on (the
hook is called after the ingest commit, so a crash in between misses it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, and_, exists, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from paxwatch.assess import rules as rules_
from paxwatch.assess import screen as screen_
from paxwatch.assess.api_merge import merge_linked
from paxwatch.assess.hits import (
    Candidate,
    HitKind,
    HitStatus,
    digest_values,
    insert_hits,
)
from paxwatch.assess.load import (
    LoadedTraveller,
    Scope,
    count_pairs,
    load_travellers,
    pairs_query,
    traveller_pairs,
)
from paxwatch.assess.outcome import AssessCounts as AssessCounts
from paxwatch.assess.outcome import Assessors as Assessors
from paxwatch.assess.outcome import resolve as _resolve
from paxwatch.assess.run_api import assess_api_scope
from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.screening.screen import Screener
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow

Progress = Callable[[int, int], None]
"""Called with (pairs done, pairs in total) after each chunk."""


def current_assessors(store: Store, *, screening: bool = True, rules: bool = True) -> Assessors:
    """The screener of the active lists and the active rules (both cached)."""
    active = screen_.current_screener(store) if screening else None
    return Assessors(
        screener=active.screener if active else None,
        screening_digest=active.lists.digest if active else None,
        rules=rules_.current_ruleset(store) if rules else None,
    )


def supersede(
    conn: Connection,
    items: Sequence[LoadedTraveller],
    candidates: Sequence[Candidate],
    at: datetime,
    *,
    screened: bool = True,
) -> int:
    """Mark ``superseded`` the unreviewed hits of earlier versions of the same travellers
    (same booking, flight and traveller ref) that the new version does not reproduce with
    the same fingerprint: the hit moved to the new data, or the new data no longer hit
    (e.g. a date of birth that arrived with a later push rules a namesake out). With
    ``screened`` (a complete screener ran), so are the unreviewed watch-list hits of the
    same traveller rows that screening no longer reproduces: the API record of check-in
    completed the traveller (a date of birth, a document) and the hit moved or went."""
    h, t = sa_.hit, s.traveller
    current = {(i.booking_id, i.flight.flight_id, i.traveller.ref or "") for i in items}
    ids = {i.traveller_id for i in items}
    kept = {c.hit.fingerprint for c in candidates}
    stale: list[int] = []
    bookings = sorted({i.booking_id for i in items})
    for start in range(0, len(bookings), 500):
        query = (
            select(
                h.c.id,
                h.c.kind,
                h.c.traveller_id,
                h.c.booking_id,
                h.c.flight_id,
                h.c.fingerprint,
                t.c.ref,
            )
            .join(t, t.c.id == h.c.traveller_id)
            .where(
                h.c.booking_id.in_(bookings[start : start + 500]),
                h.c.status == HitStatus.NEW.value,
            )
        )
        for row in conn.execute(query):
            key = (row.booking_id, row.flight_id, row.ref or "")
            again = row.traveller_id in ids
            if again and not (screened and row.kind == HitKind.WATCHLIST.value):
                continue
            if key in current and row.fingerprint not in kept:
                stale.append(row.id)
    for start in range(0, len(stale), 500):
        conn.execute(
            update(h)
            .where(h.c.id.in_(stale[start : start + 500]))
            .values(status=HitStatus.SUPERSEDED.value, status_at=at)
        )
    return len(stale)


def record_assessments(
    conn: Connection,
    rows: Sequence[tuple[int, int, str, str, int]],
    at: datetime,
) -> None:
    """Upsert (traveller, flight, kind) → digest, hits, at."""
    if not rows:
        return
    values = [
        {"traveller_id": t, "flight_id": f, "kind": k, "digest": d, "hits": n, "at": at}
        for t, f, k, d, n in rows
    ]
    table = sa_.assessment
    if conn.dialect.name == "postgresql":
        pg = pg_insert(table)
        conn.execute(
            pg.on_conflict_do_update(
                index_elements=["traveller_id", "flight_id", "kind"],
                set_={"digest": pg.excluded.digest, "hits": pg.excluded.hits, "at": pg.excluded.at},
            ),
            values,
        )
    else:
        lite = sqlite_insert(table)
        conn.execute(
            lite.on_conflict_do_update(
                index_elements=["traveller_id", "flight_id", "kind"],
                set_={
                    "digest": lite.excluded.digest,
                    "hits": lite.excluded.hits,
                    "at": lite.excluded.at,
                },
            ),
            values,
        )


def assess_pairs(
    store: Store,
    pairs: Sequence[tuple[int, int]],
    assessors: Assessors,
    *,
    checkpoint: Callable[[Connection, AssessCounts], None] | None = None,
) -> AssessCounts:
    """Assess (traveller id, flight id) pairs with ``assessors`` and store the results."""
    counts = AssessCounts()
    started = time.perf_counter()
    want_rules = assessors.rules is not None and not assessors.rules.empty
    with store.read() as conn:
        items = load_travellers(conn, pairs, previous=want_rules, api=True)
    t1 = time.perf_counter()
    counts.load_seconds = t1 - started
    screened: list[list[Candidate]] = [[] for _ in items]
    if assessors.screener is not None:
        screened = screen_.watchlist_candidates(items, assessors.screener)
    t2 = time.perf_counter()
    counts.screening_seconds = t2 - t1
    ruled: list[list[Candidate]] = [[] for _ in items]
    if assessors.rules is not None and want_rules:
        # A rule hit's fingerprint names the booked traveller (not the API record that
        # completes it for screening): the values the rule saw record what else changed,
        # and an API list arriving later does not raise the same rule hit again.
        ruled = rules_.rule_candidates(
            items,
            assessors.rules.ruleset,
            [screen_.booked_subject(i).digest() for i in items],
        )
    t3 = time.perf_counter()
    counts.rules_seconds = t3 - t2
    at = utcnow()
    rows: list[tuple[int, int, str, str, int]] = []
    for item, found_s, found_r in zip(items, screened, ruled, strict=True):
        if assessors.screener is not None and assessors.screening_digest is not None:
            rows.append(
                (
                    item.traveller_id,
                    item.flight.flight_id,
                    screen_.KIND,
                    assessors.screening_digest,
                    len(found_s),
                )
            )
        if assessors.rules is not None:
            rows.append(
                (
                    item.traveller_id,
                    item.flight.flight_id,
                    rules_.KIND,
                    assessors.rules.digest,
                    len(found_r),
                )
            )
    candidates = [c for found in screened for c in found] + [c for found in ruled for c in found]
    counts.travellers = len(items)
    linked = [i for i in items if i.api_traveller_id is not None]
    with store.write() as conn:
        # API-only hits of the API travellers linked to these travellers: superseded, or
        # adopted with their review (and not raised a second time), see api_merge.
        fresh, merged = merge_linked(conn, linked, candidates, at)
        counts.superseded += merged.superseded
        counts.repeated += merged.dropped
        kept = _resolve(conn, fresh, counts)
        if assessors.complete:
            counts.superseded += supersede(
                conn, items, candidates, at, screened=assessors.screener is not None
            )
        insert_hits(conn, [c.hit for c in kept], at)
        record_assessments(conn, rows, at)
        if checkpoint is not None:
            checkpoint(conn, counts)
    counts.write_seconds = time.perf_counter() - t3
    counts.seconds = time.perf_counter() - started
    return counts


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

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

Runs over a whole scope (resumable jobs, re-screening, the pending sweep) are
``paxwatch.assess.jobs``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from paxwatch.assess import rules as rules_
from paxwatch.assess import screen as screen_
from paxwatch.assess.api_merge import merge_linked
from paxwatch.assess.hits import (
    Candidate,
    HitKind,
    HitStatus,
    insert_hits,
)
from paxwatch.assess.load import (
    LoadedTraveller,
    load_travellers,
)
from paxwatch.assess.outcome import AssessCounts as AssessCounts
from paxwatch.assess.outcome import Assessors as Assessors
from paxwatch.assess.outcome import resolve as _resolve
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

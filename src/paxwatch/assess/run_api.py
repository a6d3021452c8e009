"""Assessment runs over the API travellers that match no booking (see
``paxwatch.assess.api_only``): per flight, load them once, screen them and evaluate the
rules on what their API record gives, then in one write transaction store the new hits,
supersede the unreviewed ones the data no longer reproduce and record in
``api_assessment`` what ran. Called by the ingest hook for every flight of a push, and by
the runs over a scope (``run.run_scope``, ``run.sweep_pending``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from paxwatch.assess import rules as rules_
from paxwatch.assess import screen as screen_
from paxwatch.assess.api_only import (
    api_scope_flights,
    load_api_travellers,
    pending_api_travellers,
    record_api_assessments,
    rule_candidates,
    screen_candidates,
    supersede_api,
)
from paxwatch.assess.hits import Candidate, HitKind, insert_hits
from paxwatch.assess.load import Scope
from paxwatch.assess.outcome import AssessCounts, Assessors, resolve
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow


def api_digests(assessors: Assessors) -> dict[str, str]:
    """Kind → digest of what ``assessors`` run (what ``api_assessment`` records)."""
    out: dict[str, str] = {}
    if assessors.screener is not None and assessors.screening_digest is not None:
        out[screen_.KIND] = assessors.screening_digest
    if assessors.rules is not None:
        out[rules_.KIND] = assessors.rules.digest
    return out


def assess_api_flight(
    store: Store,
    flight_id: int,
    assessors: Assessors,
    *,
    force: bool = False,
    ids: Sequence[int] | None = None,
) -> AssessCounts:
    """Assess the API travellers of ``flight_id`` that match no booked traveller there and
    were not yet assessed with these lists and rules (``force``: all of them; ``ids``:
    those, found by the caller with ``pending_api_travellers``)."""
    counts = AssessCounts()
    started = time.perf_counter()
    digests = api_digests(assessors)
    if ids is not None and not ids:
        return counts
    with store.read() as conn:
        if ids is None:
            ids = pending_api_travellers(conn, flight_id, digests, force=force)
        items = load_api_travellers(conn, flight_id, ids) if ids else []
    if not items:
        return counts
    t1 = time.perf_counter()
    counts.load_seconds = t1 - started
    screened: list[list[Candidate]] = [[] for _ in items]
    if assessors.screener is not None:
        screened = screen_candidates(items, assessors.screener)
    t2 = time.perf_counter()
    counts.screening_seconds = t2 - t1
    ruled: list[list[Candidate]] = [[] for _ in items]
    if assessors.rules is not None and not assessors.rules.empty:
        ruled = rule_candidates(items, assessors.rules.ruleset)
    t3 = time.perf_counter()
    counts.rules_seconds = t3 - t2
    rows: list[tuple[int, int, str, str, int]] = []
    for item, found_s, found_r in zip(items, screened, ruled, strict=True):
        for kind, digest in digests.items():
            found = found_s if kind == screen_.KIND else found_r
            rows.append((item.api_traveller_id, flight_id, kind, digest, len(found)))
    candidates = [c for found in screened for c in found] + [c for found in ruled for c in found]
    kinds: list[HitKind] = []
    if assessors.screener is not None:
        kinds.append(HitKind.WATCHLIST)
    if assessors.rules is not None:
        kinds.append(HitKind.RULE)
    counts.travellers = len(items)
    at = utcnow()
    with store.write() as conn:
        kept = resolve(conn, candidates, counts)
        if assessors.complete:
            counts.superseded = supersede_api(conn, items, candidates, kinds, at)
        insert_hits(conn, [c.hit for c in kept], at)
        record_api_assessments(conn, rows, at)
    counts.write_seconds = time.perf_counter() - t3
    counts.seconds = time.perf_counter() - started
    return counts


def assess_api_scope(
    store: Store, scope: Scope, assessors: Assessors, *, force: bool = False
) -> AssessCounts:
    """:func:`assess_api_flight` on every flight of ``scope`` with API travellers that
    match no booking (one transaction per flight)."""
    with store.read() as conn:
        flights: Sequence[int] = api_scope_flights(conn, scope)
    counts = AssessCounts()
    for flight_id in flights:
        counts.add(assess_api_flight(store, flight_id, assessors, force=force))
    return counts

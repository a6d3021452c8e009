"""Assessment at ingest: the hook the ingest pipeline calls after each commit.

``install(store)`` registers a hook (``paxwatch.ingest.hooks.register``) that, for each
flight of a committed input, screens the new travellers against the active lists and
evaluates the active rules (``run.assess_pairs``: one load, contexts built once per
traveller, one write transaction for the hits and the assessment records). The screener
and the compiled rules are cached per active set and rebuilt when lists or rules change.

Every call also assesses the API travellers of the flight that match no booking and were
not yet assessed with the active lists and rules (``run_api.assess_api_flight``: crew,
transit passengers, travellers whose PNR never arrived), and first assesses again the
booked travellers now linked to an API traveller that has API-only hits, so that those
are superseded or adopted (``api_merge.merge_linked``), never left as a second open hit.

The hook runs after the ingest transaction has committed; a process killed in between
misses the call. Every assessment is recorded per traveller row and flight
(``assessment``), so ``sweep_pending`` (``paxwatch screen --pending``) finds and assesses
what was missed. A failing hook is logged by the pipeline and never undoes the ingest.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from paxwatch.assess.api_merge import linked_with_api_hits
from paxwatch.assess.api_only import pending_api_travellers
from paxwatch.assess.run import AssessCounts, assess_pairs, current_assessors
from paxwatch.assess.run_api import api_digests, assess_api_flight
from paxwatch.ingest import hooks
from paxwatch.store.engine import Store

_log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestAssessor:
    """The hook object: assesses new travellers of a flight and keeps running totals."""

    store: Store
    screening: bool = True
    rules: bool = True
    totals: AssessCounts = field(default_factory=AssessCounts)
    calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, flight_id: int, traveller_ids: tuple[int, ...]) -> None:
        assessors = current_assessors(self.store, screening=self.screening, rules=self.rules)
        with self.store.read() as conn:
            settle = linked_with_api_hits(conn, flight_id)
            pending = pending_api_travellers(conn, flight_id, api_digests(assessors))
        ids = tuple(dict.fromkeys((*traveller_ids, *settle)))
        counts = AssessCounts()
        if ids:
            counts = assess_pairs(self.store, [(tid, flight_id) for tid in ids], assessors)
        if pending:
            counts.add(assess_api_flight(self.store, flight_id, assessors, ids=pending))
        with self._lock:
            self.totals.add(counts)
            self.calls += 1
        _log.debug(
            "assessed at ingest",
            extra={
                "flight_id": flight_id,
                "travellers": counts.travellers,
                "watchlist_hits": counts.watchlist_hits,
                "rule_hits": counts.rule_hits,
            },
        )


_INSTALLED: dict[int, IngestAssessor] = {}


def install(store: Store, *, screening: bool = True, rules: bool = True) -> IngestAssessor:
    """Register the assessment hook for ``store`` (once per store) and return it."""
    existing = _INSTALLED.get(id(store))
    if existing is not None:
        return existing
    assessor = IngestAssessor(store, screening=screening, rules=rules)
    hooks.register(assessor)
    _INSTALLED[id(store)] = assessor
    return assessor


def uninstall(store: Store) -> None:
    """Remove the hook of ``store``."""
    assessor = _INSTALLED.pop(id(store), None)
    if assessor is not None:
        hooks.unregister(assessor)

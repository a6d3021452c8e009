"""A tiny synthetic day ingested with the hook registered: planted persons are hit with
their features stored, decoys mostly not; a rule backtest with the synthetic truth."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from paxwatch.assess.evaluate import synthetic_accuracy
from paxwatch.assess.hits import HitKind, HitStatus, hits_by_traveller, list_hits
from paxwatch.assess.hook import install
from paxwatch.assess.rules import activate_rule, backtest_stored, get_rule, import_rules, read_truth
from paxwatch.assess.screen import AssessConfig
from paxwatch.assess.watchlists import ListFormat, import_file, set_active
from paxwatch.ingest.directory import ingest_paths
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from tests.assess.helpers import META

DAY = date(2026, 3, 1)
CONFIG = AssessConfig(today=DAY)


def _rules(review: date) -> str:
    return f"""
rule R-CASH "Cash payment"
  offence: drug-trafficking
  author: a.martin
  review: {review.isoformat()}
  score: 30
when
  booking.payment in [cash] and booking.lead_time_days < 400
end

rule R-LATE "Booked late"
  offence: drug-trafficking
  author: a.martin
  review: {review.isoformat()}
  score: 20
when
  booking.lead_time_hours < 72 and itinerary.legs >= 1
end
"""


def test_synthetic_day_screened_and_evaluated_at_ingest(store: Store, synthetic_day: Path) -> None:
    outcome = import_file(
        store, synthetic_day / "watchlist.jsonl", "SYN", ListFormat.NATIONAL_JSONL, meta=META
    )
    assert outcome.imported == outcome.added > 100
    set_active(store, "SYN", True, by="dpo")
    review = date.today() + timedelta(days=60)
    import_rules(store, _rules(review))
    activate_rule(store, "R-LATE", by="b.chef", roles={"supervisor"})
    hook = install(store)
    summary = ingest_paths(store, [synthetic_day / "messages"])
    assert summary.stored > 0 and hook.totals.travellers > 0

    truth = read_truth(synthetic_day / "truth.jsonl")
    with store.read() as conn:
        accuracy = synthetic_accuracy(conn, truth)
        watch = list_hits(conn, kind=HitKind.WATCHLIST, status=HitStatus.NEW)
        grouped = hits_by_traveller(conn)
        rule_hits = list_hits(conn, kind=HitKind.RULE)
        stored = conn.execute(select(func.count()).select_from(s.traveller)).scalar_one()
        assessed = conn.execute(
            select(func.count(sa_.assessment.c.traveller_id.distinct()))
        ).scalar_one()
    assert accuracy.planted >= 5
    assert accuracy.recall >= 0.8, accuracy.missed
    assert accuracy.decoy_hits <= accuracy.decoys / 2 + 1
    assert accuracy.false_per_10k < 200
    for hit in watch:
        assert {"name", "phonetic", "dob"} <= {f.name for f in hit.features}
        assert hit.listed_name and hit.algorithm_version
    assert sum(len(g.hits) for g in grouped) == len(watch) + len(
        [h for h in rule_hits if h.status is HitStatus.NEW]
    )
    assert rule_hits and {h.rule_id for h in rule_hits} == {"R-LATE"}
    # Every stored traveller was assessed at ingest; the API lists had their linked booked
    # travellers assessed again (with the check-in data).
    assert assessed == stored and hook.totals.travellers > stored

    # Backtest the draft over the stored day with the synthetic truth.
    with store.read() as conn:
        draft = get_rule(conn, "R-CASH")
    assert draft is not None and draft.status == "draft"
    result = backtest_stored(
        store, draft.rule(), CONFIG.scope(first_day=DAY, last_day=DAY), truth=truth
    )
    report = result.report
    assert report.evaluated == result.travellers > 100
    assert report.hits == sum(report.hits_per_day.values()) == sum(report.hits_per_route.values())
    assert 0 < report.hits < report.evaluated
    assert 0 < report.known_true_total < report.evaluated
    assert report.unique_hits + sum(report.overlap.values()) >= report.hits - report.unique_hits
    assert set(report.overlap) <= {"R-LATE"}

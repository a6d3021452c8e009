"""Assessment in the store: lists, screening at ingest, suppression, re-screening, sweep,
rules (four eyes, evaluation at ingest, backtest) — on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from paxwatch.assess.hits import HitKind, HitStatus, list_hits, set_status
from paxwatch.assess.hook import install
from paxwatch.assess.jobs import (
    list_jobs,
    pending_pairs,
    rescreen_entries,
    run_scope,
    sweep_pending,
)
from paxwatch.assess.load import Scope
from paxwatch.assess.rules import (
    RuleStoreError,
    activate_rule,
    backtest_stored,
    check_file,
    export_rules,
    get_rule,
    import_rules,
)
from paxwatch.assess.run import current_assessors
from paxwatch.assess.screen import AssessConfig
from paxwatch.assess.watchlists import (
    SourceError,
    SourceMeta,
    current_entries,
    import_entries,
    set_active,
    source_versions,
)
from paxwatch.ingest import hooks
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.migrate import current_revision, head_revision
from paxwatch.store.schema import metadata
from tests.assess.helpers import META, entry, push
from tests.store.factory import booking, flight, pnr, traveller

CONFIG = AssessConfig(today=date(2026, 12, 1))
BORN = date(1964, 7, 12)


def _listed(store: Store, *entries: object) -> None:
    import_entries(store, "NAT", list(entries), meta=META)  # type: ignore[arg-type]
    set_active(store, "NAT", True, by="dpo")


def test_migration_head_builds_the_schema_of_the_code(store: Store) -> None:
    assert current_revision(store) == head_revision()
    with store.read() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_source_without_legal_basis_cannot_be_activated(store: Store) -> None:
    meta = dataclasses.replace(META, legal_basis=None)
    import_entries(store, "NAT", [entry("1", "DOE", "JOHN")], meta=meta)
    with pytest.raises(SourceError, match="legal basis"):
        set_active(store, "NAT", True)
    with pytest.raises(SourceError, match="offence category"):
        import_entries(store, "NAT", [], meta=SourceMeta(offence_category="parking"))
    import_entries(store, "NAT", [entry("1", "DOE", "JOHN")], meta=SourceMeta(legal_basis="Law"))
    assert set_active(store, "NAT", True, by="dpo").active


def test_list_import_records_the_difference(store: Store) -> None:
    first = import_entries(
        store,
        "NAT",
        [entry("A", "DOE", "JOHN"), entry("B", "ROE", "RICHARD"), entry("C", "X", "Y")],
    )
    assert (first.added, first.changed, first.removed, first.version_no) == (3, 0, 0, 1)
    second = import_entries(
        store,
        "NAT",
        [entry("A", "DOE", "JOHN"), entry("B", "ROE", "RICHARD", BORN), entry("D", "POE", "EDGAR")],
    )
    assert (second.added, second.changed, second.removed, second.unchanged) == (1, 1, 1, 1)
    assert sorted(e.entry_id for e in second.to_rescreen) == ["B", "D"]
    with store.read() as conn:
        current = {e.entry_id: e for e in current_entries(conn, ["NAT"])}
        versions = source_versions(conn, "NAT")
    assert sorted(current) == ["A", "B", "D"] and current["B"].dates_of_birth
    assert [(v.version_no, v.added, v.changed, v.removed) for v in versions] == [
        (2, 1, 1, 1),
        (1, 3, 0, 0),
    ]


def test_screening_at_ingest_stores_explained_hits_once(store: Store) -> None:
    _listed(store, entry("E1", "DOE", "JOHN MICHAEL", BORN))
    hook = install(store)
    message = pnr(booking("ABC123", traveller("DOE", "JOHN MICHAEL"), traveller("SMITH", ref="2")))
    fid, ids = push(store, message)
    hooks.notify(fid, ids)
    with store.read() as conn:
        hits = list_hits(conn)
    assert len(hits) == 1 and hook.totals.travellers == 2
    (hit,) = hits
    assert hit.kind is HitKind.WATCHLIST and hit.status is HitStatus.NEW
    assert (hit.source_id, hit.entry_id, hit.flight_id) == ("NAT", "E1", fid)
    names = {f.name: f for f in hit.features}
    assert names["name"].value == 1.0 and names["dob"].detail.startswith("exact")
    assert hit.algorithm_version.startswith("paxwatch-screening")
    # A re-push with another seat: a new version, same screened data → no second hit.
    changed = pnr(
        booking("ABC123", traveller("DOE", "JOHN MICHAEL", seat="3A"), traveller("SMITH", ref="2"))
    )
    fid2, ids2 = push(store, changed)
    hooks.notify(fid2, ids2)
    with store.read() as conn:
        assert [h.status for h in list_hits(conn)] == [HitStatus.NEW]
    assert hook.totals.repeated == 1


def test_dismissed_hit_is_suppressed_until_the_data_changes(store: Store) -> None:
    _listed(store, entry("E1", "DOE", "JOHN MICHAEL", BORN))
    install(store)
    hooks.notify(*push(store, pnr(booking("ABC123", traveller("DOE", "JOHN MICHAEL")))))
    with store.read() as conn:
        (first,) = list_hits(conn)
    with store.write() as conn:
        assert set_status(conn, first.id, HitStatus.DISMISSED, utcnow())
    # The same person on another booking and flight: the dismissed hit is not raised again.
    other = flight("DL", "100")
    hooks.notify(*push(store, pnr(booking("XYZ999", traveller("DOE", "JOHN MICHAEL")), fl=other)))
    with store.read() as conn:
        statuses = sorted(h.status.value for h in list_hits(conn))
    assert statuses == ["dismissed", "suppressed"]
    # New data (a passport now given): the hit comes back for review.
    hooks.notify(
        *push(
            store,
            pnr(
                booking("QQQ111", traveller("DOE", "JOHN MICHAEL", doc="P1234567")),
                fl=flight("DL", "200"),
            ),
        )
    )
    with store.read() as conn:
        statuses = sorted(h.status.value for h in list_hits(conn))
    assert statuses == ["dismissed", "new", "suppressed"]


def test_rescreen_after_import_finds_a_newly_listed_traveller(store: Store) -> None:
    _listed(store, entry("E1", "DOE", "JOHN", BORN))
    install(store)
    hooks.notify(*push(store, pnr(booking("ABC123", traveller("NEWMAN", "PAUL")))))
    with store.read() as conn:
        assert list_hits(conn) == []
    outcome = import_entries(
        store, "NAT", [entry("E1", "DOE", "JOHN", BORN), entry("E2", "NEWMAN", "PAUL", BORN)]
    )
    assert outcome.active and [e.entry_id for e in outcome.to_rescreen] == ["E2"]
    counts = rescreen_entries(store, outcome.to_rescreen, CONFIG.scope())
    assert counts.watchlist_hits == 1
    with store.read() as conn:
        assert [h.entry_id for h in list_hits(conn)] == ["E2"]
    # Outside the legal window nothing is re-screened.
    late = AssessConfig(today=date(2027, 12, 1))
    assert rescreen_entries(store, outcome.to_rescreen, late.scope()).travellers == 0


def test_full_rescreen_is_chunked_and_resumable(store: Store) -> None:
    for i in range(3):
        push(store, pnr(booking(f"LOC00{i}", traveller("DOE", "JOHN"), traveller("ROE", ref="2"))))
    _listed(store, entry("E1", "DOE", "JOHN", BORN))
    assessors = current_assessors(store)
    scope = CONFIG.scope(day=date(2026, 12, 12))
    part = run_scope(store, scope, assessors, chunk=2, stop_after=1)
    assert part.travellers == 2 and part.resumed_from is None
    rest = run_scope(store, scope, assessors, chunk=2)
    assert rest.resumed_from is not None and rest.travellers == 4
    assert part.watchlist_hits + rest.watchlist_hits == 3
    with store.read() as conn:
        (job,) = list_jobs(conn)
    assert job.finished_at is not None and job.done == job.total == 6


def test_pending_sweep_assesses_what_a_missed_hook_left(store: Store) -> None:
    _listed(store, entry("E1", "DOE", "JOHN", BORN))
    push(store, pnr(booking("ABC123", traveller("DOE", "JOHN"), traveller("SMITH", ref="2"))))
    scope = CONFIG.scope()
    with store.read() as conn:
        assert len(pending_pairs(conn, scope, ["screening", "rules"])) == 2
    counts = sweep_pending(store, scope)
    assert (counts.travellers, counts.watchlist_hits) == (2, 1)
    with store.read() as conn:
        assert pending_pairs(conn, scope, ["screening", "rules"]) == []
    assert sweep_pending(store, scope).travellers == 0


def _rule_text(review: date, status: str = "draft") -> str:
    return f"""
rule R-0001 "Card payment on the London - New York route, no frequent flyer number"
  offence: drug-trafficking
  author: a.martin
  version: 1
  review: {review.isoformat()}
  score: 40
  status: {status}
when
  booking.payment in [card] and flight.origin in [LHR] and booking.lead_time_days < 30
unless
  traveller.frequent_flyer
end
"""


def test_rules_four_eyes_evaluation_at_ingest_and_backtest(store: Store) -> None:
    review = date.today() + timedelta(days=90)
    bad = _rule_text(review).replace("flight.origin in [LHR]", "traveller.surname = SMITH")
    assert any(issue.code == "S001" for issue in check_file(bad))
    assert check_file(_rule_text(review)) == []
    imported = import_rules(store, _rule_text(review, status="active"), by="a.martin")
    assert imported.imported == (("R-0001", 1),) and imported.made_draft == (("R-0001", 1),)
    assert import_rules(store, _rule_text(review)).unchanged == (("R-0001", 1),)
    with pytest.raises(RuleStoreError) as author:
        activate_rule(store, "R-0001", by="a.martin", roles={"supervisor"})
    assert "A001" in {i.code for i in author.value.issues}
    with pytest.raises(RuleStoreError) as analyst:
        activate_rule(store, "R-0001", by="b.chef", roles={"analyst"})
    assert "A002" in {i.code for i in analyst.value.issues}
    active = activate_rule(store, "R-0001", by="b.chef", roles={"supervisor"})
    assert (active.status, active.approved_by) == ("active", "b.chef")
    with store.read() as conn:
        assert "approved_by: b.chef" in export_rules(conn, "active")

    install(store)
    no_ff = dataclasses.replace(traveller("ROE", ref="2"), frequent_flyers=())
    hooks.notify(*push(store, pnr(booking("ABC123", traveller("DOE"), no_ff))))
    with store.read() as conn:
        (hit,) = list_hits(conn, kind=HitKind.RULE)
    assert (hit.rule_id, hit.rule_version, hit.score) == ("R-0001", 1, 40.0)
    seen = {f.field: f.value for f in hit.features}
    assert seen["booking.payment"] == ["card"] and seen["flight.origin"] == "LHR"
    assert all(f.held for f in hit.features)

    with store.read() as conn:
        stored = get_rule(conn, "R-0001")
    assert stored is not None
    result = backtest_stored(
        store, stored.rule(), Scope(first_day=date(2026, 12, 12), last_day=date(2026, 12, 12))
    )
    report = result.report
    assert (report.evaluated, report.hits, report.exonerated) == (2, 1, 1)
    assert report.hits_per_route == {"LHR-JFK": 1}
    assert report.hits_per_day == {date(2026, 12, 12): 1}

"""Retention and the audit trail (Art 13(6)): every deletion and masking is an audit event
written in the same transaction, the chain still verifies; disclosure logs (transmissions)
survive the deletion of the data they refer to, their snapshot erased."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy import inspect as sa_inspect

from paxwatch.privacy import audit
from paxwatch.privacy.policies import add_months, load_policy, privacy_history
from paxwatch.privacy.purge import ERASED_TEXT
from paxwatch.privacy.retention import run_retention
from paxwatch.store import schema as s
from paxwatch.store.engine import Store, open_store
from paxwatch.store.migrate import upgrade
from paxwatch.store.schema_assess import hit
from paxwatch.store.schema_review import transmission
from tests.privacy.test_retention import T0, _flag_smith, _load
from tests.privacy.test_retention_support import VAULT, booking_id, leaks, store, traveller_id
from tests.store.helpers import BACKENDS, store_url

__all__ = ["store"]

EU = load_policy("eu")


def _transmit(st: Store, locator: str, ref: str, at: datetime) -> int:
    """A confirmed hit on a traveller and the transmission of its snapshot (as
    ``paxwatch.review.transmissions.transmit`` stores it)."""
    tid = traveller_id(st, locator, ref)
    with st.write() as conn:
        row = conn.execute(
            select(s.traveller.c.booking_id, s.traveller.c.surname).where(s.traveller.c.id == tid)
        ).one()
        flight_id = conn.execute(select(s.flight.c.id)).scalars().first()
        hit_id = conn.execute(
            insert(hit)
            .values(
                kind="watchlist",
                traveller_id=tid,
                booking_id=row.booking_id,
                flight_id=flight_id,
                source_id="L1",
                entry_id="E1",
                score=0.97,
                features="{}",
                algorithm_version="t",
                fingerprint="f" * 64,
                status="confirmed",
                created_at=at,
            )
            .returning(hit.c.id)
        ).scalar_one()
        body = {
            "recipient": "DGSI",
            "legal_basis": "Art 6(6)",
            "offence_category": "terrorism",
            "reference": "REQ-1",
            "sent_at": at.isoformat(),
            "data": {
                "hit": {"hit_id": hit_id, "kind": "watchlist", "source_id": "L1", "score": 0.97},
                "identity": {"surname": row.surname, "given_names": "X"},
                "documents": [{"number": "P5550001" if locator == "BBB222" else "P1234567"}],
            },
        }
        payload = audit.canonical(body)
        return int(
            conn.execute(
                insert(transmission)
                .values(
                    hit_id=hit_id,
                    traveller_id=tid,
                    flight_id=flight_id,
                    recipient="DGSI",
                    legal_basis="Art 6(6)",
                    offence_category="terrorism",
                    elements="hit,identity,documents",
                    payload=payload,
                    payload_sha256=hashlib.sha256(payload.encode()).hexdigest(),
                    reference="REQ-1",
                    actor="sup1",
                    at=at,
                )
                .returning(transmission.c.id)
            ).scalar_one()
        )


def _transmission(st: Store, tid: int) -> dict[str, object] | None:
    with st.read() as conn:
        row = conn.execute(select(transmission).where(transmission.c.id == tid)).first()
    return dict(row._mapping) if row is not None else None


def test_retention_run_is_in_the_audit_trail_and_the_chain_verifies(store: Store) -> None:
    _load(store)
    _flag_smith(store, "objective_evidence", T0 + timedelta(days=30))
    head = audit.head(store)
    dry = run_retention(store, add_months(T0, 6) + timedelta(days=3), EU, vault=VAULT, dry_run=True)
    assert dry.versions_deleted and audit.head(store) == head  # a dry run writes nothing
    report = run_retention(store, add_months(T0, 6) + timedelta(days=3), EU, vault=VAULT)
    assert report.counts() == dry.counts()
    result = audit.verify(store)
    assert result.ok, result.problem
    with store.read() as conn:
        deletions = [
            e.event() for e in audit.list_events(conn, event_type=audit.DeletionEvent, limit=None)
        ]
        history = privacy_history(conn)
    what = {d.what: 0 for d in deletions if isinstance(d, audit.DeletionEvent)}
    for d in deletions:
        assert isinstance(d, audit.DeletionEvent) and d.actor == "system:retention"
        assert d.reason.startswith("retention eu: ")
        what[d.what] += d.count
    assert what["booking"] == report.bookings_deleted
    assert what["booking_version"] == report.versions_deleted
    assert what["booking_version.masked"] == report.versions_masked
    assert what["api_traveller"] == report.api_travellers_deleted
    kinds = [e.kind for e in history]
    assert kinds[0] == "flag.set" and kinds[-1] == "retention.run"
    assert history[-1].details["versions_deleted"] == report.versions_deleted
    # Idempotent: a second run changes nothing and writes nothing.
    head = audit.head(store)
    assert run_retention(store, add_months(T0, 6) + timedelta(days=3), EU, vault=VAULT).changed == 0
    assert audit.head(store) == head


def test_transmissions_outlive_the_data_they_disclosed(store: Store) -> None:
    _load(store)
    _flag_smith(store, "objective_evidence", T0 + timedelta(days=30))
    brown = _transmit(store, "BBB222", "1", T0 + timedelta(days=3))
    smith = _transmit(store, "AAA111", "1", T0 + timedelta(days=40))
    sent = {i: _transmission(store, i) for i in (brown, smith)}

    report = run_retention(store, add_months(T0, 6) + timedelta(days=3), EU, vault=VAULT)
    assert booking_id(store, "BBB222") is None  # BROWN deleted, with the hit
    after = _transmission(store, brown)
    assert after is not None  # the disclosure log stays
    before = sent[brown]
    assert before is not None
    for key in ("hit_id", "recipient", "legal_basis", "payload_sha256", "actor", "at"):
        assert after[key] == before[key]
    body = json.loads(str(after["payload"]))
    assert body["erased"] == "deleted" and body["recipient"] == "DGSI"
    assert body["data"]["identity"] == ERASED_TEXT and body["data"]["documents"] == ERASED_TEXT
    assert body["data"]["hit"]["source_id"] == "L1"
    assert leaks(store, ["BROWN", "P5550001"]) == []
    assert report.transmissions_erased == 0  # SMITH's was sent less than 6 months ago
    assert "SMITH" in str((_transmission(store, smith) or {})["payload"])

    later = run_retention(store, add_months(T0, 8), EU, vault=VAULT)
    assert later.transmissions_erased == 1
    smith_body = json.loads(str((_transmission(store, smith) or {})["payload"]))
    assert smith_body["erased"] == "mask age"
    assert leaks(store, ["SMITH", "P1234567"]) == []
    assert audit.verify(store).ok

    final = run_retention(store, add_months(T0, 60) + timedelta(days=41), EU, vault=VAULT)
    assert final.transmissions_deleted == 2
    assert _transmission(store, brown) is None and _transmission(store, smith) is None
    assert audit.verify(store).ok


@pytest.mark.parametrize("kind", BACKENDS)
def test_migration_0005_moves_the_event_log_into_the_audit_trail(kind: str, tmp_path: Path) -> None:
    with store_url(kind, tmp_path) as url:
        st = open_store(url)
        try:
            upgrade(st, "0004")
            at = datetime(2026, 11, 1, 9, 0)
            with st.write() as conn:
                audit.record(conn, audit.SettingChangeEvent(actor="admin", name="x", new=1), at=at)
                for kind_, details in (("flag.set", {"flag": 1}), ("selection.added", {"id": 2})):
                    conn.execute(
                        text(
                            "INSERT INTO privacy_event (at, actor, kind, details) "
                            "VALUES (:at, 'sup1', :kind, :details)"
                        ),
                        {"at": at, "kind": kind_, "details": json.dumps(details)},
                    )
            upgrade(st)
            assert audit.verify(st).ok
            with st.read() as conn:
                history = privacy_history(conn)
                assert "privacy_event" not in sa_inspect(conn).get_table_names()
                fks = sa_inspect(conn).get_foreign_keys("transmission")
            assert [(e.kind, dict(e.details)) for e in history] == [
                ("flag.set", {"flag": 1}),
                ("selection.added", {"id": 2}),
            ]
            assert fks == []  # the disclosure log no longer cascades from the hit
        finally:
            st.close()

"""The ingest pipeline end to end on SQLite and PostgreSQL: bytes in, store rows out."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import LargeBinary, String, Text, func, select

from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.ingest import hooks, ingest_bytes, ingest_many
from paxwatch.ingest import quarantine as q
from paxwatch.ingest.pipeline import IngestItem
from paxwatch.model import (
    Flight,
    FlightLeg,
    HistoryEntry,
    PushAction,
    Remark,
    SpecialService,
)
from paxwatch.store import repository as repo
from paxwatch.store.engine import Store
from paxwatch.store.schema import metadata
from tests.store.factory import booking, pnr, traveller

SENSITIVE = (
    "DIABETIC",
    "INSULIN",
    "MOML",
    "WCHR",
    "KSML",
    "MOSQUE",
    "HALAL",
    "LESBIAN",
    "SAME SEX",
)


def _counts(store: Store) -> dict[str, int]:
    with store.read() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in metadata.tables.items()
        }


def _bytes(*bookings: object, **kw: object) -> bytes:
    return write_pnrgov(pnr(*bookings, **kw)).encode()  # type: ignore[arg-type]


def _samples(shared_data: Path) -> list[Path]:
    root = shared_data / "samples" / "gtas"
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".txt", ".edi"))


@pytest.mark.shared_data
def test_samples_ingest_and_a_resend_changes_nothing(store: Store, shared_data: Path) -> None:
    files = _samples(shared_data)
    results = [ingest_bytes(store, f.read_bytes(), source="test", name=f.name) for f in files]
    assert {r.status for r in results} <= {"stored", "quarantined"}
    assert sum(r.status == "stored" for r in results) >= len(files) - 2
    assert sum(r.bookings for r in results) > 10 and sum(r.api_travellers for r in results) > 10
    before = _counts(store)
    assert before["raw_message"] == len(files)
    again = [ingest_bytes(store, f.read_bytes(), source="test", name=f.name) for f in files]
    assert {r.status for r in again} == {"duplicate"}
    assert [r.raw_message_id for r in again] == [r.raw_message_id for r in results]
    assert _counts(store) == before


@pytest.mark.shared_data
def test_api_list_is_linked_to_the_booking(store: Store, shared_data: Path) -> None:
    fl = Flight(
        carrier="AA",
        number="124",
        legs=(FlightLeg(origin="ORD", destination="JFK", departure=datetime(2007, 2, 19, 18, 40)),),
    )
    data = _bytes(
        booking(
            "TYR123", traveller("CLARK", "MICHAEL", ref="1"), traveller("CLARK", "CHERYL", ref="2")
        ),
        fl=fl,
    )
    ingest_bytes(store, data, source="test")
    api = (shared_data / "samples/gtas/paxlst/apisMessage.txt").read_bytes()
    result = ingest_bytes(store, api, source="test")
    assert result.status == "stored" and result.api_travellers == 2
    with store.read() as conn:
        found = repo.find_flight(conn, "AA", "124", date(2007, 2, 19))
        assert found is not None
        manifest = repo.flight_manifest(conn, found.id)
    assert manifest is not None
    assert {(a.given_names, a.match_rule) for a in manifest.api} == {
        ("CHERYL", "locator+name"),
        ("MICHAEL", "locator+name"),
    }
    assert manifest.unmatched_api == () and manifest.unmatched_booked == ()


def test_changed_push_is_a_new_version_with_its_difference(store: Store) -> None:
    first = ingest_bytes(store, _bytes(booking("ABC123", phone="+441111")), source="t")
    same = _bytes(booking("ABC123", phone="+441111"), reference="OTHER")
    resend = ingest_bytes(store, same, source="t")  # other bytes, same booking content
    changed = ingest_bytes(store, _bytes(booking("ABC123", phone="+442222")), source="t")
    assert (first.new_versions, resend.new_versions, changed.new_versions) == (1, 0, 1)
    assert resend.status == "stored" and resend.unchanged == 1
    with store.read() as conn:
        [history] = repo.booking_history(conn, "ABC123")
    assert [v.version_no for v in history.versions] == [1, 2]
    paths = {c.path: (c.before, c.after) for c in history.versions[1].changes}
    assert paths["contacts[0].value"] == ('"+441111"', '"+442222"')


def test_full_push_in_parts_cancels_only_when_complete(store: Store) -> None:
    ingest_bytes(store, _bytes(booking("AAA111"), booking("BBB222"), booking("CCC333")), source="t")
    full = PushAction.FULL
    one = ingest_bytes(store, _bytes(booking("AAA111"), action=full, part=(1, False)), source="t")
    two = ingest_bytes(store, _bytes(booking("CCC333"), action=full, part=(2, True)), source="t")
    assert (one.cancelled, two.cancelled) == (0, 1)
    with store.read() as conn:
        manifest = repo.flight_manifest(conn, two.flight_ids[0])
    assert manifest is not None and manifest.cancelled_bookings == ("BBB222",)


def test_bad_input_is_quarantined_and_can_be_retried(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    garbage = ingest_bytes(store, b"hello, this is not a message", source="t", name="junk.txt")
    assert garbage.status == "quarantined"
    assert [f.code for f in garbage.findings] == ["unknown-format"]
    good = _bytes(booking("QQQ111"))

    def crash(_data: bytes) -> None:
        raise RuntimeError("reader bug")

    monkeypatch.setattr("paxwatch.ingest.prepare.read_message", crash)
    crashed = ingest_bytes(store, good, source="t", name="good.edi")
    assert crashed.status == "quarantined" and crashed.findings[0].code == "reader-crashed"
    items = q.list_items(store)
    assert [i.reason for i in items] == ["unknown-format", "reader-crashed"]
    _item, body = q.show(store, items[0].id)
    assert body == b"hello, this is not a message"
    monkeypatch.undo()  # the reader is "fixed"
    assert q.retry(store, items[0].id).status == "quarantined"
    retried = q.retry(store, items[1].id)
    assert retried.status == "stored" and retried.new_versions == 1
    assert [i.reason for i in q.list_items(store)] == ["unknown-format"]
    assert q.list_items(store)[0].attempts == 2
    with store.read() as conn:
        assert len(repo.booking_history(conn, "QQQ111")) == 1


def test_sensitive_data_never_reaches_the_store(store: Store) -> None:
    remarks = (
        Remark(kind="OSI", text="PAX IS DIABETIC NEEDS INSULIN", code="DL"),
        Remark(kind="OSI", text="UMNR 9 YRS HALAL MEAL", code="DL"),
        Remark(kind="OSI", text="UMNR 10 YRS SPEAKS FRENCH", code="DL"),
        Remark(kind="OSI", text="SAME SEX COUPLE", code="DL"),
    )
    services = (
        SpecialService(code="WCHR", status="HK", traveller_ref="1"),
        SpecialService(code="MOML", status="HK"),
        SpecialService(code="CKIN", status="HK", text="TRAVELS TO THE MOSQUE"),
    )
    history = (
        HistoryEntry(action="added", element="ssr", text="SSR+KSML:HK:1:DL"),
        # Written as a bare line the reader cannot place: only the archive scrub sees it.
        HistoryEntry(action="added", element="lts", text="LESBIAN COUPLE"),
    )
    b = booking(
        "SENS01",
        traveller("SMITH", doc="P123"),
        remarks=remarks,
        services=services,
        history=history,
    )
    data = _bytes(b)
    for term in SENSITIVE:
        assert term.encode() in data
    result = ingest_bytes(store, data, source="t")
    assert result.status == "stored" and result.new_versions == 1
    found: list[str] = []
    with store.read() as conn:
        for table in metadata.tables.values():
            columns = [c for c in table.c if isinstance(c.type, String | Text | LargeBinary)]
            for column in columns:
                for value in conn.execute(select(column).where(column.is_not(None))).scalars():
                    text = (
                        bytes(value).decode("utf-8", "replace")
                        if isinstance(value, bytes | memoryview)
                        else str(value)
                    )
                    found.extend(
                        f"{table.name}.{column.name}:{term}"
                        for term in SENSITIVE
                        if term in text.upper()
                    )
        deletions = repo.deletion_counts(conn, result.raw_message_id)
        [history_row] = repo.booking_history(conn, "SENS01")
    assert found == []
    assert {d.category for d in deletions} >= {
        "sensitive:health",
        "sensitive:religion",
        "sensitive:sexuality",
    }
    assert "UMNR 10 YRS SPEAKS FRENCH" in history_row.versions[0].content_json
    # The resend of the same bytes is recognised by the hash of the original.
    assert ingest_bytes(store, data, source="t").status == "duplicate"


def test_assessment_hook_gets_new_travellers(store: Store) -> None:
    calls: list[tuple[int, tuple[int, ...]]] = []

    def hook(flight_id: int, traveller_ids: tuple[int, ...]) -> None:
        calls.append((flight_id, traveller_ids))

    hooks.register(hook)
    try:
        data = _bytes(booking("HOOK01", traveller("A", ref="1"), traveller("B", ref="2")))
        result = ingest_bytes(store, data, source="t")
        ingest_bytes(
            store,
            _bytes(
                booking("HOOK01", traveller("A", ref="1"), traveller("B", ref="2")), reference="X"
            ),
            source="t",
        )
    finally:
        hooks.unregister(hook)
    assert len(calls) == 1 and calls[0][0] == result.flight_ids[0] and len(calls[0][1]) == 2


def test_batches_store_each_input_once(store: Store) -> None:
    a = IngestItem(data=_bytes(booking("BAT001")), source="t", name="a")
    b = IngestItem(data=_bytes(booking("BAT002")), source="t", name="b")
    results = ingest_many(store, [a, b, a])
    assert [r.status for r in results] == ["stored", "stored", "duplicate"]
    assert [r.status for r in ingest_many(store, [b, a])] == ["duplicate", "duplicate"]
    assert _counts(store)["raw_message"] == 2


def test_an_empty_push_is_stored_and_cancels_nothing(store: Store) -> None:
    ingest_bytes(store, _bytes(booking("KEEP01")), source="t")
    empty = dataclasses.replace(pnr(action=PushAction.FULL), declared_count=0)
    result = ingest_bytes(store, write_pnrgov(empty).encode(), source="t")
    assert result.status == "stored" and result.cancelled == 0

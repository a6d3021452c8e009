"""PostgreSQL: the rows of a batch's likely new versions inserted before its turn
(``store.early``, ``prepare.stage_early``) end up exactly as the one-at-a-time path stores
them: taken over, given the booking's id, or deleted when an earlier batch committed
meanwhile changes the plan."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paxwatch.formats.paxlst_write import write_paxlst
from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.ingest import transaction
from paxwatch.ingest.pipeline import IngestItem, ingest_many, prepare, store_batch, write_batch
from paxwatch.ingest.prepare import stage_early
from paxwatch.ingest.stream import _Turns, ingest_stream
from paxwatch.model import Booking
from paxwatch.store.engine import Store
from paxwatch.store.rows import run_sql
from tests.store.factory import api, api_traveller, booking, pnr, traveller
from tests.store.helpers import BACKENDS, make_store


def _item(*bookings: Booking, name: str) -> IngestItem:
    return IngestItem(data=write_pnrgov(pnr(*bookings, reference=name)).encode(), source="t")


#: The stored passenger data without its ids: per booking version, its travellers and its
#: identifiers (each named by its booking's locator and version number), and the rows
#: whose version or traveller does not exist (must be none).
_DUMP = (
    "SELECT b.locator, v.version_no, v.content_hash, t.seq, t.surname, t.name_key "
    "FROM traveller t JOIN booking_version v ON v.id = t.version_id "
    "JOIN booking b ON b.id = t.booking_id AND b.id = v.booking_id",
    "SELECT b.locator, v.version_no, i.kind, i.value, t.seq FROM identifier i "
    "JOIN booking_version v ON v.id = i.version_id "
    "JOIN booking b ON b.id = i.booking_id AND b.id = v.booking_id "
    "LEFT JOIN traveller t ON t.id = i.traveller_id",
    "SELECT b.locator, v.version_no, t.seq, d.number FROM document d "
    "JOIN traveller t ON t.id = d.traveller_id JOIN booking_version v ON v.id = t.version_id "
    "JOIN booking b ON b.id = v.booking_id",
    "SELECT b.locator, v.version_no, c.kind, c.value FROM contact c "
    "JOIN booking_version v ON v.id = c.version_id JOIN booking b ON b.id = v.booking_id",
    "SELECT b.locator, v.version_no, v.id = b.current_version_id FROM booking_version v "
    "JOIN booking b ON b.id = v.booking_id",
    # A booking's count and time are those of its current version (a new booking whose
    # current version was inserted early is inserted with them: ``BatchWriter._resolve``).
    "SELECT b.locator, b.version_count, v.version_no, b.last_seen_at = v.received_at "
    "FROM booking b JOIN booking_version v ON v.id = b.current_version_id",
    "SELECT 'orphan traveller', id FROM traveller t WHERE NOT EXISTS "
    "(SELECT 1 FROM booking_version v WHERE v.id = t.version_id AND v.booking_id = t.booking_id)",
    "SELECT 'orphan identifier', id FROM identifier i WHERE i.version_id IS NOT NULL AND "
    "NOT EXISTS (SELECT 1 FROM booking_version v "
    "WHERE v.id = i.version_id AND v.booking_id = i.booking_id)",
    "SELECT 'orphan document', id FROM document d WHERE d.traveller_id IS NOT NULL AND "
    "NOT EXISTS (SELECT 1 FROM traveller t WHERE t.id = d.traveller_id)",
    "SELECT 'orphan contact', id FROM contact c WHERE NOT EXISTS "
    "(SELECT 1 FROM booking_version v WHERE v.id = c.version_id)",
)


def _dump(store: Store) -> list[list[tuple[Any, ...]]]:
    with store.read() as conn:
        return [sorted(run_sql(conn, sql).rows, key=repr) for sql in _DUMP]


@pytest.fixture(params=BACKENDS)
def two(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    """Two empty stores of one kind."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        make_store(request.param, tmp_path / "a") as a,
        make_store(request.param, tmp_path / "b") as b,
    ):
        yield a, b


def _stream() -> list[IngestItem]:
    """Pushes whose bookings change, repeat, are new (and change again in the same batch),
    come twice in a batch; an API list; resends: stored in batches of 3 by 2 workers,
    adjacent batches overlap."""
    out = []
    for i in range(10):
        first = booking("EAR001", traveller("SMITH", doc="P1"), phone=f"+4420794600{i % 3:02d}")
        fresh = booking(
            f"NEW{i // 2:03d}", traveller("JONES", doc=f"P{i // 2}"), phone=f"+44207946{i:04d}"
        )
        out.append(_item(first, fresh, name=f"R{i}"))
        if i % 4 == 1:
            out.append(out[-2])  # a resend close behind
        if i % 4 == 2:
            listed = api(api_traveller("SMITH", locator="EAR001", doc="P1"))
            out.append(IngestItem(data=write_paxlst(listed).encode(), source="t"))
    return out


def test_workers_store_the_same_rows_as_one_process(two: tuple[Store, Store]) -> None:
    workers, alone = two
    items = _stream()
    by_workers = list(ingest_stream(workers, items, batch=3, jobs=2))
    by_one = [r for item in items for r in ingest_many(alone, [item])]
    summary = [(r.status, r.new_versions, r.unchanged, r.travellers) for r in by_workers]
    assert summary == [(r.status, r.new_versions, r.unchanged, r.travellers) for r in by_one]
    dumped = _dump(workers)
    assert dumped == _dump(alone)
    assert not any(dumped[6:])


@pytest.mark.postgres
def test_early_rows_follow_what_an_earlier_batch_committed(tmp_path: Path) -> None:
    kept = booking("KEP001", traveller("SMITH", doc="P1"))
    changed = booking("KEP001", traveller("SMITH", doc="P2"))
    other = booking("NEW001", traveller("JONES", doc="P3"))
    other_changed = booking("NEW001", traveller("JONES", doc="P4"))
    late = booking("LAT001", traveller("BROWN", doc="P5"))
    first = _item(kept, name="R0")
    # The earlier batch: the same change of KEP001 as ours, and NEW001 created first.
    earlier = _item(changed, other, name="R1")
    ours = [_item(changed, other_changed, name="R2"), _item(late, name="R3")]
    with make_store("postgresql", tmp_path) as store:
        ingest_many(store, [first])
        prepared = [prepare(i) for i in ours]
        with store.write() as conn:
            staged, early = stage_early(conn, prepared)
            # KEP001 and NEW001 of the first input, LAT001 of the second.
            assert len(early) == 3
            store_batch(store, [prepare(earlier)])  # committed meanwhile
            # The second input turned out a duplicate: left out, its early rows deleted.
            results = write_batch(conn, staged[:1], early)
        assert [(r.new_versions, r.unchanged) for r in results] == [(1, 1)]
        dumped = _dump(store)
    assert not any(dumped[6:])
    with make_store("postgresql", tmp_path / "ref") as reference:
        ingest_many(reference, [first])
        ingest_many(reference, [earlier])
        ingest_many(reference, ours[:1])
        assert dumped == _dump(reference)


@pytest.mark.postgres
def test_a_booking_claimed_by_the_batch_in_flight_keeps_its_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = booking("CLM001", traveller("SMITH", doc="P1"))
    changed = booking("CLM001", traveller("SMITH", doc="P2"))
    moves: list[object] = []
    rebook = transaction.rebook_early
    monkeypatch.setattr(
        transaction, "rebook_early", lambda conn, m: (moves.extend(m), rebook(conn, m))
    )
    with make_store("postgresql", tmp_path) as store:
        first = [prepare(_item(created, name="R0"))]
        second = [prepare(_item(changed, name="R1"))]
        with store.write() as a_conn, store.write() as b_conn:
            a_staged, a_early = stage_early(a_conn, first)
            claims = {e.key: e.booking_id for e in a_early.values() if e.new_booking}
            b_staged, b_early = stage_early(b_conn, second, claims)
            (a,) = a_early.values()
            (b,) = b_early.values()
            assert b.booking_id == a.booking_id and b.new_booking
            write_batch(a_conn, a_staged, a_early)
            a_conn.commit()
            results = write_batch(b_conn, b_staged, b_early)
        assert moves == []
        assert [r.new_versions for r in results] == [1]
        dumped = _dump(store)
    assert not any(dumped[6:])
    assert [row[1] for row in dumped[4]] == [1, 2]
    assert dumped[5] == [("CLM001", 2, 2, True)]


def test_turns_share_the_claims_of_the_batches_in_flight() -> None:
    turns = _Turns(multiprocessing.get_context(), 2)
    turns.claim(0, {"A": 1, "B": 2})
    turns.claim(1, {"B": 3, "C": 4})
    assert turns.claimed(2) == {"A": 1, "B": 2, "C": 4}  # the earlier batch's id wins
    assert turns.claimed(1) == {"A": 1, "B": 2}
    turns.done(0)  # batch 0 committed: its bookings are in the store
    assert turns.claimed(2) == {"B": 3, "C": 4}
    turns.claim(3, {"D": 5})  # the slot of batch 0, reused
    assert turns.claimed(4) == {"B": 3, "C": 4, "D": 5}
    turns.claim(9, {"E": 6} | {f"KEY{i:012d}": i for i in range(20_000)})  # too many
    assert "E" not in turns.claimed(10)

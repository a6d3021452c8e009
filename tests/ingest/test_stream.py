"""``ingest_stream`` with worker processes: batches stored in stream order, hooks called in
the calling process, failures raised rather than hung on; and ``prebuild``."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from paxwatch.formats.paxlst_write import write_paxlst
from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.ingest import hooks
from paxwatch.ingest.pipeline import IngestItem, IngestResult, ingest_many, prepare, store_batch
from paxwatch.ingest.prepare import Prepared, prebuild
from paxwatch.ingest.stream import ingest_stream, shareable_url
from paxwatch.model import PnrMessage
from paxwatch.store import repository as repo
from paxwatch.store.engine import Store, open_store
from tests.store.factory import api, api_traveller, booking, pnr, traveller

_FORK = multiprocessing.get_start_method() == "fork"


def _versions(n: int) -> list[IngestItem]:
    """``n`` pushes of one booking, each a change (a new phone number): version i is push i."""
    out = []
    for i in range(n):
        b = booking("ORD001", traveller("SMITH", doc="P123"), phone=f"+4420794600{i:02d}")
        data = write_pnrgov(pnr(b, reference=f"R{i}"))
        out.append(IngestItem(data=data.encode(), source="t", name=f"push{i}"))
    return out


def test_worker_processes_store_batches_in_stream_order(store: Store) -> None:
    items = _versions(12)
    results = list(ingest_stream(store, items, batch=2, jobs=3))
    assert [r.status for r in results] == ["stored"] * 12
    with store.read() as conn:
        history = repo.booking_history(conn, "ORD001")
    versions = history[0].versions
    assert [v.version_no for v in versions] == list(range(1, 13))
    # Version i came from push i: the archive ids (stream order) increase with the versions.
    raw_ids = [r.raw_message_id for r in results]
    assert [v.raw_message_id for v in versions] == raw_ids == sorted(raw_ids)
    assert "+442079460011" in versions[-1].content_json


def test_resends_across_batches_are_duplicates_with_workers(store: Store) -> None:
    items = _versions(4)
    stream = [items[0], items[1], items[0], items[2], items[1], items[3], items[0]]
    results = list(ingest_stream(store, stream, batch=1, jobs=2))
    stored, dup = "stored", "duplicate"
    assert [r.status for r in results] == [stored, stored, dup, stored, dup, stored, dup]
    assert results[2].raw_message_id == results[0].raw_message_id == results[6].raw_message_id
    with store.read() as conn:
        assert len(repo.list_raw(conn)) == 4


@pytest.fixture
def recorded() -> Iterator[list[tuple[int, tuple[int, ...]]]]:
    calls: list[tuple[int, tuple[int, ...]]] = []

    def hook(flight_id: int, traveller_ids: tuple[int, ...]) -> None:
        calls.append((flight_id, traveller_ids))

    hooks.register(hook)
    try:
        yield calls
    finally:
        hooks.unregister(hook)


def test_hooks_run_in_the_calling_process_once_per_committed_batch(
    store: Store, tmp_path: Path, recorded: list[tuple[int, tuple[int, ...]]]
) -> None:
    items = _versions(6)
    results = list(ingest_stream(store, items, batch=2, jobs=2))
    expected = [(fid, ids) for r in results for fid, ids in r.assess]
    assert len(expected) == 6 and all(ids for _, ids in expected)
    # Called here (the workers' own copies of the hook list are not used), exactly once each.
    assert recorded == expected


def _failing_store_batch(
    store: Store, prepared: Sequence[Prepared], *, notify: bool = True
) -> list[IngestResult]:
    raise RuntimeError("disk on fire")


def _failing_write_batch(conn: object, prepared: object, early: object = None) -> None:
    raise RuntimeError("disk on fire")


@pytest.mark.skipif(not _FORK, reason="the patch reaches the workers only through fork")
def test_a_failing_worker_stops_the_stream(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("paxwatch.ingest.stream.store_batch", _failing_store_batch)
    # PostgreSQL writes the batch in the transaction opened before the turn.
    monkeypatch.setattr("paxwatch.ingest.stream.write_batch", _failing_write_batch)
    with pytest.raises(RuntimeError, match="disk on fire"):
        list(ingest_stream(store, _versions(8), batch=1, jobs=2))
    with store.read() as conn:
        assert repo.list_raw(conn) == []


def test_a_store_other_processes_cannot_open_is_written_here(tmp_path: Path) -> None:
    memory = open_store("sqlite://", upgrade=True)
    try:
        assert shareable_url(memory) is None
        results = list(ingest_stream(memory, _versions(3), batch=1, jobs=2))
        assert [r.status for r in results] == ["stored"] * 3
    finally:
        memory.close()
    on_disk = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        assert shareable_url(on_disk) == f"sqlite:///{tmp_path / 'x.db'}"
    finally:
        on_disk.close()


def test_prebuild_builds_the_rows_of_changed_bookings_only(store: Store) -> None:
    same = booking("PRE001", traveller("SMITH"))
    changed = booking("PRE002", traveller("JONES"))
    ingest_many(store, [IngestItem(data=write_pnrgov(pnr(same, changed)).encode(), source="t")])
    changed_again = booking("PRE002", traveller("JONES", doc="P999"))
    new = booking("PRE003", traveller("BROWN"))
    data = write_pnrgov(pnr(same, changed_again, new, reference="R2")).encode()
    listed = write_paxlst(api(api_traveller("SMITH", locator="PRE001"))).encode()
    prepared = [prepare(IngestItem(data=d, source="t")) for d in (data, listed)]
    built = prebuild(store, prepared)
    message = built[0].messages[0]
    assert isinstance(message, PnrMessage)
    rows = built[0].rows[0]
    assert sorted(message.bookings[i].locator for i in rows) == ["PRE002", "PRE003"]
    assert all(rows[i].locator == message.bookings[i].locator for i in rows)
    # In the database's form already (``in_database_form``): the turn only adds the ids.
    assert all(rows[i].database == store.dialect for i in rows)
    assert built[1] is prepared[1] and built[1].api_contents[0]
    # Stored with the prebuilt rows: two new versions, their travellers and documents.
    result = store_batch(store, [built[0]])[0]
    assert (result.new_versions, result.unchanged, result.travellers) == (2, 1, 2)
    with store.read() as conn:
        hits = repo.find_identifier(conn, "document", "P:GBR:P999")
        history = repo.booking_history(conn, "PRE002")[0]
    assert [h.version_id for h in hits] == [history.versions[-1].id]
    assert hits[0].traveller_id in result.assess[0][1]

"""The 5-year and mask-age steps on several PostgreSQL connections at once
(``privacy.retention_fanout``): the same store, report and audit counts as the serial walk,
a chunk that fails leaves the rest to the next run, deadlocks are retried."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError

from paxwatch.privacy import audit, retention_age, retention_fanout
from paxwatch.privacy.policies import add_months, load_policy
from paxwatch.privacy.retention import default_jobs, run_retention, set_flag
from paxwatch.privacy.retention_fanout import split
from paxwatch.privacy.retention_report import RetentionReport
from paxwatch.privacy.retention_run import Run
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from tests.privacy.test_retention_support import VAULT, flight, orphans, push, push_api
from tests.store.factory import api, api_traveller, booking, pnr, traveller
from tests.store.helpers import make_store

T0 = datetime(2026, 12, 10, 10, 0)
EU = load_policy("eu")
UK = load_policy("uk")
FLIGHTS, PER_FLIGHT = 6, 5
CLOCKS = (
    add_months(T0, 6) + timedelta(days=1),  # first versions and API lists old, not the second
    add_months(T0, 6) + timedelta(days=12),  # the second versions too
    add_months(T0, 60) + timedelta(days=12),  # everything
)
SKIPPED = {
    "audit_event",  # compared as counts per kind (the chunks differ)
    "audit_anchor",
}
RANDOM = {("raw_message", "content_hash"), ("masked_record", "sealed"), ("masked_record", "id")}
"""Columns that differ between two loads of the same data (random hash, ciphertext) or
two runs: the surrogate id of a masked record follows the order concurrent chunks insert
in (nothing refers to it; its version or API traveller is compared)."""


def _load(st: Store, kind: str = "objective_evidence") -> None:
    """Flights of bookings of two travellers; every third booking changed ten days later
    (a second version); an API list per flight; a traveller, a whole booking and an API
    traveller flagged. First, flights of one booking changed an hour later: its two
    versions have consecutive ids, both old at the mask age (a walk of rounds of two rows
    meets them in one round)."""
    for f in range(3):
        dep = T0 + timedelta(days=1, hours=f)
        fl = flight(number=str(900 + f), dep=dep, arr=dep + timedelta(hours=8))
        one = booking(f"S{f:05d}", traveller(f"ONE{f}", doc=f"S{f:05d}"))
        push(st, pnr(one, fl=fl), T0)
        push(st, pnr(booking(one.locator, *one.travellers, phone="+33611111111"), fl=fl), T0)
    for f in range(FLIGHTS):
        dep = T0 + timedelta(days=2, hours=f)
        fl = flight(number=str(100 + f), dep=dep, arr=dep + timedelta(hours=8))
        items = [
            booking(
                f"L{f}{i:03d}",
                traveller(f"SUR{f}{i}A", ref="1", doc=f"P{f}{i:03d}1"),
                traveller(f"SUR{f}{i}B", ref="2", doc=f"P{f}{i:03d}2"),
            )
            for i in range(PER_FLIGHT)
        ]
        push(st, pnr(*items, fl=fl), T0)
        changed = [booking(b.locator, *b.travellers, phone="+33600000000") for b in items[::3]]
        push(st, pnr(*changed, fl=fl), T0 + timedelta(days=10))
        people = [
            api_traveller(t.surname, locator=b.locator, doc=t.documents[0].number)
            for b in items
            for t in b.travellers
        ]
        push_api(st, api(*people, fl=fl), T0 + timedelta(hours=1))
    with st.write() as conn:
        t, b, a = s.traveller, s.booking, s.api_traveller
        first = conn.execute(select(t.c.id).order_by(t.c.id)).scalars().first()
        whole = conn.execute(select(b.c.id).where(b.c.locator == "L2001")).scalar_one()
        api_id = conn.execute(select(a.c.id).order_by(a.c.id.desc())).scalars().first()
        for target in ({"traveller_id": first}, {"booking_id": whole}, {"api_id": api_id}):
            _flag(conn, kind, **target)


def _flag(conn: Connection, kind: str, **target: Any) -> None:
    api_id = target.pop("api_id", None)
    set_flag(
        conn,
        by="sup",
        role="supervisor",
        kind=kind,
        reason="case",
        review_on=(T0 + timedelta(days=360)).date(),
        api_traveller_id=api_id,
        now=T0,
        **target,
    )


def _rows(st: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (ordered), but the audit trail and the random columns."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with st.read() as conn:
        for table in s.metadata.sorted_tables:
            if table.name in SKIPPED:
                continue
            cols = [c for c in table.c if (table.name, c.name) not in RANDOM]
            rows = conn.execute(select(*cols)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def _deletions(st: Store) -> Counter[tuple[str, str]]:
    """(what, reason) → the count the audit trail's deletion events add up to."""
    out: Counter[tuple[str, str]] = Counter()
    with st.read() as conn:
        for entry in audit.list_events(conn, event_type=audit.DeletionEvent, limit=None):
            event = entry.event()
            assert isinstance(event, audit.DeletionEvent)
            out[(event.what, event.reason)] += event.count
    return out


@pytest.fixture(autouse=True)
def small_rounds_split(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rounds of a few rows split too (by default they run on one connection)."""
    monkeypatch.setattr(retention_fanout, "MIN_PART", 0)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    """Two PostgreSQL stores loaded with the same data."""
    with (
        make_store("postgresql", tmp_path / "a") as serial,
        make_store("postgresql", tmp_path / "b") as parallel,
    ):
        _load(serial)
        _load(parallel)
        yield serial, parallel


def _reports(st: Store, jobs: int, chunk: int = 7) -> list[RetentionReport]:
    return [run_retention(st, now, EU, vault=VAULT, chunk=chunk, jobs=jobs) for now in CLOCKS]


def _events(st: Store) -> list[tuple[str, int, str]]:
    with st.read() as conn:
        entries = audit.list_events(conn, event_type=audit.DeletionEvent, limit=None)
        events = [e.event() for e in entries]
    return sorted((e.what, e.count, e.reason) for e in events if isinstance(e, audit.DeletionEvent))


def _same_end(serial: Store, parallel: Store) -> None:
    assert _rows(parallel) == _rows(serial)
    assert _deletions(parallel) == _deletions(serial)
    assert orphans(parallel) == {} and orphans(serial) == {}
    assert audit.verify(parallel).ok


@pytest.mark.postgres
def test_parallel_run_ends_as_the_serial_one(pair: tuple[Store, Store]) -> None:
    serial, parallel = pair
    before = _rows(serial)
    assert before == _rows(parallel)  # the two loads are the same data
    expected = _reports(serial, jobs=1)
    got = _reports(parallel, jobs=2)
    assert [r.counts() for r in got] == [r.counts() for r in expected]
    assert got[0].versions_deleted and got[0].versions_masked and got[0].bookings_deleted
    assert got[0].api_travellers_masked and got[1].bookings_deleted and got[2].bookings_deleted
    assert [r.kept for r in got] == [r.kept for r in expected]
    _same_end(serial, parallel)
    assert len(_events(parallel)) > len(_events(serial))  # the rounds were split
    # Idempotent: a second parallel run changes nothing.
    again = run_retention(parallel, CLOCKS[-1], EU, vault=VAULT, chunk=7, jobs=2)
    assert again.changed == 0


@pytest.mark.postgres
def test_uk_profile_in_parallel_ends_as_the_serial_one(tmp_path: Path) -> None:
    """UK: the unflagged go at journey end (serial step), the flagged are masked whole at
    the mask age (parallel, nothing deleted there), then deleted at 5 years."""
    with (
        make_store("postgresql", tmp_path / "a") as serial,
        make_store("postgresql", tmp_path / "b") as parallel,
    ):
        _load(serial, "risk_assessment")
        _load(parallel, "risk_assessment")
        expected = [run_retention(serial, now, UK, vault=VAULT, chunk=1, jobs=1) for now in CLOCKS]
        got = [run_retention(parallel, now, UK, vault=VAULT, chunk=1, jobs=2) for now in CLOCKS]
        assert [r.counts() for r in got] == [r.counts() for r in expected]
        assert got[0].versions_masked and got[0].api_travellers_masked
        _same_end(serial, parallel)
        assert _events(parallel) != _events(serial)  # other chunks: the rounds were split


@pytest.mark.postgres
def test_small_rounds_run_as_the_serial_walk(
    pair: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rounds under ``jobs × MIN_PART`` rows are not split: the same chunks, so the same
    audit events one by one."""
    monkeypatch.setattr(retention_fanout, "MIN_PART", 1_000)
    serial, parallel = pair
    expected = _reports(serial, jobs=1)
    got = _reports(parallel, jobs=2)
    assert [r.counts() for r in got] == [r.counts() for r in expected]
    _same_end(serial, parallel)
    assert _events(parallel) == _events(serial)


@pytest.mark.postgres
def test_parallel_chunks_split_bookings_apart(pair: tuple[Store, Store]) -> None:
    """Chunks of 1: every round splits the versions of consecutive bookings over two
    connections, and a booking's two versions fall in one round or in two."""
    serial, parallel = pair
    expected = _reports(serial, jobs=1, chunk=1)
    got = _reports(parallel, jobs=2, chunk=1)
    assert [r.counts() for r in got] == [r.counts() for r in expected]
    _same_end(serial, parallel)


@pytest.mark.postgres
def test_a_chunk_that_fails_leaves_the_rest_to_the_next_run(
    pair: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    serial, parallel = pair
    _reports(serial, jobs=1)
    real = retention_age.delete_version_rows
    with parallel.read() as conn:
        victim = conn.execute(
            select(s.booking.c.id).where(s.booking.c.locator == "L3002")
        ).scalar_one()

    def failing(run: Run, conn: Connection, rows: list[Any]) -> None:
        real(run, conn, rows)
        if any(int(r[1]) == victim for r in rows):
            raise RuntimeError("killed")

    monkeypatch.setattr(retention_age, "delete_version_rows", failing)
    with pytest.raises(RuntimeError, match="killed"):
        run_retention(parallel, CLOCKS[0], EU, vault=VAULT, chunk=7, jobs=2)
    assert orphans(parallel) == {}
    with parallel.read() as conn:  # the failed chunk left its booking whole
        assert conn.execute(select(s.booking.c.id).where(s.booking.c.id == victim)).scalar()
    monkeypatch.setattr(retention_age, "delete_version_rows", real)
    _reports(parallel, jobs=2)
    _same_end(serial, parallel)


class _Deadlock(Exception):
    sqlstate = "40P01"


@pytest.mark.postgres
def test_a_deadlocked_chunk_is_rolled_back_and_run_again(
    pair: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    serial, parallel = pair
    expected = _reports(serial, jobs=1)
    real = retention_age.delete_api_travellers
    failed: list[int] = []

    def deadlocking(run: Run, conn: Connection, *args: Any, **kwargs: Any) -> None:
        real(run, conn, *args, **kwargs)  # its work is rolled back with the chunk
        if len(failed) < 2:
            failed.append(1)
            raise DBAPIError("DELETE ...", None, _Deadlock("deadlock detected"))

    monkeypatch.setattr(retention_age, "delete_api_travellers", deadlocking)
    got = _reports(parallel, jobs=2)
    assert len(failed) == 2
    assert [r.counts() for r in got] == [r.counts() for r in expected]
    _same_end(serial, parallel)


def test_split_keeps_groups_whole_and_parts_even() -> None:
    rows = [(i, i // 3) for i in range(1, 31)] + [(40, 1), (41, 9)]
    parts = split(rows, lambda r: int(r[1]), 2)
    assert len(parts) == 2
    assert sorted(r for p in parts for r in p) == sorted(rows)
    groups = [{r[1] for r in p} for p in parts]
    assert not groups[0] & groups[1] and max(groups[0]) < min(groups[1])
    assert abs(len(parts[0]) - len(parts[1])) <= 3
    assert all(p == sorted(p) for p in parts)
    assert split(rows, lambda r: int(r[1]), 1) == [sorted(rows)]
    assert len(split([(1, 5), (2, 5)], lambda r: int(r[1]), 4)) == 1


def test_jobs_default_and_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with make_store("sqlite", tmp_path) as st:
        monkeypatch.setenv("PAXWATCH_RETENTION_JOBS", "4")
        assert default_jobs(st) == 1  # one writer
        monkeypatch.setenv("PAXWATCH_RETENTION_JOBS", "four")
        with pytest.raises(ValueError, match="PAXWATCH_RETENTION_JOBS"):
            default_jobs(st)  # still a valid setting
    st = Store.__new__(Store)
    st.is_sqlite = False
    monkeypatch.delenv("PAXWATCH_RETENTION_JOBS")
    assert default_jobs(st) == 2
    monkeypatch.setenv("PAXWATCH_RETENTION_JOBS", "3")
    assert default_jobs(st) == 3
    for bad in ("0", "two", "9"):
        monkeypatch.setenv("PAXWATCH_RETENTION_JOBS", bad)
        with pytest.raises(ValueError, match="PAXWATCH_RETENTION_JOBS"):
            default_jobs(st)
    with pytest.raises(ValueError, match="jobs must be 1 to 8"):
        run_retention(st, T0, EU, jobs=0)

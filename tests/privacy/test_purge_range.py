"""``purge`` skips a dependent table with no row between a level's smallest and largest id
(``purge_range``), and still deletes the rows of the ids when a kept row lies between
them; the retention job pauses the garbage collector per transaction and restores it."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, select

from paxwatch.gcpause import gc_paused
from paxwatch.privacy.flags import set_flag
from paxwatch.privacy.purge import purge_ids
from paxwatch.privacy.purge_range import _indexed
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from paxwatch.store.schema_privacy import retention_flag
from tests.privacy.test_retention_support import booking_id, flight, orphans, push, store
from tests.store.factory import booking, pnr, traveller

__all__ = ["store"]

T0 = datetime(2026, 12, 10, 10, 0)
LOCATORS = ("AAA111", "BBB222", "CCC333")


def _three(store: Store) -> list[int]:
    """Three bookings stored one after the other (increasing ids); their ids."""
    for n, locator in enumerate(LOCATORS):
        one = booking(locator, traveller("SMITH", "ANNA", ref="1", doc=f"P{n}234567"))
        push(store, pnr(one, fl=flight(number=str(300 + n))), T0)
    ids = [booking_id(store, locator) for locator in LOCATORS]
    assert all(i is not None for i in ids)
    return [int(i) for i in ids if i is not None]


def _flag(store: Store, booking: int) -> None:
    with store.write() as conn:
        set_flag(
            conn,
            by="sup",
            role="supervisor",
            kind="objective_evidence",
            reason="test",
            review_on=date(2027, 6, 1),
            now=T0,
            booking_id=booking,
        )


def _flagged(store: Store) -> set[int]:
    with store.read() as conn:
        rows = conn.execute(select(retention_flag.c.booking_id)).scalars()
        return {int(i) for i in rows}


@contextmanager
def _statements(store: Store) -> Iterator[list[str]]:
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(store.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", before)


def _deletes(seen: list[str], table: str) -> list[str]:
    return [q for q in seen if q.startswith(f"DELETE FROM {table} ")]


def test_a_table_with_no_row_in_the_range_is_skipped(store: Store) -> None:
    first, second, third = _three(store)
    _flag(store, third)
    with _statements(store) as seen, store.write() as conn:
        assert purge_ids(conn, s.booking, [first, second]) == 2
    assert not _deletes(seen, "retention_flag")  # the only flag lies above the range
    assert _deletes(seen, "booking_version") and _deletes(seen, "traveller")
    assert _flagged(store) == {third}
    assert booking_id(store, LOCATORS[2]) == third
    assert booking_id(store, LOCATORS[0]) is None and booking_id(store, LOCATORS[1]) is None
    assert orphans(store) == {}


def test_a_kept_row_inside_the_range_does_not_hide_the_rows_of_the_ids(store: Store) -> None:
    first, second, third = _three(store)
    for one in (first, second, third):
        _flag(store, one)
    with _statements(store) as seen, store.write() as conn:
        assert purge_ids(conn, s.booking, [first, third]) == 2
    assert _deletes(seen, "retention_flag")
    assert _flagged(store) == {second}
    assert orphans(store) == {}


def test_only_indexed_owner_columns_are_probed_by_range() -> None:
    i, d = s.identifier, s.document
    assert _indexed(d, d.c.traveller_id)  # partial index: the rows where it is not NULL
    assert _indexed(s.traveller, s.traveller.c.version_id)
    assert _indexed(s.api_traveller_flight, s.api_traveller_flight.c.api_traveller_id)  # key
    assert not _indexed(i, i.c.booking_id)  # no index since migration 0008
    assert not _indexed(i, i.c.traveller_id)


def test_the_collector_is_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    inside: list[bool] = []
    entered, release = threading.Event(), threading.Event()

    def other() -> None:
        with gc_paused():
            entered.set()
            release.wait(5)
            inside.append(gc.isenabled())

    worker = threading.Thread(target=other)
    with gc_paused():
        worker.start()
        assert entered.wait(5)
        with gc_paused():
            inside.append(gc.isenabled())
        inside.append(gc.isenabled())
    # The other thread is still inside: the collector stays off until it leaves.
    assert not gc.isenabled()
    release.set()
    worker.join(5)
    assert inside == [False, False, False]
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()

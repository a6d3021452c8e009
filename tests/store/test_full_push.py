"""The bookkeeping of full pushes of one part (one statement on PostgreSQL) against that
of pushes in parts: the same rows on SQLite and PostgreSQL. ``push_booking`` holds the
bookings of open pushes in parts only (migration 0020)."""

from __future__ import annotations

from sqlalchemy import text

from paxwatch.model import PushAction
from paxwatch.store import repository as repo
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from tests.store.factory import booking, pnr, raw_id

FULL = PushAction.FULL


def _push(store: Store, message: object) -> int:
    with store.write() as conn:
        out = repo.write_pnr_message(
            conn,
            message,  # type: ignore[arg-type]
            raw_id=raw_id(conn),
            at=utcnow(),
        )
    return out.cancelled


def _pushes(store: Store) -> list[tuple[object, ...]]:
    with store.read() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                text(
                    "SELECT p.status, p.final_part, p.cancelled, p.reference, "
                    "(SELECT count(*) FROM push_part pp WHERE pp.push_id = p.id), "
                    "(SELECT count(*) FROM push_booking pb WHERE pb.push_id = p.id), "
                    "p.completed_at IS NOT NULL, p.completed_at = p.opened_at "
                    "FROM push p ORDER BY p.id"
                )
            )
        ]


def _statuses(store: Store) -> dict[str, tuple[str, bool]]:
    with store.read() as conn:
        rows = conn.execute(
            text(
                "SELECT b.locator, bf.status, bf.cancelled_by_push_id IS NOT NULL "
                "FROM booking_flight bf JOIN booking b ON b.id = bf.booking_id"
            )
        )
        return {str(loc): (str(status), bool(by)) for loc, status, by in rows}


def test_single_part_full_push_records_and_completes_at_once(store: Store) -> None:
    _push(store, pnr(booking("AAA111"), booking("BBB222"), booking("CCC333")))
    # An unfinished push in parts is abandoned by the next part 1.
    assert _push(store, pnr(booking("AAA111"), action=FULL, part=(1, False), reference="P")) == 0
    cancelled = _push(
        store, pnr(booking("AAA111"), booking("AAA111"), booking("DDD444"), action=FULL)
    )
    assert cancelled == 2
    assert _statuses(store) == {
        "AAA111": ("active", False),
        "BBB222": ("cancelled", True),
        "CCC333": ("cancelled", True),
        "DDD444": ("active", False),
    }
    pushes = _pushes(store)
    # Neither an abandoned push nor a complete one keeps its bookings (migration 0020).
    assert pushes[0][:6] == ("abandoned", None, 0, "P", 1, 0)
    assert pushes[1][:6] == ("complete", 1, 2, "REF1", 1, 0)
    assert pushes[1][6:] == (True, True)
    with store.read() as conn:
        [history] = repo.booking_history(conn, "BBB222")
    assert history.flights[0].status == "cancelled"
    # Nothing left to cancel: a second complete push cancels nothing, a later push of a
    # cancelled booking makes it active again.
    assert _push(store, pnr(booking("AAA111"), booking("DDD444"), action=FULL)) == 0
    _push(store, pnr(booking("BBB222")))
    assert _statuses(store)["BBB222"][0] == "active"
    assert [p[0] for p in _pushes(store)] == ["abandoned", "complete", "complete"]


def _kept(store: Store) -> list[tuple[int, str]]:
    with store.read() as conn:
        rows = conn.execute(
            text(
                "SELECT pb.push_id, b.locator FROM push_booking pb "
                "JOIN booking b ON b.id = pb.booking_id ORDER BY pb.push_id, b.locator"
            )
        )
        return [(int(push_id), str(locator)) for push_id, locator in rows]


def test_a_push_in_parts_keeps_its_bookings_only_while_it_is_open(store: Store) -> None:
    _push(store, pnr(booking("AAA111"), booking("BBB222"), booking("CCC333")))
    _push(store, pnr(booking("AAA111"), action=FULL, part=(1, False), reference="P1"))
    [(first, locator)] = _kept(store)
    assert locator == "AAA111"
    # Part 1 of a new push abandons the open one and forgets its bookings.
    _push(store, pnr(booking("BBB222"), action=FULL, part=(1, False), reference="P2"))
    [(second, locator)] = _kept(store)
    assert (locator, second > first) == ("BBB222", True)
    # Part 2 (final) joins it: both parts' bookings are read to complete it, then dropped.
    cancelled = _push(store, pnr(booking("CCC333"), action=FULL, part=(2, True), reference="P2"))
    assert cancelled == 1
    assert _kept(store) == []
    assert _statuses(store) == {
        "AAA111": ("cancelled", True),
        "BBB222": ("active", False),
        "CCC333": ("active", False),
    }
    assert [p[0] for p in _pushes(store)] == ["abandoned", "complete"]
    # A part that joins no open push opens one that waits (and keeps its bookings).
    _push(store, pnr(booking("AAA111"), action=FULL, part=(3, True), reference="P3"))
    assert [locator for _, locator in _kept(store)] == ["AAA111"]
    # (Its part brought AAA111 back: a complete push of BBB222 alone cancels it and CCC333.)
    assert _push(store, pnr(booking("BBB222"), action=FULL)) == 2
    assert _kept(store) == []

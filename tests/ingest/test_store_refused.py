"""An input whose values the database refuses goes to quarantine with the database's reason,
and the rest of its batch is stored: bad input neither stops the pipeline nor vanishes.

Found on a France-scale synthetic day: a booking class of three characters (``Y'R``, from
an input cut short that the tokenizer used to join back as an unescaped apostrophe) that
PostgreSQL's ``varchar(2)`` refused; the batch, then the same input alone, failed, and the
ingest stopped. SQLite does not enforce declared lengths, so there the value is stored as
read."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DataError

from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.formats.values import MAX_INTEGER, integer
from paxwatch.ingest import ingest_many
from paxwatch.ingest import quarantine as q
from paxwatch.ingest.pipeline import IngestItem, refused
from paxwatch.ingest.prepare import prepare
from paxwatch.model import Booking
from paxwatch.store import repository as repo
from paxwatch.store.engine import Store
from tests.store.factory import booking, pnr


def _item(b: Booking) -> IngestItem:
    return IngestItem(data=write_pnrgov(pnr(b)).encode(), source="test", name=b.locator)


def _classed(locator: str, booking_class: str) -> Booking:
    b = booking(locator)
    return replace(b, legs=tuple(replace(leg, booking_class=booking_class) for leg in b.legs))


def test_a_value_the_database_refuses_quarantines_that_input_only(store: Store) -> None:
    items = [_item(booking("AAA111")), _item(_classed("BBB222", "YRR")), _item(booking("CCC333"))]
    results = ingest_many(store, items)
    with store.read() as conn:
        stored = {loc for loc in ("AAA111", "BBB222", "CCC333") if repo.booking_history(conn, loc)}
    if store.is_sqlite:
        assert [r.status for r in results] == ["stored"] * 3
        assert stored == {"AAA111", "BBB222", "CCC333"}
        assert q.list_items(store) == []
        return
    assert [r.status for r in results] == ["stored", "quarantined", "stored"]
    assert stored == {"AAA111", "CCC333"}
    (finding,) = [f for f in results[1].findings if f.code == "store-refused"]
    assert "value too long" in finding.message and "booking_leg" in finding.message
    assert "YRR" not in finding.message  # what the database said and where, not the values
    (item,) = q.list_items(store)
    assert (item.reason, item.raw_message_id) == ("store-refused", results[1].raw_message_id)
    _shown, body = q.show(store, item.id)
    assert body == items[1].data
    # Retried, it is refused again and stays, with the attempt counted.
    again = q.retry(store, item.id)
    assert again.status == "quarantined"
    assert [f.code for f in again.findings][-1] == "store-refused"
    (item,) = q.list_items(store)
    assert item.attempts == 2


def test_database_errors_do_not_show_passenger_data(store: Store) -> None:
    """The engines hide statement parameters: an error (and the log line reporting it)
    names the statement, not the passenger's values."""
    with store.write() as conn:
        conn.execute(text("CREATE TEMPORARY TABLE pw_probe (v varchar(2) NOT NULL)"))
        try:
            with conn.begin_nested():
                conn.execute(text("INSERT INTO pw_probe (v) VALUES (:v)"), {"v": None})
        except Exception as exc:  # IntegrityError on both databases
            shown = str(exc)
        else:  # pragma: no cover - both databases refuse NULL here
            raise AssertionError("NULL accepted")
    assert "INSERT INTO pw_probe" in shown
    assert "hidden due to hide_parameters" in shown


def test_the_refusal_names_no_value(store: Store) -> None:
    """PostgreSQL quotes the value it refuses in some messages ("date/time field value out
    of range: "..."", a text COPY's context); the finding keeps what precedes it."""
    if store.is_sqlite:
        pytest.skip("SQLite converts any value to a column's type: it refuses none")
    item = _item(booking("AAA111"))
    with store.read() as conn:
        try:
            conn.execute(text("SELECT CAST(:d AS date)"), {"d": "2026-13-45"})
        except DataError as exc:
            finding = refused(prepare(item), exc).findings[-1]
        else:  # pragma: no cover - PostgreSQL refuses it
            raise AssertionError("date accepted")
    assert finding.code == "store-refused"
    assert "date/time field value out of range" in finding.message
    assert "2026-13-45" not in finding.message


def test_numbers_no_column_can_hold_are_not_read() -> None:
    assert integer(" 2147483647 ") == MAX_INTEGER
    assert integer("0000000000000012") == 12
    assert integer("2147483648") is None
    assert integer("9" * 20) is None  # SQLite's driver cannot bind it
    assert integer("9" * 5000) is None  # int() of so many digits raises
    assert integer("12A") is None

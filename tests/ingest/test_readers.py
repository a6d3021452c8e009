"""Worker processes (``ingest_stream(jobs=N)``) store exactly what one process stores.

With ``jobs > 1`` each worker reads and stores its own batches in turn, with the rows of
changed bookings (``version_rows``) built before its turn (on PostgreSQL inserted before
it: ``store.early``); the stored data must not depend on which process built them or
stored them. On PostgreSQL the ids a batch takes before its turn are not in commit order,
so the stores are compared with every id replaced by its row's rank in content order
(``_canonical``): the same rows, pointing at the same rows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text

from paxwatch.formats.paxlst_write import write_paxlst
from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.ingest.pipeline import IngestItem
from paxwatch.ingest.stream import ingest_stream
from paxwatch.model import (
    Address,
    Contact,
    ContactKind,
    PushAction,
    Ticket,
)
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from paxwatch.store.versions import TRAVELLER_COLUMNS, version_rows
from tests.store.factory import api, api_traveller, booking, pnr, traveller
from tests.store.helpers import make_store

#: Columns holding the time of storing (differ between two runs), left out of comparisons.
_CONTENT_TIMES = {("booking_version", "created_at"), ("booking_version", "last_changed_at")}


def _items() -> list[IngestItem]:
    rich = traveller("SMITH", doc="P1234567", seat="12A")
    rich = replace(
        rich,
        tickets=(Ticket(number="0572345678901", issued_on=date(2026, 12, 1), one_way=True),),
        addresses=(Address(street="1 HIGH ST", city="LONDON", country="GB"),),
    )
    b1 = booking("RDR001", rich, traveller("SMITH", "JANE", ref="2"), email="j@example.com")
    b1_changed = booking("RDR001", rich, traveller("SMITH", "JANE", ref="2", doc="P7654321"))
    b2 = booking("RDR002", traveller("JONES", seat="3C"), phone="+33612345678")
    b3 = booking("RDR003", traveller("BROWN", doc="X99"))
    contact = Contact(kind=ContactKind.PHONE, value="0044 20 7946 0000", traveller_ref="2")
    b3 = replace(b3, contacts=(*b3.contacts, contact))
    datas = [
        write_pnrgov(pnr(b1, b2)),
        write_pnrgov(pnr(b1_changed, b3, reference="REF2")),
        write_pnrgov(pnr(b1_changed, b3, action=PushAction.FULL, part=(1, True))),
        write_paxlst(api(api_traveller("SMITH", locator="RDR001"), api_traveller("BROWN"))),
        write_pnrgov(pnr(b1, b2)),  # a resend
        "UNB+UNOA:4+GARBAGE'",
    ]
    return [IngestItem(data=d.encode(), source="t", name=f"i{n}") for n, d in enumerate(datas)]


def _dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        names = sorted(t for t in inspect(conn).get_table_names() if not t.startswith("alembic"))
        for table in names:
            columns = [
                c["name"]
                for c in inspect(conn).get_columns(table)
                if not c["name"].endswith("_at") or (table, c["name"]) in _CONTENT_TIMES
            ]
            order = "id" if "id" in columns else ", ".join(columns)
            query = text(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}")
            out[table] = [tuple(row) for row in conn.execute(query)]
            _COLUMNS[table] = columns
    return out


_COLUMNS: dict[str, list[str]] = {}

#: What the id columns of the passenger tables point at (they have no foreign keys).
_REFERS = {
    "booking_id": "booking",
    "version_id": "booking_version",
    "current_version_id": "booking_version",
    "traveller_id": "traveller",
    "api_traveller_id": "api_traveller",
    "api_message_id": "api_message",
    "raw_message_id": "raw_message",
    "last_raw_message_id": "raw_message",
    "flight_id": "flight",
    "push_id": "push",
    "cancelled_by_push_id": "push",
}
#: Tables ranked first, in this order: a table's rank may use only those ranked before it.
_RANKED = (
    "raw_message",
    "flight",
    "push",
    "booking",
    "booking_version",
    "traveller",
    "api_message",
    "api_traveller",
)


def _canonical(dump: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """``dump`` with each id replaced by the rank of its row among its table's rows sorted
    by content (references to tables ranked earlier mapped first), rows sorted."""
    ranks: dict[str, dict[Any, int]] = {}

    def mapped(table: str, row: tuple[Any, ...], *, partial: bool) -> tuple[Any, ...]:
        out: list[Any] = []
        for name, value in zip(_COLUMNS[table], row, strict=True):
            target = _REFERS.get(name)
            if name == "id":
                continue
            if target is None:
                out.append(value)
            elif target in ranks:
                out.append(ranks[target].get(value, ("dangling", value)))
            elif not partial:
                raise AssertionError(f"{table}.{name}: {target} is not ranked")
        return tuple(out)

    for table in (*_RANKED, *(t for t in dump if t not in _RANKED)):
        if table in dump and "id" in _COLUMNS[table]:
            at = _COLUMNS[table].index("id")
            rows = sorted(dump[table], key=lambda r: repr(mapped(table, r, partial=True)))
            ranks[table] = {row[at]: rank for rank, row in enumerate(rows)}
    return {
        table: sorted((mapped(table, row, partial=False) for row in rows), key=repr)
        for table, rows in dump.items()
    }


def test_reader_processes_store_what_one_process_stores(store: Store, tmp_path: Path) -> None:
    items = _items()
    one = [r.status for r in ingest_stream(store, items, batch=2)]
    with make_store(store.dialect, tmp_path / "jobs") as other:
        many = [r.status for r in ingest_stream(other, items, batch=2, jobs=2)]
        assert many == one
        expected, got = _dump(store), _dump(other)
    assert one == ["stored"] * 4 + ["duplicate", "quarantined"]
    assert len(expected["traveller"]) == 6 and len(expected["booking_version"]) == 4
    assert expected["identifier"] and expected["ticket"] and expected["contact"]
    if store.dialect == "postgresql":
        expected, got = _canonical(expected), _canonical(got)
    for table, rows in expected.items():
        assert got[table] == rows, table
    owners = (
        "SELECT t.given_names, d.number FROM document d JOIN traveller t ON t.id = d.traveller_id"
    )
    with store.engine.connect() as conn:
        documents = {tuple(row) for row in conn.execute(text(owners))}
    assert {("JANE", "P7654321"), ("JOHN", "P1234567"), ("JOHN", "X99")} <= documents


def test_version_rows_hold_every_traveller_column_but_the_ids() -> None:
    t = traveller("SMITH", doc="P1")
    # the traveller table's columns, in order, but the ids (added on insert)
    assert (*TRAVELLER_COLUMNS,) == tuple(
        c.name for c in s.traveller.c if c.name not in ("id", "version_id", "booking_id")
    )
    rows = version_rows(booking("ABC123", t, traveller("DOE", ref="2")))
    assert rows.locator == "ABC123" and [r[0] for r in rows.travellers] == [1, 2]
    documents = next(c for c in rows.children if c.table == "document")
    at = documents.columns.index("traveller_id")
    assert [r[at] for r in documents.rows] == [0]  # the index of SMITH, filled in on insert

"""Version rows put in database form before the turn (``versions.in_database_form``, as
``prepare.prebuild`` does) are stored exactly as rows converted in the turn, alone or mixed
with them in one ``insert_versions`` (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from paxwatch.model import Bag, Ticket
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from paxwatch.store.row_builders import CHILD_TABLES
from paxwatch.store.versions import (
    NewVersion,
    VersionRows,
    in_database_form,
    insert_versions,
    version_rows,
)
from tests.store.factory import booking, traveller


def _bookings() -> list[VersionRows]:
    out = []
    for n, locator in enumerate(("AAA111", "BBB222", "CCC333")):
        smith = traveller("SMITH", doc=f"P{n}", seat="12A", dob=date(1960 + n, 2, 3))
        smith = replace(
            smith,
            bags=(Bag(count=1, head_of_pool=True),),
            tickets=(Ticket(number=f"0061{n}", issued_on=date(2026, 11, n + 1), one_way=True),),
        )
        doe = traveller("DOE", "JANE", ref="2", doc=f"X{n}", dob=None)
        b = booking(locator, smith, doe, email=f"j{n}@d.eu")
        b = replace(b, legs=(replace(b.legs[0], arrival=datetime(2026, 12, 7, 18, 5, 30)),))
        out.append(version_rows(b))
    return out


def _stored(conn: Connection, versions: list[int]) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Every traveller and child row of ``versions``, the ids replaced by the position of
    their version in ``versions`` and the traveller's ``seq`` (raw database values)."""
    t = s.traveller
    travellers = {
        tid: (versions.index(vid), seq)
        for tid, vid, seq in conn.execute(
            select(t.c.id, t.c.version_id, t.c.seq).where(t.c.version_id.in_(versions))
        )
    }
    out = []
    for name in ("traveller", *CHILD_TABLES):
        table = s.metadata.tables[name]
        cols = [c for c in table.c if c.name not in ("id", "booking_id", "api_traveller_id")]
        if "version_id" in table.c:
            where = table.c.version_id.in_(versions)
        else:
            where = table.c.traveller_id.in_(list(travellers))
        rows = []
        for row in conn.exec_driver_sql(
            str(select(*cols).where(where).compile(conn, compile_kwargs={"literal_binds": True}))
        ):
            values = dict(zip([c.name for c in cols], row, strict=True))
            if "version_id" in values and values["version_id"] is not None:
                values["version_id"] = versions.index(values["version_id"])
            if values.get("traveller_id") is not None:
                values["traveller_id"] = travellers[values["traveller_id"]]
            rows.append(tuple(sorted(values.items(), key=lambda kv: kv[0])))
        out.append((name, sorted(rows, key=repr)))
    return out


def test_rows_in_database_form_are_stored_as_rows_converted_in_the_turn(store: Store) -> None:
    raw = _bookings()
    dialect = store.engine.dialect
    ready = [in_database_form(dialect, r) for r in raw]
    assert all(r.database == dialect.name for r in ready)
    assert in_database_form(dialect, ready[0]) is ready[0]  # not converted twice
    if dialect.name == "sqlite":
        # The conversion did something (SQLite keeps dates and times as text).
        assert ready[0].travellers[0] != raw[0].travellers[0]
        assert ready[0].travellers[0][list(raw[0].travellers[0]).index(date(1960, 2, 3))] == (
            "1960-02-03"
        )
    with store.write() as conn:
        insert_versions(conn, [NewVersion(10 + i, 100 + i, r) for i, r in enumerate(raw)])
        insert_versions(conn, [NewVersion(20 + i, 200 + i, r) for i, r in enumerate(ready)])
        mixed = [ready[0], raw[1], ready[2]]
        insert_versions(conn, [NewVersion(30 + i, 300 + i, r) for i, r in enumerate(mixed)])
        mixed = [raw[0], ready[1], raw[2]]
        insert_versions(conn, [NewVersion(40 + i, 400 + i, r) for i, r in enumerate(mixed)])
    with store.read() as conn:
        expected = _stored(conn, [100, 101, 102])
        assert sum(len(rows) for _, rows in expected) > 30
        for first in (200, 300, 400):
            assert _stored(conn, [first, first + 1, first + 2]) == expected

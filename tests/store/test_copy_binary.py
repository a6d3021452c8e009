"""PostgreSQL ``COPY`` in binary format (``rows.copy_types``): the ingest's tables get a binary
form for every column, and the values come back as given (texts with tabs, backslashes,
quotes and ``\\N``, bytes with NULs, dates, times to the microsecond, booleans, NULLs);
other tables keep the text format."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Table, select
from sqlalchemy.dialects import postgresql

from paxwatch.store import schema as s
from paxwatch.store.rows import BINARY_COPY_TABLES, COPY_MIN_ROWS, copy_types, insert_tuples
from tests.store.factory import raw_id
from tests.store.helpers import make_store

TEXTS = ["tab\there", "back\\slash", "line\nfeed", "\\N", "", "Ünïcödé ß", "x'y\"z", None]
BODIES = [b"\x00\x01\\\t\n\xff", b"", b"UNA:+.? 'UNB+"]
N = COPY_MIN_ROWS + 3


def test_every_ingest_table_is_copied_in_binary() -> None:
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    for name in BINARY_COPY_TABLES:
        table = s.metadata.tables[name]
        assert copy_types(dialect, table, tuple(table.c.keys())) is not None, name
    figures = s.metadata.tables["stat_flight"]
    assert copy_types(dialect, figures, tuple(figures.c.keys())) is None


def _round_trip(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """``rows`` inserted (one ``COPY``), read back in id order."""
    top = conn.execute(select(table.c.id).order_by(table.c.id.desc()).limit(1)).scalar() or 0
    insert_tuples(conn, table, columns, rows)
    query = select(*(table.c[c] for c in columns)).where(table.c.id > top).order_by(table.c.id)
    return [
        tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in conn.execute(query)
    ]


@pytest.mark.postgres
def test_binary_copy_stores_the_values_given(tmp_path: Path) -> None:
    with make_store("postgresql", tmp_path) as store, store.write() as conn:
        documents = [
            (
                i,
                TEXTS[i % len(TEXTS)] or "SMITH",
                TEXTS[(i + 1) % len(TEXTS)],
                date(1950, 1, 1 + i % 28) if i % 3 else None,
                None if i % 4 else "M",
            )
            for i in range(N)
        ]
        columns = ("traveller_id", "surname", "number", "date_of_birth", "gender")
        assert _round_trip(conn, s.document, columns, documents) == documents

        raw = raw_id(conn)
        log = [
            (raw, f"cat{i}", TEXTS[i % 7] or "x", i * 1000, datetime(2026, 11, 28, 4, 5, 6, i))
            for i in range(N)
        ]
        columns = ("raw_message_id", "category", "element", "count", "created_at")
        assert _round_trip(conn, s.deletion_log, columns, log) == log

        raws = [
            (
                10_000 + i,
                f"{i:064x}",
                BODIES[i % len(BODIES)],
                len(BODIES[i % len(BODIES)]),
                i % 2,
                datetime(2026, 11, 28, 23, 59, 59, 999999),
                "test",
                TEXTS[i % len(TEXTS)],
                "pnrgov",
                "stored",
                i,
                0,
                0,
                i % 2 == 0,
            )
            for i in range(N)
        ]
        columns = (
            "id",
            "content_hash",
            "body",
            "size",
            "redacted",
            "received_at",
            "source",
            "name",
            "format",
            "status",
            "bookings",
            "new_versions",
            "api_travellers",
            "erased",
        )
        assert _round_trip(conn, s.raw_message, columns, raws) == raws

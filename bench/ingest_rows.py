"""What one push writes: rows and secondary index entries per push, per table (SQLite).

The ingest's cost on either database is mostly the rows it inserts and their index upkeep
(docs/operators.md, "PostgreSQL and ingest"); this counts them, which no host's speed
changes. ``bench/ingest.py``'s slice (``make_slice``) is ingested in one process into a
fresh SQLite store; then every table's rows and the entries of each of its secondary
indexes (partial indexes: the rows they hold) are counted and divided by the pushes.
Run it with another checkout's ``src`` on ``PYTHONPATH`` to compare two versions of the
schema (e.g. before and after migrations 0017-0018: 75.9 → 61.0 rows a push).

Usage: ``python bench/ingest_rows.py [--messages 2000] [--batch 200] [--all]``
(``--all``: every table, not only those with rows).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from sqlalchemy import Connection

from paxwatch.ingest.stream import ingest_stream
from paxwatch.store.engine import open_store

sys.path.insert(0, str(Path(__file__).parent))
from ingest import make_slice


def _count(conn: Connection, table: str) -> tuple[int, int]:
    """Rows of ``table`` and entries of its secondary indexes."""
    rows = int(conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar() or 0)
    entries = 0
    indexes = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,)
    ).all()
    for name, sql in indexes:
        where = f" WHERE {sql.split(' WHERE ', 1)[1]}" if sql and " WHERE " in sql else ""
        query = f'SELECT count(*) FROM "{table}" INDEXED BY "{name}"{where}'
        entries += int(conn.exec_driver_sql(query).scalar() or 0)
    return rows, entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args()
    data = make_slice(args.messages)
    pushes = len(data.items)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'rows.db'}", upgrade=True)
        try:
            for _ in ingest_stream(store, data.items, batch=args.batch):
                pass
            with store.read() as conn:
                tables = sorted(
                    str(r[0])
                    for r in conn.exec_driver_sql(
                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
                    )
                )
                counts = {t: _count(conn, t) for t in tables}
                kinds = conn.exec_driver_sql(
                    "SELECT kind, count(*) FROM identifier GROUP BY kind ORDER BY kind"
                ).all()
        finally:
            store.close()
    print(f"{pushes} pushes, {data.passengers} passengers; per push:")
    print(f"  {'table':<24} {'rows':>8} {'index entries':>14}")
    for table, (rows, entries) in counts.items():
        if rows or args.all:
            print(f"  {table:<24} {rows / pushes:8.2f} {entries / pushes:14.2f}")
    print("  identifier by kind: " + ", ".join(f"{k} {n / pushes:.2f}" for k, n in kinds))
    rows = sum(r for r, _ in counts.values()) / pushes
    entries = sum(e for _, e in counts.values()) / pushes
    identifier = counts.get("identifier", (0, 0))[0] / pushes
    print(
        f"ingest rows: {rows:.1f} rows and {entries:.1f} secondary index entries a push "
        f"(identifier {identifier:.1f} rows)"
    )


if __name__ == "__main__":
    main()

"""A test store (``tests.store.helpers.make_store``) is not migrated: a SQLite file is a copy
of a migrated template, a PostgreSQL schema is built by the statements the migrations sent
to a template schema. Both must give the database the migrations give a new store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from paxwatch.store.engine import Store, open_store
from tests.store.helpers import BACKENDS, make_store, pg_schema_url

# What a PostgreSQL schema is made of, each row as text; the schema's own name is replaced.
_PG_CATALOG = {
    "relations": """
        SELECT c.relname, c.relkind, c.relpersistence, c.relhasindex, c.relhastriggers
        FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace""",
    "columns": """
        SELECT c.relname, a.attnum, a.attname, a.attisdropped,
               format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
               a.attgenerated, pg_get_expr(d.adbin, d.adrelid), a.attcollation
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = current_schema()::regnamespace AND a.attnum > 0""",
    "constraints": """
        SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid), k.condeferrable
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        WHERE k.connamespace = current_schema()::regnamespace""",
    "indexes": """
        SELECT c.relname, pg_get_indexdef(c.oid)
        FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace
        AND c.relkind IN ('i', 'I')""",
    "triggers": """
        SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal""",
    "functions": """
        SELECT p.proname, pg_get_functiondef(p.oid)
        FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace""",
    "sequences": """
        SELECT sequencename, data_type, start_value, min_value, max_value, increment_by,
               cycle, cache_size, last_value
        FROM pg_sequences WHERE schemaname = current_schema()""",
}


def _pg_schema(conn: Connection) -> dict[str, list[tuple[str, ...]]]:
    schema = conn.exec_driver_sql("SELECT current_schema()").scalar_one()
    assert schema.startswith("pw_test_")
    return {
        part: sorted(
            tuple(str(v).replace(schema, "<schema>") for v in row)
            for row in conn.execute(text(query))
        )
        for part, query in _PG_CATALOG.items()
    }


def _sqlite_schema(conn: Connection) -> dict[str, list[tuple[str, ...]]]:
    pragmas = ("user_version", "journal_mode", "page_size", "auto_vacuum", "encoding")
    return {
        "objects": sorted(
            tuple(str(v) for v in row)
            for row in conn.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master")
        ),
        "pragmas": [(p, str(conn.exec_driver_sql(f"PRAGMA {p}").scalar_one())) for p in pragmas],
    }


def _contents(conn: Connection, tables: list[str]) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table; the anchor's time is when its store was migrated."""
    rows = {}
    for table in tables:
        result = conn.execute(text(f'SELECT * FROM "{table}"'))
        keep = [i for i, name in enumerate(result.keys()) if name != "updated_at"]
        rows[table] = sorted(tuple(str(row[i]) for i in keep) for row in result)
    return rows


def _database(store: Store) -> dict[str, object]:
    with store.read() as conn:
        if store.is_sqlite:
            schema = _sqlite_schema(conn)
            tables = [name for kind, name, *_ in schema["objects"] if kind == "table"]
        else:
            schema = _pg_schema(conn)
            tables = [name for name, kind, *_ in schema["relations"] if kind in ("r", "p")]
        return {"schema": schema, "rows": _contents(conn, tables)}


@contextmanager
def _migrated(kind: str, folder: Path) -> Iterator[Store]:
    """A store the migrations themselves built."""
    if kind == "sqlite":
        store = open_store(f"sqlite:///{folder / 'migrated.db'}", upgrade=True)
        try:
            yield store
        finally:
            store.close()
    else:
        with pg_schema_url() as url:
            store = open_store(url, upgrade=True)
            try:
                yield store
            finally:
                store.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_new_store_has_the_migrated_schema(kind: str, tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    with _migrated(kind, tmp_path) as migrated, make_store(kind, tmp_path / "new") as new:
        expected = _database(migrated)
        got = _database(new)
    assert expected["rows"]["alembic_version"]  # type: ignore[index]
    assert expected["rows"]["audit_anchor"]  # type: ignore[index]
    assert got == expected

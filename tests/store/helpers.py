"""Test helpers: a store on SQLite (temporary file) or PostgreSQL (a schema per test).

PostgreSQL: ``PAXWATCH_TEST_POSTGRES_URL`` (default: the CI server, database ``test``). Each
store gets a uniquely named schema, created before and dropped (CASCADE) after the test; the
store's connections find their tables through ``search_path`` in the URL.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.exc import OperationalError

from paxwatch.store.engine import Store, open_store
from paxwatch.store.migrate import upgrade

PG_BASE = os.environ.get(
    "PAXWATCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@contextmanager
def pg_schema_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped on exit."""
    schema = f"pw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_BASE, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:  # pragma: no cover - CI has the server
        admin.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_BASE}: {exc.orig}")
    sep = "&" if "?" in PG_BASE else "?"
    try:
        yield f"{PG_BASE}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def store_url(kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of ``kind`` (``sqlite`` or ``postgresql``)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'paxwatch.db'}"
    else:
        with pg_schema_url() as url:
            yield url


_SQLITE_TEMPLATE: list[Path] = []


def _migrated_sqlite_template() -> Path:
    """A migrated, empty SQLite file made once per test process: running the migrations
    costs ~0.75 s of CPU a store (Alembic loads and runs each of them), copying the file
    next to nothing. The copy is the file the migrations made (WAL mode is in its header;
    the log was checkpointed into it and truncated)."""
    if not _SQLITE_TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="paxwatch-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "template.db"
        store = open_store(f"sqlite:///{path}", upgrade=True)
        try:
            assert store.checkpoint(), "the template's log could not be emptied"
        finally:
            store.close()
        _SQLITE_TEMPLATE.append(path)
    return _SQLITE_TEMPLATE[0]


#: A statement the migrations sent: SQL, parameters, and whether it was an executemany.
Statement = tuple[str, Any, bool]
_PG_MIGRATION: list[list[Statement]] = []


def _pg_migration_statements() -> list[Statement]:
    """Every statement the migrations send to an empty PostgreSQL schema, in order, captured
    once per test process while they migrate a schema of their own for real (the template).

    Running the migrations costs ~0.5 s of CPU in the test process (Alembic loads and runs
    each of them) on top of the server's work; sending the same statements again costs the
    server's part only. The statements name no schema (the search_path does), so they build
    the same tables in any schema; ``test_template.test_a_new_store_has_the_migrated_schema``
    compares the catalogs of a replayed and a migrated schema."""
    if not _PG_MIGRATION:
        captured: list[Statement] = []

        def capture(
            conn: Connection,
            cursor: object,
            statement: str,
            parameters: Any,
            context: object,
            executemany: bool,
        ) -> None:
            captured.append((statement, parameters, executemany))

        with pg_schema_url() as url:
            schema = url.rsplit("search_path%3D", 1)[1]
            store = open_store(url)
            try:
                event.listen(store.engine, "before_cursor_execute", capture)
                upgrade(store)
            finally:
                store.close()
        named = [sql for sql, params, _ in captured if schema in sql + repr(params)]
        assert not named, f"a migration statement names the template's schema: {named[:1]}"
        _PG_MIGRATION.append(captured)
    return _PG_MIGRATION[0]


def _replay_pg_migrations(store: Store) -> None:
    """Build the schema of ``store`` (empty) with the migrations' own statements, in one
    transaction as Alembic runs them."""
    with store.write() as conn:
        for statement, parameters, executemany in _pg_migration_statements():
            if executemany:
                conn.exec_driver_sql(statement, list(parameters))
            else:
                conn.exec_driver_sql(statement, parameters or None)


@contextmanager
def make_store(kind: str, tmp_path: Path) -> Iterator[Store]:
    """A migrated store of ``kind``, empty unless its SQLite file is there already.

    A new SQLite file is a copy of a migrated template (``_migrated_sqlite_template``); a new
    PostgreSQL schema is built by the statements the migrations sent to a template schema
    (``_pg_migration_statements``). The migrations themselves run once per test process for
    each template, in ``tests/store/test_template.py`` and in the ``test_migration_00NN``
    tests."""
    with store_url(kind, tmp_path) as url:
        target = tmp_path / "paxwatch.db"
        if kind == "sqlite" and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(_migrated_sqlite_template(), target)
            store = open_store(url)
        elif kind == "postgresql":
            store = open_store(url)
            try:
                _replay_pg_migrations(store)
            except BaseException:
                store.close()
                raise
        else:  # a file made before (by the CLI...): migrated in place
            store = open_store(url, upgrade=True)
        try:
            yield store
        finally:
            store.close()

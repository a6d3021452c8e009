"""Test helpers: a store on SQLite (temporary file) or PostgreSQL (a schema per test).

PostgreSQL: ``PAXWATCH_TEST_POSTGRES_URL`` (default: the CI server, database ``test``). Each
store gets a uniquely named schema, created before and dropped (CASCADE) after the test; the
store's connections find their tables through ``search_path`` in the URL.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from paxwatch.store.engine import Store, open_store

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


@contextmanager
def make_store(kind: str, tmp_path: Path) -> Iterator[Store]:
    """A migrated, empty store of ``kind``."""
    with store_url(kind, tmp_path) as url:
        store = open_store(url, upgrade=True)
        try:
            yield store
        finally:
            store.close()

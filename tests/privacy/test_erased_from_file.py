"""SQLite: what retention erases is gone from the database file and its write-ahead log,
not only from query results (``PRAGMA secure_delete`` zeroes freed space; the run ends
with a checkpoint that empties the log, which holds earlier images of the pages)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from paxwatch.privacy.policies import add_months
from paxwatch.privacy.retention import run_retention
from paxwatch.store.engine import Store
from tests.privacy.test_retention import EU, T0, _load
from tests.privacy.test_retention_support import VAULT
from tests.store.helpers import make_store

#: Values of _load's travellers, as stored (names upper-case, the document numbers, the
#: e-mail's local part).
PLANTED = (b"P1234567", b"P7654321", b"P5550001", b"anna.smith", b"JONES", b"BROWN")


def _file_bytes(store: Store) -> bytes:
    database = Path(str(store.engine.url.database))
    return b"".join(
        path.read_bytes()
        for path in (database, database.with_name(database.name + "-wal"))
        if path.exists()
    )


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    with make_store("sqlite", tmp_path) as st:
        yield st


def test_secure_delete_is_on(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1


def test_masked_and_deleted_values_leave_the_files(sqlite_store: Store) -> None:
    _load(sqlite_store)
    before = _file_bytes(sqlite_store)
    assert all(value in before for value in PLANTED)  # the scan can see them

    report = run_retention(sqlite_store, add_months(T0, 6) + timedelta(days=3), EU, vault=VAULT)
    assert report.changed and not report.checkpoint_pending
    after = _file_bytes(sqlite_store)
    assert [value for value in PLANTED if value in after] == []

    run_retention(sqlite_store, add_months(T0, 60) + timedelta(days=3), EU, vault=VAULT)
    assert [value for value in PLANTED if value in _file_bytes(sqlite_store)] == []

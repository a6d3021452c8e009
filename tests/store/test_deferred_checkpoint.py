"""``Store.defer_checkpoints`` and ``Store.checkpoint_passive`` (``paxwatch ingest --jobs``
on SQLite: the write-ahead log is copied into the database file after a worker's turn, not
at the commits in it) and that the log stays bounded."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text

from paxwatch.store.engine import Store, open_store

_PAGE = 4096


def _write(store: Store, rows: int, tag: str) -> None:
    """About ``rows`` / 3 pages of new rows in one transaction."""
    with store.write() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS filler (tag TEXT, body BLOB)"))
        conn.execute(
            text("INSERT INTO filler VALUES (:tag, :body)"),
            [{"tag": tag, "body": os.urandom(1200)} for _ in range(rows)],
        )


def _sizes(path: Path) -> tuple[int, int]:
    wal = Path(f"{path}-wal")
    return path.stat().st_size, wal.stat().st_size if wal.exists() else 0


def test_deferred_commits_leave_the_log_to_checkpoint_passive(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    store = open_store(f"sqlite:///{path}", upgrade=True)
    try:
        store.defer_checkpoints(pages=100_000)
        before = _sizes(path)[0]
        _write(store, 4500, "a")  # ≈ 1,500 pages: SQLite's default would checkpoint here
        assert _sizes(path)[0] == before  # still all in the log
        store.checkpoint_passive()
        assert _sizes(path)[0] > before + 1000 * _PAGE
        with store.read() as conn:
            assert conn.execute(text("SELECT count(*) FROM filler")).scalar() == 4500
    finally:
        store.close()


def test_default_commits_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "n.db"
    store = open_store(f"sqlite:///{path}", upgrade=True)
    try:
        before = _sizes(path)[0]
        _write(store, 4500, "a")
        assert _sizes(path)[0] > before + 1000 * _PAGE  # the commit copied the log
    finally:
        store.close()


def test_deferred_log_stays_bounded(tmp_path: Path) -> None:
    """Without any passive checkpoint, the commit that brings the log past ``pages``
    checkpoints it, and the next writer starts it afresh: the log never holds much more
    than ``pages`` and one transaction (ten transactions of ≈ 170 pages, bound 300)."""
    path = tmp_path / "b.db"
    store = open_store(f"sqlite:///{path}", upgrade=True)
    try:
        store.defer_checkpoints(pages=300)
        for i in range(10):
            _write(store, 500, str(i))
        assert _sizes(path)[1] < 600 * _PAGE
    finally:
        store.close()


def test_nothing_to_do_on_postgresql(store: Store) -> None:
    store.defer_checkpoints()
    store.checkpoint_passive()
    with store.write() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1

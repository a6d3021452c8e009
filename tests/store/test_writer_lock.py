"""SQLite writers of several processes queue on a file lock (``<db>-writer.lock``) that the
kernel hands over at once, instead of polling SQLite's lock with growing sleeps."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import time
from pathlib import Path
from queue import Queue

from sqlalchemy import text

from paxwatch.store.engine import _WriterFileLock, open_store

HOLD = 0.5


def _try_lock(path: Path) -> bool:
    """Whether an exclusive lock on ``path`` can be taken at once (through a descriptor of
    its own, as another process would)."""
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_write_transaction_holds_the_writer_lock(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'paxwatch.db'}")
    path = tmp_path / "paxwatch.db-writer.lock"
    with store.write() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        assert not _try_lock(path)
    assert _try_lock(path)
    with store.read() as conn:  # readers never take it
        assert _try_lock(path)
        conn.execute(text("SELECT count(*) FROM t")).scalar()
    store.close()


def _hold(lock: _WriterFileLock, out: Queue[float]) -> None:
    with lock.held():
        out.put(time.monotonic())


def test_a_forked_copy_takes_its_own_lock(tmp_path: Path) -> None:
    """A descriptor inherited across fork would share the parent's lock: the child opens
    its own, so it waits for the parent like any other process."""
    lock = _WriterFileLock(tmp_path / "db-writer.lock")
    ctx = multiprocessing.get_context("fork")
    got: multiprocessing.Queue[float] = ctx.Queue()
    with lock.held():
        child = ctx.Process(target=_hold, args=(lock, got))
        child.start()
        time.sleep(HOLD)
        released = time.monotonic()
    child.join(30)
    assert child.exitcode == 0
    assert got.get(timeout=5) >= released
    lock.close()


def test_in_memory_store_has_no_lock_file(tmp_path: Path) -> None:
    store = open_store("sqlite://")
    with store.write() as conn:
        conn.execute(text("SELECT 1"))
    store.close()
    assert not list(tmp_path.iterdir())

"""Connecting to the store: SQLite (default, one file, WAL, one writer) or PostgreSQL.

The URL comes from ``PAXWATCH_DATABASE_URL`` (default ``sqlite:///paxwatch-data/paxwatch.db``).
``postgresql://`` URLs use psycopg 3. On PostgreSQL a ``search_path`` may be given in the
URL (``?options=-csearch_path%3Dmyschema``), which is how the tests use a schema per run.

SQLite: every connection runs ``journal_mode=WAL``, ``foreign_keys=ON``,
``synchronous=NORMAL`` (a committed transaction survives a killed process; a power cut may
lose the last transactions but never corrupts the file), a busy timeout, a 64 MB page cache
and in-memory temporary storage (for bulk loads). Writes go
through ``Store.write()``, which holds a process-wide lock (one writer, as datasette does)
and opens the transaction with ``BEGIN IMMEDIATE`` so that writers in other processes wait
for the file lock instead of failing half-way. Writers of several processes (``paxwatch serve
--workers``, ``paxwatch ingest --jobs``) queue first on an ``flock`` of
``<database>-writer.lock`` (:class:`_WriterFileLock`), which the kernel hands over as soon as
it is released, rather than on SQLite's lock, which a waiting writer polls with sleeps of up
to 100 ms. Reads (``Store.read()``) run concurrently.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

DATABASE_URL_ENV = "PAXWATCH_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///paxwatch-data/paxwatch.db"
_WRITE_OPTION = "paxwatch_write"


def database_url(url: str | None = None) -> str:
    """The database URL to use: ``url``, else ``$PAXWATCH_DATABASE_URL``, else the default."""
    chosen = url or os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL
    return normalise_url(chosen)


def normalise_url(url: str) -> str:
    """Pick psycopg 3 for PostgreSQL URLs that name no driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # The API answers from a thread pool (40 threads by default): keep enough connections
    # open that a request never waits for one (SQLAlchemy's default is 5 + 10 overflow).
    pool: dict[str, Any] = {}
    if parsed.database and parsed.database != ":memory:":
        pool = {"pool_size": 16, "max_overflow": 48, "pool_timeout": 60}
    # ``hide_parameters``: statement parameters are passengers' data; an error (and the log
    # line that reports it) names the statement, never the values.
    engine = create_engine(url, connect_args={"timeout": 60}, hide_parameters=True, **pool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN (pysqlite's own is unreliable).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=60000")
        # Deleted and overwritten content is overwritten with zeros in the file, not left in
        # free pages (Debian's SQLite does this by default, others need to be told).
        cursor.execute("PRAGMA secure_delete=ON")
        # Bulk loading: a 64 MB page cache per connection, temporary b-trees in memory.
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def create_store_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (or the configured URL) with the settings described above."""
    resolved = database_url(url)
    if resolved.startswith("sqlite"):
        return _sqlite_engine(resolved)
    # ``hide_parameters``: as on SQLite (``_sqlite_engine``).
    return create_engine(
        resolved, pool_pre_ping=True, pool_size=5, max_overflow=5, hide_parameters=True
    )


#: ``Store.defer_checkpoints``: 16,384 pages of 4 kB, a log of at most ≈ 64 MB (and one batch).
DEFERRED_CHECKPOINT_PAGES = 16384


class _WriterFileLock:
    """An exclusive ``flock`` on ``<database>-writer.lock``, taken around every SQLite write
    transaction of every process that writes through a :class:`Store`.

    SQLite's own lock is polled: a writer that finds the file locked sleeps 1, 2, 5, 10 …
    ms between tries (its busy handler), so under concurrent writers (``paxwatch serve
    --workers``, ``paxwatch ingest --jobs``) a write can wait long after the lock was
    released. The kernel wakes a process waiting on ``flock`` as soon as the holder lets
    go, and releases it if the holder dies. Writers that do not go through ``Store.write``
    (another tool on the same file) still meet SQLite's lock as before."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None
        self._pid = 0

    @contextmanager
    def held(self) -> Iterator[None]:
        if fcntl is None:  # not POSIX: SQLite's busy handler alone
            yield
            return
        if self._fd is None or self._pid != os.getpid():
            # A forked child opens its own: an inherited descriptor would share the lock.
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._fd = None


class Store:
    """The database: an engine plus the write discipline (one writer on SQLite)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._write_lock = threading.Lock()
        database = engine.url.database if self.is_sqlite else None
        self._file_lock = (
            _WriterFileLock(Path(f"{database}-writer.lock"))
            if database and database != ":memory:" and not database.startswith("file:")
            else None
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection in a write transaction, committed on success, rolled back on error."""
        if self.is_sqlite:
            with self._write_lock, self._file_locked(), self.engine.connect() as conn:
                conn = conn.execution_options(**{_WRITE_OPTION: True})
                with conn.begin():
                    yield conn
        else:
            with self.engine.begin() as conn:
                yield conn

    @contextmanager
    def _file_locked(self) -> Iterator[None]:
        if self._file_lock is None:
            yield
        else:
            with self._file_lock.held():
                yield

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection in a read transaction (a consistent snapshot on both databases)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def checkpoint(self) -> bool:
        """SQLite: copy the write-ahead log into the database file and empty it, so that the
        earlier images of pages whose rows were deleted or overwritten (the log keeps them
        until then) are gone from both files. Waits for readers (the busy timeout); returns
        False if one still held an old snapshot, which leaves the log for the next
        checkpoint. PostgreSQL: nothing to do here (see docs/dpo.md), returns True."""
        if not self.is_sqlite:
            return True
        with self._write_lock, self._file_locked(), self.engine.connect() as conn:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()[0]
        return not busy

    def defer_checkpoints(self, pages: int = DEFERRED_CHECKPOINT_PAGES) -> None:
        """SQLite: this store's connections checkpoint the write-ahead log at a commit only
        once it holds ``pages`` pages (``wal_autocheckpoint``; SQLite's default is 1,000,
        which an ingest batch of 200 pushes reaches at almost every commit). For writers
        that take turns (``paxwatch ingest --jobs``) and run ``checkpoint_passive`` after
        their turn instead: the copy into the database file and its sync are then off the
        serial path, and the log stays bounded by ``pages`` (the commit that reaches it
        checkpoints what the passive ones left, with no other writer in the way, so the
        next writer starts the log afresh). PostgreSQL: nothing to do."""
        if not self.is_sqlite:
            return

        @event.listens_for(self.engine, "connect")
        def _deferred(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")
            cursor.close()

        self.engine.dispose()  # connections opened before take the setting when reopened

    def checkpoint_passive(self) -> None:
        """SQLite: copy into the database file what of the write-ahead log no reader needs
        (``wal_checkpoint(PASSIVE)``: it waits for no one and takes no write lock, so
        another process may write meanwhile). PostgreSQL: nothing to do."""
        if not self.is_sqlite:
            return
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").all()

    def ping(self) -> None:
        """Run a trivial query; raises ``SQLAlchemyError`` when the database does not answer."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1").scalar()

    def close(self) -> None:
        self.engine.dispose()
        if self._file_lock is not None:
            self._file_lock.close()


def open_store(url: str | None = None, *, upgrade: bool = False) -> Store:
    """Open the configured store; with ``upgrade=True`` run the migrations first."""
    store = Store(create_store_engine(url))
    if upgrade:
        from paxwatch.store.migrate import upgrade as run_upgrade

        run_upgrade(store)
    return store

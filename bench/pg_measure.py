"""A benchmark's PostgreSQL run: a schema of its own on the server (``ScratchSchema``),
what the run costs the server (``ServerCpu``: the CPU of its backends) and the statements
sent (``StatementCounter``); used by ``ingest.py``, ``ingest_pg_profile.py`` and
``retention.py``."""

from __future__ import annotations

import os
import re
import threading
import uuid
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, text

from proc_cpu import TICKS_PER_SECOND, cpu_ticks

#: The benchmarks' PostgreSQL server (``PAXWATCH_BENCH_POSTGRES_URL``, default the local one).
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


class ScratchSchema:
    """A schema created for one benchmark run on ``PAXWATCH_BENCH_POSTGRES_URL`` (named
    ``prefix`` + a random suffix), dropped with everything in it by ``drop``. Creating it
    raises what the server says when it cannot be reached."""

    def __init__(self, prefix: str) -> None:
        self.base = os.environ.get("PAXWATCH_BENCH_POSTGRES_URL", DEFAULT_URL)
        self.name = f"{prefix}{uuid.uuid4().hex[:10]}"
        self._admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        try:
            with self._admin.connect() as conn:
                conn.execute(text(f'CREATE SCHEMA "{self.name}"'))
        except Exception:
            self._admin.dispose()
            raise

    def url(self, *, tagged: bool = False) -> str:
        """The server's URL with this schema as the search path (and, ``tagged``, as the
        connections' ``application_name``, by which ``ServerCpu`` finds their backends)."""
        sep = "&" if "?" in self.base else "?"
        url = f"{self.base}{sep}options={quote(f'-csearch_path={self.name}')}"
        return f"{url}&application_name={self.name}" if tagged else url

    def drop(self) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self._admin.dispose()


class ServerCpu:
    """CPU seconds of the PostgreSQL backends serving the run: those connected with the
    run's ``application_name``, found in ``pg_stat_activity`` and read from
    ``/proc/<pid>/stat`` every few milliseconds (the server must run on this machine)."""

    def __init__(self, dsn: str, application: str) -> None:
        self._dsn = dsn
        self._application = application
        self._ticks: dict[int, tuple[int, int]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        import psycopg

        self._conn = psycopg.connect(self._dsn, autocommit=True, application_name="bench-probe")
        self._sample()
        # CPU spent before the run (opening the store, migrations) is not the run's.
        self._ticks = {pid: (now, now) for pid, (_, now) in self._ticks.items()}
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        pids = self._conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", (self._application,)
        ).fetchall()
        for (pid,) in pids:
            ticks = cpu_ticks(pid)
            if ticks is None:
                continue
            first, _ = self._ticks.get(pid, (0, 0))
            self._ticks[pid] = (first, ticks)

    def _loop(self) -> None:
        while not self._stop.wait(0.05):
            self._sample()

    def stop(self) -> float:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._sample()
        self._conn.close()
        return sum(now - first for first, now in self._ticks.values()) / TICKS_PER_SECOND


class StatementCounter:
    """Counts the statements psycopg sends (an ``executemany`` counts one per row, a
    ``COPY`` one), in this process and in the worker processes it forks."""

    def __init__(self) -> None:
        import multiprocessing

        import psycopg

        self._count = multiprocessing.get_context("fork").Value("q", 0)
        count = self._count
        cursor = psycopg.Cursor
        execute, executemany, copy = cursor.execute, cursor.executemany, cursor.copy

        def counted_execute(self: Any, *args: Any, **kwargs: Any) -> Any:
            with count.get_lock():
                count.value += 1
            return execute(self, *args, **kwargs)

        def counted_executemany(self: Any, query: Any, params: Any, **kwargs: Any) -> Any:
            params = list(params)
            with count.get_lock():
                count.value += len(params)
            return executemany(self, query, params, **kwargs)

        def counted_copy(self: Any, *args: Any, **kwargs: Any) -> Any:
            with count.get_lock():
                count.value += 1
            return copy(self, *args, **kwargs)

        cursor.execute = counted_execute  # type: ignore[method-assign]
        cursor.executemany = counted_executemany  # type: ignore[method-assign]
        cursor.copy = counted_copy  # type: ignore[method-assign]

    def reset(self) -> None:
        self._count.value = 0

    def total(self) -> int:
        return int(self._count.value)


_FOLD = re.compile(r"(%s|\?|\$\d+)(\s*,\s*(%s|\?|\$\d+))+")


def statement_label(query: Any) -> str:
    """A statement's SQL on one line, its runs of placeholders folded, cut to 110 characters
    (the key the profiles group statements by)."""
    sql = query if isinstance(query, str) else repr(query)
    sql = _FOLD.sub("…", " ".join(sql.split()))
    return sql[:110]


def server_cpu_ns(conn: Any) -> int:
    """CPU time (ns) of the PostgreSQL backend serving the psycopg connection ``conn``
    (``/proc/<pid>/schedstat``; the server must run on this machine)."""
    pid = conn.info.backend_pid
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])

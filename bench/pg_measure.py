"""What a benchmark's PostgreSQL run costs the server: the CPU of its backends
(``ServerCpu``) and the statements sent (``StatementCounter``); used by ``ingest.py``."""

from __future__ import annotations

import os
import threading
from typing import Any


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
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks = int(fields[11]) + int(fields[12])
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
        hz = os.sysconf("SC_CLK_TCK")
        return sum(now - first for first, now in self._ticks.values()) / hz


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

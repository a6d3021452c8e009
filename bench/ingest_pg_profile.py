"""Where the PostgreSQL server spends its CPU during an ingest: per statement kind.

Runs ``bench/ingest.py``'s slice through ``ingest_stream`` in one process on a fresh
schema and, around every statement psycopg sends (and every commit), reads the run time of
the serving backend from ``/proc/<pid>/schedstat`` (nanoseconds; the server must run on
this machine). Prints, per statement kind (the SQL text with its lists folded), the calls,
the rows sent, the server CPU and the client wall time, sorted by server CPU.

Usage: ``python bench/ingest_pg_profile.py [--messages 2000] [--batch 200] [--top 30]
[--drop-index NAME ...] [--early] [--day DIR]`` (``--drop-index``: what the upkeep of an
index costs).

``--day DIR``: instead of ``bench/ingest.py``'s slice, a day written by ``paxwatch synth
--out DIR`` in the order the carriers send it (``ingest.day_slice``).

``--early``: store the batches as ``paxwatch ingest --jobs 2`` workers do on PostgreSQL,
still in one process: each batch's transaction is opened and its early rows inserted
(``prepare.stage_early``) before the previous batch is stored and committed; the
statements sent before the turn are labelled ``early``, so the list splits the server's
work into what is done before the turn and what is done in it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Connection, RootTransaction, text

sys.path.insert(0, str(Path(__file__).parent))
from ingest import day_slice, make_slice
from paxwatch.ingest.pipeline import IngestItem, chunks, prepare, write_batch
from paxwatch.ingest.prepare import Prepared, stage_early
from paxwatch.ingest.stream import ingest_stream
from paxwatch.privacy.minimise import load_config
from paxwatch.store.engine import Store, open_store
from paxwatch.store.relink import refresh_link_statistics
from pg_measure import ScratchSchema, server_cpu_ns, statement_label

_STATS: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])
#: The label prefix of the statements being sent (``early``: before the turn).
_PHASE = [""]


def _timed(label: str, conn: Any, rows: int, call: Callable[[], Any]) -> Any:
    s0, w0 = server_cpu_ns(conn), time.perf_counter()
    try:
        return call()
    finally:
        entry = _STATS[_PHASE[0] + label]
        entry[0] += 1
        entry[1] += rows
        entry[2] += (server_cpu_ns(conn) - s0) / 1e9
        entry[3] += time.perf_counter() - w0


def _patch() -> None:
    cursor = psycopg.Cursor
    execute, executemany, copy = cursor.execute, cursor.executemany, cursor.copy
    commit = psycopg.Connection.commit

    def p_execute(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        return _timed(
            statement_label(query),
            self.connection,
            1,
            lambda: execute(self, query, *args, **kwargs),
        )

    def p_executemany(self: Any, query: Any, params: Any, **kwargs: Any) -> Any:
        params = list(params)
        return _timed(
            "MANY " + statement_label(query),
            self.connection,
            len(params),
            lambda: executemany(self, query, params, **kwargs),
        )

    class _Copy:
        def __init__(self, cur: Any, statement: Any, kwargs: Any) -> None:
            self._cm = copy(cur, statement, **kwargs)
            self._conn = cur.connection
            self._label = "COPY " + statement_label(statement)

        def __enter__(self) -> Any:
            self._s0, self._w0 = server_cpu_ns(self._conn), time.perf_counter()
            return self._cm.__enter__()

        def __exit__(self, *exc: Any) -> Any:
            try:
                return self._cm.__exit__(*exc)
            finally:
                entry = _STATS[_PHASE[0] + self._label]
                entry[0] += 1
                entry[2] += (server_cpu_ns(self._conn) - self._s0) / 1e9
                entry[3] += time.perf_counter() - self._w0

    def p_copy(self: Any, statement: Any, **kwargs: Any) -> Any:
        return _Copy(self, statement, kwargs)

    def p_commit(self: Any) -> Any:
        return _timed("COMMIT", self, 1, lambda: commit(self))

    cursor.execute = p_execute  # type: ignore[method-assign]
    cursor.executemany = p_executemany  # type: ignore[method-assign]
    cursor.copy = p_copy  # type: ignore[method-assign]
    psycopg.Connection.commit = p_commit  # type: ignore[method-assign]


def _interleaved(store: Store, items: list[IngestItem], batch: int) -> None:
    """The batches stored as two workers store them (see ``--early``), in one process."""
    config = load_config()
    pending: tuple[Connection, RootTransaction, list[Prepared], Any] | None = None
    claimed: dict[str, int] = {}
    for chunk in [*chunks(items, batch), None]:
        staged = None
        if chunk is not None:
            prepared = [prepare(item, config) for item in chunk]
            _PHASE[0] = "early "
            with store.write() as conn:
                refresh_link_statistics(conn)
            conn = store.engine.connect()
            transaction = conn.begin()
            staged = (conn, transaction, *stage_early(conn, prepared, claimed))
            # The bookings this batch creates, for the next one (``_Turns.claim``).
            claimed = {e.key: e.booking_id for e in staged[3].values() if e.new_booking}
            _PHASE[0] = ""
        if pending is not None:
            conn, transaction, ready, early = pending
            write_batch(conn, ready, early)
            transaction.commit()
            conn.close()
        pending = staged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--drop-index",
        action="append",
        default=[],
        help="drop this index after the migrations (to measure what its upkeep costs)",
    )
    parser.add_argument(
        "--sql", action="append", default=[], help="run this statement after the migrations"
    )
    parser.add_argument(
        "--early", action="store_true", help="insert rows before the turn, as workers do"
    )
    parser.add_argument("--day", type=Path, help="a `paxwatch synth` day, in schedule order")
    args = parser.parse_args()
    data = day_slice(args.day) if args.day else make_slice(args.messages)
    schema = ScratchSchema("pw_prof_")
    try:
        store = open_store(schema.url(), upgrade=True)
        with store.write() as conn:
            for name in args.drop_index:
                conn.execute(text(f'DROP INDEX "{name}"'))
            for statement in args.sql:
                conn.execute(text(statement))
        _patch()
        c0 = time.process_time()
        w0 = time.perf_counter()
        if args.early:
            _interleaved(store, data.items, args.batch)
        else:
            stream = ingest_stream(
                store, data.items, batch=args.batch, jobs=1, config=load_config()
            )
            for _ in stream:
                pass
        wall, client = time.perf_counter() - w0, time.process_time() - c0
        store.close()
        stats = {label: list(entry) for label, entry in _STATS.items()}  # not the DROP below
    finally:
        schema.drop()
    n = len(data.items)
    total = sum(v[2] for v in stats.values())
    calls = sum(v[0] for v in stats.values())
    print(
        f"{n} messages: wall {wall:.1f}s, client cpu {1000 * client / n:.2f} ms/msg, "
        f"server cpu {1000 * total / n:.3f} ms/msg, {calls / n:.1f} calls/msg"
    )
    for label, (count, rows, server, w) in sorted(stats.items(), key=lambda kv: -kv[1][2])[
        : args.top
    ]:
        print(
            f"{1000 * server / n:7.3f} ms/msg {100 * server / total:5.1f}%  calls {count:6d} "
            f"rows {int(rows):7d}  wall {1000 * w / n:6.3f}  {label}"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

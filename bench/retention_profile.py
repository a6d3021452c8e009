"""Where the retention job spends its CPU: per statement, SQLite and PostgreSQL.

Loads ``bench/retention.py``'s slice (same data, same preparation: ``ANALYZE`` and the
airport tables before the clock) and runs its 6-month step (EU profile, default chunk:
the unflagged 99 % deleted, the flagged 1 % masked). Around every statement it reads the
CPU time of the calling thread (SQLite works in it; with ``--jobs`` 2 or more the chunks
run in threads of their own) and, on PostgreSQL, of the serving backend
(``/proc/<pid>/schedstat``, as ``bench/ingest_pg_profile.py`` does; the server must run on
this machine). Prints per statement (the SQL text, its lists folded) the calls, the rows
it changed or returned, the CPU, and its share of the step's CPU; the remainder (Python,
SQLAlchemy, the drivers and, on SQLite, the commits) is printed as ``(outside
statements)``. The last line sums the shares of the deletions by table (those of 0.5 % or more).

Usage: ``python bench/retention_profile.py [--bookings 20000] [--top 25] [--no-sqlite]
[--no-postgres] [--jobs N]`` (``--jobs``: PostgreSQL connections at once, default the job's).
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from paxwatch.privacy.depersonalise import Vault
from paxwatch.privacy.policies import add_months, load_policy, local_to_utc
from paxwatch.privacy.retention import run_retention
from paxwatch.rules.places import airport_country
from paxwatch.store.engine import open_store
from paxwatch.store.statistics import refresh_statistics
from pg_measure import ScratchSchema, server_cpu_ns, statement_label
from retention import T0, CpuClock, load

_LIST = re.compile(r"\((\d+\s*,\s*)+\d+\)")
_DELETE = re.compile(r"^DELETE FROM (\w+)")


class Statements:
    """CPU per statement label: [calls, rows, own CPU, server CPU]."""

    def __init__(self) -> None:
        self.stats: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0, 0.0])

    def attach(self, engine: Any) -> None:
        postgres = engine.dialect.name == "postgresql"

        @event.listens_for(engine, "before_cursor_execute")
        def _before(conn: Any, _cursor: Any, *_args: Any) -> None:
            server = server_cpu_ns(conn.connection.dbapi_connection) if postgres else 0
            conn.info["pw_profile"] = (time.thread_time(), server)

        @event.listens_for(engine, "after_cursor_execute")
        def _after(conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
            own, server = conn.info.pop("pw_profile")
            entry = self.stats[_LIST.sub("(…)", statement_label(statement))]
            entry[0] += 1
            entry[1] += max(cursor.rowcount or 0, 0)
            entry[2] += time.thread_time() - own
            if postgres:
                entry[3] += (server_cpu_ns(conn.connection.dbapi_connection) - server) / 1e9


def profile(label: str, url: str, bookings: int, top: int, jobs: int | None = None) -> None:
    store = open_store(url, upgrade=True)
    passengers = load(store, bookings)
    with store.write() as conn:
        refresh_statistics(conn)
    local_to_utc(T0, "CDG")
    airport_country("CDG")
    clock = CpuClock(store.engine)
    statements = Statements()
    statements.attach(store.engine)
    (own0, server0), wall0 = clock.read(), time.perf_counter()
    run_retention(
        store,
        add_months(T0, 6) + timedelta(days=1),
        load_policy("eu"),
        vault=Vault([Vault.generate_key()]),
        jobs=jobs,
    )
    (own1, server1), wall = clock.read(), time.perf_counter() - wall0
    own = own1 - own0
    server = 0.0 if server0 is None or server1 is None else server1 - server0
    store.close()
    stats = dict(statements.stats)
    total = own + server
    inside = sum(v[2] + v[3] for v in stats.values())
    print(
        f"{label}: {passengers:,} pax, 6 months: CPU {total:.2f}s (this process {own:.2f}s, "
        f"server {server:.2f}s), wall {wall:.1f}s, {sum(v[0] for v in stats.values()):.0f} "
        f"statements; load average {os.getloadavg()[0]:.1f}"
    )
    ranked = sorted(stats.items(), key=lambda kv: -(kv[1][2] + kv[1][3]))
    for sql, (calls, rows, mine, theirs) in ranked[:top]:
        cpu = mine + theirs
        print(
            f"  {cpu:6.2f}s {100 * cpu / total:5.1f}%  calls {calls:4.0f} rows {rows:8.0f}  {sql}"
        )
    print(f"  {total - inside:6.2f}s {100 * (total - inside) / total:5.1f}%  (outside statements)")
    tables: dict[str, float] = defaultdict(float)
    for sql, (_calls, _rows, mine, theirs) in stats.items():
        match = _DELETE.match(sql)
        if match:
            tables[match.group(1)] += mine + theirs
    shares = ", ".join(
        f"{name} {100 * cpu / total:.0f}%"
        for name, cpu in sorted(tables.items(), key=lambda kv: -kv[1])
        if cpu >= 0.005 * total
    )
    print(f"{label}: deletions by table (share of the step's CPU): {shares}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=20_000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--jobs", type=int, default=None, help="PostgreSQL connections at once")
    args = parser.parse_args()
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            profile("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", args.bookings, args.top)
    if not args.no_postgres:
        schema = ScratchSchema("pw_bench_")
        try:
            profile("PostgreSQL", schema.url(), args.bookings, args.top, args.jobs)
        finally:
            schema.drop()


if __name__ == "__main__":
    main()

"""The retention job's 6-month step alone, on one loaded store, for code A against code B.

``bench/retention.py`` loads a fresh slice for every run (a minute or more) and times the
whole job; comparing two versions of the code that way mixes in the load and the minutes
between runs. This loads ``bench/retention.py``'s slice once (``make``): a SQLite file and a
PostgreSQL schema (analysed, as autovacuum leaves a bulk load), then ``compare`` runs the
6-month step (EU profile, default chunk, one connection) on them with each source tree in
turn (A, B, A, B...), each run in a process of its own with that tree's ``src`` first on
its path: on SQLite on a fresh copy of the file (the step deletes), on PostgreSQL as a dry
run (``run_retention(..., dry_run=True)``: the same statements in one transaction, rolled
back; ``jobs`` is 1). It prints each run's CPU (this process, plus on PostgreSQL the
server's backend, when it runs on this machine) and the load average, and the means per
tree at the end.

Usage::

    python bench/retention_step.py make DIR [--bookings 20000] [--no-postgres]
    python bench/retention_step.py compare DIR TREE_A TREE_B [--pairs 3] [--no-sqlite]
        [--no-postgres]
    python bench/retention_step.py drop DIR      # drop the PostgreSQL schema

``DIR`` holds ``slice.db`` and ``postgres.url``. A tree is a checkout of the repository
(its compiled modules in place, see docs/benchmarks.md); the step runs from its
``src``, with this file's ``bench`` helpers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def make(folder: Path, bookings: int, postgres: bool) -> None:
    from paxwatch.store.engine import open_store
    from paxwatch.store.statistics import refresh_statistics
    from pg_measure import ScratchSchema
    from retention import load

    folder.mkdir(parents=True, exist_ok=True)
    store = open_store(f"sqlite:///{folder / 'slice.db'}", upgrade=True)
    print(f"SQLite: {load(store, bookings):,} passengers")
    store.close()
    if postgres:
        schema = ScratchSchema("pw_step_")
        store = open_store(schema.url(), upgrade=True)
        print(f"PostgreSQL ({schema.name}): {load(store, bookings):,} passengers")
        with store.write() as conn:
            refresh_statistics(conn)
        store.close()
        (folder / "postgres.url").write_text(schema.url())


def one(source: str) -> None:
    """Run the step once (in this process) and print its CPU seconds."""
    from paxwatch.privacy.depersonalise import Vault
    from paxwatch.privacy.policies import add_months, load_policy, local_to_utc
    from paxwatch.privacy.retention import run_retention
    from paxwatch.rules.places import airport_country
    from paxwatch.store.engine import open_store
    from retention import T0, CpuClock, _spent

    dry = not source.endswith(".db")
    url = source
    if not dry:
        copy = Path(source).with_name("run.db")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copy(source, copy)
        url = f"sqlite:///{copy}"
    store = open_store(url, upgrade=False)
    local_to_utc(T0, "CDG")
    airport_country("CDG")
    clock = CpuClock(store.engine)
    start, wall = clock.read(), time.perf_counter()
    report = run_retention(
        store,
        add_months(T0, 6) + timedelta(days=1),
        load_policy("eu"),
        vault=Vault([Vault.generate_key()]),
        jobs=1,
        dry_run=dry,
    )
    end, wall = clock.read(), time.perf_counter() - wall
    store.close()
    server = -1.0 if start[1] is None or end[1] is None else end[1] - start[1]
    print(
        f"RESULT {_spent(start, end):.3f} {end[0] - start[0]:.3f} {server:.3f} {wall:.3f} "
        f"{report.versions_deleted} {os.getloadavg()[0]:.1f}"
    )


def _run(tree: Path, source: str) -> tuple[float, float, float, float, str]:
    env = dict(os.environ, PYTHONPATH=f"{tree / 'src'}{os.pathsep}{BENCH}")
    out = subprocess.run(
        [sys.executable, __file__, "one", source],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fields = next(line for line in out.splitlines() if line.startswith("RESULT")).split()
    cpu, client, server, wall = (float(f) for f in fields[1:5])
    return cpu, client, server, wall, fields[6]


def compare(folder: Path, trees: list[Path], pairs: int, sqlite: bool, postgres: bool) -> None:
    sources: list[tuple[str, str]] = []
    if sqlite:
        sources.append(("SQLite", str(folder / "slice.db")))
    if postgres and (folder / "postgres.url").exists():
        sources.append(("PostgreSQL", (folder / "postgres.url").read_text().strip()))
    for label, source in sources:
        cpu: dict[Path, list[float]] = {t: [] for t in trees}
        for pair in range(pairs):
            order = trees if pair % 2 == 0 else trees[::-1]
            for tree in order:
                total, client, server, wall, load = _run(tree, source)
                cpu[tree].append(total)
                split = f" (client {client:.2f}, server {server:.2f})" if server >= 0 else ""
                print(
                    f"{label:<10} {tree.name:<16} CPU {total:.2f}s{split} "
                    f"wall {wall:.2f}s load {load}",
                    flush=True,
                )
        for tree in trees:
            values = cpu[tree]
            print(
                f"{label:<10} {tree.name:<16} CPU {min(values):.2f}-{max(values):.2f}s "
                f"(mean {statistics.mean(values):.2f}, {len(values)} runs)"
            )


def drop(folder: Path) -> None:
    from sqlalchemy import create_engine, text

    url = (folder / "postgres.url").read_text().strip()
    name = url.rsplit("search_path%3D", 1)[-1].split("&")[0]
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    engine.dispose()
    (folder / "postgres.url").unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_make = sub.add_parser("make")
    p_make.add_argument("folder", type=Path)
    p_make.add_argument("--bookings", type=int, default=20_000)
    p_make.add_argument("--no-postgres", action="store_true")
    p_one = sub.add_parser("one")
    p_one.add_argument("source")
    p_compare = sub.add_parser("compare")
    p_compare.add_argument("folder", type=Path)
    p_compare.add_argument("trees", type=Path, nargs="+")
    p_compare.add_argument("--pairs", type=int, default=3)
    p_compare.add_argument("--no-sqlite", action="store_true")
    p_compare.add_argument("--no-postgres", action="store_true")
    p_drop = sub.add_parser("drop")
    p_drop.add_argument("folder", type=Path)
    args = parser.parse_args()
    if args.command == "make":
        make(args.folder, args.bookings, not args.no_postgres)
    elif args.command == "one":
        one(args.source)
    elif args.command == "compare":
        compare(args.folder, args.trees, args.pairs, not args.no_sqlite, not args.no_postgres)
    else:
        drop(args.folder)


if __name__ == "__main__":
    main()

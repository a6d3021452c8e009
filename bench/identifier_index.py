"""The ``identifier`` look-up index on SQLite: deleting a month through ``(kind, value)`` text
or through the 64-bit ``value_key`` (migration 0015), as the table grows.

``bench/retention.py``'s slice holds one month only, 40,000-200,000 passengers: there both
indexes fit in the store's page cache and delete at about the same cost. A France-scale
store holds months of identifiers; this builds a bare ``identifier`` table of ``--rows``
rows (six kinds of realistic values, six per version, ids in order of arrival) twice, once
with each index (and the partial ``version_id`` index), and deletes the oldest tenth of the
versions but every hundredth (the job's 6-month step) with the store's pragmas
(``secure_delete``, 64 MB cache, WAL), alternately on fresh copies. Prints the CPU of the
``DELETE`` and of its commit, and the file sizes.

Usage: ``python bench/identifier_index.py [--rows 3000000] [--runs 3]``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from paxwatch.store.schema_parts import identifier_key

PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "secure_delete=ON", "cache_size=-65536")
INDEXES = {
    "(kind, value)": "CREATE INDEX ix_identifier_kind_value ON identifier (kind, value)",
    "value_key": "CREATE INDEX ix_identifier_value_key ON identifier (value_key)",
}
KINDS = ("phone", "email", "document", "card", "frequent_flyer", "address")


def _value(kind: str, d: int) -> str:
    return {
        "phone": f"+33{d}",
        "email": f"p{d}@example.com",
        "document": f"P:FRA:{d}X",
        "card": f"VI:XXXXXXXX{d % 10000:04d}",
        "frequent_flyer": f"AF:{d}",
        "address": f"{d % 300} RUE DE LA REPUBLIQUE {d} PARIS FR",
    }[kind]


def build(path: Path, rows: int, index: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE TABLE identifier (id INTEGER PRIMARY KEY, kind VARCHAR(16) NOT NULL, "
        "value VARCHAR(300) NOT NULL, version_id INTEGER, value_key BIGINT)"
    )
    rng = random.Random(1)
    values = []
    for i in range(rows):
        kind = KINDS[i % len(KINDS)]
        value = _value(kind, rng.randrange(10**9))
        values.append((kind, value, i // len(KINDS), identifier_key(kind, value)))
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO identifier (kind, value, version_id, value_key) VALUES (?, ?, ?, ?)", values
    )
    conn.execute("COMMIT")
    conn.execute(
        "CREATE INDEX ix_identifier_version_id ON identifier (version_id) "
        "WHERE version_id IS NOT NULL"
    )
    conn.execute(INDEXES[index])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def delete_month(source: Path, work: Path, rows: int) -> tuple[float, float, int]:
    shutil.copy(source, work)
    conn = sqlite3.connect(work, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")
    versions = rows // len(KINDS) // 10
    conn.execute("CREATE TEMP TABLE ids (id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO ids VALUES (?)", [(v,) for v in range(versions) if v % 100])
    conn.execute("BEGIN")
    start = time.process_time()
    deleted = conn.execute(
        "DELETE FROM identifier WHERE version_id IN (SELECT id FROM temp.ids)"
    ).rowcount
    deleting = time.process_time() - start
    conn.execute("COMMIT")
    committing = time.process_time() - start - deleting
    conn.close()
    return deleting, committing, deleted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        stores = {name: Path(tmp) / f"{i}.db" for i, name in enumerate(INDEXES)}
        for name, path in stores.items():
            build(path, args.rows, name)
        best: dict[str, float] = {}
        for _ in range(args.runs):
            for name, path in stores.items():
                deleting, committing, deleted = delete_month(path, Path(tmp) / "run.db", args.rows)
                best[name] = min(best.get(name, deleting + committing), deleting + committing)
                print(
                    f"  {name:<14} {args.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB): "
                    f"DELETE of {deleted:,} CPU {deleting:.2f}s, commit {committing:.2f}s; "
                    f"load average {os.getloadavg()[0]:.1f}"
                )
    key, text = best["value_key"], best["(kind, value)"]
    print(
        f"identifier deletion: value_key {key:.2f}s vs (kind, value) {text:.2f}s of CPU "
        f"({text / key:.1f}x; {args.rows:,} rows, best of {args.runs}, DELETE + commit)"
    )


if __name__ == "__main__":
    main()

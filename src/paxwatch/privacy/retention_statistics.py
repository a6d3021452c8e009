"""Planner statistics before a retention run (PostgreSQL).

Every chunk of the retention job matches a few thousand ids against tables of the whole
store; PostgreSQL picks an index for that only if it knows how large the tables are and how
their values spread. Without statistics (a table never analysed: a bulk load, a restore,
autovacuum off or behind) it assumes a fixed share of the rows matches and plans scans of
whole tables, once per chunk: the run's cost then grows with the size of the store rather
than with the data it handles. So the run first analyses the tables it reads whose
statistics are missing or stale, by autovacuum's own rule (rows changed since the last
``ANALYZE`` above 50 + 10 % of the table), the same rule ``autovacuum`` would apply if it
ran. ``ANALYZE`` reads a sample (at most 30,000 rows per table with the default statistics
target), not the table: a few seconds at most, whatever the size of the store.

SQLite plans these statements through the indexes without statistics: nothing to do there.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, text

from paxwatch.store import schema as s

# The threshold of ``autovacuum_analyze_threshold`` and ``_scale_factor`` (their defaults).
BASE_ROWS = 50
SCALE = 0.1

_STALE = text(
    """
    SELECT c.relname
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_stat_user_tables st ON st.relid = c.oid
    WHERE n.nspname = current_schema()
      AND c.relkind IN ('r', 'p')
      AND c.relname = ANY(:names)
      AND (c.reltuples < 0
           OR COALESCE(st.n_mod_since_analyze, 0) > :base + :scale * c.reltuples)
    ORDER BY c.relname
    """
)


def retention_tables() -> list[str]:
    """The tables a retention run reads: every table of the store's schema."""
    return sorted(t.name for t in s.metadata.sorted_tables)


def stale_tables(conn: Connection, names: Sequence[str] | None = None) -> list[str]:
    """The tables of ``names`` (default: ``retention_tables``) without statistics or with
    stale ones (PostgreSQL; always empty on SQLite)."""
    if conn.dialect.name != "postgresql":
        return []
    chosen = list(names) if names is not None else retention_tables()
    params = {"names": chosen, "base": BASE_ROWS, "scale": SCALE}
    return [str(r) for r in conn.execute(_STALE, params).scalars()]


def refresh_statistics(conn: Connection, names: Sequence[str] | None = None) -> list[str]:
    """``ANALYZE`` the stale tables of ``names`` (``stale_tables``); returns their names."""
    stale = stale_tables(conn, names)
    for name in stale:
        quoted = conn.dialect.identifier_preparer.quote(name)
        conn.exec_driver_sql(f"ANALYZE {quoted}")
    return stale

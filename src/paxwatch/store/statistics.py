"""Planner statistics kept fresh by the jobs that depend on them (PostgreSQL).

The retention job matches a few thousand ids per chunk against tables of the whole store,
and each ingest batch looks up the travellers that share a correlation key with its own
(``store.relink``); PostgreSQL picks an index for those only if it knows how large the
tables are and how their values spread. Without statistics (a table never analysed: a bulk
load, a restore, autovacuum off or behind) it assumes a fixed share of the rows matches and
plans scans of whole tables, once per chunk or batch: the cost then grows with the size of
the store rather than with the data handled (an ingest of 200,000 passengers with their API
lists spent most of its time scanning ``document`` and ``api_traveller``). So these jobs
first analyse the tables they read whose statistics are missing or stale, by autovacuum's
own rule (rows changed since the last ``ANALYZE`` above 50 + 10 % of the table), the rule
``autovacuum`` would apply if it ran. ``ANALYZE`` reads a sample (at most 30,000 rows per
table with the default statistics target), not the table: a few seconds at most, whatever
the size of the store; a store that grows from empty is analysed a few dozen times in all
(each time it has grown by a tenth), and checking costs one catalogue query.

SQLite plans these statements through the indexes without statistics: nothing to do there.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, text

from paxwatch.store import schema as s

# The threshold of ``autovacuum_analyze_threshold`` and ``_scale_factor`` (their defaults).
BASE_ROWS = 50
SCALE = 0.1

#: ``pg_stat_get_mod_since_analyze`` is the ``n_mod_since_analyze`` of
#: ``pg_stat_user_tables`` (0 for a table without statistics) for the tables named only:
#: the view computes its columns for every table of the database before they are joined
#: (a check at every ingest batch: 4-5 ms of server CPU in a database of a few thousand
#: tables, against well under 1 ms).
_STALE = text(
    """
    SELECT c.relname
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema()
      AND c.relkind IN ('r', 'p')
      AND c.relname = ANY(:names)
      AND (c.reltuples < 0
           OR pg_stat_get_mod_since_analyze(c.oid) > :base + :scale * c.reltuples)
    ORDER BY c.relname
    """
)


def store_tables() -> list[str]:
    """Every table of the store's schema (what a retention run reads)."""
    return sorted(t.name for t in s.metadata.sorted_tables)


def stale_tables(
    conn: Connection, names: Sequence[str] | None = None, *, scale: float = SCALE
) -> list[str]:
    """The tables of ``names`` (default: ``store_tables``) without statistics or with
    stale ones (PostgreSQL; always empty on SQLite)."""
    if conn.dialect.name != "postgresql":
        return []
    chosen = list(names) if names is not None else store_tables()
    params = {"names": chosen, "base": BASE_ROWS, "scale": scale}
    return [str(r) for r in conn.execute(_STALE, params).scalars()]


def refresh_statistics(
    conn: Connection, names: Sequence[str] | None = None, *, scale: float = SCALE
) -> list[str]:
    """``ANALYZE`` the stale tables of ``names`` (``stale_tables``); returns their names."""
    stale = stale_tables(conn, names, scale=scale)
    for name in stale:
        quoted = conn.dialect.identifier_preparer.quote(name)
        conn.exec_driver_sql(f"ANALYZE {quoted}")
    return stale

"""Arrays sent as text (``store.set_sql``) come back exactly as the values given."""

from __future__ import annotations

from datetime import date, datetime

from paxwatch.store.engine import Store
from paxwatch.store.rows import run_sql
from paxwatch.store.set_sql import any_of, array_literal, run_arrays

TEXTS = ['a"b', "back\\slash", "NULL", "", " sp ace ", "{,}", "Ünïcödé ß", "x'y", None]
TIMES = [datetime(2026, 11, 27, 13, 4, 5, 123456), datetime(2026, 1, 1), None]


def test_array_literal_round_trips(store: Store) -> None:
    with store.read() as conn:
        if conn.dialect.name != "postgresql":
            assert any_of(conn, [1, 2, 3], "bigint") == ("IN (?, ?, ?)", [1, 2, 3])
            return
        [(texts, ints, times)] = run_sql(
            conn,
            "SELECT ?::text[], ?::bigint[], ?::timestamp[]",
            [array_literal(TEXTS), array_literal([1, -2, 10**15, None]), array_literal(TIMES)],
        ).rows
        assert texts == TEXTS
        assert ints == [1, -2, 10**15, None]
        assert times == TIMES
        # Other kinds of values are left to psycopg.
        assert array_literal([date(2026, 1, 2)]) == [date(2026, 1, 2)]
        where, params = any_of(conn, ["A", 'B"'], "text")
        rows = run_sql(
            conn,
            f"SELECT x FROM unnest(?::text[]) x WHERE x {where}",
            [array_literal(["A", "C", 'B"']), *params],
        ).rows
        assert [r[0] for r in rows] == ["A", 'B"']
        rows = run_arrays(
            conn, "SELECT * FROM unnest(?::bigint[], ?::text[])", [(1, "a"), (2, None)]
        ).rows
        assert rows == [(1, "a"), (2, None)]


def test_array_literal_of_texts_only_and_repeated_times_round_trips(store: Store) -> None:
    """Texts only (joined at once unless one has a quote or a backslash, wherever it is)
    and repeated times (each written once) come back as given."""
    with store.read() as conn:
        if conn.dialect.name != "postgresql":
            return
        plain = ["NULL", "", " sp ace ", "{,}", "a,b", "Ünïcödé ß", "x'y", "AF/C000001"]
        quoted = [*plain, 'late"quote', "late\\slash"]
        times = [datetime(2026, 11, 27, 13, 4, 5, 123456), datetime(2026, 1, 1)] * 3
        assert array_literal(plain) == '{"' + '","'.join(plain) + '"}'
        [(got_plain, got_quoted, got_times)] = run_sql(
            conn,
            "SELECT ?::text[], ?::text[], ?::timestamp[]",
            [array_literal(plain), array_literal(quoted), array_literal(times)],
        ).rows
        assert got_plain == plain
        assert got_quoted == quoted
        assert got_times == times

"""``version_rows`` builds a version's child rows as tuples in the ``row_columns`` order, and
``_with_ids`` puts the ids in place of the placeholders (no database)."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest

from paxwatch.model import Contact, ContactKind
from paxwatch.privacy.redact import _TOKENS
from paxwatch.store import schema as s
from paxwatch.store.row_builders import Rows
from paxwatch.store.row_columns import VALUE_COLUMNS
from paxwatch.store.versions import _with_ids, version_rows
from tests.store.factory import booking, traveller


def _rows() -> dict[str, list[dict[str, object]]]:
    smith = traveller("SMITH", doc="P1", seat="12A")
    doe = traveller("DOE", "JANE", ref="2", doc="X9")
    b = booking("ABC123", smith, doe)
    contacts = (
        *b.contacts,
        Contact(kind=ContactKind.EMAIL, value="j@d.eu", raw="j@d.eu", traveller_ref="2"),
    )
    rows = version_rows(replace(b, contacts=contacts))
    return {c.table: [dict(zip(c.columns, r, strict=True)) for r in c.rows] for c in rows.children}


def test_value_columns_are_columns_of_their_tables() -> None:
    for table, columns in VALUE_COLUMNS.items():
        assert set(columns) <= set(s.metadata.tables[table].c.keys()), table
        assert len(set(columns)) == len(columns), table


def test_version_rows_tuples_follow_the_columns() -> None:
    rows = version_rows(booking("ABC123", traveller("SMITH", doc="P1", seat="12A")))
    for child in rows.children:
        if child.table in VALUE_COLUMNS:
            assert child.columns == VALUE_COLUMNS[child.table]
        assert all(len(r) == len(child.columns) for r in child.rows), child.table
    by_table = _rows()
    assert [(d["number"], d["traveller_id"], d["number_key"]) for d in by_table["document"]] == [
        ("P1", 0, "P1"),
        ("X9", 1, "X9"),
    ]
    assert by_table["seat"] == [
        {
            "traveller_id": 0,
            "seat": "12A",
            "cabin": None,
            "leg_carrier": None,
            "leg_number": None,
            "leg_origin": None,
            "leg_destination": None,
            "leg_date": None,
        }
    ]
    assert [(c["kind"], c["traveller_id"]) for c in by_table["contact"]] == [
        ("phone", None),
        ("email", 1),
    ]
    assert by_table["payment"][0]["method"] == "card"


def test_with_ids_fills_the_ids_and_keeps_no_traveller() -> None:
    rows = version_rows(booking("ABC123", traveller("SMITH"), traveller("DOE", ref="2")))
    tids = [501, 502]
    for child in rows.children:
        filled = _with_ids(child, 7, 9, tids)
        assert len(filled) == len(child.rows)
        for before, after in zip(child.rows, filled, strict=True):
            for name, old, new in zip(child.columns, before, after, strict=True):
                if name == "booking_id":
                    assert new == 7
                elif name == "version_id":
                    assert new == 9
                elif name == "traveller_id":
                    assert new == (None if old is None else tids[old])
                else:
                    assert new == old
    filled_contacts = next(c for c in rows.children if c.table == "contact")
    assert _with_ids(filled_contacts, 7, 9, tids)[0][1] is None  # the booking's own phone


def test_redaction_tokens_are_the_alphanumeric_runs_upper_cased() -> None:
    rng = random.Random(4)
    samples = [bytes([c]) for c in range(256)]
    samples += [bytes(rng.randrange(256) for _ in range(rng.randrange(40))) for _ in range(500)]
    samples.append("SSR WCHR ÉLÈVE kosher'NAD+a1b2".encode())
    for data in samples:
        assert data.translate(_TOKENS).split() == re.findall(rb"[A-Za-z0-9]+", data.upper())


def test_flush_refuses_version_tuples() -> None:
    # ``put`` gathers version_rows' tuples, which flush (dicts, by name) would drop silently
    rows = Rows()
    rows.put("seat", (0, "12A", None, None, None, None, None, None))
    with pytest.raises(ValueError, match="dicts only"):
        rows.flush(None)  # type: ignore[arg-type]  # refused before any database work

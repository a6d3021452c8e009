"""Ingest and retention that scale (issues 4 and 8): phones, e-mails and cards keyed in place.

As documents and frequent-flyer numbers before them (migrations ``0017``, ``0018``), a
booking's phones, e-mails and cards were stored twice: a ``contact`` or ``payment`` row and
an ``identifier`` row (kind ``phone``, ``email`` or ``card``, the value normalised) with
three index entries (primary key, ``value_key``, ``version_id``). The 64-bit hash of the
normalised value (``identifier_key``) now lives in the row itself, with a partial index of
the rows that have one: ``contact.value_key`` (phones and e-mails), ``payment.card_key``
and ``payment.payer_phone_key``. ``find_identifier`` reads them there and compares the
stored value normalised again (``store.identifiers``); masking clears them
(``privacy.depersonalise``), as it deleted a masked version's identifier rows. Addresses,
which have no normalised row of their own, stay ``identifier`` rows.

The upgrade adds the columns, fills the keys of the contacts and payments of every version
not masked (those of masked versions had lost their identifier rows) in batches of ids,
creates the indexes and deletes the ``identifier`` rows of kinds ``phone``, ``email`` and
``card``. The downgrade writes those rows again from the keyed rows, then drops the indexes
and the columns.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-28
"""

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from paxwatch.store.keys import card_identifier, contact_identifier, norm_phone
from paxwatch.store.schema_parts import identifier_key

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Rows read per statement.
BATCH = 50_000
#: (table, column) of each new key and the identifier kind it hashes.
KEYS = (
    ("contact", "value_key"),
    ("payment", "card_key"),
    ("payment", "payer_phone_key"),
)


def _index(table: str, column: str) -> str:
    return f"ix_{table}_{column}"


def _batches(bind: sa.Connection, sql: str) -> Iterator[Sequence[Sequence[Any]]]:
    """The rows of ``sql`` (its first column the row id, with ``:last`` and ``:n``) in
    batches of ids."""
    last = 0
    while True:
        rows = bind.execute(sa.text(sql), {"last": last, "n": BATCH}).all()
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def _key(kind: str, value: str | None) -> int | None:
    return identifier_key(kind, value) if value else None


def _contact_keys(row: Sequence[Any]) -> dict[str, Any]:
    _id, kind, value = row
    return {"i": _id, "value_key": _key(kind, contact_identifier(kind, value))}


def _payment_keys(row: Sequence[Any]) -> dict[str, Any]:
    _id, vendor, number, phone = row
    return {
        "i": _id,
        "card_key": _key("card", card_identifier(vendor, number)),
        "payer_phone_key": _key("phone", norm_phone(phone)),
    }


#: Per table: its live rows' key columns read, how each row's keys are computed, and the
#: keys set.
_FILL: dict[str, tuple[str, Callable[[Sequence[Any]], dict[str, Any]], str]] = {
    "contact": (
        "SELECT c.id, c.kind, c.value FROM contact c "
        "LEFT OUTER JOIN masked_record m ON m.version_id = c.version_id "
        "WHERE c.id > :last AND m.id IS NULL AND c.kind IN ('phone', 'email') "
        "ORDER BY c.id LIMIT :n",
        _contact_keys,
        "UPDATE contact SET value_key = :value_key WHERE id = :i",
    ),
    "payment": (
        "SELECT p.id, p.card_vendor, p.card_number, p.payer_phone FROM payment p "
        "LEFT OUTER JOIN masked_record m ON m.version_id = p.version_id "
        "WHERE p.id > :last AND m.id IS NULL "
        "AND (p.card_number IS NOT NULL OR p.payer_phone IS NOT NULL) "
        "ORDER BY p.id LIMIT :n",
        _payment_keys,
        "UPDATE payment SET card_key = :card_key, payer_phone_key = :payer_phone_key WHERE id = :i",
    ),
}


def upgrade() -> None:
    bind = op.get_bind()
    for table, column in KEYS:
        op.add_column(table, sa.Column(column, sa.BigInteger(), nullable=True))
    for select, keys_of, update in _FILL.values():
        for rows in _batches(bind, select):
            keys = [keys_of(row) for row in rows]
            bind.execute(sa.text(update), keys)
    for table, column in KEYS:
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(
            _index(table, column),
            table,
            [column],
            unique=False,
            sqlite_where=where,
            postgresql_where=where,
        )
    op.execute("DELETE FROM identifier WHERE kind IN ('phone', 'email', 'card')")


#: The identifier rows the downgrade writes again: per key, its rows and the normalised
#: value of each (the kind, the value).
_ROWS: dict[str, tuple[str, Callable[[Sequence[Any]], tuple[str, str | None]]]] = {
    "value_key": (
        "SELECT c.id, c.version_id, c.traveller_id, v.booking_id, c.kind, c.value "
        "FROM contact c JOIN booking_version v ON v.id = c.version_id "
        "WHERE c.id > :last AND c.value_key IS NOT NULL ORDER BY c.id LIMIT :n",
        lambda r: (r[4], contact_identifier(r[4], r[5])),
    ),
    "card_key": (
        "SELECT p.id, p.version_id, p.traveller_id, v.booking_id, p.card_vendor, "
        "p.card_number FROM payment p JOIN booking_version v ON v.id = p.version_id "
        "WHERE p.id > :last AND p.card_key IS NOT NULL ORDER BY p.id LIMIT :n",
        lambda r: ("card", card_identifier(r[4], r[5])),
    ),
    "payer_phone_key": (
        "SELECT p.id, p.version_id, p.traveller_id, v.booking_id, p.payer_phone "
        "FROM payment p JOIN booking_version v ON v.id = p.version_id "
        "WHERE p.id > :last AND p.payer_phone_key IS NOT NULL ORDER BY p.id LIMIT :n",
        lambda r: ("phone", norm_phone(r[4])),
    ),
}


def downgrade() -> None:
    bind = op.get_bind()
    identifier = sa.table(
        "identifier",
        sa.column("kind"),
        sa.column("value"),
        sa.column("booking_id"),
        sa.column("version_id"),
        sa.column("traveller_id"),
        sa.column("value_key"),
    )
    for select, value_of in _ROWS.values():
        for rows in _batches(bind, select):
            values = []
            for row in rows:
                kind, value = value_of(row)
                if value:
                    values.append(
                        {
                            "kind": kind,
                            "value": value[:300],
                            "booking_id": row[3],
                            "version_id": row[1],
                            "traveller_id": row[2],
                            "value_key": identifier_key(kind, value[:300]),
                        }
                    )
            if values:
                bind.execute(sa.insert(identifier), values)
    for table, column in KEYS:
        op.drop_index(_index(table, column), table_name=table)
    for table in ("contact", "payment"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for owner, column in KEYS:
                if owner == table:
                    batch_op.drop_column(column)

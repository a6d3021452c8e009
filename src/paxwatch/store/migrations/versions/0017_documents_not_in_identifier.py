"""Ingest and retention that scale (issues 4 and 8): no ``identifier`` rows for documents.

Every document of a booked or API traveller was stored twice: as a ``document`` row, whose
normalised number (``number_key``, migration ``0010``) the correlation looks up through its
own index, and as an ``identifier`` row of kind ``document`` (``TYPE:COUNTRY:NUMBER``) for
link analysis, with three more index entries. That second row was about a third of the
``identifier`` rows, the largest single item of PostgreSQL's CPU per push, and of what the
retention job deletes. ``find_identifier`` now reads documents from ``document`` through
``number_key`` and compares type and country (``store.identifiers``); a masked document's
key is cleared by migration ``0010``'s trigger, as a masked version's identifier rows are
deleted, so it finds the same rows. The upgrade deletes the ``document`` rows of
``identifier``; the downgrade writes them again from ``document`` (live documents only: a
masked one had lost its identifier row already).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from paxwatch.store.keys import document_identifier
from paxwatch.store.schema_parts import identifier_key

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Documents read per statement (downgrade).
BATCH = 50_000


def upgrade() -> None:
    op.execute("DELETE FROM identifier WHERE kind = 'document'")


def downgrade() -> None:
    bind = op.get_bind()
    identifier = sa.table(
        "identifier",
        sa.column("kind"),
        sa.column("value"),
        sa.column("booking_id"),
        sa.column("version_id"),
        sa.column("traveller_id"),
        sa.column("api_traveller_id"),
        sa.column("value_key"),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT d.id, d.type, d.issuing_country, d.number_key, d.traveller_id, "
                "d.api_traveller_id, t.booking_id, t.version_id FROM document d "
                "LEFT OUTER JOIN traveller t ON t.id = d.traveller_id "
                "WHERE d.id > :last AND d.number_key IS NOT NULL ORDER BY d.id LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        values = []
        for _id, kind, country, number, tid, aid, bid, vid in rows:
            value = document_identifier(kind, country, number)[:300]
            values.append(
                {
                    "kind": "document",
                    "value": value,
                    "booking_id": bid,
                    "version_id": vid,
                    "traveller_id": tid,
                    "api_traveller_id": aid,
                    "value_key": identifier_key("document", value),
                }
            )
        bind.execute(sa.insert(identifier), values)

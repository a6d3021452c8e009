"""Retention fixes (issue 8 follow-ups): the disclosure log survives deletion, the privacy
event log is replaced by the audit trail.

- ``transmission.hit_id`` loses its foreign key to ``hit`` (it was ``ON DELETE CASCADE``):
  a transmission record is the log of a disclosure, kept 5 years (Art 13(6)) even after the
  hit and the traveller it refers to are deleted; retention erases the personal data of the
  stored snapshot instead (``paxwatch.privacy.retention``). The column and its index stay.
- ``privacy_event`` is dropped: every privacy step is written to the tamper-evident audit
  trail (``audit_event``) in the same transaction. Its rows are copied into the trail first
  (kind ``privacy.<prefix>``, ``action`` and ``details`` as in ``paxwatch.privacy.policies``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

import hashlib
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_PREFIXES = {"retention", "flag", "unmask", "selection", "subject"}


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _copy_events_to_audit() -> None:
    """Append the old privacy events to the audit chain (same hashing as ``audit.record``)."""
    conn = op.get_bind()
    events = sa.table(
        "privacy_event",
        sa.column("id", _ID),
        sa.column("at", sa.DateTime()),
        sa.column("actor", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("details", sa.Text()),
    )
    rows = conn.execute(sa.select(events).order_by(events.c.id)).all()
    if not rows:
        return
    anchor = sa.table(
        "audit_anchor",
        sa.column("id", sa.Integer()),
        sa.column("head_seq", _ID),
        sa.column("head_hash", sa.String()),
        sa.column("updated_at", sa.DateTime()),
    )
    audit = sa.table(
        "audit_event",
        sa.column("seq", _ID),
        sa.column("at", sa.DateTime()),
        sa.column("actor", sa.String()),
        sa.column("kind", sa.String()),
        sa.column("payload", sa.Text()),
        sa.column("prev_hash", sa.String()),
        sa.column("hash", sa.String()),
    )
    head = conn.execute(sa.select(anchor.c.head_seq, anchor.c.head_hash)).one()
    seq, prev = int(head.head_seq), str(head.head_hash)
    for row in rows:
        prefix, _, action = str(row.kind).partition(".")
        kind = f"privacy.{prefix}" if prefix in _PREFIXES else "privacy"
        if prefix not in _PREFIXES:
            action = str(row.kind)
        details = _canonical(json.loads(row.details or "{}"))
        payload = _canonical({"action": action, "details": details})
        seq += 1
        body = _canonical(
            {
                "seq": seq,
                "at": row.at.isoformat(timespec="microseconds"),
                "actor": row.actor,
                "kind": kind,
                "payload": payload,
            }
        )
        digest = hashlib.sha256((prev + body).encode()).hexdigest()
        conn.execute(
            sa.insert(audit).values(
                seq=seq,
                at=row.at,
                actor=row.actor,
                kind=kind,
                payload=payload,
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    conn.execute(sa.update(anchor).values(head_seq=seq, head_hash=prev))


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("transmission", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_transmission_hit_id_hit"), type_="foreignkey")
    _copy_events_to_audit()
    with op.batch_alter_table("privacy_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_privacy_event_kind"))
        batch_op.drop_index(batch_op.f("ix_privacy_event_at"))
    op.drop_table("privacy_event")


def downgrade() -> None:
    """Downgrade schema (the privacy events stay in the audit trail)."""
    op.create_table(
        "privacy_event",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_event")),
    )
    with op.batch_alter_table("privacy_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_privacy_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_privacy_event_kind"), ["kind"], unique=False)
    # A transmission whose hit is gone is a disclosure log that must be kept: refuse rather
    # than delete it to restore the foreign key.
    conn = op.get_bind()
    orphans = conn.execute(
        sa.text("SELECT count(*) FROM transmission WHERE hit_id NOT IN (SELECT id FROM hit)")
    ).scalar()
    if orphans:
        raise RuntimeError(
            f"{orphans} transmission records outlive their hit (Art 13(6) logs): "
            "downgrading below 0005 would have to delete them"
        )
    with op.batch_alter_table("transmission", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_transmission_hit_id_hit"),
            "hit",
            ["hit_id"],
            ["id"],
            ondelete="CASCADE",
        )

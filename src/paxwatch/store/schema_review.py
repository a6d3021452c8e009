"""The access, review and audit tables (issue 7): users, tokens, sessions, hit review,
decisions, transmissions, the audit trail.

Imported at the end of ``paxwatch.store.schema`` so that these tables belong to its
``metadata`` (migration ``0003_access_review_audit``).

- ``app_user``: local accounts (argon2 hash, role, lockout counters, active flag).
- ``api_token``: API tokens, stored as the SHA-256 of the token (never the token).
- ``user_session``: UI login sessions, stored as the SHA-256 of the session id, with the
  CSRF token, absolute expiry and last activity (idle timeout).
- ``hit_review``: the review state of a hit (``hit.status`` carries the coarse state that
  assessment reads; this row adds the four-eyes step, the assignee and who decided).
- ``hit_decision``: the append-only history of every review decision.
- ``transmission``: what left the PIU, to whom, on which legal basis (snapshot JSON). The
  row survives the deletion of the hit and traveller it names (no foreign key since
  ``0005``): retention erases the personal data of the snapshot, keeps the log.
- ``audit_event``: the append-only, hash-chained audit trail (``seq`` has no gaps);
  ``audit_anchor``: one row holding the head of the chain and, after pruning, where it
  starts (so that removing the last or the first entries is detected).
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, Table, Text

from paxwatch.store.columns import Id, fk, metadata, pk, string

app_user = Table(
    "app_user",
    metadata,
    pk(),
    string("username", 100, nullable=False, unique=True),
    string("role", 30, nullable=False),
    string("password_hash", 200),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime),
    Column("created_at", DateTime, nullable=False),
    string("created_by", 100),
    Column("updated_at", DateTime),
    Column("password_changed_at", DateTime),
    Column("last_login_at", DateTime),
)

api_token = Table(
    "api_token",
    metadata,
    pk(),
    fk("user_id", "app_user"),
    string("name", 100, nullable=False),
    string("token_hash", 64, nullable=False, unique=True),
    string("prefix", 12, nullable=False),
    string("role", 30, nullable=False),
    Column("created_at", DateTime, nullable=False),
    string("created_by", 100),
    Column("expires_at", DateTime),
    Column("last_used_at", DateTime),
    Column("revoked_at", DateTime),
)

user_session = Table(
    "user_session",
    metadata,
    pk(),
    fk("user_id", "app_user"),
    string("session_hash", 64, nullable=False, unique=True),
    string("csrf_token", 64, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
)

hit_review = Table(
    "hit_review",
    metadata,
    Column("hit_id", Id, ForeignKey("hit.id", ondelete="CASCADE"), primary_key=True),
    string("state", 24, nullable=False, index=True),
    string("assignee", 100),
    Column("assigned_at", DateTime),
    string("proposed_by", 100),
    Column("proposed_at", DateTime),
    string("decided_by", 100),
    string("countersigned_by", 100),
    Column("decided_at", DateTime),
    string("reason_code", 60),
    Column("updated_at", DateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
)

hit_decision = Table(
    "hit_decision",
    metadata,
    pk(),
    fk("hit_id", "hit"),
    Column("at", DateTime, nullable=False),
    string("actor", 100, nullable=False),
    string("action", 20, nullable=False),
    string("from_state", 24, nullable=False),
    string("to_state", 24, nullable=False),
    string("reason_code", 60),
    Column("note", Text),
    string("fingerprint", 64),
)

transmission = Table(
    "transmission",
    metadata,
    pk(),
    # No foreign key (migration 0005): the disclosure log outlives the hit and the traveller
    # it refers to (Art 13(6), 5 years); retention erases the snapshot instead.
    Column("hit_id", Id, nullable=False, index=True),
    Column("traveller_id", Id),
    Column("flight_id", Id, nullable=False),
    string("recipient", 60, nullable=False),
    Column("legal_basis", Text, nullable=False),
    string("offence_category", 60, nullable=False),
    string("elements", 300, nullable=False),
    Column("payload", Text, nullable=False),
    string("payload_sha256", 64, nullable=False),
    string("reference", 100),
    string("actor", 100, nullable=False),
    Column("at", DateTime, nullable=False),
)

audit_event = Table(
    "audit_event",
    metadata,
    Column("seq", Id, primary_key=True, autoincrement=False),
    Column("at", DateTime, nullable=False, index=True),
    string("actor", 100, nullable=False, index=True),
    string("kind", 40, nullable=False, index=True),
    Column("payload", Text, nullable=False),
    string("prev_hash", 64, nullable=False),
    string("hash", 64, nullable=False),
)

audit_anchor = Table(
    "audit_anchor",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("first_seq", Id, nullable=False),
    string("first_prev_hash", 64, nullable=False),
    Column("head_seq", Id, nullable=False),
    string("head_hash", 64, nullable=False),
    Column("pruned_before", DateTime),
    Column("updated_at", DateTime, nullable=False),
)

Index("ix_hit_decision_actor_at", hit_decision.c.actor, hit_decision.c.at)
# The retention job reads transmissions by flight (sealing a flight's figures, once per
# chunk) and by age (migration 0011).
Index("ix_transmission_flight_id", transmission.c.flight_id)
Index("ix_transmission_at", transmission.c.at)

__all__ = [
    "api_token",
    "app_user",
    "audit_anchor",
    "audit_event",
    "hit_decision",
    "hit_review",
    "transmission",
    "user_session",
]

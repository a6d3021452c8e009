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

from paxwatch.store.schema import Id, _fk, _pk, _s, metadata

app_user = Table(
    "app_user",
    metadata,
    _pk(),
    _s("username", 100, nullable=False, unique=True),
    _s("role", 30, nullable=False),
    _s("password_hash", 200),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime),
    Column("created_at", DateTime, nullable=False),
    _s("created_by", 100),
    Column("updated_at", DateTime),
    Column("password_changed_at", DateTime),
    Column("last_login_at", DateTime),
)

api_token = Table(
    "api_token",
    metadata,
    _pk(),
    _fk("user_id", "app_user"),
    _s("name", 100, nullable=False),
    _s("token_hash", 64, nullable=False, unique=True),
    _s("prefix", 12, nullable=False),
    _s("role", 30, nullable=False),
    Column("created_at", DateTime, nullable=False),
    _s("created_by", 100),
    Column("expires_at", DateTime),
    Column("last_used_at", DateTime),
    Column("revoked_at", DateTime),
)

user_session = Table(
    "user_session",
    metadata,
    _pk(),
    _fk("user_id", "app_user"),
    _s("session_hash", 64, nullable=False, unique=True),
    _s("csrf_token", 64, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
)

hit_review = Table(
    "hit_review",
    metadata,
    Column("hit_id", Id, ForeignKey("hit.id", ondelete="CASCADE"), primary_key=True),
    _s("state", 24, nullable=False, index=True),
    _s("assignee", 100),
    Column("assigned_at", DateTime),
    _s("proposed_by", 100),
    Column("proposed_at", DateTime),
    _s("decided_by", 100),
    _s("countersigned_by", 100),
    Column("decided_at", DateTime),
    _s("reason_code", 60),
    Column("updated_at", DateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
)

hit_decision = Table(
    "hit_decision",
    metadata,
    _pk(),
    _fk("hit_id", "hit"),
    Column("at", DateTime, nullable=False),
    _s("actor", 100, nullable=False),
    _s("action", 20, nullable=False),
    _s("from_state", 24, nullable=False),
    _s("to_state", 24, nullable=False),
    _s("reason_code", 60),
    Column("note", Text),
    _s("fingerprint", 64),
)

transmission = Table(
    "transmission",
    metadata,
    _pk(),
    # No foreign key (migration 0005): the disclosure log outlives the hit and the traveller
    # it refers to (Art 13(6), 5 years); retention erases the snapshot instead.
    Column("hit_id", Id, nullable=False, index=True),
    Column("traveller_id", Id),
    Column("flight_id", Id, nullable=False),
    _s("recipient", 60, nullable=False),
    Column("legal_basis", Text, nullable=False),
    _s("offence_category", 60, nullable=False),
    _s("elements", 300, nullable=False),
    Column("payload", Text, nullable=False),
    _s("payload_sha256", 64, nullable=False),
    _s("reference", 100),
    _s("actor", 100, nullable=False),
    Column("at", DateTime, nullable=False),
)

audit_event = Table(
    "audit_event",
    metadata,
    Column("seq", Id, primary_key=True, autoincrement=False),
    Column("at", DateTime, nullable=False, index=True),
    _s("actor", 100, nullable=False, index=True),
    _s("kind", 40, nullable=False, index=True),
    Column("payload", Text, nullable=False),
    _s("prev_hash", 64, nullable=False),
    _s("hash", 64, nullable=False),
)

audit_anchor = Table(
    "audit_anchor",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("first_seq", Id, nullable=False),
    _s("first_prev_hash", 64, nullable=False),
    Column("head_seq", Id, nullable=False),
    _s("head_hash", 64, nullable=False),
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

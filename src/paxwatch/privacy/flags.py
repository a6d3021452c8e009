"""Retention flags: a supervisor keeps a booked traveller (booking + traveller ref, or the
whole booking) or an API traveller past the policy's deletion point, with a reason, an
evidence reference and a review date (objective evidence, risk assessment). A flag protects
while it is not lifted and its review date has not passed, and only if its kind is one of
the policy's ``flag_kinds``. Setting and lifting are recorded in the audit trail
(``privacy.flag``); ``protection`` is what the retention job keeps because of them."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select, update

from paxwatch.privacy.policies import (
    FLAG_KINDS,
    PolicyError,
    PrivacyEvent,
    RetentionPolicy,
    load_policy,
    record_event,
)
from paxwatch.privacy.purge import id_in
from paxwatch.store import schema as s
from paxwatch.store.rows import insert_ids
from paxwatch.store.schema_privacy import retention_flag

SUPERVISOR = "supervisor"
CHUNK = 5000


class FlagError(ValueError):
    """A flag that cannot be set or lifted (role, reason, review date, target)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Flag:
    """A retention flag (see the module doc)."""

    id: int
    booking_id: int | None
    traveller_ref: str | None
    api_traveller_id: int | None
    kind: str
    reason: str
    evidence_ref: str | None
    set_by: str
    set_at: datetime
    review_on: date
    lifted_by: str | None = None
    lifted_at: datetime | None = None
    lift_reason: str | None = None

    def protects(self, today: date, kinds: frozenset[str]) -> bool:
        """Whether the flag keeps its traveller on ``today`` under a policy of ``kinds``."""
        return self.lifted_at is None and self.kind in kinds and self.review_on >= today


def _flag(row: Any) -> Flag:
    return Flag(**{f.name: getattr(row, f.name) for f in fields(Flag)})


def list_flags(conn: Connection, *, include_lifted: bool = False) -> list[Flag]:
    """The flags, oldest first."""
    query = select(retention_flag).order_by(retention_flag.c.id)
    if not include_lifted:
        query = query.where(retention_flag.c.lifted_at.is_(None))
    return [_flag(r) for r in conn.execute(query)]


def set_flag(
    conn: Connection,
    *,
    by: str,
    role: str,
    kind: str,
    reason: str,
    review_on: date,
    now: datetime,
    traveller_id: int | None = None,
    booking_id: int | None = None,
    traveller_ref: str | None = None,
    api_traveller_id: int | None = None,
    evidence_ref: str | None = None,
    review_max_days: int = 365,
) -> int:
    """Flag a traveller (by ``traveller_id``, or ``booking_id`` + ``traveller_ref``; no ref:
    the whole booking) or an API traveller; returns the flag id. Only a supervisor may, with
    a reason and a review date within ``review_max_days``."""
    if role != SUPERVISOR:
        raise FlagError("only a supervisor may set a retention flag")
    if kind not in FLAG_KINDS:
        raise FlagError(f"the kind must be one of {', '.join(sorted(FLAG_KINDS))}")
    if not reason.strip():
        raise FlagError("a retention flag needs a reason")
    if not now.date() < review_on <= now.date() + timedelta(days=review_max_days):
        raise FlagError(f"the review date must be within {review_max_days} days from today")
    if traveller_id is not None:
        row = conn.execute(
            select(s.traveller.c.booking_id, s.traveller.c.ref).where(
                s.traveller.c.id == traveller_id
            )
        ).first()
        if row is None:
            raise FlagError(f"no traveller {traveller_id}")
        booking_id, traveller_ref = int(row.booking_id), row.ref
    if (booking_id is None) == (api_traveller_id is None):
        raise FlagError("flag either a booked traveller (or booking) or an API traveller")
    target_table, target_id = (
        (s.booking, booking_id) if booking_id is not None else (s.api_traveller, api_traveller_id)
    )
    if (
        conn.execute(select(target_table.c.id).where(target_table.c.id == target_id)).first()
        is None
    ):
        raise FlagError("the flagged record does not exist")
    row_values = {
        "booking_id": booking_id,
        "traveller_ref": traveller_ref,
        "api_traveller_id": api_traveller_id,
        "kind": kind,
        "reason": reason.strip(),
        "evidence_ref": evidence_ref,
        "set_by": by,
        "set_at": now,
        "review_on": review_on,
        "lifted_by": None,
        "lifted_at": None,
        "lift_reason": None,
    }
    flag_id = insert_ids(conn, retention_flag, [row_values])[0]
    details = {
        "flag": flag_id,
        "kind": kind,
        "booking_id": booking_id,
        "traveller_ref": traveller_ref,
        "api_traveller_id": api_traveller_id,
        "review_on": review_on.isoformat(),
        "reason": reason.strip(),
        "evidence_ref": evidence_ref,
    }
    record_event(conn, PrivacyEvent(kind="flag.set", actor=by, at=now, details=details))
    return flag_id


def lift_flag(
    conn: Connection, flag_id: int, *, by: str, role: str, reason: str, now: datetime
) -> bool:
    """Lift a flag (the record stays); False when it was unknown or already lifted."""
    if role != SUPERVISOR:
        raise FlagError("only a supervisor may lift a retention flag")
    rf = retention_flag
    result = conn.execute(
        update(rf)
        .where(rf.c.id == flag_id, rf.c.lifted_at.is_(None))
        .values(lifted_by=by, lifted_at=now, lift_reason=reason)
    )
    if not result.rowcount:
        return False
    record_event(
        conn,
        PrivacyEvent(
            kind="flag.lifted", actor=by, at=now, details={"flag": flag_id, "reason": reason}
        ),
    )
    return True


@dataclass(slots=True)
class Protection:
    """What the active flags keep: booking → refs (None: all), API travellers."""

    bookings: dict[int, frozenset[str] | None] = field(default_factory=dict)
    api: set[int] = field(default_factory=set)
    flags: list[Flag] = field(default_factory=list)
    expired: list[Flag] = field(default_factory=list)

    def refs(self, booking_id: int) -> frozenset[str] | None:
        return self.bookings.get(booking_id, frozenset())


def protection(conn: Connection, policy: RetentionPolicy, today: date) -> Protection:
    out = Protection()
    refs: dict[int, set[str] | None] = {}
    for flag in list_flags(conn):
        if not flag.protects(today, policy.flag_kinds):
            if flag.kind in policy.flag_kinds:
                out.expired.append(flag)
            continue
        out.flags.append(flag)
        if flag.api_traveller_id is not None:
            out.api.add(flag.api_traveller_id)
        elif flag.booking_id is not None:
            current = refs.get(flag.booking_id, set())
            if flag.traveller_ref is None or current is None:
                refs[flag.booking_id] = None
            else:
                current.add(flag.traveller_ref)
                refs[flag.booking_id] = current
    out.bookings = {b: (frozenset(r) if r is not None else None) for b, r in refs.items()}
    link, t = s.api_pnr_link, s.traveller
    flagged = sorted(out.bookings)
    for start in range(0, len(flagged), CHUNK):
        query = (
            select(link.c.booking_id, link.c.api_traveller_id, t.c.ref)
            .join(t, t.c.id == link.c.traveller_id)
            .where(id_in(conn, link.c.booking_id, flagged[start : start + CHUNK]))
        )
        for booking_id, api_id, ref in conn.execute(query):
            kept = out.bookings[int(booking_id)]
            if kept is None or ref in kept:
                out.api.add(int(api_id))
    return out


def review_max_days() -> int:
    """How far ahead a flag's review date may be: the deployment's retention policy says
    (``flag_review_max_days``); 365 when the policy cannot be read."""
    try:
        return load_policy().flag_review_max_days
    except (PolicyError, OSError):
        return 365

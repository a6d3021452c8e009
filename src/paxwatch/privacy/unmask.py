"""Access to the full data after depersonalisation (Directive 2016/681 Art 12(3); CJEU
C-817/19: the approving authority must be independent of the PIU).

The workflow, every step recorded in the event log (``record_event``):

1. ``request_unmasking``: a PIU user (analyst or supervisor) asks for the full data of some
   bookings and/or API travellers, saying why, on which legal basis, for which offence and
   for which competent authority.
2. ``decide_unmasking``: a user with the ``independent_approver`` role approves or refuses.
   Refused: the requester themself, and anyone whose role is the requester's or one of the
   PIU's own roles (analyst, supervisor; nor the DPO, who reviews afterwards). When the
   ``app_user`` table knows the approver, the role stored there must be the one claimed.
   Approval opens access for ``valid_hours`` (default 48, at most ``MAX_HOURS``) and
   notifies the DPO (``dpo_notified_at``; the DPO's queue is ``pending_dpo_reviews``).
3. ``unmask``: the requester (only) reads the full data while the approval runs: the sealed
   originals of the masked records are opened with the vault key (``Vault``), records not
   masked yet are returned as stored. Each access is logged (records, not content).
4. ``dpo_review``: the DPO reviews the approval and access afterwards (``lawful`` /
   ``unlawful`` + note); ``revoke`` ends the access early.

After expiry nothing is readable again without a new request: the full data never leaves
``masked_record.sealed`` except in the returned objects.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select, update

from paxwatch.privacy.depersonalise import Vault
from paxwatch.privacy.policies import PrivacyEvent, record_event
from paxwatch.store import schema as s
from paxwatch.store.rows import insert_ids
from paxwatch.store.schema_privacy import masked_record, unmask_request

INDEPENDENT_APPROVER = "independent_approver"
DPO = "dpo"
REQUESTER_ROLES = frozenset({"analyst", "supervisor"})
PIU_ROLES = frozenset({"analyst", "supervisor", "dpo", "administrator", "auditor"})
DEFAULT_HOURS = 48
MAX_HOURS = 24 * 14
PENDING, APPROVED, REFUSED, REVOKED = "pending", "approved", "refused", "revoked"
DPO_OUTCOMES = frozenset({"lawful", "unlawful"})


class UnmaskError(PermissionError):
    """A step of the workflow that is not allowed (who, state, time)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor:
    """Who acts, as authenticated by the caller (API, UI or CLI)."""

    username: str
    role: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UnmaskRequest:
    """An Art 12(3) request and where it stands."""

    id: int
    requester: str
    requester_role: str
    created_at: datetime
    booking_ids: tuple[int, ...]
    api_traveller_ids: tuple[int, ...]
    reason: str
    legal_basis: str
    offence: str
    authority: str | None
    status: str
    valid_hours: int
    decided_by: str | None = None
    decided_role: str | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None
    expires_at: datetime | None = None
    dpo_notified_at: datetime | None = None
    dpo_reviewed_by: str | None = None
    dpo_reviewed_at: datetime | None = None
    dpo_outcome: str | None = None
    dpo_note: str | None = None

    def open_at(self, now: datetime) -> bool:
        """Whether the approval lets the requester read the full data at ``now``."""
        return self.status == APPROVED and self.expires_at is not None and now < self.expires_at


@dataclass(frozen=True, slots=True, kw_only=True)
class UnmaskedRecord:
    """The full data of one record: a booking version (``kind="booking_version"``, the
    booking JSON) or an API traveller (``kind="api_traveller"``)."""

    kind: str
    id: int
    booking_id: int | None
    version_no: int | None
    masked: bool
    content: dict[str, Any]


def _request(row: Any) -> UnmaskRequest:
    records = json.loads(row.records)
    values = {
        f.name: getattr(row, f.name)
        for f in fields(UnmaskRequest)
        if f.name not in ("booking_ids", "api_traveller_ids")
    }
    return UnmaskRequest(
        booking_ids=tuple(records.get("bookings", ())),
        api_traveller_ids=tuple(records.get("api_travellers", ())),
        **values,
    )


def get_request(conn: Connection, request_id: int) -> UnmaskRequest:
    row = conn.execute(select(unmask_request).where(unmask_request.c.id == request_id)).first()
    if row is None:
        raise UnmaskError(f"no unmasking request {request_id}")
    return _request(row)


def list_requests(conn: Connection, *, status: str | None = None) -> list[UnmaskRequest]:
    """The requests, newest first (one status when given)."""
    query = select(unmask_request).order_by(unmask_request.c.id.desc())
    if status:
        query = query.where(unmask_request.c.status == status)
    return [_request(r) for r in conn.execute(query)]


def pending_dpo_reviews(conn: Connection) -> list[UnmaskRequest]:
    """Approved or revoked requests the DPO has been notified of and not reviewed yet."""
    ur = unmask_request
    query = (
        select(ur)
        .where(ur.c.dpo_notified_at.is_not(None), ur.c.dpo_reviewed_at.is_(None))
        .order_by(ur.c.id)
    )
    return [_request(r) for r in conn.execute(query)]


def _event(conn: Connection, kind: str, actor: Actor, now: datetime, **details: Any) -> None:
    record_event(
        conn,
        PrivacyEvent(
            kind=kind, actor=actor.username, at=now, details={"role": actor.role, **details}
        ),
    )


def _stored_role(conn: Connection, username: str) -> str | None:
    from paxwatch.store.schema_review import app_user

    row = conn.execute(
        select(app_user.c.role, app_user.c.active).where(app_user.c.username == username)
    ).first()
    if row is None:
        return None
    return str(row.role) if row.active else ""


def _check_claimed_role(conn: Connection, actor: Actor) -> None:
    stored = _stored_role(conn, actor.username)
    if stored is not None and stored != actor.role:
        raise UnmaskError(f"{actor.username} does not hold the role {actor.role}")


def request_unmasking(
    conn: Connection,
    requester: Actor,
    *,
    booking_ids: Sequence[int] = (),
    api_traveller_ids: Sequence[int] = (),
    reason: str,
    legal_basis: str,
    offence: str,
    authority: str | None = None,
    valid_hours: int = DEFAULT_HOURS,
    now: datetime,
) -> int:
    """Record a request; returns its id."""
    if requester.role not in REQUESTER_ROLES:
        raise UnmaskError("only an analyst or a supervisor of the PIU may request unmasking")
    _check_claimed_role(conn, requester)
    if not (booking_ids or api_traveller_ids):
        raise UnmaskError("name the bookings or API travellers to unmask")
    if not (reason.strip() and legal_basis.strip() and offence.strip()):
        raise UnmaskError("a request needs a reason, a legal basis and an offence")
    if not 0 < valid_hours <= MAX_HOURS:
        raise UnmaskError(f"access lasts 1 to {MAX_HOURS} hours")
    records = {
        "bookings": sorted(set(booking_ids)),
        "api_travellers": sorted(set(api_traveller_ids)),
    }
    row = {
        "requester": requester.username,
        "requester_role": requester.role,
        "created_at": now,
        "records": json.dumps(records),
        "reason": reason.strip(),
        "legal_basis": legal_basis.strip(),
        "offence": offence.strip()[:60],
        "authority": authority,
        "status": PENDING,
        "valid_hours": valid_hours,
    }
    request_id = insert_ids(conn, unmask_request, [row])[0]
    _event(
        conn,
        "unmask.requested",
        requester,
        now,
        request=request_id,
        records=records,
        reason=row["reason"],
        legal_basis=row["legal_basis"],
        offence=row["offence"],
        authority=authority,
    )
    return request_id


def decide_unmasking(
    conn: Connection,
    request_id: int,
    approver: Actor,
    *,
    approve: bool,
    note: str,
    now: datetime,
) -> UnmaskRequest:
    """Approve or refuse a pending request (see the module doc for who may)."""
    request = get_request(conn, request_id)
    problem = _approval_problem(request, approver)
    if problem:
        _event(conn, "unmask.decision_refused", approver, now, request=request_id, problem=problem)
        raise UnmaskError(problem)
    _check_claimed_role(conn, approver)
    if not note.strip():
        raise UnmaskError("a decision needs a note (the grounds)")
    ur = unmask_request
    values: dict[str, Any] = {
        "status": APPROVED if approve else REFUSED,
        "decided_by": approver.username,
        "decided_role": approver.role,
        "decided_at": now,
        "decision_note": note.strip(),
    }
    if approve:
        values["expires_at"] = now + timedelta(hours=request.valid_hours)
        values["dpo_notified_at"] = now
    conn.execute(update(ur).where(ur.c.id == request_id, ur.c.status == PENDING).values(**values))
    kind = "unmask.approved" if approve else "unmask.refused"
    _event(conn, kind, approver, now, request=request_id, expires_at=values.get("expires_at"))
    if approve:
        _event(conn, "unmask.dpo_notified", approver, now, request=request_id)
    return get_request(conn, request_id)


def _approval_problem(request: UnmaskRequest, approver: Actor) -> str | None:
    if request.status != PENDING:
        return f"request {request.id} is {request.status}, not pending"
    if approver.username == request.requester:
        return "the requester cannot approve their own request"
    if approver.role == request.requester_role or approver.role in PIU_ROLES:
        return "an approver cannot hold the requester's role or a role of the PIU"
    if approver.role != INDEPENDENT_APPROVER:
        return "only an independent approver may decide"
    return None


def revoke(conn: Connection, request_id: int, actor: Actor, *, reason: str, now: datetime) -> None:
    """End an approval early (the requester, an independent approver or the DPO)."""
    request = get_request(conn, request_id)
    allowed = actor.username == request.requester or actor.role in (INDEPENDENT_APPROVER, DPO)
    if not allowed or request.status != APPROVED:
        raise UnmaskError("this request cannot be revoked by this user")
    ur = unmask_request
    conn.execute(update(ur).where(ur.c.id == request_id).values(status=REVOKED, expires_at=now))
    _event(conn, "unmask.revoked", actor, now, request=request_id, reason=reason)


def unmask(
    conn: Connection, request_id: int, actor: Actor, *, vault: Vault | None, now: datetime
) -> list[UnmaskedRecord]:
    """The full data of the request's records, for its requester while the approval runs."""
    request = get_request(conn, request_id)
    if actor.username != request.requester:
        _event(
            conn, "unmask.access_refused", actor, now, request=request_id, problem="not requester"
        )
        raise UnmaskError("only the requester may read the unmasked data")
    if not request.open_at(now):
        _event(conn, "unmask.access_refused", actor, now, request=request_id, problem="not open")
        raise UnmaskError(f"request {request_id} gives no access now ({request.status})")
    out = _versions(conn, request.booking_ids, vault) + _api(conn, request.api_traveller_ids, vault)
    _event(
        conn,
        "unmask.accessed",
        actor,
        now,
        request=request_id,
        records=[[r.kind, r.id] for r in out],
        masked=sum(r.masked for r in out),
    )
    return out


def _open(vault: Vault | None, sealed: bytes | None) -> dict[str, Any]:
    if sealed is None:
        raise UnmaskError("this record was masked without a vault: its full data is gone")
    if vault is None:
        raise UnmaskError("the vault key is not configured")
    loaded: dict[str, Any] = json.loads(vault.open(bytes(sealed)).decode("utf-8"))
    return loaded


def _versions(
    conn: Connection, booking_ids: Sequence[int], vault: Vault | None
) -> list[UnmaskedRecord]:
    v, mr = s.booking_version, masked_record
    query = (
        select(v.c.id, v.c.booking_id, v.c.version_no, v.c.content, mr.c.id.label("m"), mr.c.sealed)
        .outerjoin(mr, mr.c.version_id == v.c.id)
        .where(v.c.booking_id.in_(list(booking_ids)))
        .order_by(v.c.booking_id, v.c.version_no)
    )
    return [
        UnmaskedRecord(
            kind="booking_version",
            id=int(r.id),
            booking_id=int(r.booking_id),
            version_no=int(r.version_no),
            masked=r.m is not None,
            content=_open(vault, r.sealed) if r.m is not None else json.loads(r.content),
        )
        for r in conn.execute(query)
    ]


def _api(conn: Connection, api_ids: Sequence[int], vault: Vault | None) -> list[UnmaskedRecord]:
    a, mr = s.api_traveller, masked_record
    query = (
        select(a.c.id, a.c.content, mr.c.id.label("m"), mr.c.sealed)
        .outerjoin(mr, mr.c.api_traveller_id == a.c.id)
        .where(a.c.id.in_(list(api_ids)))
        .order_by(a.c.id)
    )
    return [
        UnmaskedRecord(
            kind="api_traveller",
            id=int(r.id),
            booking_id=None,
            version_no=None,
            masked=r.m is not None,
            content=_open(vault, r.sealed) if r.m is not None else json.loads(r.content),
        )
        for r in conn.execute(query)
    ]


def dpo_review(
    conn: Connection, request_id: int, dpo: Actor, *, outcome: str, note: str, now: datetime
) -> UnmaskRequest:
    """The DPO's ex-post review of an approved (or revoked) request."""
    if dpo.role != DPO:
        raise UnmaskError("only the DPO reviews unmasking")
    _check_claimed_role(conn, dpo)
    if outcome not in DPO_OUTCOMES:
        raise UnmaskError(f"the outcome is one of {', '.join(sorted(DPO_OUTCOMES))}")
    request = get_request(conn, request_id)
    if request.dpo_notified_at is None or request.dpo_reviewed_at is not None:
        raise UnmaskError("this request awaits no review by the DPO")
    ur = unmask_request
    conn.execute(
        update(ur)
        .where(ur.c.id == request_id)
        .values(
            dpo_reviewed_by=dpo.username, dpo_reviewed_at=now, dpo_outcome=outcome, dpo_note=note
        )
    )
    _event(conn, "unmask.dpo_reviewed", dpo, now, request=request_id, outcome=outcome, note=note)
    return get_request(conn, request_id)

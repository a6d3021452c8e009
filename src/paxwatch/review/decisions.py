"""The review state machine of a hit, with an append-only decision history.

States (``ReviewState``) and the actions that move a hit between them::

    new ──take──▶ in_review ──confirm──▶ confirmed            (four eyes off)
     ▲              │   │  └─confirm──▶ awaiting_countersign  (four eyes on)
     └──release─────┘   │                  │ countersign (another user) ──▶ confirmed
                        │                  └ reject (another user, note) ──▶ in_review
                        └──dismiss (reason code)──▶ dismissed
    dismissed | confirmed ──reopen (supervisor, note; not once transmitted)──▶ in_review
    new | in_review ──assign (supervisor)──▶ in_review (for the named user)

``hit.status`` carries the coarse state the assessment reads (``new``, ``in_review``,
``confirmed``, ``dismissed``; ``awaiting_countersign`` is ``in_review`` there). A dismissed
hit keeps its suppression fingerprint, so assessment does not raise the same hit (same
traveller data, same list entry or rule) again (Directive Art 12(5)). Hits the assessment
marked ``suppressed``, ``superseded`` or ``closed`` are not reviewable.

Every decision writes a ``hit_decision`` row (who, when, from → to, reason, note) and a
``HitDecisionEvent`` in the audit trail, in the same transaction. Refusals raise
``AccessDenied`` (the role may not) or :class:`ReviewError` with a ``code`` and a reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, update

from paxwatch.privacy.access import Action, Principal, can, require
from paxwatch.privacy.audit import HitDecisionEvent, record
from paxwatch.privacy.users import get_user
from paxwatch.review.reasons import ReviewConfig
from paxwatch.review.review_state import (
    HIT_STATUS,
    OPEN_STATES,
    DecisionRecord,
    HitReview,
    HitRow,
    ReviewAction,
    ReviewError,
    ReviewErrorCode,
    ReviewState,
    current_review,
    get_review,
    history,
    load_hit,
    review_of,
    review_states,
    transmitted,
)
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.schema_review import hit_decision, hit_review

PERMISSION: dict[ReviewAction, Action] = {
    ReviewAction.TAKE: Action.REVIEW_HIT,
    ReviewAction.RELEASE: Action.REVIEW_HIT,
    ReviewAction.ASSIGN: Action.ASSIGN_HIT,
    ReviewAction.CONFIRM: Action.CONFIRM_HIT,
    ReviewAction.COUNTERSIGN: Action.COUNTERSIGN_HIT,
    ReviewAction.REJECT: Action.COUNTERSIGN_HIT,
    ReviewAction.DISMISS: Action.DISMISS_HIT,
    ReviewAction.REOPEN: Action.REOPEN_HIT,
}
"""The permission each action needs (the role check before any other)."""

_FROM: dict[ReviewAction, frozenset[ReviewState]] = {
    ReviewAction.TAKE: frozenset({ReviewState.NEW}),
    ReviewAction.RELEASE: frozenset({ReviewState.IN_REVIEW}),
    ReviewAction.ASSIGN: frozenset({ReviewState.NEW, ReviewState.IN_REVIEW}),
    ReviewAction.CONFIRM: frozenset({ReviewState.IN_REVIEW}),
    ReviewAction.COUNTERSIGN: frozenset({ReviewState.AWAITING_COUNTERSIGN}),
    ReviewAction.REJECT: frozenset({ReviewState.AWAITING_COUNTERSIGN}),
    ReviewAction.DISMISS: frozenset({ReviewState.IN_REVIEW}),
    ReviewAction.REOPEN: frozenset({ReviewState.DISMISSED, ReviewState.CONFIRMED}),
}
"""The states each action may start from (every other transition is refused)."""

_ASSIGNEE_ONLY = frozenset({ReviewAction.RELEASE, ReviewAction.CONFIRM, ReviewAction.DISMISS})


@dataclass(frozen=True, slots=True, kw_only=True)
class _Request:
    action: ReviewAction
    reason: str | None
    note: str | None
    assignee: str | None


def _check_text(req: _Request, cfg: ReviewConfig) -> None:
    if req.note is not None and len(req.note) > cfg.max_note_length:
        raise ReviewError(
            ReviewErrorCode.NOTE_TOO_LONG, f"the note exceeds {cfg.max_note_length} characters"
        )
    if req.action is ReviewAction.DISMISS:
        if not req.reason:
            raise ReviewError(ReviewErrorCode.REASON_REQUIRED, "a dismissal needs a reason code")
        if cfg.reason(req.reason) is None:
            codes = ", ".join(r.code for r in cfg.reasons)
            raise ReviewError(
                ReviewErrorCode.UNKNOWN_REASON, f"unknown reason {req.reason!r}; use: {codes}"
            )
        if req.reason in cfg.note_required and not (req.note or "").strip():
            raise ReviewError(
                ReviewErrorCode.NOTE_REQUIRED, f"reason {req.reason} needs an explanatory note"
            )
    needs_note = req.action in (ReviewAction.REJECT, ReviewAction.REOPEN)
    if needs_note and not (req.note or "").strip():
        raise ReviewError(ReviewErrorCode.NOTE_REQUIRED, f"{req.action.value} needs a note")


def _check_transition(
    conn: Connection, principal: Principal, hit: HitRow, current: HitReview, req: _Request
) -> None:
    allowed = _FROM[req.action]
    if current.state not in allowed:
        starts = " or ".join(sorted(s.value for s in allowed))
        raise ReviewError(
            ReviewErrorCode.ILLEGAL_TRANSITION,
            f"cannot {req.action.value} a hit that is {current.state.value} (only from {starts})",
        )
    supervisor = can(principal, Action.ASSIGN_HIT)
    if (
        req.action in _ASSIGNEE_ONLY
        and current.assignee not in (None, principal.username)
        and not supervisor
    ):
        raise ReviewError(
            ReviewErrorCode.NOT_ASSIGNEE,
            f"hit #{hit.id} is in review by {current.assignee}; ask a supervisor to reassign it",
        )
    if req.action in (ReviewAction.COUNTERSIGN, ReviewAction.REJECT) and (
        principal.username == current.proposed_by
    ):
        raise ReviewError(
            ReviewErrorCode.FOUR_EYES,
            "four eyes: the confirmation must be countersigned by another user",
        )
    if req.action is ReviewAction.REOPEN and transmitted(conn, hit.id):
        raise ReviewError(
            ReviewErrorCode.ALREADY_TRANSMITTED,
            f"hit #{hit.id} was transmitted; it cannot be reopened",
        )
    if req.action is ReviewAction.ASSIGN:
        target = get_user(conn, req.assignee or "")
        if target is None or not target.active or not can(target.principal(), Action.REVIEW_HIT):
            raise ReviewError(
                ReviewErrorCode.INVALID_REQUEST,
                "assign needs an active user whose role reviews hits",
            )


def _next(
    principal: Principal, current: HitReview, req: _Request, cfg: ReviewConfig, at: datetime
) -> HitReview:
    me = principal.username
    a = req.action
    if a is ReviewAction.TAKE:
        return HitReview(hit_id=current.hit_id, state=ReviewState.IN_REVIEW, assignee=me)
    if a is ReviewAction.ASSIGN:
        assignee = (req.assignee or "").strip().lower()
        return HitReview(hit_id=current.hit_id, state=ReviewState.IN_REVIEW, assignee=assignee)
    if a is ReviewAction.RELEASE:
        return HitReview(hit_id=current.hit_id, state=ReviewState.NEW)
    if a is ReviewAction.CONFIRM and cfg.four_eyes:
        return HitReview(
            hit_id=current.hit_id,
            state=ReviewState.AWAITING_COUNTERSIGN,
            assignee=current.assignee or me,
            proposed_by=me,
            proposed_at=at,
        )
    if a in (ReviewAction.CONFIRM, ReviewAction.COUNTERSIGN):
        return HitReview(
            hit_id=current.hit_id,
            state=ReviewState.CONFIRMED,
            assignee=current.assignee or me,
            proposed_by=current.proposed_by or me,
            proposed_at=current.proposed_at or at,
            decided_by=current.proposed_by or me,
            countersigned_by=me if a is ReviewAction.COUNTERSIGN else None,
            decided_at=at,
        )
    if a is ReviewAction.DISMISS:
        return HitReview(
            hit_id=current.hit_id,
            state=ReviewState.DISMISSED,
            assignee=current.assignee or me,
            decided_by=me,
            decided_at=at,
            reason_code=req.reason,
        )
    # REJECT (back to the confirmer) and REOPEN (back to review, by the supervisor).
    back_to = current.assignee if a is ReviewAction.REJECT else me
    return HitReview(hit_id=current.hit_id, state=ReviewState.IN_REVIEW, assignee=back_to)


def _save(conn: Connection, hit: HitRow, old: HitReview, new: HitReview, at: datetime) -> None:
    values: dict[str, Any] = {
        "state": new.state.value,
        "assignee": new.assignee,
        "proposed_by": new.proposed_by,
        "proposed_at": new.proposed_at,
        "decided_by": new.decided_by,
        "countersigned_by": new.countersigned_by,
        "decided_at": new.decided_at,
        "reason_code": new.reason_code,
        "updated_at": at,
    }
    if new.assignee != old.assignee or old.version == 0:
        values["assigned_at"] = at if new.assignee else None
    if old.version == 0:
        conn.execute(insert(hit_review).values(hit_id=hit.id, version=1, **values))
    else:
        done = conn.execute(
            update(hit_review)
            .where(hit_review.c.hit_id == hit.id, hit_review.c.version == old.version)
            .values(version=old.version + 1, **values)
        )
        if not done.rowcount:
            raise ReviewError(
                ReviewErrorCode.ILLEGAL_TRANSITION, "the hit changed meanwhile; reload it"
            )
    conn.execute(
        update(sa_.hit)
        .where(sa_.hit.c.id == hit.id)
        .values(status=HIT_STATUS[new.state], status_at=at)
    )


def _decide(
    conn: Connection,
    principal: Principal,
    hit_id: int,
    req: _Request,
    cfg: ReviewConfig,
    at: datetime,
) -> DecisionRecord:
    require(principal, PERMISSION[req.action])
    _check_text(req, cfg)
    hit = load_hit(conn, hit_id, lock=True)
    current = current_review(conn, hit)
    _check_transition(conn, principal, hit, current, req)
    new = _next(principal, current, req, cfg, at)
    _save(conn, hit, current, new, at)
    fingerprint = hit.fingerprint if new.state is ReviewState.DISMISSED else None
    decision_id = conn.execute(
        insert(hit_decision)
        .values(
            hit_id=hit.id,
            at=at,
            actor=principal.username,
            action=req.action.value,
            from_state=current.state.value,
            to_state=new.state.value,
            reason_code=req.reason if req.action is ReviewAction.DISMISS else None,
            note=req.note,
            fingerprint=fingerprint,
        )
        .returning(hit_decision.c.id)
    ).scalar_one()
    record(
        conn,
        HitDecisionEvent(
            actor=principal.username,
            hit_id=hit.id,
            decision_id=int(decision_id),
            action=req.action.value,
            from_state=current.state.value,
            to_state=new.state.value,
            reason_code=req.reason if req.action is ReviewAction.DISMISS else None,
            note_sha256=hashlib.sha256(req.note.encode()).hexdigest() if req.note else None,
            traveller_id=hit.traveller_id,
            flight_id=hit.flight_id,
        ),
        at=at,
    )
    return DecisionRecord(
        id=int(decision_id),
        hit_id=hit.id,
        at=at,
        actor=principal.username,
        action=req.action,
        from_state=current.state,
        to_state=new.state,
        reason_code=req.reason if req.action is ReviewAction.DISMISS else None,
        note=req.note,
        fingerprint=fingerprint,
    )


def decide(
    store: Store,
    principal: Principal,
    hit_id: int,
    action: ReviewAction,
    *,
    reason: str | None = None,
    note: str | None = None,
    assignee: str | None = None,
    config: ReviewConfig | None = None,
    now: datetime | None = None,
) -> DecisionRecord:
    """Apply one review action to a hit, record it and audit it (one transaction)."""
    cfg = config or ReviewConfig()
    note_text = note.strip() if note and note.strip() else None
    req = _Request(action=action, reason=reason, note=note_text, assignee=assignee)
    with store.write() as conn:
        return _decide(conn, principal, hit_id, req, cfg, now or utcnow())


def take(store: Store, principal: Principal, hit_id: int, **kw: Any) -> DecisionRecord:
    """``new → in_review``, assigned to the caller."""
    return decide(store, principal, hit_id, ReviewAction.TAKE, **kw)


def release(store: Store, principal: Principal, hit_id: int, **kw: Any) -> DecisionRecord:
    """``in_review → new`` (give the hit back to the queue)."""
    return decide(store, principal, hit_id, ReviewAction.RELEASE, **kw)


def assign(
    store: Store, principal: Principal, hit_id: int, assignee: str, **kw: Any
) -> DecisionRecord:
    """Supervisor: put the hit in review by ``assignee``."""
    return decide(store, principal, hit_id, ReviewAction.ASSIGN, assignee=assignee, **kw)


def confirm(store: Store, principal: Principal, hit_id: int, **kw: Any) -> DecisionRecord:
    """``in_review → confirmed`` (or ``awaiting_countersign`` with four eyes)."""
    return decide(store, principal, hit_id, ReviewAction.CONFIRM, **kw)


def countersign(store: Store, principal: Principal, hit_id: int, **kw: Any) -> DecisionRecord:
    """Four eyes: a second user confirms (``awaiting_countersign → confirmed``)."""
    return decide(store, principal, hit_id, ReviewAction.COUNTERSIGN, **kw)


def reject(store: Store, principal: Principal, hit_id: int, note: str, **kw: Any) -> DecisionRecord:
    """Four eyes: a second user refuses to countersign (back to ``in_review``)."""
    return decide(store, principal, hit_id, ReviewAction.REJECT, note=note, **kw)


def dismiss(
    store: Store, principal: Principal, hit_id: int, reason: str, **kw: Any
) -> DecisionRecord:
    """``in_review → dismissed`` with a reason code (and a note)."""
    return decide(store, principal, hit_id, ReviewAction.DISMISS, reason=reason, **kw)


def reopen(store: Store, principal: Principal, hit_id: int, note: str, **kw: Any) -> DecisionRecord:
    """Supervisor: back to ``in_review`` from ``dismissed`` or ``confirmed`` (not once
    transmitted)."""
    return decide(store, principal, hit_id, ReviewAction.REOPEN, note=note, **kw)


__all__ = [
    "HIT_STATUS",
    "OPEN_STATES",
    "PERMISSION",
    "DecisionRecord",
    "HitReview",
    "HitRow",
    "ReviewAction",
    "ReviewError",
    "ReviewErrorCode",
    "ReviewState",
    "assign",
    "confirm",
    "countersign",
    "current_review",
    "decide",
    "dismiss",
    "get_review",
    "history",
    "load_hit",
    "reject",
    "release",
    "reopen",
    "review_of",
    "review_states",
    "take",
    "transmitted",
]

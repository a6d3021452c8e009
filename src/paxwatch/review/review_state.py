"""The review states of a hit, the actions between them, and reading them back.

The state machine itself (who may do what, the transitions, the history rows and audit
events) is ``paxwatch.review.decisions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select

from paxwatch.store import schema_assess as sa_
from paxwatch.store.schema_review import hit_decision, hit_review, transmission


class ReviewState(StrEnum):
    NEW = "new"
    IN_REVIEW = "in_review"
    AWAITING_COUNTERSIGN = "awaiting_countersign"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


OPEN_STATES = frozenset({ReviewState.NEW, ReviewState.IN_REVIEW, ReviewState.AWAITING_COUNTERSIGN})
"""States still waiting for a human decision (the default queue)."""

HIT_STATUS: dict[ReviewState, str] = {
    ReviewState.NEW: "new",
    ReviewState.IN_REVIEW: "in_review",
    ReviewState.AWAITING_COUNTERSIGN: "in_review",
    ReviewState.CONFIRMED: "confirmed",
    ReviewState.DISMISSED: "dismissed",
}
"""The ``hit.status`` of each review state."""


class ReviewAction(StrEnum):
    TAKE = "take"
    RELEASE = "release"
    ASSIGN = "assign"
    CONFIRM = "confirm"
    COUNTERSIGN = "countersign"
    REJECT = "reject"
    DISMISS = "dismiss"
    REOPEN = "reopen"


class ReviewErrorCode(StrEnum):
    """Why a review request was refused (the API maps these to 404, 409 or 422)."""

    NOT_FOUND = "not_found"
    NOT_REVIEWABLE = "not_reviewable"
    ILLEGAL_TRANSITION = "illegal_transition"
    NOT_ASSIGNEE = "not_assignee"
    FOUR_EYES = "four_eyes"
    REASON_REQUIRED = "reason_required"
    UNKNOWN_REASON = "unknown_reason"
    NOTE_REQUIRED = "note_required"
    NOTE_TOO_LONG = "note_too_long"
    ALREADY_TRANSMITTED = "already_transmitted"
    NOT_CONFIRMED = "not_confirmed"
    UNKNOWN_RECIPIENT = "unknown_recipient"
    INVALID_REQUEST = "invalid_request"


class ReviewError(Exception):
    """A review or transmission request was refused; ``reason`` is safe to show."""

    def __init__(self, code: ReviewErrorCode, reason: str) -> None:
        super().__init__(f"{code.value}: {reason}")
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True, kw_only=True)
class HitReview:
    """The review state of one hit."""

    hit_id: int
    state: ReviewState
    assignee: str | None = None
    proposed_by: str | None = None
    proposed_at: datetime | None = None
    decided_by: str | None = None
    countersigned_by: str | None = None
    decided_at: datetime | None = None
    reason_code: str | None = None
    version: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionRecord:
    """One entry of the decision history."""

    id: int
    hit_id: int
    at: datetime
    actor: str
    action: ReviewAction
    from_state: ReviewState
    to_state: ReviewState
    reason_code: str | None
    note: str | None
    fingerprint: str | None


@dataclass(frozen=True, slots=True)
class HitRow:
    """The fields of a hit its review needs."""

    id: int
    status: str
    traveller_id: int | None
    flight_id: int
    fingerprint: str


def load_hit(conn: Connection, hit_id: int, *, lock: bool) -> HitRow:
    """The hit (locked for update when ``lock``); ``ReviewError`` not_found."""
    h = sa_.hit
    query = select(h.c.id, h.c.status, h.c.traveller_id, h.c.flight_id, h.c.fingerprint).where(
        h.c.id == hit_id
    )
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise ReviewError(ReviewErrorCode.NOT_FOUND, f"no hit #{hit_id}")
    return HitRow(int(row.id), row.status, row.traveller_id, int(row.flight_id), row.fingerprint)


def review_of(row: Any) -> HitReview:
    """The review state of a ``hit_review`` row."""
    return HitReview(
        hit_id=int(row.hit_id),
        state=ReviewState(row.state),
        assignee=row.assignee,
        proposed_by=row.proposed_by,
        proposed_at=row.proposed_at,
        decided_by=row.decided_by,
        countersigned_by=row.countersigned_by,
        decided_at=row.decided_at,
        reason_code=row.reason_code,
        version=int(row.version),
    )


def current_review(conn: Connection, hit: HitRow) -> HitReview:
    """The review state of ``hit``: its row, or the state its status implies."""
    row = conn.execute(select(hit_review).where(hit_review.c.hit_id == hit.id)).first()
    if row is not None:
        return review_of(row)
    try:
        state = ReviewState(hit.status)
    except ValueError:
        raise ReviewError(
            ReviewErrorCode.NOT_REVIEWABLE,
            f"hit #{hit.id} is {hit.status}: assessment closed it, nothing to review",
        ) from None
    return HitReview(hit_id=hit.id, state=state)


def get_review(conn: Connection, hit_id: int) -> HitReview:
    """The review state of a hit (``ReviewError`` not_found / not_reviewable)."""
    return current_review(conn, load_hit(conn, hit_id, lock=False))


def review_states(conn: Connection, hit_ids: list[int]) -> dict[int, HitReview]:
    """The review rows of ``hit_ids`` that have one."""
    out: dict[int, HitReview] = {}
    for start in range(0, len(hit_ids), 500):
        chunk = hit_ids[start : start + 500]
        for row in conn.execute(select(hit_review).where(hit_review.c.hit_id.in_(chunk))):
            out[int(row.hit_id)] = review_of(row)
    return out


def history(conn: Connection, hit_id: int) -> list[DecisionRecord]:
    """Every decision on a hit, oldest first."""
    d = hit_decision
    rows = conn.execute(select(d).where(d.c.hit_id == hit_id).order_by(d.c.id))
    return [
        DecisionRecord(
            id=int(r.id),
            hit_id=int(r.hit_id),
            at=r.at,
            actor=r.actor,
            action=ReviewAction(r.action),
            from_state=ReviewState(r.from_state),
            to_state=ReviewState(r.to_state),
            reason_code=r.reason_code,
            note=r.note,
            fingerprint=r.fingerprint,
        )
        for r in rows
    ]


def transmitted(conn: Connection, hit_id: int) -> bool:
    """True when data of this hit has been transmitted."""
    found = conn.execute(
        select(transmission.c.id).where(transmission.c.hit_id == hit_id).limit(1)
    ).first()
    return found is not None

"""What the API answers and takes for travellers, the review queue, hit review,
transmissions, the audit trail and users."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import Field

from paxwatch.api.models import In, Out, Page
from paxwatch.api.models_api_travellers import ApiTravellerOut
from paxwatch.api.models_assess import HitOut
from paxwatch.api.reads import TravellerView
from paxwatch.api.reads_hits import HitDetail
from paxwatch.privacy.access import Role
from paxwatch.privacy.audit import AuditEntry, VerifyResult
from paxwatch.privacy.tokens import NewToken
from paxwatch.privacy.users import CreatedUser, User
from paxwatch.review.decisions import DecisionRecord, HitReview, ReviewAction
from paxwatch.review.queue import QueueGroup, QueueHit
from paxwatch.review.transmissions import DEFAULT_ELEMENTS, Element, TransmissionRecord

# -- travellers ---------------------------------------------------------------------------


class TravellerOut(Out):
    """A booked traveller (one row of one booking version). Depersonalised values are
    shown masked (``[masked]``; a date keeps its year at most) and ``masked`` is true."""

    traveller_id: int
    booking_id: int
    locator: str
    carrier: str | None
    version_no: int
    current: bool = Field(description="This row belongs to the booking's current version.")
    masked: bool
    type: str
    surname: str | None
    given_names: str | None
    date_of_birth: str | None
    gender: str | None
    nationality: str | None
    documents: list[dict[str, Any]]
    contacts: list[dict[str, Any]]
    flights: list[dict[str, Any]]
    open_hit_ids: list[int]

    @classmethod
    def of(cls, view: TravellerView) -> TravellerOut:
        return cls.model_validate(view)


# -- the queue ---------------------------------------------------------------------------


class QueueHitOut(Out):
    """One hit of a queue group."""

    hit_id: int
    kind: str
    source_id: str | None
    entry_id: str | None
    rule_id: str | None
    rule_version: int | None
    score: float
    state: str
    assignee: str | None
    listed_name: str | None
    offence: str | None
    created_at: datetime

    @classmethod
    def of(cls, hit: QueueHit, visible: bool) -> QueueHitOut:
        out = cls.model_validate(hit)
        return out if visible else out.model_copy(update={"listed_name": None})


class QueueGroupOut(Out):
    """The hits of one traveller on one flight. When the caller may not see the traveller
    (``visible`` false) the names are left out."""

    flight_id: int
    carrier: str
    number: str
    origin: str | None
    destination: str | None
    departure: datetime | None
    arrival: datetime | None
    urgency_at: datetime | None = Field(description="UTC time of the next flight event.")
    urgency_event: str | None = Field(description="departure, arrival or null (past).")
    traveller_id: int | None
    booking_id: int | None
    api_traveller_id: int | None = Field(
        None,
        description="An API traveller that matches no booking (no booked traveller: "
        "traveller_id and booking_id null).",
    )
    subject_name: str | None
    best_score: float
    visible: bool
    hits: list[QueueHitOut]

    @classmethod
    def of(cls, group: QueueGroup) -> QueueGroupOut:
        return cls(
            flight_id=group.flight_id,
            carrier=group.carrier,
            number=group.number,
            origin=group.origin,
            destination=group.destination,
            departure=group.departure,
            arrival=group.arrival,
            urgency_at=group.urgency_at,
            urgency_event=group.urgency_event,
            traveller_id=group.traveller_id,
            booking_id=group.booking_id,
            api_traveller_id=group.api_traveller_id,
            subject_name=group.subject_name if group.visible else None,
            best_score=group.best_score,
            visible=group.visible,
            hits=[QueueHitOut.of(h, group.visible) for h in group.hits],
        )


class QueuePage(Out):
    """One page of the queue, most urgent first (``next_offset`` null on the last page)."""

    items: list[QueueGroupOut]
    limit: int
    offset: int
    next_offset: int | None


# -- hit review --------------------------------------------------------------------------


class ReviewOut(Out):
    """The review state of a hit."""

    state: str
    assignee: str | None
    proposed_by: str | None
    proposed_at: datetime | None
    decided_by: str | None
    countersigned_by: str | None
    decided_at: datetime | None
    reason_code: str | None

    @classmethod
    def of(cls, review: HitReview) -> ReviewOut:
        return cls.model_validate(review)


class HitDetailOut(Out):
    """A hit side by side: the matched list entry (or the rule) and the traveller, the
    features or conditions with the values seen, and the review state."""

    hit: HitOut
    review: ReviewOut | None
    entry: dict[str, Any] | None = Field(description="The list entry (watch-list hits).")
    rule: dict[str, Any] | None = Field(description="The rule version (rule hits).")
    traveller: TravellerOut | None
    api_traveller: ApiTravellerOut | None = Field(
        None, description="The API traveller of a hit on an API record alone (no booking)."
    )

    @classmethod
    def of(cls, detail: HitDetail) -> HitDetailOut:
        return cls(
            hit=HitOut.model_validate(detail.hit),
            review=ReviewOut.of(detail.review) if detail.review is not None else None,
            entry=detail.entry,
            rule=detail.rule,
            traveller=TravellerOut.of(detail.traveller) if detail.traveller else None,
            api_traveller=(
                ApiTravellerOut.of(detail.api_traveller) if detail.api_traveller else None
            ),
        )


class DecisionIn(In):
    """A review action: ``take``, ``release``, ``confirm``, ``countersign``, ``reject``,
    ``dismiss`` (with a ``reason`` code), ``reopen`` (supervisor, with a ``note``) or
    ``assign`` (supervisor, with an ``assignee``)."""

    action: ReviewAction
    reason: str | None = Field(None, max_length=60, description="Dismissal reason code.")
    note: str | None = Field(None, max_length=4000)
    assignee: str | None = Field(None, max_length=100, description="assign: the user.")


class DecisionOut(Out):
    """One decision of a hit's history."""

    id: int
    hit_id: int
    at: datetime
    actor: str
    action: str
    from_state: str
    to_state: str
    reason_code: str | None
    note: str | None

    @classmethod
    def of(cls, decision: DecisionRecord) -> DecisionOut:
        return cls.model_validate(decision)


class HistoryOut(Out):
    """Every decision on a hit, oldest first."""

    hit_id: int
    decisions: list[DecisionOut]


# -- transmissions -----------------------------------------------------------------------


class TransmissionIn(In):
    """What to send of a confirmed hit, to whom, on which legal basis, for which offence."""

    recipient: str = Field(min_length=1, max_length=60, description="A configured authority.")
    legal_basis: str = Field(min_length=1, max_length=500)
    offence_category: str = Field(min_length=1, max_length=60)
    elements: list[Element] = Field(default_factory=lambda: list(DEFAULT_ELEMENTS))
    reference: str | None = Field(None, max_length=100)


class TransmissionOut(Out):
    """A stored transmission (without what was sent)."""

    id: int
    hit_id: int
    traveller_id: int | None
    flight_id: int
    recipient: str
    legal_basis: str
    offence_category: str
    elements: list[str]
    payload_sha256: str
    reference: str | None
    actor: str
    at: datetime

    @classmethod
    def of(cls, t: TransmissionRecord) -> TransmissionOut:
        return cls.model_validate(t)


class SentOut(TransmissionOut):
    """A transmission just made, with exactly what left (``payload``)."""

    payload: dict[str, Any]

    @classmethod
    def sent(cls, t: TransmissionRecord) -> SentOut:
        base = TransmissionOut.of(t).model_dump()
        return cls(**base, payload=json.loads(t.payload))


class TransmissionPage(Page):
    """One page of transmissions, newest first."""

    items: list[TransmissionOut]

    @classmethod
    def of(cls, found: Sequence[TransmissionRecord], limit: int, offset: int) -> TransmissionPage:
        return cls(
            items=[TransmissionOut.of(t) for t in found[offset : offset + limit]],
            **cls.paging(len(found), limit, offset),
        )


# -- audit -------------------------------------------------------------------------------


class AuditEntryOut(Out):
    """An audit entry: who, when, what (ids and codes, never names), chained hashes."""

    seq: int
    at: datetime
    actor: str
    kind: str
    data: dict[str, Any]
    prev_hash: str
    hash: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            kind=entry.kind,
            data=entry.data(),
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )


class AuditPage(Out):
    """One page of audit entries, newest first (``next_offset`` null on the last page)."""

    items: list[AuditEntryOut]
    limit: int
    offset: int
    next_offset: int | None


class VerifyOut(Out):
    """The chain check: ``ok``, entries checked, and for a broken chain the first bad entry
    and what is wrong."""

    ok: bool
    checked: int
    first_seq: int
    head_seq: int
    head_hash: str
    seq: int | None
    problem: str | None

    @classmethod
    def of(cls, result: VerifyResult) -> VerifyOut:
        return cls.model_validate(result)


# -- users -------------------------------------------------------------------------------


class UserOut(Out):
    """An account (never its password hash)."""

    username: str
    role: Role
    active: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    created_by: str | None
    last_login_at: datetime | None
    has_password: bool

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls.model_validate(user)


class UserList(Out):
    """Every account, by username."""

    items: list[UserOut]


class UserIn(In):
    """A new account; without ``password`` one is generated and answered once."""

    username: str = Field(min_length=2, max_length=100)
    role: Role
    password: str | None = Field(None, min_length=1, max_length=1024)


class CreatedUserOut(Out):
    """A created account, and the generated password when none was given (shown once)."""

    user: UserOut
    generated_password: str | None

    @classmethod
    def of(cls, created: CreatedUser) -> CreatedUserOut:
        return cls(user=UserOut.of(created.user), generated_password=created.generated_password)


class TokenIn(In):
    """A new API token for an account: a name, and its validity in days (0: none)."""

    name: str = Field(min_length=1, max_length=100)
    days: int | None = Field(None, ge=0, le=3650)


class TokenOut(Out):
    """A created token: ``token`` is shown once and never stored."""

    id: int
    username: str
    name: str
    prefix: str
    role: Role
    created_at: datetime
    expires_at: datetime | None
    token: str

    @classmethod
    def of(cls, new: NewToken) -> TokenOut:
        i = new.info
        return cls(
            id=i.id,
            username=i.username,
            name=i.name,
            prefix=i.prefix,
            role=i.role,
            created_at=i.created_at,
            expires_at=i.expires_at,
            token=new.token,
        )

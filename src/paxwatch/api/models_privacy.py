"""What the privacy routes take and answer (issue 8): unmasking requests, retention flags,
the intra-EU selection register, data-subject requests and the Art 20 statistics.

Also ``privacy_now()``, the clock of the privacy routes and pages (naive UTC): tests and
simulations replace it with ``set_clock`` (the retention job's ``now`` is the caller's: the
unmasking expiry and the flag review dates must follow the same clock). Who may do what
comes from the one permission table of ``privacy.access`` (the role sets below are read
from it, for the UI).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from paxwatch.api.models import Out
from paxwatch.privacy.access import Action, roles_with
from paxwatch.privacy.flags import Flag
from paxwatch.privacy.selection import Selection
from paxwatch.privacy.unmask import UnmaskedRecord, UnmaskRequest
from paxwatch.stats import Art20Report, Art20Row, ComplianceReport, ComplianceRow
from paxwatch.store.keys import utcnow

_clock: list[Callable[[], datetime]] = [utcnow]


def privacy_now() -> datetime:
    """The current time of the privacy routes and pages (naive UTC)."""
    return _clock[0]()


def set_clock(clock: Callable[[], datetime] | None) -> None:
    """Replace the clock (``None``: the real one)."""
    _clock[0] = clock or utcnow


# -- stand-in permissions ---------------------------------------------------------------

REQUESTERS = roles_with(Action.REQUEST_UNMASKING)
UNMASKING_READERS = roles_with(Action.READ_UNMASKING)
FLAG_READERS = roles_with(Action.READ_RETENTION_FLAGS)
FLAG_SETTERS = roles_with(Action.MANAGE_RETENTION_FLAGS)
SELECTION_READERS = roles_with(Action.READ_SELECTION)
SELECTION_MANAGERS = roles_with(Action.MANAGE_SELECTION)
SUBJECT_HANDLERS = roles_with(Action.HANDLE_SUBJECT_REQUESTS)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- unmasking -------------------------------------------------------------------------


class UnmaskIn(_In):
    """An Art 12(3) request: which records, why, on which basis, for how long."""

    booking_ids: list[int] = Field(default_factory=list, max_length=100)
    api_traveller_ids: list[int] = Field(default_factory=list, max_length=100)
    reason: str = Field(min_length=1, max_length=2000)
    legal_basis: str = Field(min_length=1, max_length=500)
    offence: str = Field(min_length=1, max_length=60)
    authority: str | None = Field(default=None, max_length=200)
    valid_hours: int = Field(default=48, ge=1, le=24 * 14)


class DecisionIn(_In):
    """The independent approver's decision and its grounds."""

    approve: bool
    note: str = Field(min_length=1, max_length=2000)


class RevokeIn(_In):
    reason: str = Field(min_length=1, max_length=2000)


class DpoReviewIn(_In):
    outcome: str = Field(pattern="^(lawful|unlawful)$")
    note: str = Field(default="", max_length=4000)


class UnmaskRequestOut(Out):
    """A request and where it stands (ids, never record content)."""

    id: int
    requester: str
    requester_role: str
    created_at: datetime
    booking_ids: list[int]
    api_traveller_ids: list[int]
    reason: str
    legal_basis: str
    offence: str
    authority: str | None
    status: str
    valid_hours: int
    decided_by: str | None
    decided_role: str | None
    decided_at: datetime | None
    decision_note: str | None
    expires_at: datetime | None
    open: bool
    dpo_notified_at: datetime | None
    dpo_reviewed_by: str | None
    dpo_reviewed_at: datetime | None
    dpo_outcome: str | None
    dpo_note: str | None

    @classmethod
    def of(cls, request: UnmaskRequest, now: datetime) -> UnmaskRequestOut:
        values: dict[str, Any] = {
            name: getattr(request, name) for name in cls.model_fields if hasattr(request, name)
        }
        values["booking_ids"] = list(request.booking_ids)
        values["api_traveller_ids"] = list(request.api_traveller_ids)
        values["open"] = request.open_at(now)
        return cls(**values)


class UnmaskList(Out):
    items: list[UnmaskRequestOut]


class UnmaskedRecordOut(Out):
    """The full data of one record (booking version or API traveller)."""

    kind: str
    id: int
    booking_id: int | None
    version_no: int | None
    masked: bool
    content: dict[str, Any]

    @classmethod
    def of(cls, record: UnmaskedRecord) -> UnmaskedRecordOut:
        return cls(
            kind=record.kind,
            id=record.id,
            booking_id=record.booking_id,
            version_no=record.version_no,
            masked=record.masked,
            content=record.content,
        )


class UnmaskedOut(Out):
    request_id: int
    expires_at: datetime | None
    records: list[UnmaskedRecordOut]


# -- retention flags ---------------------------------------------------------------------


class FlagIn(_In):
    """A flag on a booked traveller (``traveller_id``, or ``booking_id`` + optional
    ``traveller_ref``) or an API traveller."""

    kind: str = Field(pattern="^(objective_evidence|risk_assessment)$")
    reason: str = Field(min_length=1, max_length=2000)
    review_on: date
    evidence_ref: str | None = Field(default=None, max_length=200)
    traveller_id: int | None = None
    booking_id: int | None = None
    traveller_ref: str | None = Field(default=None, max_length=10)
    api_traveller_id: int | None = None

    @model_validator(mode="after")
    def _one_target(self) -> FlagIn:
        targets = (self.traveller_id, self.booking_id, self.api_traveller_id)
        if sum(t is not None for t in targets) != 1:
            raise ValueError("name one of traveller_id, booking_id, api_traveller_id")
        return self


class LiftIn(_In):
    reason: str = Field(min_length=1, max_length=2000)


class FlagOut(Out):
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
    lifted_by: str | None
    lifted_at: datetime | None
    lift_reason: str | None
    overdue: bool

    @classmethod
    def of(cls, flag: Flag, today: date) -> FlagOut:
        values = {name: getattr(flag, name) for name in cls.model_fields if name != "overdue"}
        return cls(**values, overdue=flag.lifted_at is None and flag.review_on < today)


class FlagList(Out):
    items: list[FlagOut]


# -- selection register -----------------------------------------------------------------


class SelectionIn(_In):
    scope: str = Field(pattern="^(all|route|flight|airport)$")
    valid_from: date
    valid_until: date
    review_on: date
    decision: str = Field(min_length=1, max_length=2000)
    legal_basis: str = Field(min_length=1, max_length=500)
    carrier: str | None = Field(default=None, max_length=3)
    number: str | None = Field(default=None, max_length=5)
    origin: str | None = Field(default=None, max_length=5)
    destination: str | None = Field(default=None, max_length=5)
    airport: str | None = Field(default=None, max_length=5)


class SelectionOut(Out):
    id: int
    scope: str
    carrier: str | None
    number: str | None
    origin: str | None
    destination: str | None
    airport: str | None
    valid_from: date
    valid_until: date
    review_on: date
    decision: str
    legal_basis: str
    created_by: str
    created_at: datetime
    revoked_by: str | None
    revoked_at: datetime | None
    active: bool

    @classmethod
    def of(cls, selection: Selection, today: date) -> SelectionOut:
        values = {name: getattr(selection, name) for name in cls.model_fields if name != "active"}
        return cls(**values, active=selection.active_on(today))


class SelectionList(Out):
    items: list[SelectionOut]


# -- data-subject requests ----------------------------------------------------------------


class SubjectIn(_In):
    """Who to look for: surname + date of birth (given names narrow it), or a document."""

    surname: str | None = Field(default=None, max_length=100)
    given_names: str | None = Field(default=None, max_length=200)
    date_of_birth: date | None = None
    document: str | None = Field(default=None, max_length=40)
    reference: str | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def _searchable(self) -> SubjectIn:
        if not self.document and not (self.surname and self.date_of_birth):
            raise ValueError("search by surname and date of birth, or by document")
        return self


class SubjectRecordIn(SubjectIn):
    """A request to record (rectification, erasure, access, restriction) and its outcome."""

    kind: str = Field(pattern="^(access|rectification|erasure|restriction)$")
    received_on: date
    outcome: str = Field(default="done", pattern="^(done|refused|partly|nothing_held)$")
    note: str | None = Field(default=None, max_length=4000)


class SubjectTraveller(Out):
    booking_id: int
    traveller_ref: str | None


class SubjectMatchesOut(Out):
    """What is held (ids only)."""

    travellers: list[SubjectTraveller]
    api_travellers: list[int]
    masked_found: int


class SubjectRecordOut(Out):
    request_id: int
    kind: str
    outcome: str
    removed: int
    matches: SubjectMatchesOut


# -- statistics ------------------------------------------------------------------------


class Art20RowOut(Out):
    period: str
    flights: int
    bookings: int
    pnr_passengers: int
    api_passengers: int
    exchanged: int
    identified: int

    @classmethod
    def of(cls, row: Art20Row) -> Art20RowOut:
        return cls.model_validate(row)


class Art20Out(Out):
    year: int
    months: list[Art20RowOut]
    total: Art20RowOut

    @classmethod
    def of(cls, report: Art20Report) -> Art20Out:
        return cls(
            year=report.year,
            months=[Art20RowOut.of(m) for m in report.months],
            total=Art20RowOut.of(report.total),
        )


class ComplianceRowOut(Out):
    carrier: str
    flights: int
    early_on_time: int
    early_late: int
    early_early: int
    early_missing: int
    final_on_time: int
    final_late: int
    final_missing: int
    unknown: int
    on_time_rate: float

    @classmethod
    def of(cls, row: ComplianceRow) -> ComplianceRowOut:
        return cls.model_validate(row)


class ComplianceOut(Out):
    month: str
    carriers: list[ComplianceRowOut]

    @classmethod
    def of(cls, report: ComplianceReport) -> ComplianceOut:
        return cls(month=report.month, carriers=[ComplianceRowOut.of(c) for c in report.carriers])

"""What the review pages show: the queue, a hit with its explanation, decisions, transmission.

Each function here is the one library call a route makes: it checks the caller's permission
(``paxwatch.privacy.access``), reads what the page needs and, for personal data, records the
consultation in the audit trail. Nothing here logs names or other personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from paxwatch.assess import hits as ah
from paxwatch.assess.watchlists import current_entries
from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.privacy.access import AccessConfig, AccessDenied, Action, Principal, can, require
from paxwatch.privacy.audit import PersonalDataRead, record
from paxwatch.privacy.resources import booking_resource, traveller_resource
from paxwatch.review import decisions as rd
from paxwatch.review import transmissions as rt
from paxwatch.review.api_travellers import (
    ApiTravellerView,
    api_traveller_resource,
    api_traveller_view,
)
from paxwatch.review.queue import QueueGroup, open_queue
from paxwatch.review.queue_query import QueueFilter
from paxwatch.review.reasons import ReviewConfig
from paxwatch.store import repository as repo
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.records import BookedTraveller, FlightSummary


class NotFound(LookupError):
    """The record asked for does not exist (a 404 page)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueQuery:
    """The queue filters of the form (empty strings mean: any)."""

    source: str = ""
    status: str = ""
    flight_id: int | None = None
    min_score: float | None = None
    kind: str = ""

    def to_filter(self) -> QueueFilter:
        states = rd.OPEN_STATES
        if self.status:
            states = frozenset({rd.ReviewState(self.status)})
        return QueueFilter(
            kinds=frozenset({self.kind}) if self.kind else None,
            source=self.source or None,
            states=states,
            flight_id=self.flight_id,
            min_score=self.min_score,
        )


def queue(
    store: Store, principal: Principal, query: QueueQuery, *, now: datetime | None = None
) -> list[QueueGroup]:
    """The hit queue for the caller, most urgent first (the consultation is audited)."""
    return open_queue(store, principal, query.to_filter(), purpose="hit review (web)", now=now)


@dataclass(frozen=True, slots=True, kw_only=True)
class HitPage:
    """Everything the hit page shows."""

    hit: ah.HitRecord
    review: rd.HitReview
    history: tuple[rd.DecisionRecord, ...]
    flight: FlightSummary | None
    traveller: BookedTraveller | None
    entry: WatchlistEntry | None
    transmissions: tuple[rt.TransmissionRecord, ...]
    actions: frozenset[str]
    can_transmit: bool
    reasons: ReviewConfig
    booking: tuple[str, str | None] | None
    api_traveller: ApiTravellerView | None = None
    """The API traveller of a hit raised on an API record alone (no booking)."""


def _hit(store: Store, hit_id: int) -> ah.HitRecord:
    with store.read() as conn:
        row = conn.execute(
            select(sa_.hit.c.flight_id, sa_.hit.c.traveller_id).where(sa_.hit.c.id == hit_id)
        ).first()
        if row is None:
            raise NotFound(f"hit {hit_id}")
        found = ah.list_hits(conn, flight_id=row.flight_id, traveller_id=row.traveller_id)
    for item in found:
        if item.id == hit_id:
            return item
    raise NotFound(f"hit {hit_id}")


def _booking_key(conn: Connection, booking_id: int | None) -> tuple[str, str | None] | None:
    if booking_id is None:
        return None
    b = s.booking
    row = conn.execute(select(b.c.locator, b.c.carrier).where(b.c.id == booking_id)).first()
    return (row.locator, row.carrier) if row is not None else None


def _actions(principal: Principal, review: rd.HitReview) -> frozenset[str]:
    """The decision buttons to offer (the library still decides when one is pressed)."""
    state, mine = review.state, review.assignee == principal.username
    out: set[str] = set()
    if state is rd.ReviewState.NEW and can(principal, Action.REVIEW_HIT):
        out.add("take")
    if state is rd.ReviewState.IN_REVIEW and mine:
        out.update({"release", "confirm", "dismiss"})
    if (
        state is rd.ReviewState.AWAITING_COUNTERSIGN
        and review.proposed_by != principal.username
        and can(principal, Action.COUNTERSIGN_HIT)
    ):
        out.update({"countersign", "reject"})
    if state in {rd.ReviewState.DISMISSED, rd.ReviewState.CONFIRMED} and can(
        principal, Action.REOPEN_HIT
    ):
        out.add("reopen")
    return frozenset(a for a in out if can(principal, rd.PERMISSION[rd.ReviewAction(a)]))


def hit_page(
    store: Store,
    principal: Principal,
    hit_id: int,
    *,
    review_config: ReviewConfig,
    access_config: AccessConfig | None = None,
) -> HitPage:
    """One hit, why it was raised, its decisions; opening it is a recorded consultation."""
    require(principal, Action.READ_HITS)
    hit = _hit(store, hit_id)
    with store.read() as conn:
        # The same rule as the API: the traveller's data, else the booking's, else (a
        # traveller matching no booking) the API traveller's; a hit that names none is not
        # shown (nothing to check the visibility window against).
        if hit.traveller_id is not None:
            resource = traveller_resource(conn, hit.traveller_id)
        elif hit.booking_id is not None:
            resource = booking_resource(conn, hit.booking_id)
        elif hit.api_traveller_id is not None:
            resource = api_traveller_resource(conn, hit.api_traveller_id)
        else:
            raise AccessDenied(Action.READ_TRAVELLER, "the hit names no traveller or booking")
        require(principal, Action.READ_TRAVELLER, resource, config=access_config)
        review = rd.get_review(conn, hit_id)
        history = tuple(rd.history(conn, hit_id))
        flight = repo.get_flight(conn, hit.flight_id)
        manifest = repo.flight_manifest(conn, hit.flight_id)
        sent = tuple(rt.list_transmissions(conn, hit_id=hit_id))
        booking = _booking_key(conn, hit.booking_id)
        entries = current_entries(conn, [hit.source_id]) if hit.source_id and hit.entry_id else []
        listed = (
            api_traveller_view(conn, hit.api_traveller_id)
            if hit.api_only and hit.api_traveller_id is not None
            else None
        )
    traveller = None
    if manifest is not None and hit.traveller_id is not None:
        traveller = next((t for t in manifest.booked if t.traveller_id == hit.traveller_id), None)
    entry = next((e for e in entries if e.entry_id == hit.entry_id), None)
    with store.write() as conn:
        record(
            conn,
            PersonalDataRead(
                actor=principal.username,
                purpose="hit review (web)",
                view="hit_detail",
                hit_id=hit_id,
                flight_ids=(hit.flight_id,),
                booking_ids=(hit.booking_id,) if hit.booking_id else (),
                traveller_ids=(hit.traveller_id,) if hit.traveller_id else (),
                api_traveller_ids=(listed.api_traveller_id,) if listed else (),
            ),
        )
    return HitPage(
        hit=hit,
        review=review,
        history=history,
        flight=flight,
        traveller=traveller,
        entry=entry,
        transmissions=sent,
        actions=_actions(principal, review),
        can_transmit=review.state is rd.ReviewState.CONFIRMED and can(principal, Action.TRANSMIT),
        reasons=review_config,
        booking=booking,
        api_traveller=listed,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionForm:
    """A decision button pressed on the hit page."""

    action: str
    reason: str = ""
    note: str = ""


def decide(
    store: Store, principal: Principal, hit_id: int, form: DecisionForm, *, config: ReviewConfig
) -> rd.DecisionRecord:
    """Apply a decision (raises ``AccessDenied`` or ``ReviewError`` with a reason to show)."""
    try:
        action = rd.ReviewAction(form.action)
    except ValueError:
        raise rd.ReviewError(
            rd.ReviewErrorCode.INVALID_REQUEST, f"unknown action {form.action!r}"
        ) from None
    return rd.decide(
        store,
        principal,
        hit_id,
        action,
        reason=form.reason or None,
        note=form.note.strip() or None,
        config=config,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class TransmissionForm:
    """The transmission form's fields."""

    recipient: str
    legal_basis: str
    offence_category: str
    elements: tuple[str, ...]
    reference: str = ""


def transmit(
    store: Store,
    principal: Principal,
    hit_id: int,
    form: TransmissionForm,
    *,
    config: ReviewConfig,
) -> rt.TransmissionRecord:
    """Send a confirmed hit's chosen data elements (raises ``ReviewError`` when refused)."""
    try:
        elements = tuple(rt.Element(e) for e in form.elements)
    except ValueError:
        raise rd.ReviewError(rd.ReviewErrorCode.INVALID_REQUEST, "unknown data element") from None
    request = rt.TransmissionRequest(
        recipient=form.recipient,
        legal_basis=form.legal_basis,
        offence_category=form.offence_category,
        elements=elements,
        reference=form.reference.strip() or None,
    )
    return rt.transmit(store, principal, hit_id, request, config=config)


def transmission_form(store: Store, principal: Principal, hit_id: int) -> ah.HitRecord:
    """The hit a transmission form is for (``TRANSMIT``; it must exist)."""
    require(principal, Action.TRANSMIT)
    return _hit(store, hit_id)

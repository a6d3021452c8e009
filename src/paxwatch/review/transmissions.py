"""Transmission of a confirmed hit to a competent authority: the only way data leaves.

Directive Art 6(6): transmission case by case, and for automated results only after a
human review confirmed the hit. :func:`transmit` refuses any hit that is not
``confirmed`` (four eyes included), a recipient that is not in the configured list, an
empty legal basis or an unknown offence category. It builds the *snapshot* of exactly the
data elements chosen (``Element``), stores it as canonical JSON with its SHA-256, records
a ``TransmissionEvent`` (a disclosure, Art 13(6)) and returns the snapshot for the delivery
channel. Nothing else in paxwatch produces data for an outside recipient.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert, select

from paxwatch.privacy.access import Action, Principal, require
from paxwatch.privacy.audit import TransmissionEvent, canonical, record
from paxwatch.review.decisions import ReviewError, ReviewErrorCode, ReviewState, get_review
from paxwatch.review.reasons import ReviewConfig
from paxwatch.rules.offences import OFFENCES_BY_ID
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.schema_review import transmission


class Element(StrEnum):
    """A group of data elements that may be sent."""

    HIT = "hit"
    IDENTITY = "identity"
    DOCUMENTS = "documents"
    BOOKING = "booking"
    ITINERARY = "itinerary"
    CONTACTS = "contacts"


DEFAULT_ELEMENTS: tuple[Element, ...] = (
    Element.HIT,
    Element.IDENTITY,
    Element.DOCUMENTS,
    Element.BOOKING,
    Element.ITINERARY,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class TransmissionRequest:
    """What to send, to whom, on which legal basis, for which offence."""

    recipient: str
    legal_basis: str
    offence_category: str
    elements: tuple[Element, ...] = DEFAULT_ELEMENTS
    reference: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TransmissionRecord:
    """A stored transmission; ``payload`` is the canonical JSON that left the PIU."""

    id: int
    hit_id: int
    traveller_id: int | None
    flight_id: int
    recipient: str
    legal_basis: str
    offence_category: str
    elements: tuple[Element, ...]
    payload: str
    payload_sha256: str
    reference: str | None
    actor: str
    at: datetime


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _hit_part(row: Any) -> dict[str, Any]:
    return {
        "hit_id": int(row.id),
        "kind": row.kind,
        "source_id": row.source_id,
        "entry_id": row.entry_id,
        "rule_id": row.rule_id,
        "rule_version": row.rule_version,
        "score": row.score,
        "algorithm_version": row.algorithm_version,
    }


def _person(row: Any) -> dict[str, Any]:
    """The identity fields a booked and an API traveller row share."""
    return {
        "surname": row.surname,
        "given_names": row.given_names,
        "date_of_birth": _iso(row.date_of_birth),
        "gender": row.gender,
        "nationality": row.nationality,
    }


def _identity(conn: Connection, traveller_id: int) -> dict[str, Any]:
    t = s.traveller
    return _person(conn.execute(select(t).where(t.c.id == traveller_id)).one())


def _api_identity(conn: Connection, api_traveller_id: int) -> dict[str, Any]:
    a = s.api_traveller
    row = conn.execute(select(a).where(a.c.id == api_traveller_id)).one()
    return {**_person(row), "role": row.role, "source": "api"}


def _documents(conn: Connection, traveller_id: int, *, api: bool = False) -> list[dict[str, Any]]:
    d = s.document
    owner = d.c.api_traveller_id if api else d.c.traveller_id
    rows = conn.execute(select(d).where(owner == traveller_id).order_by(d.c.id))
    return [
        {
            "type": r.type,
            "number": r.number,
            "issuing_country": r.issuing_country,
            "nationality": r.nationality,
            "expiry": _iso(r.expiry),
        }
        for r in rows
    ]


def _booking(conn: Connection, booking_id: int) -> dict[str, Any]:
    b = s.booking
    row = conn.execute(select(b.c.locator, b.c.carrier).where(b.c.id == booking_id)).one()
    return {"locator": row.locator, "carrier": row.carrier}


def _itinerary(conn: Connection, flight_id: int) -> dict[str, Any]:
    f = s.flight
    row = conn.execute(select(f).where(f.c.id == flight_id)).one()
    return {
        "carrier": row.carrier,
        "number": row.number,
        "origin": row.origin,
        "destination": row.destination,
        "departure": _iso(row.departure),
        "arrival": _iso(row.arrival),
    }


def _contacts(conn: Connection, traveller_id: int) -> list[dict[str, Any]]:
    c = s.contact
    rows = conn.execute(
        select(c.c.kind, c.c.value).where(c.c.traveller_id == traveller_id).order_by(c.c.id)
    )
    return [{"kind": r.kind, "value": r.value} for r in rows]


def snapshot(conn: Connection, hit_id: int, elements: tuple[Element, ...]) -> dict[str, Any]:
    """The data elements of a hit to send, as JSON-ready values."""
    h = sa_.hit
    row = conn.execute(select(h).where(h.c.id == hit_id)).one()
    out: dict[str, Any] = {}
    wanted = set(elements)
    if Element.HIT in wanted:
        out["hit"] = _hit_part(row)
    if row.traveller_id is not None:
        if Element.IDENTITY in wanted:
            out["identity"] = _identity(conn, row.traveller_id)
        if Element.DOCUMENTS in wanted:
            out["documents"] = _documents(conn, row.traveller_id)
        if Element.CONTACTS in wanted:
            out["contacts"] = _contacts(conn, row.traveller_id)
    elif row.api_traveller_id is not None:  # a traveller matching no booking: its API data
        if Element.IDENTITY in wanted:
            out["identity"] = _api_identity(conn, row.api_traveller_id)
        if Element.DOCUMENTS in wanted:
            out["documents"] = _documents(conn, row.api_traveller_id, api=True)
    if Element.BOOKING in wanted and row.booking_id is not None:
        out["booking"] = _booking(conn, row.booking_id)
    if Element.ITINERARY in wanted:
        out["itinerary"] = _itinerary(conn, row.flight_id)
    return out


def _validate(req: TransmissionRequest, cfg: ReviewConfig) -> None:
    if cfg.authority(req.recipient) is None:
        codes = ", ".join(a.code for a in cfg.authorities)
        raise ReviewError(
            ReviewErrorCode.UNKNOWN_RECIPIENT,
            f"unknown recipient {req.recipient!r}; authorities: {codes}",
        )
    if not req.legal_basis.strip():
        raise ReviewError(ReviewErrorCode.INVALID_REQUEST, "a transmission needs a legal basis")
    if req.offence_category not in OFFENCES_BY_ID:
        raise ReviewError(
            ReviewErrorCode.INVALID_REQUEST,
            f"unknown offence category {req.offence_category!r} (see paxwatch.rules.offences)",
        )
    if not req.elements:
        raise ReviewError(ReviewErrorCode.INVALID_REQUEST, "choose the data elements to send")


def transmit(
    store: Store,
    principal: Principal,
    hit_id: int,
    request: TransmissionRequest,
    *,
    config: ReviewConfig | None = None,
    now: datetime | None = None,
) -> TransmissionRecord:
    """Send the data of a confirmed hit: store the snapshot, audit the disclosure."""
    require(principal, Action.TRANSMIT)
    cfg = config or ReviewConfig()
    _validate(request, cfg)
    at = now or utcnow()
    elements = tuple(dict.fromkeys(request.elements))
    with store.write() as conn:
        review = get_review(conn, hit_id)
        if review.state is not ReviewState.CONFIRMED:
            raise ReviewError(
                ReviewErrorCode.NOT_CONFIRMED,
                f"hit #{hit_id} is {review.state.value}: only a confirmed hit may be transmitted",
            )
        hit = conn.execute(
            select(sa_.hit.c.traveller_id, sa_.hit.c.flight_id).where(sa_.hit.c.id == hit_id)
        ).one()
        body = {
            "recipient": request.recipient,
            "legal_basis": request.legal_basis.strip(),
            "offence_category": request.offence_category,
            "reference": request.reference,
            "sent_at": at.isoformat(timespec="seconds"),
            "data": snapshot(conn, hit_id, elements),
        }
        payload = canonical(body)
        digest = hashlib.sha256(payload.encode()).hexdigest()
        values = {
            "hit_id": hit_id,
            "traveller_id": hit.traveller_id,
            "flight_id": hit.flight_id,
            "recipient": request.recipient,
            "legal_basis": request.legal_basis.strip(),
            "offence_category": request.offence_category,
            "elements": ",".join(e.value for e in elements),
            "payload": payload,
            "payload_sha256": digest,
            "reference": request.reference,
            "actor": principal.username,
            "at": at,
        }
        new_id = int(
            conn.execute(
                insert(transmission).values(**values).returning(transmission.c.id)
            ).scalar_one()
        )
        record(
            conn,
            TransmissionEvent(
                actor=principal.username,
                transmission_id=new_id,
                hit_id=hit_id,
                recipient=request.recipient,
                legal_basis=request.legal_basis.strip(),
                offence_category=request.offence_category,
                elements=tuple(e.value for e in elements),
                payload_sha256=digest,
                traveller_ids=(hit.traveller_id,) if hit.traveller_id else (),
                flight_id=hit.flight_id,
            ),
            at=at,
        )
    return _record_of(new_id, values)


def _record_of(new_id: int, v: dict[str, Any]) -> TransmissionRecord:
    return TransmissionRecord(
        id=new_id,
        hit_id=int(v["hit_id"]),
        traveller_id=v["traveller_id"],
        flight_id=int(v["flight_id"]),
        recipient=v["recipient"],
        legal_basis=v["legal_basis"],
        offence_category=v["offence_category"],
        elements=tuple(Element(e) for e in str(v["elements"]).split(",") if e),
        payload=v["payload"],
        payload_sha256=v["payload_sha256"],
        reference=v["reference"],
        actor=v["actor"],
        at=v["at"],
    )


def list_transmissions(
    conn: Connection, *, hit_id: int | None = None, recipient: str | None = None
) -> list[TransmissionRecord]:
    """Stored transmissions, newest first (the payload is personal data: audit the read)."""
    t = transmission
    query = select(t).order_by(t.c.id.desc())
    if hit_id is not None:
        query = query.where(t.c.hit_id == hit_id)
    if recipient is not None:
        query = query.where(t.c.recipient == recipient)
    return [_record_of(int(r.id), dict(r._mapping)) for r in conn.execute(query)]

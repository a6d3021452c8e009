"""The API traveller of a hit raised on an API record alone (a traveller matching no
booking, see ``paxwatch.assess.api_only``): as a resource to check and as shown.

:func:`api_traveller_resource` gives the visibility rule (``paxwatch.privacy.access``) what
it needs, as for a booked traveller: whether the API traveller has an open hit, and the
flights of its list. :func:`api_traveller_view` is what the hit page and the API show: the
names, document, nationality, date of birth, gender, role (passenger, crew, transit) and
flight, with depersonalised values masked as for booked travellers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, exists, select

from paxwatch.privacy.access import OPEN_HIT_STATUSES, FlightWindow, TravellerResource
from paxwatch.privacy.masking import MaskKind, mask, shown
from paxwatch.privacy.resources import local_to_utc
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.schema_privacy import masked_record

ROLE_LABELS = {
    "passenger": "passenger",
    "crew": "crew",
    "transit_passenger": "transit passenger",
    "transit_crew": "transit crew",
}
"""How each PAXLST role reads on the hit page."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiTravellerView:
    """An API traveller as shown: masked values masked (``masked`` true)."""

    api_traveller_id: int
    api_message_id: int
    role: str
    role_label: str
    masked: bool
    surname: str | None
    given_names: str | None
    date_of_birth: str | None
    gender: str | None
    nationality: str | None
    booking_locator: str | None
    embarkation: str | None
    debarkation: str | None
    documents: tuple[dict[str, Any], ...]
    flights: tuple[dict[str, Any], ...]
    linked_traveller_id: int | None
    open_hit_ids: tuple[int, ...]

    @property
    def document_numbers(self) -> tuple[str, ...]:
        return tuple(str(d["number"]) for d in self.documents if d.get("number"))


def iso(value: date | datetime | None) -> str | None:
    """A date or time as ISO text (None stays None)."""
    return value.isoformat() if value is not None else None


def flight_fields(r: Any) -> dict[str, Any]:
    """The fields of a ``flight`` row that traveller views show."""
    return {
        "flight_id": int(r.id),
        "carrier": r.carrier,
        "number": r.number,
        "origin": r.origin,
        "destination": r.destination,
        "departure": iso(r.departure),
        "arrival": iso(r.arrival),
    }


def _flight_rows(conn: Connection, api_traveller_id: int) -> list[Any]:
    f, af = s.flight, s.api_traveller_flight
    return list(
        conn.execute(
            select(f)
            .join(af, af.c.flight_id == f.c.id)
            .where(af.c.api_traveller_id == api_traveller_id)
            .order_by(f.c.departure, f.c.id)
        )
    )


def api_traveller_resource(conn: Connection, api_traveller_id: int) -> TravellerResource | None:
    """An API traveller: open hit or not, and the flights of its list (None: no such row)."""
    found = conn.execute(
        select(s.api_traveller.c.id).where(s.api_traveller.c.id == api_traveller_id)
    ).scalar()
    if found is None:
        return None
    h = sa_.hit
    open_hit = conn.execute(
        select(
            exists().where(
                h.c.api_traveller_id == api_traveller_id,
                h.c.status.in_(sorted(OPEN_HIT_STATUSES)),
            )
        )
    ).scalar()
    flights = tuple(
        FlightWindow(
            flight_id=int(r.id),
            first_seen_at=r.created_at,
            departure_utc=local_to_utc(r.departure, r.origin),
            arrival_utc=local_to_utc(r.arrival, r.destination),
        )
        for r in _flight_rows(conn, api_traveller_id)
    )
    return TravellerResource(
        traveller_id=None, booking_id=None, open_hit=bool(open_hit), flights=flights
    )


def api_traveller_view(conn: Connection, api_traveller_id: int) -> ApiTravellerView | None:
    """The API traveller as shown (None: no such row)."""
    a, d, link, h = s.api_traveller, s.document, s.api_pnr_link, sa_.hit
    row = conn.execute(select(a).where(a.c.id == api_traveller_id)).first()
    if row is None:
        return None
    masked = bool(
        conn.execute(
            select(exists().where(masked_record.c.api_traveller_id == api_traveller_id))
        ).scalar()
    )
    documents = tuple(
        {
            "type": r.type,
            "number": shown(r.number, masked=masked, kind=MaskKind.DOCUMENT),
            "issuing_country": shown(r.issuing_country, masked=masked),
            "nationality": shown(r.nationality, masked=masked),
            "expiry": shown(iso(r.expiry), masked=masked),
        }
        for r in conn.execute(
            select(d).where(d.c.api_traveller_id == api_traveller_id).order_by(d.c.id)
        )
    )
    flights = tuple(flight_fields(r) for r in _flight_rows(conn, api_traveller_id))
    linked = conn.execute(
        select(link.c.traveller_id).where(link.c.api_traveller_id == api_traveller_id).limit(1)
    ).scalar()
    open_hits = conn.execute(
        select(h.c.id)
        .where(
            h.c.api_traveller_id == api_traveller_id,
            h.c.status.in_(("new", "in_review", "confirmed")),
        )
        .order_by(h.c.id)
    ).scalars()
    return ApiTravellerView(
        api_traveller_id=api_traveller_id,
        api_message_id=int(row.api_message_id),
        role=row.role,
        role_label=ROLE_LABELS.get(row.role, row.role),
        masked=masked,
        surname=shown(row.surname, masked=masked, kind=MaskKind.NAME),
        given_names=shown(row.given_names, masked=masked, kind=MaskKind.NAME),
        date_of_birth=(
            mask(row.date_of_birth, MaskKind.DATE) if masked else iso(row.date_of_birth)
        ),
        gender=shown(row.gender, masked=masked),
        nationality=shown(row.nationality, masked=masked),
        booking_locator=row.booking_locator,
        embarkation=row.embarkation,
        debarkation=row.debarkation,
        documents=documents,
        flights=flights,
        linked_traveller_id=int(linked) if linked is not None else None,
        open_hit_ids=tuple(int(i) for i in open_hits),
    )

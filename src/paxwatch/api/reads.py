"""Reads of personal data for the API: check, read, audit — one call per route.

Each function checks the caller against the record (``paxwatch.privacy.access.require``
with the resource of ``paxwatch.privacy.resources``: the visibility window of analysts and
supervisors), reads it, and records one ``PersonalDataRead`` audit event with the ids of
the records answered and the caller's purpose. A refusal raises ``AccessDenied`` (403); an
absent record ``ProblemError`` 404.

Depersonalised values stay masked (``paxwatch.privacy.masking``): the store holds them as
``DEPERSONALISED`` text (or NULL), and every answer shows them as ``masking.MASK``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Response
from pydantic import BaseModel
from pydantic_core import to_json
from sqlalchemy import Connection, select

from paxwatch.api.problems import ProblemError
from paxwatch.privacy.access import (
    AccessConfig,
    Action,
    Principal,
    Resource,
    TravellerResource,
    can,
    require,
)
from paxwatch.privacy.audit import PersonalDataRead, record_committed
from paxwatch.privacy.masking import MASK, MaskKind, mask, shown
from paxwatch.privacy.resources import booking_resource, flight_resource, traveller_resource
from paxwatch.review.api_travellers import (
    flight_fields,
    iso,
)
from paxwatch.store import repository as repo
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.records import BookingHistory, Manifest

DEPERSONALISED = "*MASKED*"
"""How ``paxwatch.privacy.depersonalise`` stores a masked text value."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reader:
    """Who reads, why, and under which access settings."""

    store: Store
    principal: Principal
    purpose: str
    config: AccessConfig = field(default_factory=AccessConfig)

    def check(self, action: Action, resource: Resource | None, missing: str) -> Resource:
        """The resource, allowed for the caller (404 when absent, 403 when refused)."""
        if resource is None:
            raise ProblemError(404, missing, kind="not-found")
        require(self.principal, action, resource, config=self.config)
        return resource

    def audit(
        self,
        view: str,
        *,
        hit_id: int | None = None,
        flights: Iterable[int] = (),
        bookings: Iterable[int] = (),
        travellers: Iterable[int] = (),
        api_travellers: Iterable[int] = (),
    ) -> None:
        """Record the consultation (one event per request), committed before returning
        (grouped with concurrent requests: ``paxwatch.privacy.audit.GroupCommit``)."""
        record_committed(
            self.store,
            PersonalDataRead(
                actor=self.principal.username,
                purpose=self.purpose,
                view=view,
                hit_id=hit_id,
                flight_ids=tuple(sorted(set(flights))),
                booking_ids=tuple(sorted(set(bookings))),
                traveller_ids=tuple(sorted(set(travellers))),
                api_traveller_ids=tuple(sorted(set(api_travellers))),
            ),
        )


def json_answer(value: BaseModel | Any) -> Response:
    """A 200 JSON answer of a model (or of its dump), serialised once.

    A route that returns a model has it validated again against its ``response_model`` and
    then serialised; the hot read routes (queue, booking) answer this way instead, which
    gives the same JSON for a fraction of the time. The route keeps its ``response_model``
    for the OpenAPI document."""
    if isinstance(value, BaseModel):
        return Response(content=value.model_dump_json(), media_type="application/json")
    return Response(content=to_json(value, inf_nan_mode="null"), media_type="application/json")


def masked_answer(value: BaseModel) -> Response:
    """A 200 JSON answer of a model with every depersonalised text shown as ``MASK``.

    Serialised once; only an answer whose JSON holds a depersonalised text at all (rare:
    data past its masking date) is walked value by value (``unmask_free``)."""
    body = value.model_dump_json()
    if DEPERSONALISED in body:
        return json_answer(unmask_free(value.model_dump()))
    return Response(content=body, media_type="application/json")


def unmask_free(value: Any) -> Any:
    """``value`` with every depersonalised text shown as ``MASK`` (recursively)."""
    if isinstance(value, str):
        return MASK if DEPERSONALISED in value else value
    if isinstance(value, dict):
        return {k: unmask_free(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [unmask_free(v) for v in value]
    return value


# -- flights and bookings ----------------------------------------------------------------


def manifest(reader: Reader, flight_id: int) -> Manifest:
    """A flight's manifest (``READ_FLIGHT`` on the flight)."""
    with reader.store.read() as conn:
        reader.check(
            Action.READ_FLIGHT, flight_resource(conn, flight_id), f"There is no flight {flight_id}."
        )
        found = repo.flight_manifest(conn, flight_id)
    if found is None:
        raise ProblemError(404, f"There is no flight {flight_id}.", kind="not-found")
    reader.audit(
        "flight_manifest",
        flights=(flight_id,),
        bookings=(t.booking_id for t in found.booked),
        travellers=(t.traveller_id for t in found.booked),
    )
    return found


def bookings(reader: Reader, locator: str, carrier: str | None) -> list[BookingHistory]:
    """The bookings with a locator that the caller may read (``READ_BOOKING`` on each);
    403 when there are some and none may be read."""
    with reader.store.read() as conn:
        found = repo.booking_history(conn, locator, carrier)
        if not found:
            raise ProblemError(404, "There is no booking with this locator.", kind="not-found")
        visible = [
            h
            for h in found
            if can(
                reader.principal,
                Action.READ_BOOKING,
                booking_resource(conn, h.booking_id),
                config=reader.config,
            )
        ]
        if not visible:
            reader.check(
                Action.READ_BOOKING,
                booking_resource(conn, found[0].booking_id),
                "There is no booking with this locator.",
            )
    reader.audit(
        "booking",
        bookings=(h.booking_id for h in visible),
        flights=(f.flight_id for h in visible for f in h.flights),
    )
    return visible


# -- travellers --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TravellerView:
    """A booked traveller as shown: masked values masked."""

    traveller_id: int
    booking_id: int
    locator: str
    carrier: str | None
    version_no: int
    current: bool
    masked: bool
    type: str
    surname: str | None
    given_names: str | None
    date_of_birth: str | None
    gender: str | None
    nationality: str | None
    documents: tuple[dict[str, Any], ...]
    contacts: tuple[dict[str, Any], ...]
    flights: tuple[dict[str, Any], ...]
    open_hit_ids: tuple[int, ...]


def _documents(conn: Connection, traveller_id: int, masked: bool) -> tuple[dict[str, Any], ...]:
    d = s.document
    rows = conn.execute(select(d).where(d.c.traveller_id == traveller_id).order_by(d.c.id))
    return tuple(
        {
            "type": r.type,
            "number": shown(r.number, masked=masked, kind=MaskKind.DOCUMENT),
            "issuing_country": shown(r.issuing_country, masked=masked),
            "nationality": shown(r.nationality, masked=masked),
            "expiry": shown(iso(r.expiry), masked=masked),
        }
        for r in rows
    )


def _contacts(conn: Connection, traveller_id: int, masked: bool) -> tuple[dict[str, Any], ...]:
    c = s.contact
    rows = conn.execute(
        select(c.c.kind, c.c.value).where(c.c.traveller_id == traveller_id).order_by(c.c.id)
    )
    return tuple(
        {"kind": r.kind, "value": shown(r.value, masked=masked, kind=MaskKind.CONTACT)}
        for r in rows
    )


def _flights(conn: Connection, booking_id: int) -> tuple[dict[str, Any], ...]:
    f, bf = s.flight, s.booking_flight
    rows = conn.execute(
        select(f, bf.c.status.label("booking_status"))
        .join(bf, bf.c.flight_id == f.c.id)
        .where(bf.c.booking_id == booking_id)
        .order_by(f.c.departure, f.c.id)
    )
    return tuple({**flight_fields(r), "status": r.booking_status} for r in rows)


def traveller_view(conn: Connection, traveller_id: int) -> TravellerView:
    t, b, v = s.traveller, s.booking, s.booking_version
    row = conn.execute(
        select(t, b.c.locator, b.c.carrier, b.c.current_version_id, v.c.version_no)
        .join(b, b.c.id == t.c.booking_id)
        .join(v, v.c.id == t.c.version_id)
        .where(t.c.id == traveller_id)
    ).one()
    masked = row.surname == DEPERSONALISED
    h = sa_.hit
    open_hits = conn.execute(
        select(h.c.id)
        .where(h.c.traveller_id == traveller_id, h.c.status.in_(("new", "in_review", "confirmed")))
        .order_by(h.c.id)
    ).scalars()
    return TravellerView(
        traveller_id=traveller_id,
        booking_id=int(row.booking_id),
        locator=row.locator,
        carrier=row.carrier,
        version_no=int(row.version_no),
        current=row.current_version_id == row.version_id,
        masked=masked,
        type=row.type,
        surname=shown(row.surname, masked=masked, kind=MaskKind.NAME),
        given_names=shown(row.given_names, masked=masked, kind=MaskKind.NAME),
        date_of_birth=mask(row.date_of_birth, MaskKind.DATE) if masked else iso(row.date_of_birth),
        gender=shown(row.gender, masked=masked),
        nationality=shown(row.nationality, masked=masked),
        documents=_documents(conn, traveller_id, masked),
        contacts=_contacts(conn, traveller_id, masked),
        flights=_flights(conn, int(row.booking_id)),
        open_hit_ids=tuple(int(i) for i in open_hits),
    )


def traveller(reader: Reader, traveller_id: int) -> TravellerView:
    """A booked traveller (``READ_TRAVELLER`` on the traveller)."""
    with reader.store.read() as conn:
        resource = reader.check(
            Action.READ_TRAVELLER,
            traveller_resource(conn, traveller_id),
            f"There is no traveller {traveller_id}.",
        )
        view = traveller_view(conn, traveller_id)
    assert isinstance(resource, TravellerResource)
    reader.audit(
        "traveller",
        travellers=(traveller_id,),
        bookings=(view.booking_id,),
        flights=(f.flight_id for f in resource.flights),
    )
    return view

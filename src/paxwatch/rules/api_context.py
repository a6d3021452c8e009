"""The context of an API traveller that matches no booking (crew, transit passengers, a
traveller whose PNR never arrived): only what the API record and the flight give.

Every field the API record cannot give (the booking, the itinerary beyond this flight,
frequent-flyer programmes, the traveller type) stays ``None``, unknown: a condition on it
neither holds nor fails, so a rule hits an API-only traveller only when the fields filled
here (``traveller.age``, ``traveller.nationality``, ``traveller.document_*``,
``flight.origin``/``destination``/``carrier`` and ``api.*``) make its ``when`` hold.
"""

from __future__ import annotations

from datetime import date

from paxwatch.model.api import ApiTraveller
from paxwatch.rules.context import (
    TravellerContext,
    _age,
    _bags,
    _seat_row,
    _upper,
)
from paxwatch.rules.places import country_code


def api_only_context(
    api: ApiTraveller,
    *,
    carrier: str,
    number: str,
    origin: str | None,
    destination: str | None,
    day: date | None,
    ref: str,
) -> TravellerContext:
    """The context of ``api`` on the flight ``carrier number origin-destination`` of ``day``
    (``ref`` identifies the assessment: it is no field)."""
    ctx = TravellerContext(
        locator="",
        traveller_ref=ref,
        flight=f"{carrier}{number} {origin or '?'}-{destination or '?'}",
    )
    documents = api.documents
    document = next(
        (d for d in documents if (d.type or "").upper().startswith("P")),
        documents[0] if documents else None,
    )
    born = api.date_of_birth or (document.date_of_birth if document else None)
    ctx.traveller_age = _age(born, day)
    nationality = api.nationality or (document.nationality if document else None)
    ctx.traveller_nationality = country_code(nationality) if nationality else None
    if document is not None:
        ctx.traveller_document_type = _upper(document.type)
        issuer = document.issuing_country
        ctx.traveller_document_country = country_code(issuer) if issuer else None
        if document.expiry is not None and day is not None:
            ctx.traveller_document_days_to_expiry = float((document.expiry - day).days)
    ctx.flight_origin = origin
    ctx.flight_destination = destination
    ctx.flight_carrier = carrier
    ctx.api_present = True
    ctx.api_checked_in = True
    count, weight = _bags(api.bags)
    ctx.api_bags = count if count is not None else 0.0
    ctx.api_bag_weight_kg = weight
    ctx.api_seat = _upper(api.seat)
    ctx.api_seat_row = _seat_row(api.seat)
    return ctx

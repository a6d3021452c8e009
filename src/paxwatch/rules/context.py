"""The facts about one traveller on one flight that rules read: :class:`TravellerContext`.

A context is computed once per traveller and assessed flight, from the booking, the
traveller, the leg being assessed, the traveller's API record when there is one and the
previous push of the booking when there is one. Every rule then reads plain attributes, so
evaluating 100 rules costs 100 attribute lookups per condition and no model walking.

Each attribute is a field of :data:`paxwatch.rules.fields.FIELDS` (``booking.one_way`` is
``booking_one_way``). ``None`` means unknown: a condition on an unknown value neither holds
nor fails (see ``docs/rules.md``). Fields holding several values are frozensets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise

from paxwatch.model.api import ApiTraveller
from paxwatch.model.booking import Bag, Booking, Document, Leg, LegKey, Traveller
from paxwatch.model.common import WeightUnit
from paxwatch.rules.places import airport_city, airport_country, country_code

JOURNEY_BREAK_HOURS = 24
"""A stop of this many hours or more ends a journey (the usual stopover rule)."""

_LB_IN_KG = 0.45359237
_NOT_CHECKED_IN = frozenset({"no-show", "noshow", "no_show", "ns", "cancelled", "not checked in"})

Value = float | str | bool | frozenset[str] | None


@dataclass(slots=True, kw_only=True)
class TravellerContext:
    """Everything the rules may know about one traveller on one flight (see fields.py).

    ``locator``, ``traveller_ref`` and ``flight`` identify the assessment; they are not
    fields and no rule can read them.
    """

    locator: str = ""
    traveller_ref: str | None = None
    flight: str = ""
    booking_lead_time_hours: float | None = None
    booking_lead_time_days: float | None = None
    booking_payment: frozenset[str] | None = None
    booking_agency_iata: str | None = None
    booking_agency_country: str | None = None
    booking_travellers: float | None = None
    booking_changes: float | None = None
    booking_one_way: bool | None = None
    booking_ticket_price: float | None = None
    booking_ticket_currency: str | None = None
    booking_ticketed: bool | None = None
    booking_group: bool | None = None
    booking_split: bool | None = None
    traveller_age: float | None = None
    traveller_type: str | None = None
    traveller_nationality: str | None = None
    traveller_document_type: str | None = None
    traveller_document_country: str | None = None
    traveller_document_days_to_expiry: float | None = None
    traveller_frequent_flyer: bool | None = None
    traveller_frequent_flyer_airline: frozenset[str] | None = None
    traveller_frequent_flyer_tier: frozenset[str] | None = None
    flight_origin: str | None = None
    flight_destination: str | None = None
    flight_carrier: str | None = None
    flight_operating_carrier: str | None = None
    flight_codeshare: bool | None = None
    itinerary_origin: str | None = None
    itinerary_destination: str | None = None
    itinerary_origin_country: str | None = None
    itinerary_destination_country: str | None = None
    itinerary_via: frozenset[str] | None = None
    itinerary_countries: frozenset[str] | None = None
    itinerary_legs: float | None = None
    itinerary_connections: float | None = None
    itinerary_min_connection_minutes: float | None = None
    itinerary_max_connection_minutes: float | None = None
    itinerary_codeshare: bool | None = None
    itinerary_stay_days: float | None = None
    api_present: bool | None = None
    api_checked_in: bool | None = None
    api_bags: float | None = None
    api_bag_weight_kg: float | None = None
    api_seat: str | None = None
    api_seat_row: float | None = None

    def value(self, field_name: str) -> Value:
        """The value of a catalogue field by its rule name (``booking.one_way``)."""
        result: Value = getattr(self, field_name.replace(".", "_"))
        return result


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def _hours(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    if (start.tzinfo is None) != (end.tzinfo is None):
        start, end = _naive(start), _naive(end)
    return (end - start).total_seconds() / 3600.0


def _upper(text: str | None) -> str | None:
    return text.strip().upper() if text else None


def _place(code: str) -> tuple[str, str]:
    return airport_city(code) or (code, "")


def _on_leg(key: LegKey | None, leg: Leg) -> bool:
    if key is None:
        return True
    if key.origin and key.origin != leg.origin:
        return False
    if key.destination and key.destination != leg.destination:
        return False
    if key.carrier and key.number and (key.carrier, key.number) != (leg.carrier, leg.number):
        return False
    departure = leg.departure.date() if leg.departure else None
    return not (key.departure_date and departure and key.departure_date != departure)


def _signature(booking: Booking) -> set[tuple[object, ...]]:
    """What counts as one element when counting changes between two pushes."""
    items: set[tuple[object, ...]] = set()
    for leg in booking.legs:
        items.add(("leg", leg.carrier, leg.number, leg.origin, leg.destination, leg.departure))
    for payment in booking.payments:
        items.add(("payment", payment.method, payment.amount, payment.currency))
    for contact in booking.contacts:
        items.add(("contact", contact.kind, contact.value))
    for person in booking.travellers:
        items.add(("traveller", person.surname, person.given_names, person.date_of_birth))
        items.update(("document", d.type, d.number) for d in person.documents)
        items.update(("ticket", t.number) for t in person.tickets)
    return items


@dataclass(slots=True)
class _Journey:
    legs: list[Leg]
    gaps: list[float]
    stay_days: float | None


def _journey(legs: list[Leg], leg: Leg) -> _Journey:
    """The chain of legs with connections under 24 hours that contains ``leg``."""
    index = next((i for i, item in enumerate(legs) if item is leg), -1)
    if index < 0:
        index = legs.index(leg) if leg in legs else -1
    if index < 0:
        return _Journey([leg], [], None)

    def gap(a: Leg, b: Leg) -> float | None:
        hours = _hours(a.arrival or a.departure, b.departure)
        if a.destination != b.origin or hours is None or not 0 <= hours < JOURNEY_BREAK_HOURS:
            return None
        return hours * 60.0

    start = index
    while start > 0 and gap(legs[start - 1], legs[start]) is not None:
        start -= 1
    end = index
    while end + 1 < len(legs) and gap(legs[end], legs[end + 1]) is not None:
        end += 1
    chain = legs[start : end + 1]
    gaps = [g for a, b in pairwise(chain) if (g := gap(a, b)) is not None]
    stay = None
    if end + 1 < len(legs):
        hours = _hours(legs[end].arrival or legs[end].departure, legs[end + 1].departure)
        stay = None if hours is None else float(int(hours // 24))
    return _Journey(chain, gaps, stay)


class BookingFacts:
    """The part of a context that depends on the booking only: computed once per booking."""

    __slots__ = ("_journeys", "booking", "changes", "countries", "legs", "payment", "round_trip")

    def __init__(self, booking: Booking, previous: Booking | None = None) -> None:
        self.booking = booking
        self._journeys: dict[int, tuple[Leg, _Journey]] = {}
        self.legs = sorted(booking.legs, key=lambda leg: leg.departure or datetime.max)
        methods = frozenset(p.method.value for p in booking.payments)
        self.payment: frozenset[str] | None = methods or None
        self.countries = frozenset(
            c
            for leg in booking.legs
            for c in (airport_country(leg.origin), airport_country(leg.destination))
            if c
        )
        self.changes: float | None = None
        if previous is not None:
            self.changes = float(len(_signature(booking) ^ _signature(previous)))
        self.round_trip = bool(self.legs) and _place(self.legs[0].origin) == _place(
            self.legs[-1].destination
        )

    def journey(self, leg: Leg) -> _Journey:
        """The journey containing ``leg`` (computed once per leg, shared by its travellers)."""
        cached = self._journeys.get(id(leg))
        if cached is None or cached[0] is not leg:  # the leg is kept, so its id is not reused
            cached = self._journeys[id(leg)] = (leg, _journey(self.legs, leg))
        return cached[1]


def _document(traveller: Traveller, api: ApiTraveller | None) -> Document | None:
    documents = (api.documents if api else ()) + traveller.documents
    for document in documents:
        if (document.type or "").upper().startswith("P"):
            return document
    return documents[0] if documents else None


def _age(born: date | None, on: date | None) -> float | None:
    if born is None or on is None:
        return None
    return float(on.year - born.year - ((on.month, on.day) < (born.month, born.day)))


def _bags(bags: Iterable[Bag]) -> tuple[float | None, float | None]:
    count, weight, weighed, seen = 0, 0.0, False, False
    for bag in bags:
        seen = True
        count += bag.count if bag.count is not None else max(len(bag.tags), 1)
        if bag.weight is not None:
            factor = _LB_IN_KG if bag.weight_unit is WeightUnit.LB else 1.0
            weight += float(bag.weight) * factor
            weighed = True
    return (float(count) if seen else None, weight if weighed else None)


def _seat_row(seat: str | None) -> float | None:
    digits = ""
    for char in seat or "":
        if not char.isdigit():
            break
        digits += char
    return float(digits) if digits else None


def _fill_booking(ctx: TravellerContext, facts: BookingFacts, traveller: Traveller) -> None:
    booking = facts.booking
    agency = booking.agency
    ctx.booking_payment = facts.payment
    ctx.booking_agency_iata = _upper(agency.iata_number) if agency else None
    ctx.booking_agency_country = country_code(agency.country) if agency and agency.country else None
    count = len(booking.travellers) or booking.number_in_party
    ctx.booking_travellers = float(count) if count else None
    ctx.booking_changes = facts.changes
    ticket_one_way = next((t.one_way for t in traveller.tickets if t.one_way is not None), None)
    if ticket_one_way is not None:
        ctx.booking_one_way = ticket_one_way
    elif facts.legs:
        ctx.booking_one_way = not facts.round_trip
    priced = next((t for t in traveller.tickets if t.total_amount is not None), None)
    if priced is not None:
        ctx.booking_ticket_price = float(priced.total_amount or Decimal(0))
        ctx.booking_ticket_currency = _upper(priced.currency)
    ctx.booking_ticketed = any(t.number for t in traveller.tickets)
    ctx.booking_group = booking.group_name is not None
    ctx.booking_split = bool(booking.split_references)
    ctx.itinerary_countries = facts.countries
    ctx.itinerary_legs = float(len(booking.legs))


def _fill_traveller(
    ctx: TravellerContext, traveller: Traveller, api: ApiTraveller | None, day: date | None
) -> None:
    document = _document(traveller, api)
    born = traveller.date_of_birth or (api.date_of_birth if api else None)
    if born is None and document is not None:
        born = document.date_of_birth
    ctx.traveller_age = _age(born, day)
    ctx.traveller_type = traveller.type.value
    nationality = traveller.nationality or (api.nationality if api else None)
    if nationality is None and document is not None:
        nationality = document.nationality
    ctx.traveller_nationality = country_code(nationality) if nationality else None
    if document is not None:
        ctx.traveller_document_type = _upper(document.type)
        issuer = document.issuing_country
        ctx.traveller_document_country = country_code(issuer) if issuer else None
        if document.expiry is not None and day is not None:
            ctx.traveller_document_days_to_expiry = float((document.expiry - day).days)
    programmes = traveller.frequent_flyers
    ctx.traveller_frequent_flyer = bool(programmes)
    ctx.traveller_frequent_flyer_airline = frozenset(p.airline.upper() for p in programmes)
    ctx.traveller_frequent_flyer_tier = frozenset(p.tier.upper() for p in programmes if p.tier)


def _fill_itinerary(ctx: TravellerContext, facts: BookingFacts, leg: Leg) -> None:
    ctx.flight_origin = leg.origin
    ctx.flight_destination = leg.destination
    ctx.flight_carrier = leg.carrier
    ctx.flight_operating_carrier = leg.operating_carrier or leg.carrier
    ctx.flight_codeshare = leg.is_codeshare
    journey = facts.journey(leg)
    first, last = journey.legs[0], journey.legs[-1]
    ctx.itinerary_origin = first.origin
    ctx.itinerary_destination = last.destination
    ctx.itinerary_origin_country = airport_country(first.origin)
    ctx.itinerary_destination_country = airport_country(last.destination)
    ctx.itinerary_via = frozenset(item.destination for item in journey.legs[:-1])
    ctx.itinerary_connections = float(len(journey.legs) - 1)
    if journey.gaps:
        ctx.itinerary_min_connection_minutes = min(journey.gaps)
        ctx.itinerary_max_connection_minutes = max(journey.gaps)
    ctx.itinerary_codeshare = any(item.is_codeshare for item in journey.legs)
    ctx.itinerary_stay_days = journey.stay_days


def _fill_api(
    ctx: TravellerContext, traveller: Traveller, api: ApiTraveller | None, leg: Leg
) -> None:
    ctx.api_present = api is not None
    statuses = [c.status.strip().lower() for c in traveller.check_ins if _on_leg(c.leg, leg)]
    ctx.api_checked_in = api is not None or any(s not in _NOT_CHECKED_IN for s in statuses)
    bags = api.bags if api is not None and api.bags else traveller.bags
    count, weight = _bags(b for b in bags if _on_leg(b.leg, leg))
    if count is None and ctx.api_checked_in:
        count = 0.0
    ctx.api_bags, ctx.api_bag_weight_kg = count, weight
    seat = api.seat if api is not None and api.seat else None
    if seat is None:
        seat = next((s.seat for s in traveller.seats if _on_leg(s.leg, leg)), None)
    ctx.api_seat = _upper(seat)
    ctx.api_seat_row = _seat_row(seat)


def build_context(
    booking: Booking | BookingFacts,
    traveller: Traveller,
    leg: Leg,
    api: ApiTraveller | None = None,
    previous: Booking | None = None,
) -> TravellerContext:
    """The context of ``traveller`` on ``leg`` (pass :class:`BookingFacts` to share work)."""
    facts = booking if isinstance(booking, BookingFacts) else BookingFacts(booking, previous)
    ctx = TravellerContext(
        locator=facts.booking.locator,
        traveller_ref=traveller.ref,
        flight=f"{leg.carrier}{leg.number} {leg.origin}-{leg.destination}",
    )
    day = leg.departure.date() if leg.departure else None
    lead = _hours(facts.booking.created_at, leg.departure)
    ctx.booking_lead_time_hours = lead
    ctx.booking_lead_time_days = None if lead is None else float(int(lead // 24))
    _fill_booking(ctx, facts, traveller)
    _fill_traveller(ctx, traveller, api, day)
    _fill_itinerary(ctx, facts, leg)
    _fill_api(ctx, traveller, api, leg)
    return ctx


def booking_contexts(
    booking: Booking,
    legs: Iterable[Leg] | None = None,
    api: Mapping[str, ApiTraveller] | None = None,
    previous: Booking | None = None,
) -> Iterator[TravellerContext]:
    """A context for every traveller on every assessed leg (all legs by default).

    ``api`` maps a traveller's ``ref`` to the API record the carrier sent for them.
    """
    facts = BookingFacts(booking, previous)
    for leg in booking.legs if legs is None else legs:
        for traveller in booking.travellers:
            record = api.get(traveller.ref) if api and traveller.ref else None
            yield build_context(facts, traveller, leg, record)

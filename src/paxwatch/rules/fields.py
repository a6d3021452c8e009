"""THE catalogue of fields a rule may read, and of the attributes it may never read.

Every field a rule can name is listed here once, with its type, unit, meaning and the model
attributes it is computed from (``reads``). :mod:`paxwatch.rules.context` computes exactly
these values, :mod:`paxwatch.rules.check` refuses anything else, and the field table of
``docs/rules.md`` is generated from this list (a test keeps them equal).

There is deliberately no field for sensitive data (Art 6(4), Art 13(4) of Directive
2016/681): no name, gender, meal or medical request, remark or place of birth. The names a
person might still try are listed in :data:`FORBIDDEN` with the reason they are refused.
Fields with a ``proxy`` note are lawful but may stand in for a protected ground; a rule may
not rely on them alone (check ``S009``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from paxwatch.model.common import PaymentMethod, TravellerType
from paxwatch.rules.ast import CmpOp, Scalar
from paxwatch.rules.places import airport_countries, countries, currencies


class FieldType(StrEnum):
    """What kind of value a field holds, which decides the comparisons it allows."""

    NUMBER = "number"
    BOOL = "yes/no"
    AIRPORT = "airport"
    COUNTRY = "country"
    AIRLINE = "airline"
    CURRENCY = "currency"
    CHOICE = "choice"
    CODE = "code"


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """One field of the catalogue.

    ``many``: the field holds several values (e.g. every country of the itinerary); a
    condition on it holds when any value satisfies it (``=``, ``in``) and ``!=`` / ``not in``
    hold when none does. ``proxy``: why the field could stand in for a protected ground.
    """

    name: str
    type: FieldType
    description: str
    reads: str
    unit: str | None = None
    many: bool = False
    choices: tuple[str, ...] = ()
    proxy: str | None = None

    @property
    def attr(self) -> str:
        """The attribute of :class:`~paxwatch.rules.context.TravellerContext` holding it."""
        return self.name.replace(".", "_")


@dataclass(frozen=True, slots=True, kw_only=True)
class Forbidden:
    """An attribute no rule may read, with the refusal code and the reason."""

    code: str
    reason: str


_NATIONALITY_PROXY = (
    "nationality is not an Art 6(4) ground but can stand in for ethnic origin; it may refine "
    "a rule but never be its only incriminating criterion"
)

F = FieldType
FIELDS: tuple[Field, ...] = (
    Field(name="booking.lead_time_hours", type=F.NUMBER, unit="hours",
          description="Hours from the creation of the booking to the departure of the "
          "assessed flight.",
          reads="Booking.created_at, Leg.departure"),
    Field(name="booking.lead_time_days", type=F.NUMBER, unit="days",
          description="The same lead time in whole days (rounded down).",
          reads="Booking.created_at, Leg.departure"),
    Field(name="booking.payment", type=F.CHOICE, many=True,
          choices=tuple(m.value for m in PaymentMethod),
          description="Forms of payment of the booking.",
          reads="Booking.payments[].method"),
    Field(name="booking.agency_iata", type=F.CODE,
          description="IATA number of the agency or office that made the booking.",
          reads="Booking.agency.iata_number"),
    Field(name="booking.agency_country", type=F.COUNTRY,
          description="Country of the agency or office that made the booking.",
          reads="Booking.agency.country"),
    Field(name="booking.travellers", type=F.NUMBER, unit="travellers",
          description="Number of travellers on the booking.",
          reads="Booking.travellers, Booking.number_in_party"),
    Field(name="booking.changes", type=F.NUMBER, unit="changes",
          description="Flights, travellers, documents, payments, contacts and tickets added or "
          "removed since the previous push of this booking (unknown on the first push).",
          reads="Booking (this push and the previous one)"),
    Field(name="booking.one_way", type=F.BOOL,
          description="One-way ticket: as the ticket says, otherwise the itinerary does not "
          "come back to where it started.",
          reads="Ticket.one_way, Booking.legs"),
    Field(name="booking.ticket_price", type=F.NUMBER, unit="ticket currency",
          description="Total amount of the traveller's ticket, in the ticket's currency.",
          reads="Ticket.total_amount"),
    Field(name="booking.ticket_currency", type=F.CURRENCY,
          description="Currency of the traveller's ticket.",
          reads="Ticket.currency"),
    Field(name="booking.ticketed", type=F.BOOL,
          description="A ticket number has been issued to the traveller.",
          reads="Traveller.tickets[].number"),
    Field(name="booking.group", type=F.BOOL,
          description="The booking is a group booking.",
          reads="Booking.group_name"),
    Field(name="booking.split", type=F.BOOL,
          description="The booking was split from, or into, another booking.",
          reads="Booking.split_references"),
    Field(name="traveller.age", type=F.NUMBER, unit="years",
          description="Age in whole years on the day of the assessed flight.",
          reads="Traveller.date_of_birth, Document.date_of_birth, ApiTraveller.date_of_birth"),
    Field(name="traveller.type", type=F.CHOICE, choices=tuple(t.value for t in TravellerType),
          description="Passenger type as booked.",
          reads="Traveller.type"),
    Field(name="traveller.nationality", type=F.COUNTRY, proxy=_NATIONALITY_PROXY,
          description="Nationality (from the traveller, the API record or the document).",
          reads="Traveller.nationality, ApiTraveller.nationality, Document.nationality"),
    Field(name="traveller.document_type", type=F.CODE,
          description="Type of the travel document (P passport, I identity card, ...).",
          reads="ApiTraveller.documents, Traveller.documents (first one)"),
    Field(name="traveller.document_country", type=F.COUNTRY, proxy=_NATIONALITY_PROXY,
          description="Country that issued the travel document.",
          reads="Document.issuing_country"),
    Field(name="traveller.document_days_to_expiry", type=F.NUMBER, unit="days",
          description="Days from the assessed flight to the expiry of the travel document "
          "(negative: already expired).",
          reads="Document.expiry, Leg.departure"),
    Field(name="traveller.frequent_flyer", type=F.BOOL,
          description="The traveller gave a frequent flyer number.",
          reads="Traveller.frequent_flyers"),
    Field(name="traveller.frequent_flyer_airline", type=F.AIRLINE, many=True,
          description="Airlines of the traveller's frequent flyer programmes.",
          reads="FrequentFlyer.airline"),
    Field(name="traveller.frequent_flyer_tier", type=F.CODE, many=True,
          description="Tiers of the traveller's frequent flyer programmes, as sent.",
          reads="FrequentFlyer.tier"),
    Field(name="flight.origin", type=F.AIRPORT,
          description="Departure airport of the assessed flight.", reads="Leg.origin"),
    Field(name="flight.destination", type=F.AIRPORT,
          description="Arrival airport of the assessed flight.", reads="Leg.destination"),
    Field(name="flight.carrier", type=F.AIRLINE,
          description="Marketing carrier of the assessed flight.", reads="Leg.carrier"),
    Field(name="flight.operating_carrier", type=F.AIRLINE,
          description="Operating carrier of the assessed flight (the marketing one if none).",
          reads="Leg.operating_carrier, Leg.carrier"),
    Field(name="flight.codeshare", type=F.BOOL,
          description="The assessed flight is a code-share.", reads="Leg.is_codeshare"),
    Field(name="itinerary.origin", type=F.AIRPORT,
          description="Where the journey containing the assessed flight starts (a journey: "
          "flights chained by connections of less than 24 hours).",
          reads="Booking.legs"),
    Field(name="itinerary.destination", type=F.AIRPORT,
          description="Where that journey ends.", reads="Booking.legs"),
    Field(name="itinerary.origin_country", type=F.COUNTRY,
          description="Country where the journey starts.", reads="Booking.legs, airportsdata"),
    Field(name="itinerary.destination_country", type=F.COUNTRY,
          description="Country where the journey ends.", reads="Booking.legs, airportsdata"),
    Field(name="itinerary.via", type=F.AIRPORT, many=True,
          description="Airports where the journey connects (neither its start nor its end).",
          reads="Booking.legs"),
    Field(name="itinerary.countries", type=F.COUNTRY, many=True,
          description="Every country the booking's flights touch.",
          reads="Booking.legs, airportsdata"),
    Field(name="itinerary.legs", type=F.NUMBER, unit="flights",
          description="Number of flights on the booking.", reads="Booking.legs"),
    Field(name="itinerary.connections", type=F.NUMBER, unit="connections",
          description="Number of connections in the journey.", reads="Booking.legs"),
    Field(name="itinerary.min_connection_minutes", type=F.NUMBER, unit="minutes",
          description="Shortest connection time in the journey (unknown without connection).",
          reads="Leg.arrival, Leg.departure"),
    Field(name="itinerary.max_connection_minutes", type=F.NUMBER, unit="minutes",
          description="Longest connection time in the journey (unknown without connection).",
          reads="Leg.arrival, Leg.departure"),
    Field(name="itinerary.codeshare", type=F.BOOL,
          description="Some flight of the journey is a code-share.", reads="Leg.is_codeshare"),
    Field(name="itinerary.stay_days", type=F.NUMBER, unit="days",
          description="Days between the end of the journey and the next flight of the "
          "booking (unknown when nothing follows).",
          reads="Leg.arrival, Leg.departure"),
    Field(name="api.present", type=F.BOOL,
          description="The carrier sent API (PAXLST) data for the traveller on this flight.",
          reads="ApiTraveller"),
    Field(name="api.checked_in", type=F.BOOL,
          description="The traveller is checked in (or boarded) on the assessed flight.",
          reads="ApiTraveller, Traveller.check_ins"),
    Field(name="api.bags", type=F.NUMBER, unit="bags",
          description="Checked bags on the assessed flight.",
          reads="ApiTraveller.bags, Traveller.bags"),
    Field(name="api.bag_weight_kg", type=F.NUMBER, unit="kg",
          description="Total weight of the checked bags on the assessed flight.",
          reads="Bag.weight, Bag.weight_unit"),
    Field(name="api.seat", type=F.CODE,
          description="Seat on the assessed flight (e.g. 23A).",
          reads="ApiTraveller.seat, Traveller.seats"),
    Field(name="api.seat_row", type=F.NUMBER, unit="row",
          description="Row number of that seat.", reads="ApiTraveller.seat, Traveller.seats"),
)  # fmt: skip

FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

_NAMES = Forbidden(
    code="S001",
    reason="names are not criteria: they stand in for ethnic origin and religion (Art 6(4)); "
    "people sought by name belong on a watch list",
)
_GENDER = Forbidden(
    code="S002",
    reason="gender is not usable in rules: as a criterion it discriminates on sex "
    "(Charter Art 21) and no targeting criterion needs it",
)
_SENSITIVE = Forbidden(
    code="S003",
    reason="race or ethnic origin, political opinions, religion or beliefs, trade-union "
    "membership, health, sex life and sexual orientation are never criteria (Art 6(4))",
)
_SSR = Forbidden(
    code="S004",
    reason="meal and medical or assistance requests reveal religion or health (Art 13(4)); "
    "they are deleted on receipt and no rule may read them",
)
_REMARKS = Forbidden(
    code="S005",
    reason="free-text remarks may not be matched: beyond unaccompanied-minor information they "
    "are not PNR data (C-817/19) and they can reveal sensitive data",
)
_ORIGIN = Forbidden(
    code="S006",
    reason="place of birth, spoken language and similar attributes stand in for ethnic "
    "origin (Art 6(4))",
)

FORBIDDEN: dict[str, Forbidden] = {
    **dict.fromkeys(
        ("surname", "given_names", "given_name", "first_name", "last_name", "name", "names",
         "full_name", "raw_name", "title", "middle_name", "maiden_name", "payer_name"),
        _NAMES,
    ),
    **dict.fromkeys(("gender", "sex"), _GENDER),
    **dict.fromkeys(
        ("race", "ethnicity", "ethnic_origin", "religion", "belief", "beliefs", "politics",
         "political_opinion", "political_opinions", "union", "trade_union", "health",
         "disability", "sexuality", "sexual_orientation", "sex_life", "pregnancy"),
        _SENSITIVE,
    ),
    **dict.fromkeys(
        ("meal", "meals", "meal_code", "ssr", "ssrs", "special_service", "special_services",
         "medical", "assistance", "wheelchair"),
        _SSR,
    ),
    **dict.fromkeys(
        ("remark", "remarks", "osi", "free_text", "text", "general_remarks", "history"),
        _REMARKS,
    ),
    **dict.fromkeys(
        ("place_of_birth", "birth_place", "country_of_birth", "birth_country", "language",
         "languages", "mother_tongue"),
        _ORIGIN,
    ),
}  # fmt: skip
"""Attribute names refused wherever they appear (``traveller.surname``, ``booking.remarks``)."""


def forbidden(name: str) -> Forbidden | None:
    """Why a field name is refused as sensitive or a proxy, or None if it is not."""
    for part in name.lower().split("."):
        if part in FORBIDDEN:
            return FORBIDDEN[part]
    return None


_NUMBER_OPS = frozenset(CmpOp)
_EQUALITY_OPS = frozenset({CmpOp.EQ, CmpOp.NE})


def allowed_ops(field: Field) -> frozenset[CmpOp]:
    """The comparison operators a field accepts (order only on numbers)."""
    return _NUMBER_OPS if field.type is FieldType.NUMBER else _EQUALITY_OPS


_AIRLINE = re.compile(r"[A-Z0-9]{2}[A-Z]?")
_CODE = re.compile(r"[A-Z0-9][A-Z0-9 ._/-]{0,19}")


def _value_problem(field: Field, value: Scalar) -> str | None:
    kind = field.type
    if kind is FieldType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            return f"{field.name} is a number ({field.unit}); {_show(value)} is not a number"
        return None
    if kind is FieldType.BOOL:
        if not isinstance(value, bool):
            return f"{field.name} is yes/no; compare it with true or false, not {_show(value)}"
        return None
    if not isinstance(value, str):
        return f"{field.name} is {kind_phrase(field)}; {_show(value)} is not"
    text = normalise_text(field, value)
    known: bool
    if kind is FieldType.AIRPORT:
        known = text in airport_countries()
    elif kind is FieldType.COUNTRY:
        known = text in countries()
    elif kind is FieldType.CURRENCY:
        known = text in currencies()
    elif kind is FieldType.AIRLINE:
        known = _AIRLINE.fullmatch(text) is not None
    elif kind is FieldType.CHOICE:
        known = text in field.choices
    else:
        known = _CODE.fullmatch(text) is not None
    if known:
        return None
    if kind is FieldType.CHOICE:
        return f"{field.name} is one of {', '.join(field.choices)}; {_show(value)} is not"
    return f"{_show(value)} is not {kind_phrase(field)}"


def value_problem(field: Field, value: Scalar) -> str | None:
    """A sentence saying why a literal does not fit a field, or None when it fits."""
    return _value_problem(field, value)


def normalise_text(field: Field, value: str) -> str:
    """Text literals as the context holds them: choices lower case, codes upper case."""
    return value.lower() if field.type is FieldType.CHOICE else value.upper()


def normalise(field: Field, value: Scalar) -> float | str | bool:
    """A literal converted to the form of the field's values in a context."""
    if field.type is FieldType.BOOL:
        return bool(value)
    if field.type is FieldType.NUMBER:
        return float(value)
    return normalise_text(field, str(value))


def kind_phrase(field: Field) -> str:
    """What a value of the field is, in words (\"an IATA airport code\")."""
    return {
        FieldType.NUMBER: "a number",
        FieldType.BOOL: "yes/no",
        FieldType.AIRPORT: "an IATA airport code",
        FieldType.COUNTRY: "an ISO 3166 country code",
        FieldType.AIRLINE: "an airline code",
        FieldType.CURRENCY: "an ISO 4217 currency code",
        FieldType.CHOICE: "one of " + ", ".join(field.choices),
        FieldType.CODE: "a code (letters and digits)",
    }[field.type]


def _show(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


def fields_markdown() -> str:
    """The catalogue as the Markdown table of ``docs/rules.md``."""
    lines = ["| field | type | unit | meaning | computed from |", "|---|---|---|---|---|"]
    for f in FIELDS:
        kind = f.type.value
        if f.choices:
            kind += " (" + ", ".join(f.choices) + ")"
        if f.many:
            kind = "several " + kind
        meaning = f.description + (f" *Proxy: {f.proxy}.*" if f.proxy else "")
        lines.append(f"| `{f.name}` | {kind} | {f.unit or ''} | {meaning} | {f.reads} |")
    return "\n".join(lines)

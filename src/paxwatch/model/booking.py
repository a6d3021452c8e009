"""A booking (PNR) as carriers push it: every Annex I data element has a home here.

Annex I items (Directive 2016/681) and where they live:

1 record locator ........ Booking.locator, Booking.record_locators
2 reservation / ticket date  Booking.created_at, Ticket.issued_on
3 dates of travel ........ Leg.departure / Leg.arrival
4 names .................. Traveller.surname / given_names / title / suffix / raw_name
5 address, contacts ...... Booking.contacts (Contact, Address), Traveller.addresses
6 payment, billing ....... Booking.payments (Payment, billing Address)
7 itinerary .............. Booking.legs (Leg), Booking.non_air
8 frequent flyer ......... Traveller.frequent_flyers
9 travel agency / agent .. Booking.agency (Agency)
10 travel status ......... Leg.status, Traveller.check_ins (CheckIn)
11 split PNR ............. Booking.split_references (SplitReference)
12 general remarks ....... Booking.remarks (Remark), kept apart from everything else
13 ticketing, ATFQ ....... Traveller.tickets (Ticket, Tax), Traveller.fares (Fare)
14 seats ................. Traveller.seats (Seat)
15 code-share ............ Leg.operating_carrier / operating_number, Leg.is_codeshare
16 baggage ............... Traveller.bags (Bag)
17 number / other names .. Booking.travellers, Booking.number_in_party
18 API data collected .... Traveller.documents, Traveller.visas (and ApiTraveller, see api.py)
19 history of changes .... Booking.history (HistoryEntry)

Special service requests other than documents, contacts and seats (meals, medical,
assistance, ...) are kept in Booking.special_services so that ``privacy.minimise`` can see
and delete the sensitive ones before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from paxwatch.model.common import (
    ContactKind,
    Gender,
    PaymentMethod,
    TravellerType,
    WeightUnit,
)
from paxwatch.model.fast import fast_init


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Address:
    """A postal address. ``kind``: residence / destination / home / business / billing / agency."""

    kind: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    raw: str = ""


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A travel document (SSR DOCS, PAXLST DOC) with the identity printed in it.

    ``type`` is the ICAO/DOCS code as sent (P passport, I identity card, A, C, V visa...).
    The name, date of birth, gender and nationality are those of the document, which may
    differ from the booked name: both are kept.
    """

    type: str | None = None
    number: str | None = None
    issuing_country: str | None = None
    nationality: str | None = None
    date_of_birth: date | None = None
    gender: Gender | None = None
    expiry: date | None = None
    issued_on: date | None = None
    surname: str | None = None
    given_names: str | None = None
    raw: str = ""


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Visa:
    """SSR DOCO: visa or other document needed at destination."""

    type: str | None = None
    number: str | None = None
    place_of_birth: str | None = None
    place_of_issue: str | None = None
    issued_on: date | None = None
    country: str | None = None
    raw: str = ""


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class FrequentFlyer:
    airline: str
    number: str
    tier: str | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Tax:
    amount: Decimal | None = None
    code: str | None = None
    currency: str | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Ticket:
    """Ticketing field information (TKT, MON, PTK, TXD, DAT 710, IFT 4:15)."""

    number: str | None = None
    document_type: str | None = None
    issued_on: date | None = None
    base_amount: Decimal | None = None
    total_amount: Decimal | None = None
    currency: str | None = None
    taxes: tuple[Tax, ...] = ()
    country_of_sale: str | None = None
    fare_calculation: str | None = None
    one_way: bool | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Fare:
    """FAR: passenger type and fare basis as priced."""

    passenger_type: str | None = None
    age: int | None = None
    fare_basis: str | None = None
    raw: str = ""


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class LegKey:
    """Identifies the itinerary leg a seat, bag or check-in belongs to."""

    carrier: str | None = None
    number: str | None = None
    origin: str | None = None
    destination: str | None = None
    departure_date: date | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Seat:
    seat: str
    leg: LegKey | None = None
    cabin: str | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Bag:
    """Checked baggage on a leg (TBD, PAXLST MEA/FTX BAG). Tags are kept as sent."""

    count: int | None = None
    weight: Decimal | None = None
    weight_unit: WeightUnit | None = None
    tags: tuple[str, ...] = ()
    head_of_pool: bool = False
    destination: str | None = None
    leg: LegKey | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class CheckIn:
    """Travel status on a leg: checked in / boarded / no-show / go-show (Gr.6-7, DAT 2)."""

    status: str
    leg: LegKey | None = None
    checked_in_at: datetime | None = None
    sequence_number: str | None = None
    agent: str | None = None
    cabin: str | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Traveller:
    """A traveller named on a booking.

    The booked name is split into surname, given names (possibly several, space
    separated), title (MR, MRS, MS, MSTR, DR...) and suffix (JR, SR, II...); ``raw_name``
    keeps what the message said (``SURNAME/GIVENNAMESTITLE``). Date of birth, gender and
    nationality come from the first document that gives them, unless the message gives
    them directly.
    """

    ref: str | None = None
    surname: str
    given_names: str = ""
    title: str | None = None
    suffix: str | None = None
    raw_name: str = ""
    type: TravellerType = TravellerType.ADULT
    date_of_birth: date | None = None
    gender: Gender | None = None
    nationality: str | None = None
    accompanying_ref: str | None = None
    documents: tuple[Document, ...] = ()
    visas: tuple[Visa, ...] = ()
    addresses: tuple[Address, ...] = ()
    frequent_flyers: tuple[FrequentFlyer, ...] = ()
    tickets: tuple[Ticket, ...] = ()
    fares: tuple[Fare, ...] = ()
    seats: tuple[Seat, ...] = ()
    bags: tuple[Bag, ...] = ()
    check_ins: tuple[CheckIn, ...] = ()
    unique_ref: str | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Leg:
    """One flight segment of the itinerary, with code-share both ways.

    ``carrier`` / ``number`` are the marketing flight (what was sold), flight number
    without leading zeros; ``operating_*`` are filled when another carrier operates it.
    Departure and arrival are local times as the message gives them.
    """

    carrier: str
    number: str
    origin: str
    destination: str
    departure: datetime | None = None
    arrival: datetime | None = None
    operating_carrier: str | None = None
    operating_number: str | None = None
    booking_class: str | None = None
    status: str | None = None
    number_in_party: int | None = None
    equipment: str | None = None
    raw_number: str = ""

    @property
    def is_codeshare(self) -> bool:
        return (self.operating_carrier is not None and self.operating_carrier != self.carrier) or (
            self.operating_number is not None and self.operating_number != self.number
        )

    @property
    def key(self) -> LegKey:
        return LegKey(
            carrier=self.carrier,
            number=self.number,
            origin=self.origin,
            destination=self.destination,
            departure_date=self.departure.date() if self.departure else None,
        )


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class NonAirSegment:
    """Group 9: hotel, car or rail segment of the booking (not a flight leg)."""

    kind: str | None = None
    location: str | None = None
    start: date | None = None
    end: date | None = None
    provider: str | None = None
    raw: str = ""


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """A phone number, e-mail or address, normalised in ``value`` with the raw form beside it.

    Phones are normalised to digits with a leading ``+`` when the country is known,
    e-mails to lower case with ``//`` and ``..`` decoded. ``source`` says where it came from
    (``ADD``, ``OSI CTCE``, ``SSR CTCM``...). ``traveller_ref`` is set when the contact is
    filed under one traveller.
    """

    kind: ContactKind
    value: str
    raw: str = ""
    source: str | None = None
    traveller_ref: str | None = None
    address: Address | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Payment:
    """A form of payment (FOP) with its sponsor / billing details (IFT 4:43, ADD)."""

    method: PaymentMethod
    raw_method: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    card_vendor: str | None = None
    card_number: str | None = None
    card_expiry: str | None = None
    payer_name: str | None = None
    payer_phone: str | None = None
    billing_address: Address | None = None
    traveller_ref: str | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Agency:
    """Who made the booking (ORG in group 1): airline office, travel agency or agent."""

    system: str | None = None
    location: str | None = None
    iata_number: str | None = None
    pseudo_city: str | None = None
    agent_id: str | None = None
    country: str | None = None
    currency: str | None = None
    type: str | None = None
    raw: str = ""


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class SplitReference:
    """Group 8: the booking was split; ``locator`` is the other part."""

    locator: str | None = None
    system: str | None = None
    number_of_travellers: int | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryEntry:
    """One change in the booking's history (group 10/11, or an LTS line).

    ``action``: added / cancelled / changed, or None for unstructured text.
    ``element``: what was changed (name, leg, ssr, remark, ...); ``text``: the content.
    """

    at: datetime | None = None
    action: str | None = None
    element: str | None = None
    text: str = ""
    by: str | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Remark:
    """A general remark (OSI, RMK, free text). Kept apart: most are not Annex I item 12."""

    kind: str
    text: str
    traveller_ref: str | None = None
    code: str | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class SpecialService:
    """An SSR that is not a document, contact or seat (meal, medical, assistance, CKIN...)."""

    code: str
    status: str | None = None
    text: str | None = None
    traveller_ref: str | None = None
    leg: LegKey | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class RecordLocator:
    locator: str
    system: str | None = None
    created_at: datetime | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Booking:
    """One PNR as one push delivered it.

    ``locator`` is the reporting carrier's record locator when it is among the
    ``record_locators``, otherwise the first one. ``created_at`` is the booking's creation
    (RCI), ``last_changed_at`` its last transaction (DAT 700).
    """

    locator: str
    record_locators: tuple[RecordLocator, ...] = ()
    creator: str | None = None
    created_at: datetime | None = None
    last_changed_at: datetime | None = None
    number_in_party: int | None = None
    group_name: str | None = None
    travellers: tuple[Traveller, ...] = ()
    legs: tuple[Leg, ...] = ()
    contacts: tuple[Contact, ...] = ()
    payments: tuple[Payment, ...] = ()
    agency: Agency | None = None
    split_references: tuple[SplitReference, ...] = ()
    non_air: tuple[NonAirSegment, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    remarks: tuple[Remark, ...] = ()
    special_services: tuple[SpecialService, ...] = ()

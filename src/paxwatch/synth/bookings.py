"""Bookings of one flight: who books with whom, when, how, and how the booking evolves.

A ``BookingPlan`` is the whole life of one PNR up to flight closure: its travellers (each a
``TravellerPlan``), the itinerary, contacts, payment, agency, and the moments things change
(created, name corrected, DOCS filed, seat taken, cancelled, checked in). ``render`` turns
it into the ``Booking`` a carrier would push at a given stage (T-72 … T0).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from paxwatch.formats.people import (
    address_value,
    contact_order,
    normalise_email,
    normalise_phone,
)
from paxwatch.model.booking import (
    Address,
    Agency,
    Bag,
    Booking,
    CheckIn,
    Contact,
    Document,
    FrequentFlyer,
    HistoryEntry,
    Leg,
    LegKey,
    Payment,
    RecordLocator,
    Seat,
    Ticket,
    Traveller,
)
from paxwatch.model.common import ContactKind, Gender, PaymentMethod, TravellerType, WeightUnit
from paxwatch.synth.population import MAIL_DOMAINS, ORIGIN_BY_KEY, Person
from paxwatch.synth.reference import CARRIER_BY_CODE
from paxwatch.synth.schedule import ScheduledFlight

LOCATOR_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TICKET_PREFIX = {"AF": "057", "KL": "074", "LH": "220", "BA": "125", "U2": "888", "TO": "979"}
CLOSED_FORMS = ("CAFE", "FLUGHAFEN")


@dataclass(slots=True)
class TravellerPlan:
    """One traveller of a booking and when each of their data appears."""

    person: Person
    ref: str
    type: TravellerType
    role: str = "normal"
    title: str | None = None
    accompanying_ref: str | None = None
    surname: str = ""
    given: str = ""
    wrong_name: tuple[str, str] | None = None  # booked with a typo, corrected later
    corrected_at: datetime | None = None
    docs_at: datetime | None = None
    doc: Document | None = None
    seat: str | None = None
    seat_at: datetime | None = None
    new_seat: str | None = None  # seat changed at check-in
    bags: int = 0
    no_show: bool = False
    ff: FrequentFlyer | None = None
    ticket: Ticket | None = None
    labels: list[str] = field(default_factory=list)
    entry_id: str | None = None


@dataclass(slots=True)
class BookingPlan:
    """One PNR's life until flight closure."""

    locator: str
    kind: str
    created_at: datetime
    travellers: list[TravellerPlan]
    legs: tuple[Leg, ...]
    itinerary: str
    codeshare: bool
    channel: str
    contacts: tuple[Contact, ...] = ()
    payments: tuple[Payment, ...] = ()
    agency: Agency | None = None
    cancelled_at: datetime | None = None
    system: str = "1A"
    group_name: str | None = None
    network_id: str | None = None

    def active(self, at: datetime) -> bool:
        return self.created_at <= at and (self.cancelled_at is None or self.cancelled_at > at)


def new_locator(rng: random.Random) -> str:
    return "".join(rng.choice(LOCATOR_CHARS) for _ in range(6))


def phone_contact(raw: str, ref: str | None = None) -> Contact:
    return Contact(kind=ContactKind.PHONE, value=normalise_phone(raw), raw=raw, traveller_ref=ref)


def email_for(person: Person, rng: random.Random) -> str:
    sur, given = person.booked_name()
    origin = ORIGIN_BY_KEY[person.origin]
    domain = rng.choice(MAIL_DOMAINS.get(origin.country, ("gmail.com", "hotmail.com")))
    first = given.split(" ")[0].lower() if given else "x"
    last = sur.replace(" ", "").lower()
    sep = rng.choice((".", "", "_", "."))
    suffix = str(rng.randrange(10, 99)) if rng.random() < 0.4 else ""
    return f"{first}{sep}{last}{suffix}@{domain}"


def email_contact(email: str, ref: str | None = None) -> Contact:
    """An e-mail as carriers file it: SSR CTCE, ``@`` written ``//`` and ``_`` written ``..``."""
    raw = email.upper().replace("@", "//").replace("_", "..")
    return Contact(
        kind=ContactKind.EMAIL,
        value=normalise_email(raw),
        raw=raw,
        source="SSR CTCE",
        traveller_ref=ref,
    )


STREETS = (
    "RUE DE LA REPUBLIQUE",
    "AVENUE JEAN JAURES",
    "HIGH STREET",
    "CALLE MAYOR",
    "VIA ROMA",
    "HAUPTSTRASSE",
    "RUE DES LILAS",
    "BOULEVARD VOLTAIRE",
    "MAIN STREET",
    "RUE DIDOUCHE MOURAD",
    "AVENUE MOHAMMED V",
    "ULITSA LENINA",
)


def address_for(country: str, city: str, rng: random.Random, kind: str = "home") -> Address:
    street = f"{rng.randint(1, 180)} {rng.choice(STREETS)}"
    postal = f"{rng.randint(1000, 99999):05d}"
    return Address(kind=kind, street=street, city=city.upper(), postal_code=postal, country=country)


def address_contact(address: Address) -> Contact:
    return Contact(kind=ContactKind.ADDRESS, value=address_value(address), address=address)


def card_payment(
    rng: random.Random, amount: Decimal, payer: str | None = None, number: str | None = None
) -> Payment:
    vendor = rng.choice(("VI", "CA", "VI", "AX"))
    digits = 15 if vendor == "AX" else 16
    masked = number or "X" * (digits - 4) + f"{rng.randrange(10000):04d}"
    expiry = f"{rng.randint(1, 12):02d}{rng.randint(26, 31)}"
    return Payment(
        method=PaymentMethod.CARD,
        raw_method=None,
        amount=amount,
        currency="EUR",
        card_vendor=vendor,
        card_number=masked,
        card_expiry=expiry,
        payer_name=payer,
    )


def other_payment(method: PaymentMethod, amount: Decimal) -> Payment:
    return Payment(method=method, amount=amount, currency="EUR")


def agency_for(rng: random.Random, carrier: str, channel: str, country: str) -> Agency:
    system = CARRIER_BY_CODE[carrier].system if carrier in CARRIER_BY_CODE else "1A"
    if channel == "agency":
        city = rng.choice(("PAR", "LYS", "NCE", "MRS", "TLS", "LON", "ALG", "CMN", "DXB"))
        return Agency(
            system=rng.choice(("1A", "1A", "1S", "1G")),
            location=city,
            iata_number=f"{rng.randrange(10**7, 10**8)}",
            pseudo_city=f"{city}{rng.choice(('AF', 'TA', 'XX'))}{rng.randrange(10, 99)}AA",
            agent_id=f"{rng.randrange(1000, 9999)}",
            country=country,
            currency="EUR",
            type="T",
        )
    return Agency(
        system=system,
        location="WEB" if channel == "web" else "PAR",
        type="A",
        country=country,
        currency="EUR",
    )


def ticket_for(carrier: str, issued: date, amount: Decimal, rng: random.Random) -> Ticket:
    prefix = TICKET_PREFIX.get(carrier, f"{(sum(map(ord, carrier)) * 7) % 900 + 100:03d}")
    return Ticket(
        number=prefix + f"{rng.randrange(10**10):010d}",
        document_type="T",
        issued_on=issued,
        total_amount=amount,
        currency="EUR",
    )


def fare(flight: ScheduledFlight, kind: str, rng: random.Random) -> Decimal:
    base = 40 + flight.distance_km * rng.uniform(0.06, 0.16)
    if kind == "business":
        base *= rng.uniform(1.5, 3.0)
    return Decimal(int(base)).quantize(Decimal("1.00"))


def document_of(person: Person, birth: date | None = None, number: str | None = None) -> Document:
    sur, given = person.document_name()
    return Document(
        type="P",
        number=number or person.passport,
        issuing_country=person.nationality,
        nationality=person.nationality,
        date_of_birth=birth if birth is not None else person.birth,
        gender=person.gender,
        expiry=person.passport_expiry,
        surname=sur,
        given_names=given,
    )


def title_for(person: Person, ttype: TravellerType) -> str:
    if ttype != TravellerType.ADULT:
        return "MSTR" if person.gender == Gender.MALE else "MISS"
    return "MR" if person.gender == Gender.MALE else "MRS"


def leg_key(leg: Leg) -> LegKey:
    return leg.key


def _history(plan: BookingPlan, at: datetime) -> tuple[HistoryEntry, ...]:
    out: list[HistoryEntry] = []
    for t in plan.travellers:
        if t.wrong_name is not None and t.corrected_at is not None and t.corrected_at <= at:
            out.append(
                HistoryEntry(
                    at=t.corrected_at,
                    action="changed",
                    element="name",
                    text=f"TIF+{t.wrong_name[0]}+{t.wrong_name[1]}",
                )
            )
    return tuple(out)


def render(plan: BookingPlan, at: datetime, final: bool, flight_leg: Leg) -> Booking:
    """The booking as a push at ``at`` shows it (``final``: the closure push)."""
    travellers: list[Traveller] = []
    key = next(
        (
            g.key
            for g in plan.legs
            if g.origin == flight_leg.origin and g.departure == flight_leg.departure
        ),
        flight_leg.key,
    )
    for t in plan.travellers:
        sur, given = t.surname, t.given
        if t.wrong_name is not None and (t.corrected_at is None or t.corrected_at > at):
            sur, given = t.wrong_name
        docs = (t.doc,) if t.doc is not None and t.docs_at is not None and t.docs_at <= at else ()
        seat = t.seat if t.seat_at is not None and t.seat_at <= at else None
        bags: tuple[Bag, ...] = ()
        check_ins: tuple[CheckIn, ...] = ()
        if final:
            seat = t.new_seat or seat
            if t.no_show:
                seat = None
                check_ins = (CheckIn(status="NO-SHOW", leg=key),)
            else:
                check_ins = (CheckIn(status="BOARDED", leg=key),)
                if t.bags:
                    bags = (
                        Bag(
                            count=t.bags,
                            weight=Decimal(18 * t.bags + (len(t.ref) % 5)),
                            weight_unit=WeightUnit.KG,
                            leg=key,
                        ),
                    )
        travellers.append(
            Traveller(
                ref=t.ref,
                surname=sur,
                given_names=given,
                title=t.title,
                type=t.type,
                accompanying_ref=t.accompanying_ref,
                documents=docs,
                frequent_flyers=(t.ff,) if t.ff is not None else (),
                tickets=(t.ticket,) if t.ticket is not None else (),
                seats=(Seat(seat=seat, leg=key),) if seat else (),
                bags=bags,
                check_ins=check_ins,
            )
        )
    return Booking(
        locator=plan.locator,
        record_locators=(
            RecordLocator(locator=plan.locator, system=plan.system, created_at=plan.created_at),
        ),
        created_at=plan.created_at,
        last_changed_at=max(
            [plan.created_at]
            + [
                x
                for t in plan.travellers
                for x in (t.docs_at, t.seat_at, t.corrected_at)
                if x is not None and x <= at
            ]
        ),
        group_name=plan.group_name,
        travellers=tuple(travellers),
        legs=plan.legs,
        contacts=tuple(contact_order(list(plan.contacts), [t.ref for t in travellers])),
        payments=plan.payments,
        agency=plan.agency,
        history=_history(plan, at),
    )


def connection_leg(
    flight: ScheduledFlight, rng: random.Random, before: bool, home_codes: list[str]
) -> Leg:
    """A feeder leg into the flight's origin, or an onward leg from its destination."""
    hub = flight.origin if before else flight.destination
    other = rng.choice([c for c in home_codes if c != hub] or [hub])
    if before:
        dep = flight.departure - timedelta(minutes=rng.randint(150, 300))
        return Leg(
            carrier=flight.carrier,
            number=str(rng.randint(7000, 7999)),
            origin=other,
            destination=hub,
            departure=dep,
            arrival=dep + timedelta(minutes=75),
            booking_class="Y",
            status="HK",
        )
    dep = flight.arrival + timedelta(minutes=rng.randint(90, 240))
    return Leg(
        carrier=flight.carrier,
        number=str(rng.randint(7000, 7999)),
        origin=hub,
        destination=other,
        departure=dep,
        arrival=dep + timedelta(minutes=75),
        booking_class="Y",
        status="HK",
    )


def return_leg(flight: ScheduledFlight, days: int, rng: random.Random) -> Leg:
    dep = flight.departure + timedelta(days=days, minutes=5 * rng.randint(-24, 24))
    dur = flight.arrival - flight.departure
    return Leg(
        carrier=flight.carrier,
        number=str(int(flight.number) + 1),
        origin=flight.destination,
        destination=flight.origin,
        departure=dep,
        arrival=dep + dur,
        booking_class="Y",
        status="HK",
    )

"""Writing the passengers of a PNRGOV XML PNR (for ``pnrgov_xml_write``).

``write_passenger`` adds one ``Passenger``: its name (as ``raw_name`` when the reader splits
that back into the same surname, suffix, given names and title, else as separate
``NameTitle`` / ``NameSuffix``), loyalty, fares, ``DOC_SSR`` documents, tickets with their
pricing, and its seats, bags and check-ins, each pointing to its leg with ``FlightRPH``.
"""

from __future__ import annotations

from lxml import etree

from paxwatch.formats.people import split_suffix, split_title
from paxwatch.formats.pnrgov_xml_tree import sub
from paxwatch.model.booking import Bag, CheckIn, LegKey, Seat, Ticket, Traveller
from paxwatch.model.common import TravellerType

__all__ = ["write_passenger"]

_TYPE_CODES = {
    TravellerType.ADULT: "ADT",
    TravellerType.CHILD: "CHD",
    TravellerType.INFANT: "INF",
}
_ADDRESS_CODES = {"residence": "R", "destination": "D"}


def write_passenger(pnr: etree._Element, t: Traveller, rph: dict[LegKey, str]) -> None:
    """Add the ``Passenger`` of ``t``; ``rph`` gives the FlightRPH of each leg."""
    el = sub(
        pnr,
        "Passenger",
        RPH=t.ref,
        PassengerTypeCode=_TYPE_CODES[t.type],
        BirthDate=t.date_of_birth,
        Gender=t.gender.value if t.gender else None,
        Nationality=t.nationality,
        UniqueID=t.unique_ref,
        AccompanyingPassengerRPH=t.accompanying_ref,
    )
    glued = _glued_name(t)
    if glued is not None:
        surname, given = glued
        if given:
            sub(el, "GivenName", given)
        sub(el, "Surname", surname)
    else:
        if t.given_names:
            sub(el, "GivenName", t.given_names)
        sub(el, "Surname", t.surname)
        if t.title is not None:
            sub(el, "NameTitle", t.title)
        if t.suffix is not None:
            sub(el, "NameSuffix", t.suffix)
    for ff in t.frequent_flyers:
        sub(el, "CustLoyalty", ProgramID=ff.airline, MembershipID=ff.number, LoyalLevel=ff.tier)
    for fare in t.fares:
        sub(
            el,
            "FareInfo",
            PassengerTypeCode=fare.passenger_type,
            Age=fare.age,
            FareBasisCode=fare.fare_basis,
        )
    if t.documents or t.visas or t.addresses:
        _documents(sub(el, "DOC_SSR"), t)
    for ticket in t.tickets:
        _ticket(el, ticket)
    for seat in t.seats:
        _seat(el, seat, rph)
    for bag in t.bags:
        _bag(el, bag, rph)
    for check_in in t.check_ins:
        _check_in(el, check_in, rph)


def _glued_name(t: Traveller) -> tuple[str, str] | None:
    """(Surname, GivenName) as in ``raw_name`` when the reader splits them back into the
    traveller's surname, suffix, given names and title; otherwise None."""
    surname_raw, _, given_raw = t.raw_name.partition("/")
    if not surname_raw.strip():
        return None
    collapse = " ".join
    surname_raw, given_raw = collapse(surname_raw.split()), collapse(given_raw.split())
    if (t.surname, t.suffix) != split_suffix(surname_raw):
        return None
    if (t.given_names, t.title) != split_title(given_raw):
        return None
    return surname_raw, given_raw


def _documents(ssr: etree._Element, t: Traveller) -> None:
    for d in t.documents:
        sub(
            ssr,
            "DOCS",
            DocType=d.type,
            DocID=d.number,
            DocIssueCountry=d.issuing_country,
            BirthDate=d.date_of_birth,
            Gender=d.gender.value if d.gender else None,
            ExpiryDate=d.expiry,
            DocIssueDate=d.issued_on,
            Surname=d.surname,
            GivenName=d.given_names,
            Nationality=d.nationality,
        )
    for a in t.addresses:
        sub(
            ssr,
            "DOCA",
            AddressType=_ADDRESS_CODES.get(a.kind or "", a.kind),
            Address=a.street,
            City=a.city,
            State=a.region,
            PostalCode=a.postal_code,
            Country=a.country,
        )
    for v in t.visas:
        sub(
            ssr,
            "DOCO",
            DocType=v.type,
            DocID=v.number,
            BirthPlace=v.place_of_birth,
            DocIssueLocation=v.place_of_issue,
            DocIssueDate=v.issued_on,
            ApplicableCountry=v.country,
        )


def _ticket(parent: etree._Element, ticket: Ticket) -> None:
    el = sub(
        parent,
        "TicketDocument",
        TicketDocumentNbr=ticket.number,
        Type=ticket.document_type,
        DateOfIssue=ticket.issued_on,
    )
    one_way = None if ticket.one_way is None else ("OW" if ticket.one_way else "RT")
    priced = (
        ticket.country_of_sale,
        one_way,
        ticket.base_amount,
        ticket.total_amount,
        ticket.currency,
        ticket.fare_calculation,
    )
    if not ticket.taxes and all(v is None for v in priced):
        return
    pricing = sub(el, "PricingInfo", CountryOfSale=ticket.country_of_sale, TripType=one_way)
    if ticket.base_amount is not None:
        sub(pricing, "BaseFare", Amount=ticket.base_amount, CurrencyCode=ticket.currency)
    if ticket.taxes:
        taxes = sub(pricing, "Taxes")
        for tax in ticket.taxes:
            sub(taxes, "Tax", Amount=tax.amount, TaxCode=tax.code, CurrencyCode=tax.currency)
    if ticket.total_amount is not None or ticket.currency is not None:
        sub(pricing, "TotalFare", Amount=ticket.total_amount, CurrencyCode=ticket.currency)
    if ticket.fare_calculation is not None:
        sub(pricing, "FareCalculation", ticket.fare_calculation)


def _seat(parent: etree._Element, seat: Seat, rph: dict[LegKey, str]) -> None:
    flight_rph = rph.get(seat.leg) if seat.leg else None
    sub(parent, "SeatNumber", seat.seat, FlightRPH=flight_rph, CabinClass=seat.cabin)


def _bag(parent: etree._Element, bag: Bag, rph: dict[LegKey, str]) -> None:
    el = sub(
        parent,
        "CheckedBaggage",
        FlightRPH=rph.get(bag.leg) if bag.leg else None,
        Quantity=bag.count,
        Weight=bag.weight,
        UnitOfMeasure=bag.weight_unit.value.upper() if bag.weight_unit else None,
        HeadOfPool=True if bag.head_of_pool else None,
        Destination=bag.destination,
    )
    for tag in bag.tags:
        sub(el, "BagTag", tag)


def _check_in(parent: etree._Element, c: CheckIn, rph: dict[LegKey, str]) -> None:
    sub(
        parent,
        "CheckIn",
        FlightRPH=rph.get(c.leg) if c.leg else None,
        Status=c.status,
        DateTime=c.checked_in_at,
        SequenceNumber=c.sequence_number,
        AgentID=c.agent,
        CabinClass=c.cabin,
    )

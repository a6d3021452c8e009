"""PNRGOV XML writer: a ``PnrMessage`` as an ``IATA_PNRGOV_NotifRQ`` document.

``write_pnrgov_xml(message)`` writes every field that ``read_pnrgov_xml`` reads, in the
layout described in ``paxwatch.formats.pnrgov_xml``, so that reading the output gives back
the same model for canonical messages. Seats, bags and check-ins are written under their
``Passenger`` and point to their leg with ``FlightRPH`` (the position of the leg in the
booking's itinerary). What the XML cannot carry is left out: a leg reference that matches
no leg of the booking, ``Booking.creator`` and ``non_air``, and the ``raw`` texts of
documents, addresses and agencies.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from paxwatch.formats.people import (
    contact_from_text,
    normalise_email,
    normalise_phone,
    split_suffix,
    split_title,
)
from paxwatch.formats.pnrgov_xml import IATA_NAMESPACE, PHONE_SSRS, ROOT_TAG
from paxwatch.formats.values import payment_code
from paxwatch.model.booking import (
    Address,
    Agency,
    Bag,
    Booking,
    CheckIn,
    Contact,
    Leg,
    LegKey,
    Payment,
    Remark,
    Seat,
    SpecialService,
    Ticket,
    Traveller,
)
from paxwatch.model.common import ContactKind, PushAction, TravellerType
from paxwatch.model.flight import Flight
from paxwatch.model.message import PnrMessage

__all__ = ["write_pnrgov_xml"]

_NS = "{" + IATA_NAMESPACE + "}"
# Characters XML 1.0 cannot carry; dropped from text and attribute values.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_TYPE_CODES = {
    TravellerType.ADULT: "ADT",
    TravellerType.CHILD: "CHD",
    TravellerType.INFANT: "INF",
}
_HISTORY_CODES = {"added": "A", "cancelled": "X", "changed": "C"}
_ADDRESS_CODES = {"residence": "R", "destination": "D"}

AttrValue = str | int | bool | date | datetime | Decimal | None


def write_pnrgov_xml(message: PnrMessage) -> str:
    """The message as a well-formed ``IATA_PNRGOV_NotifRQ`` document (UTF-8 text)."""
    root = etree.Element(_NS + ROOT_TAG, nsmap={None: IATA_NAMESPACE})  # type: ignore[dict-item]
    _set(
        root,
        Version=message.version,
        TimeStamp=message.prepared_at,
        EchoToken=message.reference,
        SequenceNmbr=message.part.number if message.part else None,
        MoreIndicator=(not message.part.final) if message.part else None,
        PushType=_push_type(message.action),
    )
    if message.sender is not None or message.recipient is not None:
        source = _sub(root, "MessageSource")
        if message.sender is not None:
            _sub(source, "Originator", AirlineCode=message.sender)
        if message.recipient is not None:
            _sub(source, "Recipient", Code=message.recipient)
    if message.flight is not None:
        _flight(root, message.flight)
    pnrs = _sub(root, "PNRs", NumberOfPNRs=message.declared_count)
    for booking in message.bookings:
        _booking(pnrs, booking)
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _clean(value: str) -> str:
    return _INVALID_XML.sub("", value)


def _format(value: AttrValue) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return _clean(str(value))


def _set(el: etree._Element, **attrs: AttrValue) -> None:
    for name, value in attrs.items():
        text = _format(value)
        if text is not None:
            el.set(name, text)


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: AttrValue
) -> etree._Element:
    el = etree.SubElement(parent, _NS + tag)
    _set(el, **attrs)
    if text is not None:
        el.text = _clean(text)
    return el


def _push_type(action: PushAction | None) -> str | None:
    if action is None:
        return None
    return "Full" if action is PushAction.FULL else "Changes"


def _flight(root: etree._Element, flight: Flight) -> None:
    number = flight.raw_number if _same_number(flight.raw_number, flight.number) else flight.number
    legs = flight.legs or (None,)
    for leg in legs:
        el = _sub(
            root,
            "FlightLeg",
            FlightNumber=number,
            DepartureDateTime=leg.departure if leg else None,
            ArrivalDateTime=leg.arrival if leg else None,
        )
        if leg is not None:
            _sub(el, "DepartureAirport", LocationCode=leg.origin)
            _sub(el, "ArrivalAirport", LocationCode=leg.destination)
        _sub(el, "MarketingAirline", Code=flight.carrier)


def _same_number(raw: str, number: str) -> bool:
    stripped = raw.strip().upper().lstrip("0")
    return bool(raw) and (stripped or "0") == number


def _booking(pnrs: etree._Element, booking: Booking) -> None:
    pnr = _sub(
        pnrs,
        "PNR",
        NumberInParty=booking.number_in_party,
        CreateDateTime=booking.created_at,
        LastModifyDateTime=booking.last_changed_at,
    )
    locators = booking.record_locators
    if not any(r.locator == booking.locator for r in locators) and booking.locator:
        _sub(pnr, "BookingRefID", ID=booking.locator)
    for record in locators:
        _sub(
            pnr,
            "BookingRefID",
            ID=record.locator,
            CompanyName=record.system,
            CreateDateTime=record.created_at,
        )
    if booking.group_name is not None:
        _sub(pnr, "GroupName", booking.group_name)
    if booking.agency is not None:
        _agency(_sub(pnr, "POS"), booking.agency)
    _contacts(pnr, booking.contacts, booking.remarks)
    rph = _leg_rphs(booking.legs)
    for traveller in booking.travellers:
        _traveller(pnr, traveller, rph)
    for i, leg in enumerate(booking.legs, 1):
        _leg(pnr, leg, str(i))
    if booking.payments:
        payments = _sub(pnr, "Payments")
        for payment in booking.payments:
            _payment(payments, payment)
    for service in booking.special_services:
        _service(pnr, service, rph)
    for remark in booking.remarks:
        _remark(pnr, remark)
    for split in booking.split_references:
        _sub(
            pnr,
            "SplitPNR",
            ID=split.locator,
            CompanyName=split.system,
            NumberInParty=split.number_of_travellers,
        )
    if booking.history:
        history = _sub(pnr, "History")
        for entry in booking.history:
            _sub(
                history,
                "HistoryItem",
                entry.text or None,
                DateTime=entry.at,
                Action=_HISTORY_CODES.get(entry.action or "", entry.action),
                ItemType=entry.element,
                AgentID=entry.by,
            )


def _leg_rphs(legs: tuple[Leg, ...]) -> dict[LegKey, str]:
    rph: dict[LegKey, str] = {}
    for i, leg in enumerate(legs, 1):
        rph.setdefault(leg.key, str(i))
    return rph


def _agency(pos: etree._Element, agency: Agency) -> None:
    source = _sub(
        pos,
        "Source",
        AirlineVendorID=agency.system,
        AirportCode=agency.location,
        PseudoCityCode=agency.pseudo_city,
        AgentSine=agency.agent_id,
        ISOCountry=agency.country,
        ISOCurrency=agency.currency,
    )
    if agency.iata_number is not None or agency.type is not None:
        _sub(source, "RequestorID", ID=agency.iata_number, Type=agency.type)


def _address(parent: etree._Element, tag: str, address: Address, **attrs: AttrValue) -> None:
    el = _sub(parent, tag, None, Type=address.kind, **attrs)
    if address.street is not None:
        _sub(el, "AddressLine", address.street)
    if address.city is not None:
        _sub(el, "CityName", address.city)
    if address.postal_code is not None:
        _sub(el, "PostalCode", address.postal_code)
    if address.region is not None:
        _sub(el, "StateProv", StateCode=address.region)
    if address.country is not None:
        _sub(el, "CountryName", Code=address.country)


def _contacts(
    pnr: etree._Element, contacts: tuple[Contact, ...], remarks: tuple[Remark, ...]
) -> None:
    """ContactInfo runs, SSR CTCx and OtherServiceInfo elements, in the order of ``contacts``.

    An OSI contact is carried by its OSI remark when the booking has one (the reader reads
    the contact from it again); otherwise it is written as an OtherServiceInfo of its own.
    """
    info: etree._Element | None = None
    carried = {(r.text, r.traveller_ref) for r in remarks if r.kind == "OSI"}
    for contact in contacts:
        source = contact.source or ""
        if source.startswith("OSI "):
            text = _osi_text(contact)
            if text is not None and (text, contact.traveller_ref) not in carried:
                info = None
                el = _sub(pnr, "OtherServiceInfo", PassengerRPH=contact.traveller_ref)
                _sub(el, "Text", text)
                continue
            if text is not None:
                continue
        ssr = _ssr_contact(contact)
        if ssr is not None:
            info = None
            code, text = ssr
            _sub(pnr, "SSR", text, SSRCode=code, PassengerRPH=contact.traveller_ref)
            continue
        if info is None:
            info = _sub(pnr, "ContactInfo")
        ref = contact.traveller_ref
        if contact.kind is ContactKind.PHONE:
            raw = contact.raw if normalise_phone(contact.raw) == contact.value else contact.value
            _sub(info, "Telephone", PhoneNumber=raw, PassengerRPH=ref)
        elif contact.kind is ContactKind.EMAIL:
            raw = contact.raw if normalise_email(contact.raw) == contact.value else contact.value
            _sub(info, "Email", raw, PassengerRPH=ref)
        elif contact.kind is ContactKind.ADDRESS:
            _address(
                info, "Address", contact.address or Address(street=contact.value), PassengerRPH=ref
            )
        else:
            raw = contact.raw if " ".join(contact.raw.split()) == contact.value else contact.value
            _sub(info, "Other", raw, PassengerRPH=ref)


def _ssr_contact(c: Contact) -> tuple[str, str] | None:
    """(SSR code, text) of a phone or e-mail filed as SSR CTCx; None for other contacts."""
    source = c.source or ""
    if not source.startswith("SSR ") or c.kind not in (ContactKind.PHONE, ContactKind.EMAIL):
        return None
    if c.kind is ContactKind.EMAIL:
        return "CTCE", c.raw if c.raw.strip() and normalise_email(c.raw) == c.value else c.value
    code = source[4:].strip().upper()
    code = code if code in PHONE_SSRS else "CTCM"
    return code, c.raw if normalise_phone(c.raw) == c.value and c.raw.strip() else c.value


def _osi_text(c: Contact) -> str | None:
    """The OSI line of an OSI contact (``raw`` when it reads back as the contact)."""
    code = (c.source or "")[4:].strip()
    for text in (c.raw, f"{code} {c.value}"):
        found = contact_from_text(text)
        if found is not None and found[:2] == (c.kind, c.value):
            return text
    return None


def _traveller(pnr: etree._Element, t: Traveller, rph: dict[LegKey, str]) -> None:
    el = _sub(
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
            _sub(el, "GivenName", given)
        _sub(el, "Surname", surname)
    else:
        if t.given_names:
            _sub(el, "GivenName", t.given_names)
        _sub(el, "Surname", t.surname)
        if t.title is not None:
            _sub(el, "NameTitle", t.title)
        if t.suffix is not None:
            _sub(el, "NameSuffix", t.suffix)
    for ff in t.frequent_flyers:
        _sub(el, "CustLoyalty", ProgramID=ff.airline, MembershipID=ff.number, LoyalLevel=ff.tier)
    for fare in t.fares:
        _sub(
            el,
            "FareInfo",
            PassengerTypeCode=fare.passenger_type,
            Age=fare.age,
            FareBasisCode=fare.fare_basis,
        )
    if t.documents or t.visas or t.addresses:
        _documents(_sub(el, "DOC_SSR"), t)
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
        _sub(
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
        _sub(
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
        _sub(
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
    el = _sub(
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
    pricing = _sub(el, "PricingInfo", CountryOfSale=ticket.country_of_sale, TripType=one_way)
    if ticket.base_amount is not None:
        _sub(pricing, "BaseFare", Amount=ticket.base_amount, CurrencyCode=ticket.currency)
    if ticket.taxes:
        taxes = _sub(pricing, "Taxes")
        for tax in ticket.taxes:
            _sub(taxes, "Tax", Amount=tax.amount, TaxCode=tax.code, CurrencyCode=tax.currency)
    if ticket.total_amount is not None or ticket.currency is not None:
        _sub(pricing, "TotalFare", Amount=ticket.total_amount, CurrencyCode=ticket.currency)
    if ticket.fare_calculation is not None:
        _sub(pricing, "FareCalculation", ticket.fare_calculation)


def _seat(parent: etree._Element, seat: Seat, rph: dict[LegKey, str]) -> None:
    flight_rph = rph.get(seat.leg) if seat.leg else None
    _sub(parent, "SeatNumber", seat.seat, FlightRPH=flight_rph, CabinClass=seat.cabin)


def _bag(parent: etree._Element, bag: Bag, rph: dict[LegKey, str]) -> None:
    el = _sub(
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
        _sub(el, "BagTag", tag)


def _check_in(parent: etree._Element, c: CheckIn, rph: dict[LegKey, str]) -> None:
    _sub(
        parent,
        "CheckIn",
        FlightRPH=rph.get(c.leg) if c.leg else None,
        Status=c.status,
        DateTime=c.checked_in_at,
        SequenceNumber=c.sequence_number,
        AgentID=c.agent,
        CabinClass=c.cabin,
    )


def _leg(pnr: etree._Element, leg: Leg, rph: str) -> None:
    number = leg.raw_number if _same_number(leg.raw_number, leg.number) else leg.number
    el = _sub(
        pnr,
        "Flight",
        RPH=rph,
        FlightNumber=number,
        DepartureDateTime=leg.departure,
        ArrivalDateTime=leg.arrival,
        ResBookDesigCode=leg.booking_class,
        NumberInParty=leg.number_in_party,
        Status=leg.status,
    )
    _sub(el, "DepartureAirport", LocationCode=leg.origin)
    _sub(el, "ArrivalAirport", LocationCode=leg.destination)
    _sub(el, "MarketingAirline", Code=leg.carrier)
    if leg.operating_carrier is not None or leg.operating_number is not None:
        _sub(el, "OperatingAirline", Code=leg.operating_carrier, FlightNumber=leg.operating_number)
    if leg.equipment is not None:
        _sub(el, "Equipment", AirEquipType=leg.equipment)


def _payment(parent: etree._Element, p: Payment) -> None:
    el = _sub(
        parent,
        "Payment",
        PaymentType=payment_code(p.method, p.raw_method, "MILES"),
        Amount=p.amount,
        CurrencyCode=p.currency,
        PassengerRPH=p.traveller_ref,
    )
    if p.card_vendor is not None or p.card_number is not None or p.card_expiry is not None:
        _sub(
            el,
            "PaymentCard",
            CardCode=p.card_vendor,
            CardNumber=p.card_number,
            ExpireDate=p.card_expiry,
        )
    if p.payer_name is not None or p.payer_phone is not None:
        _sub(el, "Payer", Name=p.payer_name, PhoneNumber=p.payer_phone)
    if p.billing_address is not None:
        _address(el, "BillingAddress", p.billing_address)


def _service(pnr: etree._Element, s: SpecialService, rph: dict[LegKey, str]) -> None:
    _sub(
        pnr,
        "SSR",
        s.text,
        SSRCode=s.code,
        Status=s.status,
        PassengerRPH=s.traveller_ref,
        FlightRPH=rph.get(s.leg) if s.leg else None,
    )


def _remark(pnr: etree._Element, r: Remark) -> None:
    if r.kind == "OSI":
        el = _sub(pnr, "OtherServiceInfo", PassengerRPH=r.traveller_ref)
        if r.code is not None:
            _sub(el, "Airline", Code=r.code)
        _sub(el, "Text", r.text)
    else:
        _sub(pnr, "Remark", r.text, Type=r.kind, Code=r.code, PassengerRPH=r.traveller_ref)

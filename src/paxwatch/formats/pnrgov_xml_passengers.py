"""The passengers of a PNRGOV XML PNR: names, type, travel documents, loyalty, fares, tickets.

``read_traveller`` reads one ``Passenger`` element (its ``PersonName`` / ``PassengerName``
or direct name children, ``DOC_SSR`` with DOCS, DOCO and DOCA, ``CustLoyalty``,
``FareInfo`` and ``TicketDocument`` with its ``PricingInfo``). Date of birth, gender and
nationality missing on the passenger are taken from its first document that has them.
Seats, bags and check-ins are read by ``pnrgov_xml_booking``, wherever they sit.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from paxwatch.formats.people import split_suffix, split_title
from paxwatch.formats.pnrgov_xml_codes import ADDRESS_KINDS, TRAVELLER_TYPES
from paxwatch.formats.pnrgov_xml_values import (
    XmlReader,
    attr,
    child,
    children,
    first_of,
    text_of,
    upper,
)
from paxwatch.model.booking import (
    Address,
    Document,
    Fare,
    FrequentFlyer,
    Tax,
    Ticket,
    Traveller,
    Visa,
)
from paxwatch.model.common import TravellerType

__all__ = ["read_traveller"]


def _name_parts(el: etree._Element) -> tuple[str, str, str, str | None, str | None]:
    """(surname, given names, raw name, title, suffix) of a Passenger element."""
    holder = first_of(child(el, "PersonName"), child(el, "PassengerName"))
    holder = el if holder is None else holder
    surname_raw = text_of(child(holder, "Surname"))
    given_raw = " ".join(t for t in (text_of(g) for g in children(holder, "GivenName")) if t)
    raw_name = f"{surname_raw}/{given_raw}" if given_raw else surname_raw
    title = upper(text_of(child(holder, "NameTitle")) or None)
    if title is None:
        given, title = split_title(given_raw)
    else:
        given = " ".join(given_raw.upper().split())
    suffix = upper(text_of(child(holder, "NameSuffix")) or None)
    if suffix is None:
        surname, suffix = split_suffix(surname_raw)
    else:
        surname = " ".join(surname_raw.upper().split())
    return surname, given, raw_name, title, suffix


def read_traveller(r: XmlReader, el: etree._Element) -> Traveller | None:
    """The traveller of a ``Passenger`` element; None (an error) when it has no surname."""
    surname, given, raw_name, title, suffix = _name_parts(el)
    if not surname:
        r.error(
            "xml.passenger.no_surname",
            f"Passenger element {r.positions.get(el, '?')} has no Surname; passenger skipped",
            el,
        )
        return None
    raw_type = attr(el, "PassengerTypeCode")
    ptype = TravellerType.ADULT
    if raw_type is not None:
        found = TRAVELLER_TYPES.get(raw_type.upper())
        if found is None:
            r.warn(
                "xml.passenger.bad_type",
                f"{r.name(el)} has PassengerTypeCode={raw_type!r}; read as an adult",
                el,
            )
        ptype = found or TravellerType.ADULT
    documents: list[Document] = []
    visas: list[Visa] = []
    addresses: list[Address] = []
    for ssr in children(el, "DOC_SSR"):
        for d in ssr:
            if d.tag == "DOCS":
                documents.append(_document(r, d))
            elif d.tag == "DOCO":
                visas.append(_visa(r, d))
            elif d.tag == "DOCA":
                addresses.append(_doca(r, d))
    dob = r.date_attr(el, "BirthDate", past=True)
    gender = r.gender_attr(el, "Gender")
    nationality = r.country_attr(el, "Nationality")
    return Traveller(
        ref=attr(el, "RPH"),
        surname=surname,
        given_names=given,
        title=title,
        suffix=suffix,
        raw_name=raw_name,
        type=ptype,
        date_of_birth=dob or next((d.date_of_birth for d in documents if d.date_of_birth), None),
        gender=gender or next((d.gender for d in documents if d.gender), None),
        nationality=nationality or next((d.nationality for d in documents if d.nationality), None),
        accompanying_ref=attr(el, "AccompanyingPassengerRPH"),
        documents=tuple(documents),
        visas=tuple(visas),
        addresses=tuple(addresses),
        frequent_flyers=tuple(_loyalty(r, el)),
        tickets=tuple(_ticket(r, t) for t in children(el, "TicketDocument")),
        fares=tuple(
            Fare(
                passenger_type=upper(attr(f, "PassengerTypeCode")),
                age=r.integer_attr(f, "Age"),
                fare_basis=upper(attr(f, "FareBasisCode")),
            )
            for f in children(el, "FareInfo")
        ),
        unique_ref=attr(el, "UniqueID"),
    )


def _loyalty(r: XmlReader, el: etree._Element) -> Iterator[FrequentFlyer]:
    for c in children(el, "CustLoyalty"):
        airline = upper(attr(c, "ProgramID"))
        number = attr(c, "MembershipID")
        if airline is None or number is None:
            r.error(
                "xml.loyalty.incomplete",
                f"{r.name(c)} lacks ProgramID or MembershipID; frequent flyer not read",
                c,
            )
            continue
        yield FrequentFlyer(airline=airline, number=number, tier=attr(c, "LoyalLevel"))


def _document(r: XmlReader, el: etree._Element) -> Document:
    return Document(
        type=upper(attr(el, "DocType")),
        number=upper(attr(el, "DocID")),
        issuing_country=r.country_attr(el, "DocIssueCountry"),
        nationality=r.country_attr(el, "Nationality"),
        date_of_birth=r.date_attr(el, "BirthDate", past=True),
        gender=r.gender_attr(el, "Gender"),
        expiry=r.date_attr(el, "ExpiryDate", past=False),
        issued_on=r.date_attr(el, "DocIssueDate", past=True),
        surname=upper(attr(el, "Surname")),
        given_names=upper(attr(el, "GivenName")),
    )


def _visa(r: XmlReader, el: etree._Element) -> Visa:
    return Visa(
        type=upper(attr(el, "DocType")),
        number=upper(attr(el, "DocID")),
        place_of_birth=upper(attr(el, "BirthPlace")),
        place_of_issue=upper(attr(el, "DocIssueLocation")),
        issued_on=r.date_attr(el, "DocIssueDate", past=True),
        country=r.country_attr(el, "ApplicableCountry"),
    )


def _doca(r: XmlReader, el: etree._Element) -> Address:
    raw_kind = attr(el, "AddressType")
    kind = ADDRESS_KINDS.get(raw_kind.upper(), raw_kind.lower()) if raw_kind else None
    return Address(
        kind=kind,
        street=upper(attr(el, "Address")),
        city=upper(attr(el, "City")),
        region=upper(attr(el, "State")),
        postal_code=upper(attr(el, "PostalCode")),
        country=r.country_attr(el, "Country"),
    )


def _ticket(r: XmlReader, el: etree._Element) -> Ticket:
    pricing = child(el, "PricingInfo")
    total = child(pricing, "TotalFare")
    base = child(pricing, "BaseFare")
    taxes = child(pricing, "Taxes")
    trip = upper(attr(pricing, "TripType"))
    return Ticket(
        number=attr(el, "TicketDocumentNbr"),
        document_type=upper(attr(el, "Type")),
        issued_on=r.date_attr(el, "DateOfIssue", past=True),
        base_amount=r.decimal_attr(base, "Amount"),
        total_amount=r.decimal_attr(total, "Amount"),
        currency=upper(attr(total, "CurrencyCode") or attr(base, "CurrencyCode")),
        taxes=tuple(
            Tax(
                amount=r.decimal_attr(t, "Amount"),
                code=upper(attr(t, "TaxCode")),
                currency=upper(attr(t, "CurrencyCode")),
            )
            for t in (children(taxes, "Tax") if taxes is not None else ())
        ),
        country_of_sale=r.country_attr(pricing, "CountryOfSale"),
        fare_calculation=text_of(child(pricing, "FareCalculation")) or None,
        one_way={"OW": True, "RT": False}.get(trip or ""),
    )

"""Contacts, SSRs, payments and the booking agency of a PNRGOV XML PNR.

``read_contact_info`` reads the ``Telephone``, ``Email``, ``Address`` and ``Other``
children of a ``ContactInfo``; ``read_ssr`` files an SSR as a contact (CTCE e-mail, CTCM /
CTCH / ... phone) or else as a special service; ``read_payment`` reads a ``Payment`` (card,
payer, billing address) and ``read_agency`` the ``POS/Source`` agency.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from paxwatch.formats import values
from paxwatch.formats.people import address_value, normalise_email, normalise_phone
from paxwatch.formats.pnrgov_xml_codes import PAYMENT_CODES, PHONE_SSRS
from paxwatch.formats.pnrgov_xml_values import XmlReader, attr, child, children, text_of, upper
from paxwatch.model.booking import Address, Agency, Contact, LegKey, Payment, SpecialService
from paxwatch.model.common import ContactKind, PaymentMethod

__all__ = ["address_line", "read_agency", "read_contact_info", "read_payment", "read_ssr"]


def address_line(address: Address) -> str:
    """One-line text of an address (the ``value`` of an address contact):
    ``people.address_value``."""
    return address_value(address)


def read_contact_info(r: XmlReader, el: etree._Element, ref: str | None) -> Iterator[Contact]:
    """The contacts of a ``ContactInfo`` element; ``ref`` is its traveller's RPH."""
    for c in el:
        own_ref = attr(c, "PassengerRPH") or ref
        if c.tag == "Telephone":
            raw = attr(c, "PhoneNumber") or text_of(c)
            kind, value = ContactKind.PHONE, normalise_phone(raw)
            address = None
        elif c.tag == "Email":
            raw = text_of(c) or attr(c, "EmailAddress") or ""
            kind, value = ContactKind.EMAIL, normalise_email(raw)
            address = None
        elif c.tag == "Address":
            address = _address(r, c)
            raw = value = address_line(address)
            kind = ContactKind.ADDRESS
        elif c.tag == "Other":
            raw = value = text_of(c)
            kind, address = ContactKind.OTHER, None
        else:
            continue
        if not value:
            r.warn("xml.contact.empty", f"{r.name(c)} is empty; ignored", c)
            continue
        yield Contact(
            kind=kind,
            value=value,
            raw=raw,
            source="ContactInfo",
            traveller_ref=own_ref,
            address=address,
        )


def read_ssr(
    r: XmlReader,
    el: etree._Element,
    ref: str | None,
    leg: LegKey | None,
    contacts: list[Contact],
    services: list[SpecialService],
) -> None:
    """An ``SSR`` element as a contact (CTCE, phone SSRs) or else as a special service."""
    code = upper(attr(el, "SSRCode", "Code"))
    text = text_of(child(el, "Text")) or text_of(el) or None
    if code is None:
        r.warn("xml.ssr.no_code", f"{r.name(el)} has no SSRCode; ignored", el)
        return
    if code == "CTCE" and text:
        contacts.append(
            Contact(
                kind=ContactKind.EMAIL,
                value=normalise_email(text),
                raw=text,
                source="SSR CTCE",
                traveller_ref=ref,
            )
        )
        return
    if code in PHONE_SSRS and text and normalise_phone(text).lstrip("+"):
        contacts.append(
            Contact(
                kind=ContactKind.PHONE,
                value=normalise_phone(text),
                raw=text,
                source=f"SSR {code}",
                traveller_ref=ref,
            )
        )
        return
    services.append(
        SpecialService(
            code=code,
            status=upper(attr(el, "Status")),
            text=text,
            traveller_ref=ref,
            leg=leg,
        )
    )


def _address(r: XmlReader, el: etree._Element, kind: str | None = None) -> Address:
    lines = [text_of(c) for c in children(el, "AddressLine", "StreetNmbr")]
    region = child(el, "StateProv")
    country = child(el, "CountryName")
    return Address(
        kind=kind or (attr(el, "Type") or "").lower() or None,
        street=" ".join(t for t in lines if t) or None,
        city=text_of(child(el, "CityName")) or None,
        region=attr(region, "StateCode") or text_of(region) or None,
        postal_code=text_of(child(el, "PostalCode")) or None,
        country=r.country_attr(country, "Code")
        or (values.country(text_of(country)) if text_of(country) else None),
    )


def read_payment(r: XmlReader, el: etree._Element) -> Payment:
    """The payment of a ``Payment`` element (unknown PaymentType: ``other``)."""
    raw = upper(attr(el, "PaymentType"))
    method = PAYMENT_CODES.get(raw or "", PaymentMethod.OTHER)
    card = child(el, "PaymentCard")
    payer = child(el, "Payer")
    billing = child(el, "BillingAddress")
    return Payment(
        method=method,
        raw_method=raw,
        amount=r.decimal_attr(el, "Amount"),
        currency=upper(attr(el, "CurrencyCode")),
        card_vendor=upper(attr(card, "CardCode")),
        card_number=attr(card, "CardNumber"),
        card_expiry=attr(card, "ExpireDate"),
        payer_name=attr(payer, "Name") or text_of(child(card, "CardHolderName")) or None,
        payer_phone=attr(payer, "PhoneNumber"),
        billing_address=_address(r, billing) if billing is not None else None,
        traveller_ref=attr(el, "PassengerRPH"),
    )


def read_agency(r: XmlReader, el: etree._Element) -> Agency:
    """The booking agency of a ``POS/Source`` element."""
    requestor = child(el, "RequestorID")
    return Agency(
        system=upper(attr(el, "AirlineVendorID")),
        location=upper(attr(el, "AirportCode", "LocationCode")),
        iata_number=attr(requestor, "ID") or attr(el, "IATA_Number"),
        pseudo_city=upper(attr(el, "PseudoCityCode")),
        agent_id=attr(el, "AgentSine"),
        country=r.country_attr(el, "ISOCountry"),
        currency=upper(attr(el, "ISOCurrency")),
        type=attr(requestor, "Type"),
    )

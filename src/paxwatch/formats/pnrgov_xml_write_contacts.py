"""Writing contacts, SSRs, remarks, payments and the agency of a PNRGOV XML PNR.

For ``pnrgov_xml_write``. ``write_contacts`` writes each contact where its ``source`` files
it, so that the reader gives it back: SSR CTCx as an ``SSR``, an OSI contact as an
``OtherServiceInfo`` (unless an OSI remark of the booking already carries it), the rest as
``ContactInfo`` children (``Telephone``, ``Email``, ``Address``, ``Other``). ``raw`` is
written when it reads back to the same value, else the value.
"""

from __future__ import annotations

from lxml import etree

from paxwatch.formats.people import contact_from_text, normalise_email, normalise_phone
from paxwatch.formats.pnrgov_xml_codes import PHONE_SSRS
from paxwatch.formats.pnrgov_xml_tree import AttrValue, sub
from paxwatch.formats.values import payment_code
from paxwatch.model.booking import (
    Address,
    Agency,
    Contact,
    LegKey,
    Payment,
    Remark,
    SpecialService,
)
from paxwatch.model.common import ContactKind

__all__ = ["write_agency", "write_contacts", "write_payment", "write_remark", "write_service"]


def write_contacts(
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
                el = sub(pnr, "OtherServiceInfo", PassengerRPH=contact.traveller_ref)
                sub(el, "Text", text)
                continue
            if text is not None:
                continue
        ssr = _ssr_contact(contact)
        if ssr is not None:
            info = None
            code, text = ssr
            sub(pnr, "SSR", text, SSRCode=code, PassengerRPH=contact.traveller_ref)
            continue
        if info is None:
            info = sub(pnr, "ContactInfo")
        ref = contact.traveller_ref
        if contact.kind is ContactKind.PHONE:
            raw = contact.raw if normalise_phone(contact.raw) == contact.value else contact.value
            sub(info, "Telephone", PhoneNumber=raw, PassengerRPH=ref)
        elif contact.kind is ContactKind.EMAIL:
            raw = contact.raw if normalise_email(contact.raw) == contact.value else contact.value
            sub(info, "Email", raw, PassengerRPH=ref)
        elif contact.kind is ContactKind.ADDRESS:
            _address(
                info, "Address", contact.address or Address(street=contact.value), PassengerRPH=ref
            )
        else:
            raw = contact.raw if " ".join(contact.raw.split()) == contact.value else contact.value
            sub(info, "Other", raw, PassengerRPH=ref)


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


def _address(parent: etree._Element, tag: str, address: Address, **attrs: AttrValue) -> None:
    el = sub(parent, tag, None, Type=address.kind, **attrs)
    if address.street is not None:
        sub(el, "AddressLine", address.street)
    if address.city is not None:
        sub(el, "CityName", address.city)
    if address.postal_code is not None:
        sub(el, "PostalCode", address.postal_code)
    if address.region is not None:
        sub(el, "StateProv", StateCode=address.region)
    if address.country is not None:
        sub(el, "CountryName", Code=address.country)


def write_agency(pos: etree._Element, agency: Agency) -> None:
    source = sub(
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
        sub(source, "RequestorID", ID=agency.iata_number, Type=agency.type)


def write_payment(parent: etree._Element, p: Payment) -> None:
    el = sub(
        parent,
        "Payment",
        PaymentType=payment_code(p.method, p.raw_method, "MILES"),
        Amount=p.amount,
        CurrencyCode=p.currency,
        PassengerRPH=p.traveller_ref,
    )
    if p.card_vendor is not None or p.card_number is not None or p.card_expiry is not None:
        sub(
            el,
            "PaymentCard",
            CardCode=p.card_vendor,
            CardNumber=p.card_number,
            ExpireDate=p.card_expiry,
        )
    if p.payer_name is not None or p.payer_phone is not None:
        sub(el, "Payer", Name=p.payer_name, PhoneNumber=p.payer_phone)
    if p.billing_address is not None:
        _address(el, "BillingAddress", p.billing_address)


def write_service(pnr: etree._Element, s: SpecialService, rph: dict[LegKey, str]) -> None:
    sub(
        pnr,
        "SSR",
        s.text,
        SSRCode=s.code,
        Status=s.status,
        PassengerRPH=s.traveller_ref,
        FlightRPH=rph.get(s.leg) if s.leg else None,
    )


def write_remark(pnr: etree._Element, r: Remark) -> None:
    if r.kind == "OSI":
        el = sub(pnr, "OtherServiceInfo", PassengerRPH=r.traveller_ref)
        if r.code is not None:
            sub(el, "Airline", Code=r.code)
        sub(el, "Text", r.text)
    else:
        sub(pnr, "Remark", r.text, Type=r.kind, Code=r.code, PassengerRPH=r.traveller_ref)

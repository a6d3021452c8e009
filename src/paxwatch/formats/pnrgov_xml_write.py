"""PNRGOV XML writer: a ``PnrMessage`` as an ``IATA_PNRGOV_NotifRQ`` document.

``write_pnrgov_xml(message)`` writes every field that ``read_pnrgov_xml`` reads, in the
layout described in ``paxwatch.formats.pnrgov_xml``, so that reading the output gives back
the same model for canonical messages. Seats, bags and check-ins are written under their
``Passenger`` and point to their leg with ``FlightRPH`` (the position of the leg in the
booking's itinerary). What the XML cannot carry is left out: a leg reference that matches
no leg of the booking, ``Booking.creator`` and ``non_air``, and the ``raw`` texts of
documents, addresses and agencies.

This module writes the envelope (root, message source, flight legs), the ``PNR`` elements
with their locators, itinerary, split PNRs and history; ``pnrgov_xml_write_passengers``
writes the passengers, ``pnrgov_xml_write_contacts`` contacts, SSRs, remarks, payments and
the agency, and ``pnrgov_xml_tree`` holds the element and attribute helpers.
"""

from __future__ import annotations

from lxml import etree

from paxwatch.formats.pnrgov_xml_codes import IATA_NAMESPACE, ROOT_TAG
from paxwatch.formats.pnrgov_xml_tree import NS, set_attrs, sub
from paxwatch.formats.pnrgov_xml_write_contacts import (
    write_agency,
    write_contacts,
    write_payment,
    write_remark,
    write_service,
)
from paxwatch.formats.pnrgov_xml_write_passengers import write_passenger
from paxwatch.model.booking import Booking, Leg, LegKey
from paxwatch.model.common import PushAction
from paxwatch.model.flight import Flight
from paxwatch.model.message import PnrMessage

__all__ = ["write_pnrgov_xml"]

_HISTORY_CODES = {"added": "A", "cancelled": "X", "changed": "C"}


def write_pnrgov_xml(message: PnrMessage) -> str:
    """The message as a well-formed ``IATA_PNRGOV_NotifRQ`` document (UTF-8 text)."""
    root = etree.Element(NS + ROOT_TAG, nsmap={None: IATA_NAMESPACE})  # type: ignore[dict-item]
    set_attrs(
        root,
        Version=message.version,
        TimeStamp=message.prepared_at,
        EchoToken=message.reference,
        SequenceNmbr=message.part.number if message.part else None,
        MoreIndicator=(not message.part.final) if message.part else None,
        PushType=_push_type(message.action),
    )
    if message.sender is not None or message.recipient is not None:
        source = sub(root, "MessageSource")
        if message.sender is not None:
            sub(source, "Originator", AirlineCode=message.sender)
        if message.recipient is not None:
            sub(source, "Recipient", Code=message.recipient)
    if message.flight is not None:
        _flight(root, message.flight)
    pnrs = sub(root, "PNRs", NumberOfPNRs=message.declared_count)
    for booking in message.bookings:
        _booking(pnrs, booking)
    body = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _push_type(action: PushAction | None) -> str | None:
    if action is None:
        return None
    return "Full" if action is PushAction.FULL else "Changes"


def _flight(root: etree._Element, flight: Flight) -> None:
    number = flight.raw_number if _same_number(flight.raw_number, flight.number) else flight.number
    legs = flight.legs or (None,)
    for leg in legs:
        el = sub(
            root,
            "FlightLeg",
            FlightNumber=number,
            DepartureDateTime=leg.departure if leg else None,
            ArrivalDateTime=leg.arrival if leg else None,
        )
        if leg is not None:
            sub(el, "DepartureAirport", LocationCode=leg.origin)
            sub(el, "ArrivalAirport", LocationCode=leg.destination)
        sub(el, "MarketingAirline", Code=flight.carrier)


def _same_number(raw: str, number: str) -> bool:
    stripped = raw.strip().upper().lstrip("0")
    return bool(raw) and (stripped or "0") == number


def _booking(pnrs: etree._Element, booking: Booking) -> None:
    pnr = sub(
        pnrs,
        "PNR",
        NumberInParty=booking.number_in_party,
        CreateDateTime=booking.created_at,
        LastModifyDateTime=booking.last_changed_at,
    )
    locators = booking.record_locators
    if not any(r.locator == booking.locator for r in locators) and booking.locator:
        sub(pnr, "BookingRefID", ID=booking.locator)
    for record in locators:
        sub(
            pnr,
            "BookingRefID",
            ID=record.locator,
            CompanyName=record.system,
            CreateDateTime=record.created_at,
        )
    if booking.group_name is not None:
        sub(pnr, "GroupName", booking.group_name)
    if booking.agency is not None:
        write_agency(sub(pnr, "POS"), booking.agency)
    write_contacts(pnr, booking.contacts, booking.remarks)
    rph = _leg_rphs(booking.legs)
    for traveller in booking.travellers:
        write_passenger(pnr, traveller, rph)
    for i, leg in enumerate(booking.legs, 1):
        _leg(pnr, leg, str(i))
    if booking.payments:
        payments = sub(pnr, "Payments")
        for payment in booking.payments:
            write_payment(payments, payment)
    for service in booking.special_services:
        write_service(pnr, service, rph)
    for remark in booking.remarks:
        write_remark(pnr, remark)
    for split in booking.split_references:
        sub(
            pnr,
            "SplitPNR",
            ID=split.locator,
            CompanyName=split.system,
            NumberInParty=split.number_of_travellers,
        )
    if booking.history:
        history = sub(pnr, "History")
        for entry in booking.history:
            sub(
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


def _leg(pnr: etree._Element, leg: Leg, rph: str) -> None:
    number = leg.raw_number if _same_number(leg.raw_number, leg.number) else leg.number
    el = sub(
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
    sub(el, "DepartureAirport", LocationCode=leg.origin)
    sub(el, "ArrivalAirport", LocationCode=leg.destination)
    sub(el, "MarketingAirline", Code=leg.carrier)
    if leg.operating_carrier is not None or leg.operating_number is not None:
        sub(el, "OperatingAirline", Code=leg.operating_carrier, FlightNumber=leg.operating_number)
    if leg.equipment is not None:
        sub(el, "Equipment", AirEquipType=leg.equipment)

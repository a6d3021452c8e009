"""The itinerary of a PNRGOV XML PNR and what hangs on its legs: seats, bags, check-ins.

``read_leg`` reads one ``Flight`` element (marketing and operating airline, airports,
times, class, status, equipment). ``read_seat``, ``read_check_in`` and ``read_bag`` read a
``SeatNumber``, ``CheckIn`` and ``CheckedBaggage`` / ``PrepaidBag`` for the leg that
``pnrgov_xml_booking`` found for them. A check-in without ``Status`` means ``checked_in``.
"""

from __future__ import annotations

from lxml import etree

from paxwatch.formats import values
from paxwatch.formats.people import CHECKED_IN
from paxwatch.formats.pnrgov_xml_values import (
    XmlReader,
    attr,
    boolean,
    child,
    children,
    text_of,
    upper,
)
from paxwatch.model.booking import Bag, CheckIn, Leg, LegKey, Seat
from paxwatch.model.common import WeightUnit

__all__ = ["read_bag", "read_check_in", "read_leg", "read_seat"]


def read_leg(r: XmlReader, el: etree._Element) -> Leg | None:
    """The leg of a ``Flight`` element; None (an error) without airline, number or airports."""
    marketing = child(el, "MarketingAirline")
    operating = child(el, "OperatingAirline")
    carrier = r.airline(marketing) or r.airline(operating)
    raw_number = attr(el, "FlightNumber") or attr(marketing, "FlightNumber") or ""
    origin = upper(attr(child(el, "DepartureAirport"), "LocationCode"))
    destination = upper(attr(child(el, "ArrivalAirport"), "LocationCode"))
    if not (carrier and raw_number and origin and destination):
        r.error(
            "xml.leg.incomplete",
            f"{r.name(el)} lacks the airline, FlightNumber or an airport; itinerary leg not read",
            el,
        )
        return None
    op_carrier = op_number = None
    if marketing is not None and operating is not None:
        op_carrier = r.airline(operating)
        op_raw = attr(operating, "FlightNumber")
        op_number = values.flight_number(op_raw) if op_raw else None
    equipment = child(el, "Equipment")
    return Leg(
        carrier=carrier,
        number=values.flight_number(raw_number),
        origin=origin,
        destination=destination,
        departure=r.datetime_attr(el, "DepartureDateTime"),
        arrival=r.datetime_attr(el, "ArrivalDateTime"),
        operating_carrier=op_carrier,
        operating_number=op_number,
        booking_class=upper(attr(el, "ResBookDesigCode")),
        status=upper(attr(el, "Status")),
        number_in_party=r.integer_attr(el, "NumberInParty"),
        equipment=upper(attr(equipment, "AirEquipType") or text_of(equipment) or None),
        raw_number=raw_number,
    )


def read_seat(r: XmlReader, el: etree._Element, leg: LegKey | None) -> Seat | None:
    """The seat of a ``SeatNumber`` element; None (a warning) when it holds none."""
    seat = upper(attr(el, "SeatNumber", "Number") or text_of(el) or None)
    if seat is None:
        r.warn("xml.seat.empty", f"{r.name(el)} holds no seat; ignored", el)
        return None
    return Seat(seat=seat, leg=leg, cabin=upper(attr(el, "CabinClass")))


def read_check_in(r: XmlReader, el: etree._Element, leg: LegKey | None) -> CheckIn:
    """The check-in of a ``CheckIn`` element (``checked_in`` when it has no Status)."""
    status = attr(el, "Status")
    if status is None:
        r.warn(
            "xml.checkin.no_status",
            f"{r.name(el)} has no Status; read as checked_in",
            el,
        )
    return CheckIn(
        status=status or CHECKED_IN,
        leg=leg,
        checked_in_at=r.datetime_attr(el, "DateTime", utc=True),
        sequence_number=attr(el, "SequenceNumber"),
        agent=attr(el, "AgentID"),
        cabin=upper(attr(el, "CabinClass")),
    )


def read_bag(r: XmlReader, el: etree._Element, leg: LegKey | None) -> Bag:
    """The bag of a ``CheckedBaggage`` or ``PrepaidBag`` element."""
    raw_unit = upper(attr(el, "UnitOfMeasure", "WeightUnit"))
    unit = None
    if raw_unit in ("KG", "K", "KGS", "700"):
        unit = WeightUnit.KG
    elif raw_unit in ("LB", "L", "LBS", "701"):
        unit = WeightUnit.LB
    elif raw_unit is not None:
        r.warn(
            "xml.bag.bad_unit",
            f"{r.name(el)} has UnitOfMeasure={raw_unit!r}; expected KG or LB; unit left empty",
            el,
        )
    return Bag(
        count=r.integer_attr(el, "Quantity"),
        weight=r.decimal_attr(el, "Weight"),
        weight_unit=unit,
        tags=tuple(t for t in (text_of(b).upper() for b in children(el, "BagTag")) if t),
        head_of_pool=boolean(attr(el, "HeadOfPool")) or False,
        destination=upper(attr(el, "Destination")),
        leg=leg,
    )

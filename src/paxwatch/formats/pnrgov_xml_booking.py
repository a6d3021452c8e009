"""One ``PNR`` element of a PNRGOV XML message as a ``Booking``, and where its items belong.

``read_booking`` reads the record locators, the legs (``Flight``) and the travellers
(``Passenger``) first, so that it knows them by element and by RPH; then it walks the whole
PNR in document order for the elements that may sit at any level (seats, bags, check-ins,
contact info, SSRs, OSIs and remarks) and gives each to its traveller and leg: those of
the enclosing ``Passenger`` / ``Flight``, else of ``@PassengerRPH`` / ``@FlightRPH``.
Elements inside ``History`` and ``SplitPNR`` describe other bookings or past states and
are skipped. The elements themselves are read by the other ``pnrgov_xml_*`` modules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from lxml import etree

from paxwatch.formats.people import contact_order
from paxwatch.formats.pnrgov_xml_contacts import (
    read_agency,
    read_contact_info,
    read_payment,
    read_ssr,
)
from paxwatch.formats.pnrgov_xml_history import (
    osi_contact,
    read_history,
    read_remark,
    read_split,
)
from paxwatch.formats.pnrgov_xml_itinerary import read_bag, read_check_in, read_leg, read_seat
from paxwatch.formats.pnrgov_xml_passengers import read_traveller
from paxwatch.formats.pnrgov_xml_values import (
    XmlReader,
    attr,
    child,
    children,
    text_of,
    upper,
)
from paxwatch.model.booking import (
    Bag,
    Booking,
    CheckIn,
    Contact,
    Leg,
    LegKey,
    RecordLocator,
    Remark,
    Seat,
    SpecialService,
    Traveller,
)

__all__ = ["read_booking"]

# Elements whose content describes other bookings or past states, never this booking's.
_FOREIGN = frozenset({"History", "HistoryItem", "SplitPNR"})
_WRAPPERS = frozenset({"Passengers", "Flights", "Itinerary"})
# Elements that can sit at any level of the PNR, read in document order by ``_scan``.
_SCANNED = frozenset(
    {
        "SeatNumber",
        "CheckedBaggage",
        "PrepaidBag",
        "CheckIn",
        "ContactInfo",
        "SSR",
        "OtherServiceInfo",
        "Remark",
    }
)


@dataclass(slots=True)
class _PaxItems:
    """Seats, bags and check-ins of one traveller, gathered from the whole PNR."""

    seats: list[Seat] = field(default_factory=list)
    bags: list[Bag] = field(default_factory=list)
    check_ins: list[CheckIn] = field(default_factory=list)


@dataclass(slots=True)
class _Context:
    """What one PNR knows while it is read: its legs by RPH and travellers by element."""

    legs_by_rph: dict[str, LegKey] = field(default_factory=dict)
    legs_by_el: dict[etree._Element, LegKey] = field(default_factory=dict)
    pax_by_el: dict[etree._Element, int] = field(default_factory=dict)
    pax_by_ref: dict[str, int] = field(default_factory=dict)
    items: list[_PaxItems] = field(default_factory=list)


def read_booking(r: XmlReader, pnr: etree._Element, preferred: tuple[str, ...]) -> Booking:
    """The booking of a ``PNR`` element; ``preferred`` systems choose its record locator."""
    locators = [_locator(r, el) for el in children(pnr, "BookingRefID")]
    found = [loc for loc in locators if loc is not None]
    if not found:
        r.error(
            "xml.pnr.no_locator",
            f"{r.name(pnr)} has no BookingRefID with an ID; booking kept without a record locator",
            pnr,
        )
    own = [loc for loc in found if loc.system in preferred]
    locator = (own or found)[0].locator if found else ""
    ctx = _Context()
    legs = _legs(r, pnr, ctx)
    travellers = _travellers(r, pnr, ctx)
    contacts: list[Contact] = []
    remarks: list[Remark] = []
    services: list[SpecialService] = []
    _scan(r, pnr, ctx, contacts, remarks, services)
    travellers = [
        replace(
            t,
            seats=tuple(ctx.items[i].seats),
            bags=tuple(ctx.items[i].bags),
            check_ins=tuple(ctx.items[i].check_ins),
        )
        for i, t in enumerate(travellers)
    ]
    pos_source = child(child(pnr, "POS"), "Source")
    history = child(pnr, "History")
    payments = child(pnr, "Payments")
    return Booking(
        locator=locator,
        record_locators=tuple(found),
        created_at=r.datetime_attr(pnr, "CreateDateTime", utc=True),
        last_changed_at=r.datetime_attr(pnr, "LastModifyDateTime", utc=True),
        number_in_party=r.integer_attr(pnr, "NumberInParty"),
        group_name=text_of(child(pnr, "GroupName")) or None,
        travellers=tuple(travellers),
        legs=tuple(legs),
        contacts=tuple(contact_order(contacts, [t.ref for t in travellers])),
        payments=tuple(
            read_payment(r, p)
            for p in (children(payments, "Payment") if payments is not None else ())
        ),
        agency=read_agency(r, pos_source) if pos_source is not None else None,
        split_references=tuple(read_split(r, s) for s in children(pnr, "SplitPNR")),
        history=tuple(
            read_history(r, h)
            for h in (children(history, "HistoryItem") if history is not None else ())
        ),
        remarks=tuple(remarks),
        special_services=tuple(services),
    )


def _locator(r: XmlReader, el: etree._Element) -> RecordLocator | None:
    ident = upper(attr(el, "ID"))
    if ident is None:
        r.warn("xml.pnr.empty_locator", f"{r.name(el)} has no ID; ignored", el)
        return None
    company = attr(el, "CompanyName") or r.airline(child(el, "CompanyName"))
    return RecordLocator(
        locator=ident,
        system=upper(company),
        created_at=r.datetime_attr(el, "CreateDateTime", utc=True),
    )


def _members(pnr: etree._Element, tag: str) -> Iterator[etree._Element]:
    for c in pnr:
        if c.tag == tag:
            yield c
        elif c.tag in _WRAPPERS:
            yield from children(c, tag)


def _legs(r: XmlReader, pnr: etree._Element, ctx: _Context) -> list[Leg]:
    legs: list[Leg] = []
    for el in _members(pnr, "Flight"):
        leg = read_leg(r, el)
        if leg is None:
            continue
        legs.append(leg)
        ctx.legs_by_el[el] = leg.key
        rph = attr(el, "RPH")
        if rph is not None:
            ctx.legs_by_rph[rph] = leg.key
    return legs


def _travellers(r: XmlReader, pnr: etree._Element, ctx: _Context) -> list[Traveller]:
    travellers: list[Traveller] = []
    for el in _members(pnr, "Passenger"):
        traveller = read_traveller(r, el)
        if traveller is None:
            continue
        index = len(travellers)
        travellers.append(traveller)
        ctx.items.append(_PaxItems())
        ctx.pax_by_el[el] = index
        if traveller.ref is not None:
            if traveller.ref in ctx.pax_by_ref:
                r.warn(
                    "xml.passenger.duplicate_rph",
                    f"{r.name(el)} repeats RPH={traveller.ref!r}; items referring to "
                    "it go to the first passenger with that RPH",
                    el,
                )
            else:
                ctx.pax_by_ref[traveller.ref] = index
    return travellers


def _where(
    el: etree._Element, pnr: etree._Element
) -> tuple[bool, etree._Element | None, etree._Element | None]:
    """(foreign, enclosing Passenger, enclosing Flight) of an element inside ``pnr``."""
    passenger = flight = None
    parent = el.getparent()
    while parent is not None and parent is not pnr:
        if parent.tag in _FOREIGN:
            return True, None, None
        if parent.tag == "Passenger" and passenger is None:
            passenger = parent
        elif parent.tag == "Flight" and flight is None:
            flight = parent
        parent = parent.getparent()
    return False, passenger, flight


def _refs(
    r: XmlReader, el: etree._Element, pnr: etree._Element, ctx: _Context
) -> tuple[bool, int | None, str | None, LegKey | None]:
    """(usable, traveller index, traveller ref, leg) for an item element.

    ``usable`` is False inside History / SplitPNR or under a skipped passenger.
    """
    foreign, passenger, flight = _where(el, pnr)
    if foreign:
        return False, None, None, None
    index: int | None = None
    ref = attr(el, "PassengerRPH")
    if passenger is not None:
        if passenger not in ctx.pax_by_el:
            return False, None, None, None
        index = ctx.pax_by_el[passenger]
        ref = attr(passenger, "RPH")
    elif ref is not None:
        index = ctx.pax_by_ref.get(ref)
    leg: LegKey | None = None
    flight_ref = attr(el, "FlightRPH")
    if flight is not None:
        leg = ctx.legs_by_el.get(flight)
    elif flight_ref is not None:
        leg = ctx.legs_by_rph.get(flight_ref)
        if leg is None:
            r.warn(
                "xml.unknown_flight_ref",
                f"{r.name(el)} refers to FlightRPH={flight_ref!r}, which no Flight "
                "has; read without a leg",
                el,
            )
    return True, index, ref, leg


def _scan(
    r: XmlReader,
    pnr: etree._Element,
    ctx: _Context,
    contacts: list[Contact],
    remarks: list[Remark],
    services: list[SpecialService],
) -> None:
    """Read, in document order, the elements that can sit at any level of the PNR."""
    for el in pnr.iter(tag=etree.Element):
        tag = el.tag
        if tag not in _SCANNED:
            continue
        usable, index, ref, leg = _refs(r, el, pnr, ctx)
        if not usable:
            continue
        if tag in ("SeatNumber", "CheckedBaggage", "PrepaidBag", "CheckIn"):
            if index is None:
                r.error(
                    "xml.unknown_passenger",
                    f"{r.name(el)} belongs to no readable Passenger (PassengerRPH="
                    f"{ref!r}); not read",
                    el,
                )
                continue
            _pax_item(r, el, ctx.items[index], leg)
        elif tag == "ContactInfo":
            contacts.extend(read_contact_info(r, el, ref))
        elif tag == "SSR":
            read_ssr(r, el, ref, leg, contacts, services)
        elif tag in ("OtherServiceInfo", "Remark"):
            remark = read_remark(r, el, ref)
            if remark is not None:
                remarks.append(remark)
                contact = osi_contact(remark)
                if contact is not None:
                    contacts.append(contact)


def _pax_item(r: XmlReader, el: etree._Element, items: _PaxItems, leg: LegKey | None) -> None:
    """A seat, check-in or bag (CheckedBaggage, PrepaidBag) of one traveller."""
    if el.tag == "SeatNumber":
        seat = read_seat(r, el, leg)
        if seat is not None:
            items.seats.append(seat)
    elif el.tag == "CheckIn":
        items.check_ins.append(read_check_in(r, el, leg))
    else:
        items.bags.append(read_bag(r, el, leg))

"""Group 1 of a PNRGOV message: the booking, its contacts, remarks and sponsor.

Handlers of ``pnrgov_groups.PnrReader`` (see its module docstring): SRC, RCI, DAT, ORG, ADD,
EBD and IFT (DAT and ORG also start a check-in in a leg; RCI in a split PNR).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from paxwatch.formats.edifact import Segment
from paxwatch.formats.people import contact_from_text
from paxwatch.formats.pnrgov_builders import BookingB
from paxwatch.formats.pnrgov_elements import (
    address_text,
    canonical,
    date_time,
    free_text,
    opt,
    read_add_address,
    read_agency,
    split_phones,
)
from paxwatch.formats.pnrgov_history import split_locators
from paxwatch.formats.pnrgov_itinerary import start_checkin
from paxwatch.formats.pnrgov_traveller import ticket_for_update
from paxwatch.formats.values import ddmmyy
from paxwatch.model.booking import Address, Contact, RecordLocator, Remark
from paxwatch.model.common import ContactKind

if TYPE_CHECKING:
    from paxwatch.formats.pnrgov_groups import PnrReader


def read_locators(seg: Segment, pivot: date | None) -> list[RecordLocator]:
    """RCI: ``system:locator::DDMMYY:HHMM`` per element (also ``system:locator:DDMMYY:HHMM``)."""
    out: list[RecordLocator] = []
    for comps in seg.elements:
        c = [*comps, "", "", "", ""]
        locator = c[1].strip()
        if not locator:
            continue
        day2 = c[2].strip()
        day, at = (c[2], c[3]) if len(day2) == 6 and day2.isdigit() else (c[3], c[4])
        out.append(
            RecordLocator(locator=locator, system=opt(c[0]), created_at=date_time(day, at, pivot))
        )
    return out


def on_src(r: PnrReader, seg: Segment) -> None:
    if r.started:
        r.close_booking()
    r.started = True
    r.b = BookingB()
    r.zone = "booking"
    r.trav = r.ticket = None
    r.leg = None
    r.payment = None
    r.sponsor = None
    r.split_idx = None
    r.hist_at = r.hist_by = r.hist_action = None


def on_rci(r: PnrReader, seg: Segment) -> None:
    locators = read_locators(seg, r.pivot)
    if r.zone == "split" and r.split_idx is not None:
        split_locators(r, locators)
        return
    for rl in locators:
        r.b.add_locator(rl)


def on_dat(r: PnrReader, seg: Segment) -> None:
    zone = r.zone
    if zone == "history":
        r.hist_at = date_time(seg.get(0, 1), seg.get(0, 2), r.pivot)
        return
    if zone in ("leg", "checkin", "split", "nonair"):
        start_checkin(r, seg)
        return
    for comps in seg.elements:
        c = [*comps, "", "", ""]
        q = c[0].strip()
        if q == "700" and zone == "booking":
            r.b.last_changed_at = date_time(c[1], c[2], r.pivot)
        elif q == "710" and zone == "traveller" and r.trav is not None:
            ticket_for_update(r).issued_on = ddmmyy(c[1], r.pivot)


def on_org(r: PnrReader, seg: Segment) -> None:
    if r.zone in ("leg", "checkin"):
        if r.zone == "leg":
            start_checkin(r, None)
        r.ci_agent = ":".join(seg.element(0)).rstrip(":") or None
        return
    if r.b.agency is None:
        r.b.agency = read_agency(seg)


def on_add(r: PnrReader, seg: Segment) -> None:
    comps = seg.element(1) or seg.element(0)
    address = read_add_address(comps)
    phone = comps[7].strip() if len(comps) > 7 else ""
    tb = r.trav if r.zone == "traveller" else None
    pay = r.payment
    if pay is not None and address is not None and r.zone != "skip" and pay.billing_address is None:
        pay.billing_address = Address(
            kind="billing",
            street=address.street,
            city=address.city,
            region=address.region,
            postal_code=address.postal_code,
            country=address.country,
            raw=address.raw,
        )
        address = None
    ref = tb.ref if tb is not None else None
    if address is not None:
        r.b.contacts.append(
            Contact(
                kind=ContactKind.ADDRESS,
                value=address_text(address),
                raw=address.raw,
                source="ADD",
                traveller_ref=ref,
                address=address,
            )
        )
    if phone:
        _add_phones(r, phone, ref)


def _add_phones(r: PnrReader, phone: str, ref: str | None) -> None:
    found = contact_from_text(phone) if "CTC" in phone.upper() else None
    if found is not None:
        kind, value, _code = found
        r.b.contacts.append(
            Contact(kind=kind, value=value, raw=phone, source="ADD", traveller_ref=ref)
        )
        return
    for value in split_phones(phone):
        r.b.contacts.append(
            Contact(kind=ContactKind.PHONE, value=value, raw=phone, source="ADD", traveller_ref=ref)
        )


def on_ebd(r: PnrReader, seg: Segment) -> None:
    text = canonical("", seg.elements)[1:]
    r.b.remarks.append(Remark(kind="EBD", text=text, traveller_ref=r.traveller_ref()))


def on_ift(r: PnrReader, seg: Segment) -> None:
    e = seg.elements
    head = e[0] if e else []
    code = f"{head[0].strip() if head else ''}:{head[1].strip() if len(head) > 1 else ''}"
    tb = r.trav if r.zone == "traveller" else None
    ref = tb.ref if tb is not None else None
    if code == "4:43":
        _sponsor(r, seg, ref)
        return
    text = free_text(seg, 1, r.sep)
    if code == "4:15" and tb is not None:
        ticket = r.ticket
        if ticket is not None and ticket.fare_calculation is None:
            ticket.fare_calculation = text
        else:
            tb.pending_fare_calc = text
        return
    if not text:
        return
    if code == "4:28":
        found = contact_from_text(text)
        if found is not None:
            kind, value, ctc = found
            r.b.contacts.append(
                Contact(kind=kind, value=value, raw=text, source="OSI " + ctc, traveller_ref=ref)
            )
            return
        carrier = opt(head[3]) if len(head) > 3 else None
        r.b.remarks.append(Remark(kind="OSI", text=text, traveller_ref=ref, code=carrier))
        return
    r.b.remarks.append(Remark(kind="IFT", text=text, traveller_ref=ref, code=code))


def _sponsor(r: PnrReader, seg: Segment, ref: str | None) -> None:
    name = free_text(seg, 1, r.sep) if len(seg.elements) == 2 else seg.get(1, 0).strip()
    sponsor = (name, ":".join(seg.element(2)).strip(), ":".join(seg.element(3)).strip())
    if r.payment is not None and r.zone in ("traveller", "booking"):
        r.apply_sponsor(r.payment, sponsor)
    else:
        r.flush_sponsor()
        r.sponsor = sponsor if ref is not None else None
        if ref is None:
            r.b.remarks.append(Remark(kind="SPONSOR", text=" / ".join(sponsor).strip()))

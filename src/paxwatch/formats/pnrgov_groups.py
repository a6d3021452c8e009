"""Reading the PNRs of one PNRGOV message: groups 1 to 12 and LTS.

``PnrReader`` takes the segments of a message from the first SRC to UNT, one at a time, and
keeps track of where it is: the booking (group 1), a traveller and its tickets (groups 2 to
4), an itinerary leg (group 5) with its check-in (groups 6 and 7), a split PNR (group 8), a
non-air segment (group 9) or the history (groups 10 to 12). Segments are dispatched on
their tag through a dict of handlers; the zone decides what a TVL or TIF means, so that
history, split and non-air segments never become legs or travellers.

This module holds the reader's state, the dispatch and group 1 (booking, contacts,
remarks, sponsor); ``pnrgov_traveller`` reads groups 2 to 4 and SSRs, ``pnrgov_itinerary``
groups 5 to 7 and ``pnrgov_history`` groups 8 to 12 and LTS. Handlers are plain functions
``handler(reader, segment)``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from paxwatch.formats.edifact import Segment
from paxwatch.formats.people import contact_from_text, normalise_phone
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
from paxwatch.formats.pnrgov_elements import finding as finding
from paxwatch.formats.pnrgov_leg_builders import CheckInPaxB, LegB
from paxwatch.formats.pnrgov_traveller_builders import PaymentB, TicketB, TravellerB
from paxwatch.formats.values import ddmmyy
from paxwatch.model.booking import Address, Booking, Contact, RecordLocator, Remark
from paxwatch.model.common import ContactKind, Finding, Severity

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
__all__ = ["ERROR", "HANDLERS", "INFO", "WARNING", "PnrReader", "finding", "read_locators"]

# Segments that shape the history (group 10) rather than being history content.
_HISTORY_FRAME = frozenset({"ABI", "DAT", "SAC", "SRC", "LTS"})

Handler = Callable[["PnrReader", Segment], None]


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


class PnrReader:
    """Reads the bookings of one message, segment by segment (see the module docstring)."""

    def __init__(self, element_sep: str, pivot: date | None, findings: list[Finding]) -> None:
        self.sep = element_sep
        self.pivot = pivot
        self.findings = findings
        self.bookings: list[BookingB] = []
        self.b = BookingB()
        self.started = False
        self.zone = "booking"
        self.trav: TravellerB | None = None
        self.ticket: TicketB | None = None
        self.payment: PaymentB | None = None
        self.sponsor: tuple[str, str, str] | None = None
        self.leg: LegB | None = None
        self.ci_at: datetime | None = None
        self.ci_agent: str | None = None
        self.pax: CheckInPaxB | None = None
        self.split_idx: int | None = None
        self.nonair_kind: str | None = None
        self.nonair_open = False
        self.hist_at: datetime | None = None
        self.hist_by: str | None = None
        self.hist_action: str | None = None
        self.pending_docs: list[tuple[str, Segment]] = []

    # -- driving ---------------------------------------------------------------------------

    def feed(self, seg: Segment) -> None:
        """Read one segment of the PNR part of the message."""
        tag = seg.tag
        if not self.started and tag != "SRC":
            self.findings.append(
                finding(
                    WARNING,
                    "missing-src",
                    f"{tag} at segment {seg.index} starts a booking without SRC; "
                    "a booking was assumed to start here.",
                    seg,
                )
            )
            self.started = True
        if self.zone == "history" and tag not in _HISTORY_FRAME:
            history_item(self, seg)
            return
        handler = HANDLERS.get(tag)
        if handler is None:
            self.findings.append(
                finding(
                    ERROR,
                    "unknown-segment",
                    f"unknown segment tag {tag!r} at segment {seg.index}; it was skipped.",
                    seg,
                )
            )
            return
        handler(self, seg)

    def finish(self, preferred_systems: tuple[str, ...]) -> list[Booking]:
        """Close the last booking and build every booking read."""
        self.close_booking()
        return [bb.build(preferred_systems) for bb in self.bookings]

    def close_booking(self) -> None:
        self.leave_leg()
        if self.started:
            resolve_pending(self)
            self.bookings.append(self.b)

    def leave_leg(self) -> None:
        if self.pax is not None:
            close_pax(self)
        if self.nonair_open:
            flush_nonair(self)

    def enter_traveller_zone(self, tb: TravellerB | None) -> None:
        self.trav = tb
        self.ticket = None
        self.payment = None
        if self.sponsor is not None:
            self.flush_sponsor()
        self.zone = "traveller" if tb is not None else "skip"

    def leave_for(self, zone: str) -> None:
        """Close the current leg and traveller and enter ``zone``."""
        self.leave_leg()
        self.enter_traveller_zone(None)
        self.zone = zone

    def ignore(self, seg: Segment, where: str) -> None:
        self.findings.append(
            finding(
                INFO,
                "unexpected-segment",
                f"{seg.tag} at segment {seg.index} is not expected {where}; it was ignored.",
                seg,
            )
        )

    def traveller_ref(self) -> str | None:
        """The reference of the traveller whose group is being read, if any."""
        tb = self.trav
        return tb.ref if tb is not None and self.zone == "traveller" else None

    def flush_sponsor(self) -> None:
        if self.sponsor is not None:
            ref = self.trav.ref if self.trav else None
            text = " / ".join(p for p in self.sponsor if p)
            self.b.remarks.append(Remark(kind="SPONSOR", text=text, traveller_ref=ref))
            self.sponsor = None

    def apply_sponsor(self, pay: PaymentB, sponsor: tuple[str, str, str]) -> None:
        name, address, phone = sponsor
        pay.payer_name = opt(name) or pay.payer_name
        pay.billing_address = Address(kind="billing", raw=address) if address else None
        pay.payer_phone = normalise_phone(phone) if phone else None


# -- group 1 -----------------------------------------------------------------------------


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


# The handlers of the other groups import ``PnrReader`` for their annotations only.
from paxwatch.formats.pnrgov_history import (  # noqa: E402
    flush_nonair,
    history_item,
    on_abi,
    on_eqn,
    on_lts,
    on_msg,
    on_sac,
    split_locators,
)
from paxwatch.formats.pnrgov_itinerary import (  # noqa: E402
    close_pax,
    on_apd,
    on_rpi,
    on_ssd,
    on_tbd,
    on_tra,
    on_tri,
    on_tvl,
    start_checkin,
)
from paxwatch.formats.pnrgov_traveller import (  # noqa: E402
    on_far,
    on_fop,
    on_fti,
    on_mon,
    on_ptk,
    on_ref,
    on_ssr,
    on_tif,
    on_tkt,
    on_txd,
    resolve_pending,
    ticket_for_update,
)

HANDLERS: dict[str, Handler] = {
    "SRC": on_src,
    "RCI": on_rci,
    "DAT": on_dat,
    "ORG": on_org,
    "ADD": on_add,
    "EBD": on_ebd,
    "IFT": on_ift,
    "TIF": on_tif,
    "FTI": on_fti,
    "REF": on_ref,
    "FAR": on_far,
    "TKT": on_tkt,
    "MON": on_mon,
    "PTK": on_ptk,
    "TXD": on_txd,
    "FOP": on_fop,
    "SSR": on_ssr,
    "TVL": on_tvl,
    "TRA": on_tra,
    "RPI": on_rpi,
    "APD": on_apd,
    "TRI": on_tri,
    "SSD": on_ssd,
    "TBD": on_tbd,
    "EQN": on_eqn,
    "MSG": on_msg,
    "ABI": on_abi,
    "SAC": on_sac,
    "LTS": on_lts,
}

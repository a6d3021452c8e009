"""Reading the PNRs of one PNRGOV message: groups 1 to 12 and LTS.

``PnrReader`` takes the segments of a message from the first SRC to UNT, one at a time, and
keeps track of where it is: the booking (group 1), a traveller and its tickets (groups 2 to
4), an itinerary leg (group 5) with its check-in (groups 6 and 7), a split PNR (group 8), a
non-air segment (group 9) or the history (groups 10 to 12). Segments are dispatched on
their tag through a dict of handlers; the zone decides what a TVL or TIF means, so that
history, split and non-air segments never become legs or travellers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from paxwatch.formats.edifact import Segment
from paxwatch.formats.people import (
    contact_from_text,
    normalise_email,
    normalise_phone,
    split_suffix,
    split_title,
)
from paxwatch.formats.pnrgov_builders import (
    BookingB,
    CheckInPaxB,
    LegB,
    TicketB,
    TravellerB,
)
from paxwatch.formats.pnrgov_elements import (
    PAYMENT_METHODS,
    TRAVELLER_TYPES,
    WEIGHT_UNITS,
    TvlInfo,
    abi_by,
    address_text,
    canonical,
    date_time,
    free_text,
    history_action,
    opt,
    read_add_address,
    read_agency,
    read_doca,
    read_document,
    read_fare,
    read_frequent_flyer,
    read_money,
    read_taxes,
    read_tvl,
    read_visa,
    seat_number,
    seg_canonical,
    split_phones,
)
from paxwatch.formats.values import ddmmyy, decimal, flight_number, integer
from paxwatch.model.booking import (
    Address,
    Bag,
    Booking,
    CheckIn,
    Contact,
    HistoryEntry,
    Leg,
    LegKey,
    NonAirSegment,
    Payment,
    RecordLocator,
    Remark,
    Seat,
    SpecialService,
    SplitReference,
    Ticket,
    Traveller,
)
from paxwatch.model.common import ContactKind, Finding, PaymentMethod, Severity, TravellerType

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

SEAT_CODES = frozenset({"SEAT", "RQST", "NSST", "NSSA", "NSSW", "NSSB", "SMST", "SMSA", "SMSW"})
HISTORY_ELEMENTS = {"TIF": "name", "SSR": "ssr", "TBD": "bags", "TVL": "leg", "IFT": "remark"}
# Segments that shape the history (group 10) rather than being history content.
_HISTORY_FRAME = frozenset({"ABI", "DAT", "SAC", "SRC", "LTS"})
CHECKED_IN = "checked_in"

Handler = Callable[["PnrReader", Segment], None]


def finding(severity: Severity, code: str, message: str, seg: Segment | None) -> Finding:
    """A finding placed at ``seg``."""
    return Finding(
        severity=severity,
        code=code,
        message=message,
        segment=seg.index if seg else None,
        segment_text=seg.text[:200] if seg else None,
        line=seg.line if seg else None,
    )


def read_locators(seg: Segment, pivot: date | None) -> list[RecordLocator]:
    """RCI: ``system:locator::DDMMYY:HHMM`` per element (also ``system:locator:DDMMYY:HHMM``)."""
    out: list[RecordLocator] = []
    for comps in seg.elements:
        c = [*comps, "", "", "", ""]
        locator = c[1].strip()
        if not locator:
            continue
        day, at = (
            (c[2], c[3]) if len(c[2].strip()) == 6 and c[2].strip().isdigit() else (c[3], c[4])
        )
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
        self.payment_idx: int | None = None
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
        if not self.started and seg.tag != "SRC":
            self.findings.append(
                finding(
                    WARNING,
                    "missing-src",
                    f"{seg.tag} at segment {seg.index} starts a booking without SRC; "
                    "a booking was assumed to start here.",
                    seg,
                )
            )
            self.started = True
        if self.zone == "history" and seg.tag not in _HISTORY_FRAME:
            self._history(seg)
            return
        handler = HANDLERS.get(seg.tag)
        if handler is None:
            self.findings.append(
                finding(
                    ERROR,
                    "unknown-segment",
                    f"unknown segment tag {seg.tag!r} at segment {seg.index}; it was skipped.",
                    seg,
                )
            )
            return
        handler(self, seg)

    def finish(self, preferred_systems: tuple[str, ...]) -> list[Booking]:
        """Close the last booking and build every booking read."""
        self._close_booking()
        out: list[Booking] = []
        for bb in self.bookings:
            out.append(bb.build(preferred_systems))
        return out

    def _close_booking(self) -> None:
        self._leave_leg()
        if self.started:
            self._resolve_pending()
            self.bookings.append(self.b)

    def _leave_leg(self) -> None:
        self._close_pax()
        self._flush_nonair()

    def _enter_traveller_zone(self, tb: TravellerB | None) -> None:
        self.trav = tb
        self.ticket = None
        self.payment_idx = None
        self._flush_sponsor()
        self.zone = "traveller" if tb is not None else "skip"

    def _ignore(self, seg: Segment, where: str) -> None:
        self.findings.append(
            finding(
                INFO,
                "unexpected-segment",
                f"{seg.tag} at segment {seg.index} is not expected {where}; it was ignored.",
                seg,
            )
        )

    # -- group 1 -------------------------------------------------------------------------

    def on_src(self, seg: Segment) -> None:
        if self.started:
            self._close_booking()
        self.started = True
        self.b = BookingB()
        self.zone = "booking"
        self.trav = self.ticket = None
        self.leg = None
        self.split_idx = None
        self.hist_at = self.hist_by = self.hist_action = None

    def on_rci(self, seg: Segment) -> None:
        locators = read_locators(seg, self.pivot)
        if self.zone == "split" and self.split_idx is not None:
            for i, rl in enumerate(locators):
                if i == 0 and self.b.split_references[self.split_idx].locator is None:
                    old = self.b.split_references[self.split_idx]
                    self.b.split_references[self.split_idx] = replace(
                        old, locator=rl.locator, system=rl.system
                    )
                else:
                    self.b.split_references.append(
                        SplitReference(locator=rl.locator, system=rl.system)
                    )
            return
        for rl in locators:
            self.b.add_locator(rl)

    def on_dat(self, seg: Segment) -> None:
        if self.zone == "history":
            self.hist_at = date_time(seg.get(0, 1), seg.get(0, 2), self.pivot)
            return
        if self.zone in ("leg", "checkin", "split", "nonair"):
            self._start_checkin(seg)
            return
        for comps in seg.elements:
            c = [*comps, "", "", ""]
            q = c[0].strip()
            if q == "700" and self.zone == "booking":
                self.b.last_changed_at = date_time(c[1], c[2], self.pivot)
            elif q == "710" and self.zone == "traveller" and self.trav is not None:
                tb = self._ticket_for_update()
                tb.ticket = replace(tb.ticket, issued_on=ddmmyy(c[1], self.pivot))

    def on_org(self, seg: Segment) -> None:
        if self.zone in ("leg", "checkin"):
            if self.zone == "leg":
                self._start_checkin(None)
            self.ci_agent = ":".join(seg.element(0)).rstrip(":") or None
            return
        if self.b.agency is None:
            self.b.agency = read_agency(seg)

    def on_add(self, seg: Segment) -> None:
        comps = seg.element(1) or seg.element(0)
        address = read_add_address(comps)
        phone = comps[7].strip() if len(comps) > 7 else ""
        tb = self.trav if self.zone == "traveller" else None
        if tb is not None and self.payment_idx is not None and address is not None:
            pay = self.b.payments[self.payment_idx]
            if pay.billing_address is None:
                self.b.payments[self.payment_idx] = replace(
                    pay, billing_address=replace(address, kind="billing")
                )
                address = None
        ref = tb.t.ref if tb is not None else None
        if address is not None:
            if tb is not None:
                tb.addresses.append(address)
            else:
                self.b.contacts.append(
                    Contact(
                        kind=ContactKind.ADDRESS,
                        value=address_text(address),
                        raw=address.raw,
                        source="ADD",
                        address=address,
                    )
                )
        if phone:
            self._add_phones(phone, ref)

    def _add_phones(self, phone: str, ref: str | None) -> None:
        found = contact_from_text(phone) if "CTC" in phone.upper() else None
        if found is not None:
            kind, value, _code = found
            self.b.contacts.append(
                Contact(kind=kind, value=value, raw=phone, source="ADD", traveller_ref=ref)
            )
            return
        for value in split_phones(phone):
            self.b.contacts.append(
                Contact(
                    kind=ContactKind.PHONE, value=value, raw=phone, source="ADD", traveller_ref=ref
                )
            )

    def on_ebd(self, seg: Segment) -> None:
        ref = self.trav.t.ref if self.zone == "traveller" and self.trav else None
        text = canonical("", seg.elements)[1:]
        self.b.remarks.append(Remark(kind="EBD", text=text, traveller_ref=ref))

    def on_ift(self, seg: Segment) -> None:
        code = f"{seg.get(0, 0).strip()}:{seg.get(0, 1).strip()}"
        in_trav = self.zone == "traveller" and self.trav is not None
        ref = self.trav.t.ref if in_trav and self.trav else None
        if code == "4:43":
            self._sponsor(seg, ref)
            return
        text = free_text(seg, 1, self.sep)
        if code == "4:15" and in_trav and self.trav is not None:
            if self.ticket is not None and self.ticket.ticket.fare_calculation is None:
                self.ticket.ticket = replace(self.ticket.ticket, fare_calculation=text)
            else:
                self.trav.pending_fare_calc = text
            return
        if not text:
            return
        if code == "4:28":
            found = contact_from_text(text)
            if found is not None:
                kind, value, ctc = found
                self.b.contacts.append(
                    Contact(
                        kind=kind, value=value, raw=text, source="OSI " + ctc, traveller_ref=ref
                    )
                )
                return
            carrier = opt(seg.get(0, 3))
            self.b.remarks.append(Remark(kind="OSI", text=text, traveller_ref=ref, code=carrier))
            return
        self.b.remarks.append(Remark(kind="IFT", text=text, traveller_ref=ref, code=code))

    def _sponsor(self, seg: Segment, ref: str | None) -> None:
        name = free_text(seg, 1, self.sep) if len(seg.elements) == 2 else seg.get(1, 0).strip()
        sponsor = (name, ":".join(seg.element(2)).strip(), ":".join(seg.element(3)).strip())
        if self.payment_idx is not None and self.zone == "traveller":
            self._apply_sponsor(self.payment_idx, sponsor)
        else:
            self._flush_sponsor()
            self.sponsor = sponsor if ref is not None else None
            if ref is None:
                self.b.remarks.append(Remark(kind="SPONSOR", text=" / ".join(sponsor).strip()))

    def _apply_sponsor(self, idx: int, sponsor: tuple[str, str, str]) -> None:
        name, address, phone = sponsor
        pay = self.b.payments[idx]
        self.b.payments[idx] = replace(
            pay,
            payer_name=opt(name) or pay.payer_name,
            billing_address=Address(kind="billing", raw=address) if address else None,
            payer_phone=normalise_phone(phone) if phone else None,
        )

    def _flush_sponsor(self) -> None:
        if self.sponsor is not None:
            ref = self.trav.t.ref if self.trav else None
            text = " / ".join(p for p in self.sponsor if p)
            self.b.remarks.append(Remark(kind="SPONSOR", text=text, traveller_ref=ref))
            self.sponsor = None

    # -- group 2 to 4 ----------------------------------------------------------------------

    def on_tif(self, seg: Segment) -> None:
        if self.zone in ("leg", "checkin"):
            pax = self._pax()
            pax.tif_ref = opt(seg.get(1, 2))
            pax.tif_raw_name = _raw_name(seg)
            return
        if self.zone in ("split", "nonair"):
            self._ignore(seg, "in a split-PNR or non-air group")
            return
        surname_raw = seg.get(0, 0).strip()
        if seg.get(0, 1).strip().upper() == "G":
            self.b.group_name = surname_raw or None
            self._enter_traveller_zone(None)
            self.zone = "booking"
            return
        if not surname_raw:
            self.findings.append(
                finding(
                    ERROR,
                    "traveller-skipped",
                    f"TIF at segment {seg.index} has no surname; traveller skipped.",
                    seg,
                )
            )
            self._enter_traveller_zone(None)
            return
        self._enter_traveller_zone(self._new_traveller(seg, surname_raw))

    def _new_traveller(self, seg: Segment, surname_raw: str) -> TravellerB:
        given_raw = seg.get(1, 0).strip()
        type_code = seg.get(1, 1).strip().upper()
        ttype = TRAVELLER_TYPES.get(type_code)
        if ttype is None:
            self.findings.append(
                finding(
                    INFO,
                    "traveller-type",
                    f"unknown traveller type {type_code!r} at segment {seg.index}; read as adult.",
                    seg,
                )
            )
            ttype = TravellerType.ADULT
        surname, suffix = split_suffix(surname_raw)
        given, title = split_title(given_raw)
        accompanying = None
        if ttype is TravellerType.INFANT:
            adults = [x for x in self.b.travellers if x.t.type is not TravellerType.INFANT]
            flagged = [x for x in adults if x.infant_flag]
            pick = flagged[-1] if flagged else (adults[-1] if adults else None)
            accompanying = pick.t.ref if pick else None
        tb = TravellerB(
            Traveller(
                ref=opt(seg.get(1, 2)),
                surname=surname,
                given_names=given,
                title=title,
                suffix=suffix,
                raw_name=_raw_name(seg),
                type=ttype,
                accompanying_ref=accompanying,
            ),
            infant_flag=seg.get(1, 3).strip().upper() in ("IN", "INF"),
        )
        self.b.travellers.append(tb)
        return tb

    def _trav_only(self, seg: Segment) -> TravellerB | None:
        if self.zone == "traveller" and self.trav is not None:
            return self.trav
        if self.zone != "skip":
            self._ignore(seg, "outside a traveller group")
        return None

    def on_fti(self, seg: Segment) -> None:
        tb = self._trav_only(seg)
        ff = read_frequent_flyer(seg)
        if tb is not None and ff is not None:
            tb.frequent_flyers.append(ff)

    def on_ref(self, seg: Segment) -> None:
        tb = self._trav_only(seg)
        if tb is not None:
            value = opt(seg.get(0, 1)) or opt(seg.get(0, 0))
            tb.t = replace(tb.t, unique_ref=value)

    def on_far(self, seg: Segment) -> None:
        tb = self._trav_only(seg)
        if tb is not None:
            tb.fares.append(read_fare(seg))

    def _ticket_for_update(self) -> TicketB:
        if self.ticket is None:
            assert self.trav is not None
            self.ticket = TicketB(Ticket())
            self.trav.tickets.append(self.ticket)
        return self.ticket

    def on_tkt(self, seg: Segment) -> None:
        tb = self._trav_only(seg)
        if tb is None:
            return
        calc, tb.pending_fare_calc = tb.pending_fare_calc, None
        self.ticket = TicketB(
            Ticket(
                number=opt(seg.get(0, 0)),
                document_type=opt(seg.get(0, 1)),
                fare_calculation=calc,
            )
        )
        tb.tickets.append(self.ticket)
        self.payment_idx = None

    def on_mon(self, seg: Segment) -> None:
        if self._trav_only(seg) is None:
            return
        tb = self._ticket_for_update()
        base, total, currency = read_money(seg)
        tb.ticket = replace(tb.ticket, base_amount=base, total_amount=total, currency=currency)

    def on_ptk(self, seg: Segment) -> None:
        if self._trav_only(seg) is None:
            return
        tb = self._ticket_for_update()
        tb.ticket = replace(tb.ticket, country_of_sale=opt(seg.get(5, 0)))

    def on_txd(self, seg: Segment) -> None:
        if self._trav_only(seg) is None:
            return
        self._ticket_for_update().taxes.extend(read_taxes(seg))

    def on_fop(self, seg: Segment) -> None:
        tb = self.trav if self.zone == "traveller" else None
        if self.zone == "skip":
            return
        currency = self.ticket.ticket.currency if self.ticket is not None else None
        for comps in seg.elements:
            c = [*comps, "", "", "", "", "", ""]
            code = c[0].strip().upper()
            if not code and not any(x.strip() for x in c):
                continue
            amount = decimal(c[2])
            self.b.payments.append(
                Payment(
                    method=PAYMENT_METHODS.get(code, PaymentMethod.OTHER),
                    raw_method=code or None,
                    amount=amount,
                    currency=currency if amount is not None else None,
                    card_vendor=opt(c[3]),
                    card_number=opt(c[4]),
                    card_expiry=opt(c[5]),
                    traveller_ref=tb.t.ref if tb else None,
                )
            )
            self.payment_idx = len(self.b.payments) - 1
            if self.sponsor is not None:
                self._apply_sponsor(self.payment_idx, self.sponsor)
                self.sponsor = None

    # -- SSR -------------------------------------------------------------------------------

    def on_ssr(self, seg: Segment) -> None:
        code = seg.get(0, 0).strip().upper()
        comps = seg.element(0)
        text = ":".join(comps[8:]) if len(comps) > 8 else ""
        refs = [opt(e[2]) if len(e) > 2 else None for e in seg.elements[1:]]
        trav = self.trav if self.zone == "traveller" else None
        if self.zone == "skip":
            return
        leg = self.leg if self.zone in ("leg", "checkin", "split", "nonair") else None
        if code in SEAT_CODES and self._seats(seg, trav, leg):
            return
        if code in ("DOCS", "DOCO", "DOCA"):
            target = trav or self.b.traveller(next((r for r in refs if r), None))
            if target is None:
                self.pending_docs.append((next((r for r in refs if r), "") or "", seg))
            else:
                self._document(code, text, target)
            return
        if code.startswith("CTC") and len(code) == 4 and text.strip():
            ref = trav.t.ref if trav else next((r for r in refs if r), None)
            self.b.contacts.append(_ssr_contact(code, text, ref))
            return
        status = opt(seg.get(0, 1))
        key = self._ssr_leg_key(seg, leg)
        targets: list[str | None] = [trav.t.ref] if trav else ([r for r in refs if r] or [None])
        for ref in targets:
            self.b.special_services.append(
                SpecialService(code=code, status=status, text=opt(text), traveller_ref=ref, leg=key)
            )

    def _document(self, code: str, text: str, target: TravellerB) -> None:
        if code == "DOCS":
            doc, infant = read_document(text, self.pivot)
            if infant and target.t.type is not TravellerType.INFANT:
                target.infant_docs.append(doc)
            else:
                target.add_document(doc)
        elif code == "DOCO":
            target.visas.append(read_visa(text, self.pivot))
        else:
            target.addresses.append(read_doca(text))

    def _resolve_pending(self) -> None:
        for ref, seg in self.pending_docs:
            target = self.b.traveller(ref)
            if target is None:
                self.findings.append(
                    finding(
                        ERROR,
                        "document-skipped",
                        f"{seg.get(0, 0)} at segment {seg.index} names traveller "
                        f"{ref or '(none)'}, who is not in the booking; it was skipped.",
                        seg,
                    )
                )
                continue
            comps = seg.element(0)
            self._document(seg.get(0, 0).strip().upper(), ":".join(comps[8:]), target)
        self.pending_docs = []

    def _ssr_leg_key(self, seg: Segment, leg: LegB | None) -> LegKey | None:
        origin, dest = seg.get(0, 6).strip().upper(), seg.get(0, 7).strip().upper()
        if leg is not None and (
            not origin or (origin, dest) == (leg.leg.origin, leg.leg.destination)
        ):
            return leg.key
        if not origin and not dest:
            return None
        carrier = seg.get(0, 3).strip().upper()
        number = None
        words = seg.get(0, 8).split()
        if len(words) >= 2 and len(words[0]) == 2 and words[1].isdigit():
            carrier, number = words[0].upper(), flight_number(words[1])
        return LegKey(
            carrier=None if carrier in ("", "YY") else carrier,
            number=number,
            origin=origin or None,
            destination=dest or None,
        )

    def _seats(self, seg: Segment, trav: TravellerB | None, leg: LegB | None) -> bool:
        """Seats of an SSR SEAT-like request; False when it names no seat at all."""
        key = self._ssr_leg_key(seg, leg)
        found = False
        for comps in seg.elements[1:]:
            raw = comps[0] if comps else ""
            if raw.strip():
                found = True
            seat = seat_number(raw)
            if seat is None:
                continue
            target = trav or self.b.traveller(comps[2] if len(comps) > 2 else None)
            if target is None:
                self.findings.append(
                    finding(
                        WARNING,
                        "seat-skipped",
                        f"seat {seat} at segment {seg.index} is for traveller "
                        f"{comps[2] if len(comps) > 2 else '(none)'}, who is not in the "
                        "booking; it was skipped.",
                        seg,
                    )
                )
                continue
            target.add_seat(Seat(seat=seat, leg=key))
        return found

    # -- group 5 to 9 ----------------------------------------------------------------------

    def on_tvl(self, seg: Segment) -> None:
        info = read_tvl(seg, self.pivot)
        for bad in info.bad_times:
            self.findings.append(
                finding(
                    WARNING,
                    "bad-time",
                    f"{bad!r} in TVL at segment {seg.index} is not a time; the time was dropped "
                    "(the date is kept, at 00:00).",
                    seg,
                )
            )
        if self.zone == "nonair" and (self.nonair_open or not _flight_like(info)):
            self._non_air(seg, info)
            return
        if info.is_number_only:
            self._codeshare(seg, info.raw_number, None)
            return
        self._leave_leg()
        self._enter_traveller_zone(None)
        self.zone = "leg"
        self.leg = None
        if not (info.carrier and info.raw_number and info.origin and info.destination):
            self.findings.append(
                finding(
                    ERROR,
                    "leg-skipped",
                    f"TVL at segment {seg.index} lacks a carrier, flight number, origin or "
                    "destination; the leg was skipped.",
                    seg,
                )
            )
            return
        leg = Leg(
            carrier=info.carrier,
            number=info.number,
            origin=info.origin,
            destination=info.destination,
            departure=info.departure,
            arrival=info.arrival,
            operating_carrier=info.operating_carrier,
            booking_class=info.booking_class,
            raw_number=info.raw_number,
        )
        self.leg = LegB(leg, leg.key)
        self.b.legs.append(self.leg)

    def _codeshare(self, seg: Segment, raw_number: str, carrier: str | None) -> None:
        if self.leg is None or self.zone not in ("leg", "checkin"):
            self._ignore(seg, "without a leg before it")
            return
        leg = self.leg.leg
        self.leg.leg = replace(
            leg,
            operating_carrier=carrier or leg.operating_carrier,
            operating_number=flight_number(raw_number) if raw_number.strip() else None,
        )

    def on_tra(self, seg: Segment) -> None:
        self._codeshare(seg, seg.get(1, 0), opt(seg.get(0, 0).upper()))

    def on_rpi(self, seg: Segment) -> None:
        if self.leg is None or self.zone not in ("leg", "checkin"):
            self._ignore(seg, "without a leg before it")
            return
        self.leg.leg = replace(
            self.leg.leg, number_in_party=integer(seg.get(0, 0)), status=opt(seg.get(1, 0))
        )

    def on_apd(self, seg: Segment) -> None:
        if self.leg is None or self.zone not in ("leg", "checkin"):
            self._ignore(seg, "without a leg before it")
            return
        self.leg.leg = replace(self.leg.leg, equipment=opt(seg.get(0, 0)))

    def _start_checkin(self, seg: Segment | None) -> None:
        self._close_pax()
        self.zone = "checkin"
        at = date_time(seg.get(0, 1), seg.get(0, 2), self.pivot) if seg is not None else None
        self.ci_at = at
        self.ci_agent = None

    def _pax(self) -> CheckInPaxB:
        if self.zone == "leg":
            self._start_checkin(None)
        if self.pax is None:
            self.pax = CheckInPaxB()
        return self.pax

    def on_tri(self, seg: Segment) -> None:
        if self.zone not in ("leg", "checkin"):
            self._ignore(seg, "outside a leg")
            return
        self._close_pax()
        pax = self._pax()
        pax.sequence = opt(seg.get(1, 0))
        pax.tri_ref = opt(seg.get(1, 3))

    def on_ssd(self, seg: Segment) -> None:
        if self.zone not in ("leg", "checkin"):
            self._ignore(seg, "outside a leg")
            return
        pax = self._pax()
        pax.seat = seat_number(seg.get(0, 0))
        pax.cabin = opt(seg.get(4, 0))

    def on_tbd(self, seg: Segment) -> None:
        bag = read_bag(seg)
        if self.zone in ("leg", "checkin"):
            self._pax().bags.append(bag)
        elif self.zone == "traveller" and self.trav is not None:
            self.trav.bags.append(bag)
        else:
            self._ignore(seg, "outside a traveller or check-in group")

    def _close_pax(self) -> None:
        pax, self.pax = self.pax, None
        if pax is None:
            return
        tb = self._checked_in_traveller(pax)
        if tb is None:
            self.findings.append(
                Finding(
                    severity=WARNING,
                    code="check-in-skipped",
                    message=(
                        f"checked-in passenger {pax.tif_raw_name or pax.tri_ref or '?'} is not "
                        "among the booking's travellers; the check-in was skipped."
                    ),
                )
            )
            return
        key = self.leg.key if self.leg is not None else None
        at = self.ci_at
        tb.check_ins.append(
            CheckIn(
                status=CHECKED_IN,
                leg=key,
                checked_in_at=at,
                sequence_number=pax.sequence,
                agent=self.ci_agent,
                cabin=pax.cabin,
            )
        )
        if pax.seat is not None:
            tb.add_seat(Seat(seat=pax.seat, leg=key, cabin=pax.cabin))
        for bag in pax.bags:
            tb.bags.append(replace(bag, leg=key))

    def _checked_in_traveller(self, pax: CheckInPaxB) -> TravellerB | None:
        by_ref = self.b.traveller(pax.tif_ref)
        if by_ref is not None and pax.tif_raw_name in (None, by_ref.t.raw_name):
            return by_ref
        if pax.tif_raw_name:
            for tb in self.b.travellers:
                if tb.t.raw_name == pax.tif_raw_name:
                    return tb
        return by_ref or self.b.traveller(pax.tri_ref)

    def on_eqn(self, seg: Segment) -> None:
        self._leave_leg()
        self._enter_traveller_zone(None)
        self.zone = "split"
        self.b.split_references.append(SplitReference(number_of_travellers=integer(seg.get(0, 0))))
        self.split_idx = len(self.b.split_references) - 1

    def on_msg(self, seg: Segment) -> None:
        self._leave_leg()
        self._enter_traveller_zone(None)
        self.zone = "nonair"
        self.nonair_kind = opt(seg.get(0, 0)) or opt(seg.get(0, 1))
        self.nonair_open = True

    def _non_air(self, seg: Segment, info: TvlInfo) -> None:
        end = seg.get(0, 2).strip()
        self.b.non_air.append(
            NonAirSegment(
                kind=self.nonair_kind,
                location=opt(info.origin),
                start=info.departure.date() if info.departure else None,
                end=ddmmyy(end, self.pivot) if len(end) == 6 else None,
                provider=opt(info.carrier),
                raw=seg_canonical(seg),
            )
        )
        self.nonair_open = False

    def _flush_nonair(self) -> None:
        if self.zone == "nonair" and self.nonair_open:
            self.b.non_air.append(NonAirSegment(kind=self.nonair_kind))
        self.nonair_open = False

    # -- group 10 to 12, LTS ---------------------------------------------------------------

    def on_abi(self, seg: Segment) -> None:
        self._leave_leg()
        self._enter_traveller_zone(None)
        self.zone = "history"
        self.hist_by = abi_by(seg)
        self.hist_at = None
        self.hist_action = None

    def on_sac(self, seg: Segment) -> None:
        if self.zone != "history":
            self._leave_leg()
            self._enter_traveller_zone(None)
            self.zone = "history"
            self.hist_by = self.hist_at = None
        self.hist_action = history_action(seg)

    def on_lts(self, seg: Segment) -> None:
        text = free_text(seg, 0, self.sep)
        if text:
            self.b.history.append(HistoryEntry(text=text))

    def _history(self, seg: Segment) -> None:
        history = self.b.history
        if seg.tag == "RPI" and history and history[-1].element == "leg":
            history[-1] = replace(history[-1], text=history[-1].text + "'" + seg_canonical(seg))
            return
        text = free_text(seg, 1, self.sep) if seg.tag == "IFT" else seg_canonical(seg)
        at = self.hist_at
        history.append(
            HistoryEntry(
                at=at,
                action=self.hist_action,
                element=HISTORY_ELEMENTS.get(seg.tag, seg.tag.lower()),
                text=text,
                by=self.hist_by,
            )
        )


def _raw_name(seg: Segment) -> str:
    surname, given = seg.get(0, 0).strip(), seg.get(1, 0).strip()
    return f"{surname}/{given}" if given else surname


def _flight_like(info: TvlInfo) -> bool:
    return (
        len(info.origin) == 3
        and not info.origin_name
        and len(info.destination) == 3
        and 2 <= len(info.carrier) <= 3
        and info.raw_number.isdigit()
    )


def _ssr_contact(code: str, text: str, ref: str | None) -> Contact:
    body = text.strip()
    if code == "CTCE":
        value = normalise_email(body.lstrip("/").split(" ")[0])
        kind = ContactKind.EMAIL
    else:
        first = next((p for p in body.split("/") if p.strip()), "")
        value = normalise_phone(first)
        kind = ContactKind.PHONE
    return Contact(kind=kind, value=value, raw=text, source="SSR " + code, traveller_ref=ref)


def read_bag(seg: Segment) -> Bag:
    """TBD: ``++count:weight:unit++pool+tag+tag...`` (700 kg, 701 lb; HP = head of pool)."""
    tags = tuple(":".join(c).rstrip(":") for c in seg.elements[4:] if any(x for x in c))
    first = seg.elements[4] if len(seg.elements) > 4 else []
    return Bag(
        count=integer(seg.get(1, 0)),
        weight=decimal(seg.get(1, 1)),
        weight_unit=WEIGHT_UNITS.get(seg.get(1, 2).strip()),
        tags=tags,
        head_of_pool=seg.get(3, 0).strip().upper() == "HP",
        destination=opt(first[3]) if len(first) > 3 else None,
    )


HANDLERS: dict[str, Handler] = {
    "SRC": PnrReader.on_src,
    "RCI": PnrReader.on_rci,
    "DAT": PnrReader.on_dat,
    "ORG": PnrReader.on_org,
    "ADD": PnrReader.on_add,
    "EBD": PnrReader.on_ebd,
    "IFT": PnrReader.on_ift,
    "TIF": PnrReader.on_tif,
    "FTI": PnrReader.on_fti,
    "REF": PnrReader.on_ref,
    "FAR": PnrReader.on_far,
    "TKT": PnrReader.on_tkt,
    "MON": PnrReader.on_mon,
    "PTK": PnrReader.on_ptk,
    "TXD": PnrReader.on_txd,
    "FOP": PnrReader.on_fop,
    "SSR": PnrReader.on_ssr,
    "TVL": PnrReader.on_tvl,
    "TRA": PnrReader.on_tra,
    "RPI": PnrReader.on_rpi,
    "APD": PnrReader.on_apd,
    "TRI": PnrReader.on_tri,
    "SSD": PnrReader.on_ssd,
    "TBD": PnrReader.on_tbd,
    "EQN": PnrReader.on_eqn,
    "MSG": PnrReader.on_msg,
    "ABI": PnrReader.on_abi,
    "SAC": PnrReader.on_sac,
    "LTS": PnrReader.on_lts,
}

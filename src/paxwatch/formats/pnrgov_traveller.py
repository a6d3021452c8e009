"""Groups 2 to 4 of a PNRGOV message: travellers (TIF), their tickets and payments, and SSRs.

Handlers of ``pnrgov_groups.PnrReader`` (see its module docstring): TIF, FTI, REF, FAR,
TKT, MON, PTK, TXD, FOP and SSR, which can also sit in a leg (seats, leg services).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from paxwatch.formats.edifact import Segment
from paxwatch.formats.people import (
    normalise_email,
    normalise_phone,
    split_suffix,
    split_title,
)
from paxwatch.formats.pnrgov_elements import (
    PAYMENT_METHODS,
    TRAVELLER_TYPES,
    finding,
    opt,
    read_doca,
    read_document,
    read_fare,
    read_frequent_flyer,
    read_money,
    read_taxes,
    read_visa,
    seat_number,
)
from paxwatch.formats.pnrgov_itinerary import checkin_pax
from paxwatch.formats.pnrgov_leg_builders import LegB
from paxwatch.formats.pnrgov_traveller_builders import PaymentB, TicketB, TravellerB
from paxwatch.formats.values import decimal, flight_number
from paxwatch.model.booking import Contact, LegKey, Seat, SpecialService
from paxwatch.model.common import ContactKind, PaymentMethod, Severity, TravellerType

if TYPE_CHECKING:
    from paxwatch.formats.pnrgov_groups import PnrReader

SEAT_CODES: Final = frozenset(
    {"SEAT", "RQST", "NSST", "NSSA", "NSSW", "NSSB", "SMST", "SMSA", "SMSW"}
)
_LEG_ZONES: Final = frozenset({"leg", "checkin", "split", "nonair"})


def raw_name(seg: Segment) -> str:
    """``SURNAME/GIVEN`` as the TIF gives it."""
    e = seg.elements
    surname = e[0][0].strip() if e and e[0] else ""
    given = e[1][0].strip() if len(e) > 1 and e[1] else ""
    return f"{surname}/{given}" if given else surname


def on_tif(r: PnrReader, seg: Segment) -> None:
    zone = r.zone
    if zone in ("leg", "checkin"):
        pax = checkin_pax(r)
        pax.tif_ref = opt(seg.get(1, 2))
        pax.tif_raw_name = raw_name(seg)
        return
    if zone in ("split", "nonair"):
        r.ignore(seg, "in a split-PNR or non-air group")
        return
    surname_raw = seg.get(0, 0).strip()
    if seg.get(0, 1).strip().upper() == "G":
        r.b.group_name = surname_raw or None
        r.enter_traveller_zone(None)
        r.zone = "booking"
        return
    if not surname_raw:
        r.findings.append(
            finding(
                Severity.ERROR,
                "traveller-skipped",
                f"TIF at segment {seg.index} has no surname; traveller skipped.",
                seg,
            )
        )
        r.enter_traveller_zone(None)
        return
    r.enter_traveller_zone(_new_traveller(r, seg, surname_raw))


def _new_traveller(r: PnrReader, seg: Segment, surname_raw: str) -> TravellerB:
    e = seg.elements
    second: list[str] = e[1] if len(e) > 1 else []
    details = [*second, "", "", "", ""]
    given_raw = details[0].strip()
    type_code = details[1].strip().upper()
    ttype = TRAVELLER_TYPES.get(type_code)
    if ttype is None:
        r.findings.append(
            finding(
                Severity.INFO,
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
        adults = [x for x in r.b.travellers if x.type is not TravellerType.INFANT]
        flagged = [x for x in adults if x.infant_flag]
        pick = flagged[-1] if flagged else (adults[-1] if adults else None)
        accompanying = pick.ref if pick else None
    tb = TravellerB(
        ref=opt(details[2]),
        surname=surname,
        given_names=given,
        title=title,
        suffix=suffix,
        raw_name=f"{surname_raw}/{given_raw}" if given_raw else surname_raw,
        type=ttype,
        accompanying_ref=accompanying,
        infant_flag=details[3].strip().upper() in ("IN", "INF"),
    )
    r.b.travellers.append(tb)
    return tb


def _trav_only(r: PnrReader, seg: Segment) -> TravellerB | None:
    if r.zone == "traveller" and r.trav is not None:
        return r.trav
    if r.zone != "skip":
        r.ignore(seg, "outside a traveller group")
    return None


def ticket_for_update(r: PnrReader) -> TicketB:
    """The ticket being read, or a new one for the current traveller."""
    ticket = r.ticket
    if ticket is None:
        assert r.trav is not None
        ticket = r.ticket = TicketB()
        r.trav.tickets.append(ticket)
    return ticket


def on_fti(r: PnrReader, seg: Segment) -> None:
    tb = _trav_only(r, seg)
    ff = read_frequent_flyer(seg)
    if tb is not None and ff is not None:
        tb.frequent_flyers.append(ff)


def on_ref(r: PnrReader, seg: Segment) -> None:
    tb = _trav_only(r, seg)
    if tb is not None:
        tb.unique_ref = opt(seg.get(0, 1)) or opt(seg.get(0, 0))


def on_far(r: PnrReader, seg: Segment) -> None:
    tb = _trav_only(r, seg)
    if tb is not None:
        tb.fares.append(read_fare(seg))


def on_tkt(r: PnrReader, seg: Segment) -> None:
    tb = _trav_only(r, seg)
    if tb is None:
        return
    calc, tb.pending_fare_calc = tb.pending_fare_calc, None
    r.ticket = TicketB(
        number=opt(seg.get(0, 0)), document_type=opt(seg.get(0, 1)), fare_calculation=calc
    )
    tb.tickets.append(r.ticket)
    r.payment = None


def on_mon(r: PnrReader, seg: Segment) -> None:
    if _trav_only(r, seg) is None:
        return
    ticket = ticket_for_update(r)
    ticket.base_amount, ticket.total_amount, ticket.currency = read_money(seg)


def on_ptk(r: PnrReader, seg: Segment) -> None:
    if _trav_only(r, seg) is None:
        return
    ticket_for_update(r).country_of_sale = opt(seg.get(5, 0))


def on_txd(r: PnrReader, seg: Segment) -> None:
    if _trav_only(r, seg) is None:
        return
    ticket_for_update(r).taxes.extend(read_taxes(seg))


def on_fop(r: PnrReader, seg: Segment) -> None:
    """FOP: one payment per element; the currency is the 7th component (paxwatch writes it
    after the expiry date) or, for an amount, that of the traveller's ticket."""
    if r.zone == "skip":
        return
    tb = r.trav if r.zone == "traveller" else None
    currency = r.ticket.currency if r.ticket is not None else None
    for comps in seg.elements:
        c = [*comps, "", "", "", "", "", "", ""]
        code = c[0].strip().upper()
        if not code and not any(x.strip() for x in c):
            continue
        amount = decimal(c[2])
        sent = c[6].strip().upper()
        pay = PaymentB(
            method=PAYMENT_METHODS.get(code, PaymentMethod.OTHER),
            raw_method=code or None,
            amount=amount,
            currency=sent
            if len(sent) == 3 and sent.isalpha()
            else (currency if amount is not None else None),
            card_vendor=opt(c[3]),
            card_number=opt(c[4]),
            card_expiry=opt(c[5]),
            traveller_ref=tb.ref if tb else None,
        )
        r.b.payments.append(pay)
        r.payment = pay
        if r.sponsor is not None:
            r.apply_sponsor(pay, r.sponsor)
            r.sponsor = None


# -- SSR -----------------------------------------------------------------------------------


def on_ssr(r: PnrReader, seg: Segment) -> None:
    zone = r.zone
    if zone == "skip":
        return
    e = seg.elements
    comps = e[0] if e else []
    code = comps[0].strip().upper() if comps else ""
    text = ":".join(comps[8:]) if len(comps) > 8 else ""
    refs = [opt(x[2]) if len(x) > 2 else None for x in e[1:]]
    trav = r.trav if zone == "traveller" else None
    leg = r.leg if zone in _LEG_ZONES else None
    if code in SEAT_CODES and _seats(r, seg, trav, leg):
        return
    if code in ("DOCS", "DOCO", "DOCA"):
        first = next((x for x in refs if x), None)
        target = trav or r.b.traveller(first)
        if target is None:
            r.pending_docs.append((first or "", seg))
        else:
            _document(r, code, text, target)
        return
    if len(code) == 4 and code.startswith("CTC") and text.strip():
        ref = trav.ref if trav else next((x for x in refs if x), None)
        r.b.contacts.append(_ssr_contact(code, text, ref))
        return
    status = opt(comps[1]) if len(comps) > 1 else None
    key = _ssr_leg_key(seg, leg)
    targets: list[str | None] = [trav.ref] if trav else ([x for x in refs if x] or [None])
    for ref in targets:
        r.b.special_services.append(
            SpecialService(code=code, status=status, text=opt(text), traveller_ref=ref, leg=key)
        )


def _document(r: PnrReader, code: str, text: str, target: TravellerB) -> None:
    if code == "DOCS":
        doc, infant = read_document(text, r.pivot)
        if infant and target.type is not TravellerType.INFANT:
            target.infant_docs.append(doc)
        else:
            target.add_document(doc)
    elif code == "DOCO":
        target.visas.append(read_visa(text, r.pivot))
    else:
        target.addresses.append(read_doca(text))


def resolve_pending(r: PnrReader) -> None:
    """Documents filed before their traveller's TIF, once the whole booking is read."""
    if not r.pending_docs:
        return
    for ref, seg in r.pending_docs:
        target = r.b.traveller(ref)
        if target is None:
            r.findings.append(
                finding(
                    Severity.ERROR,
                    "document-skipped",
                    f"{seg.get(0, 0)} at segment {seg.index} names traveller "
                    f"{ref or '(none)'}, who is not in the booking; it was skipped.",
                    seg,
                )
            )
            continue
        comps = seg.element(0)
        _document(r, seg.get(0, 0).strip().upper(), ":".join(comps[8:]), target)
    r.pending_docs = []


def _ssr_leg_key(seg: Segment, leg: LegB | None) -> LegKey | None:
    first: list[str] = seg.elements[0] if seg.elements else []
    comps = [*first, "", "", "", "", "", "", "", "", ""]
    origin, dest = comps[6].strip().upper(), comps[7].strip().upper()
    if leg is not None and (not origin or (origin == leg.origin and dest == leg.destination)):
        return leg.key
    if not origin and not dest:
        return None
    carrier = comps[3].strip().upper()
    number = None
    words = comps[8].split()
    if len(words) >= 2 and len(words[0]) == 2 and words[1].isdigit():
        carrier, number = words[0].upper(), flight_number(words[1])
    return LegKey(
        carrier=None if carrier in ("", "YY") else carrier,
        number=number,
        origin=origin or None,
        destination=dest or None,
    )


def _seats(r: PnrReader, seg: Segment, trav: TravellerB | None, leg: LegB | None) -> bool:
    """Seats of an SSR SEAT-like request; False when it names no seat at all."""
    key = _ssr_leg_key(seg, leg)
    found = False
    for comps in seg.elements[1:]:
        raw = comps[0] if comps else ""
        if raw.strip():
            found = True
        seat = seat_number(raw)
        if seat is None:
            continue
        target = trav or r.b.traveller(comps[2] if len(comps) > 2 else None)
        if target is None:
            r.findings.append(
                finding(
                    Severity.WARNING,
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

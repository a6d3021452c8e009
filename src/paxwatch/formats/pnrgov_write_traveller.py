"""Writing group 2 of PNRGOV EDIFACT: one traveller with its tickets and payments.

``write_traveller`` writes TIF, FTI, OSI and remarks (IFT), REF, FAR, SSR DOCS / DOCO /
DOCA, seats of legs outside the itinerary, SSR contacts and services, ADD, then the
tickets (TKT, IFT 4:15, MON, PTK, TXD, DAT 710) and payments (FOP, IFT 4:43, ADD).
``tif_elements`` is also the TIF of a checked-in passenger (group 7).
"""

from __future__ import annotations

from paxwatch.formats.pnrgov_write_contacts import write_contacts, write_remarks, write_ssr
from paxwatch.formats.pnrgov_write_segments import Elements, SegmentWriter, ddmmyy, txt
from paxwatch.formats.pnrgov_write_texts import (
    add_elements,
    doca_text,
    doco_text,
    docs_text,
    fare_elements,
)
from paxwatch.formats.values import payment_code
from paxwatch.model.booking import Booking, Payment, Ticket, Traveller
from paxwatch.model.common import TravellerType

__all__ = ["tif_elements", "write_payment", "write_traveller"]

_TYPE_CODES = {TravellerType.ADULT: "A", TravellerType.CHILD: "C", TravellerType.INFANT: "IN"}


def write_traveller(w: SegmentWriter, b: Booking, t: Traveller, has_infant: bool) -> None:
    """Write group 2 of traveller ``t`` of ``b`` (TIF ... payments)."""
    w.seg("TIF", tif_elements(t, has_infant))
    for ff in t.frequent_flyers:
        w.seg("FTI", [[ff.airline, ff.number, "", "", txt(ff.tier)]])
    mine = [c for c in b.contacts if c.traveller_ref == t.ref]
    write_contacts(w, mine, "OSI")
    write_remarks(w, [r for r in b.remarks if r.traveller_ref == t.ref])
    if t.unique_ref:
        w.seg("REF", [["", t.unique_ref]])
    for f in t.fares:
        w.seg("FAR", fare_elements(f))
    for d in t.documents:
        write_ssr(w, "DOCS", "HK", docs_text(d), None, None)
    for v in t.visas:
        write_ssr(w, "DOCO", "HK", doco_text(v), None, None)
    for a in t.addresses:
        write_ssr(w, "DOCA", "HK", doca_text(a), None, None)
    leg_keys = {leg.key for leg in b.legs}
    for seat in t.seats:
        if seat.leg is not None and seat.leg not in leg_keys and seat.leg.departure_date is None:
            k = seat.leg
            text = f"{k.carrier} {k.number}" if k.carrier and k.number else ""
            head = ["SEAT", "HK", "1", k.carrier or "YY", "", "", txt(k.origin), txt(k.destination)]
            w.seg("SSR", [[*head, text], [seat.seat]])
    write_contacts(w, mine, "SSR")
    for s in b.special_services:
        if s.leg is None and s.traveller_ref == t.ref:
            write_ssr(w, s.code, s.status, txt(s.text), None, None)
    write_contacts(w, mine, "ADD")
    for tk in t.tickets:
        _ticket(w, tk)
    for p in b.payments:
        if p.traveller_ref == t.ref:
            write_payment(w, p)


def tif_elements(t: Traveller, has_infant: bool) -> Elements:
    if "/" in t.raw_name:
        surname, _, given = t.raw_name.partition("/")
    elif t.raw_name:
        surname, given = t.raw_name, ""
    else:
        surname = t.surname + (t.suffix or "")
        title = t.title or ""
        glue = "" if title in ("MR", "MRS", "MS", "MISS", "MSTR", "MSTER", "CHD") else " "
        given = (t.given_names + glue + title).strip() if title else t.given_names
    details = [given, _TYPE_CODES[t.type], txt(t.ref)]
    if has_infant:
        details.append("IN")
    return [[surname], details]


def _ticket(w: SegmentWriter, tk: Ticket) -> None:
    w.seg("TKT", [[txt(tk.number), txt(tk.document_type)]])
    if tk.fare_calculation is not None:
        w.seg("IFT", [["4", "15"], [tk.fare_calculation]])
    if tk.base_amount is not None or tk.total_amount is not None or tk.currency:
        mon: Elements = []
        if tk.base_amount is not None or tk.total_amount is None:
            mon.append(["B", txt(tk.base_amount), txt(tk.currency)])
        if tk.total_amount is not None:
            mon.append(["T", txt(tk.total_amount), txt(tk.currency)])
        w.seg("MON", mon)
    if tk.country_of_sale:
        w.seg("PTK", [[""], [""], [""], [""], [""], [tk.country_of_sale]])
    if tk.taxes:
        w.seg("TXD", [[""], *([txt(x.amount), "", txt(x.currency), txt(x.code)] for x in tk.taxes)])
    if tk.issued_on is not None:
        w.seg("DAT", [["710", ddmmyy(tk.issued_on)]])


def write_payment(w: SegmentWriter, p: Payment) -> None:
    """FOP (the currency after the expiry date), IFT 4:43 sponsor, ADD billing address."""
    code = payment_code(p.method, p.raw_method, "MI")
    fop = [code, "", txt(p.amount), txt(p.card_vendor), txt(p.card_number), txt(p.card_expiry)]
    if p.currency:
        fop.append(p.currency)
    w.seg("FOP", [fop])
    a = p.billing_address
    structured = a is not None and any((a.street, a.city, a.region, a.postal_code, a.country))
    billing = a.raw if a is not None and not structured else ""
    if p.payer_name or p.payer_phone or billing:
        w.seg("IFT", [["4", "43"], [txt(p.payer_name)], [billing], [txt(p.payer_phone)]])
    if a is not None and structured:
        w.seg("ADD", add_elements(a))

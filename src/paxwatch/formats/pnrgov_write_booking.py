"""Writing one booking in PNRGOV EDIFACT: group 1, then its travellers, legs and history.

``write_booking`` writes SRC, RCI, booking-level SSRs, DAT 700, contacts and remarks, ORG
(agency), ADD, booking-level payments and the group name (TIF ... G), then one group 2 per
traveller, one group 5 per leg, split PNRs (EQN, RCI), non-air segments (MSG, TVL) and the
history (ABI, DAT, SAC and the changed items; LTS lines).
"""

from __future__ import annotations

from datetime import datetime

from paxwatch.formats.pnrgov_elements import HISTORY_ACTIONS
from paxwatch.formats.pnrgov_write_contacts import write_contacts, write_remarks, write_ssr
from paxwatch.formats.pnrgov_write_itinerary import write_leg
from paxwatch.formats.pnrgov_write_segments import SegmentWriter, ddmmyy, hhmm, txt
from paxwatch.formats.pnrgov_write_texts import agency_elements, non_air_elements, non_air_raw
from paxwatch.formats.pnrgov_write_traveller import write_payment, write_traveller
from paxwatch.model.booking import Booking, HistoryEntry
from paxwatch.model.common import TravellerType

__all__ = ["write_booking"]

_ACTION_CODES = {v: k for k, v in HISTORY_ACTIONS.items()}


def write_booking(w: SegmentWriter, b: Booking) -> None:
    """Write booking ``b``: from its SRC to its history."""
    w.seg("SRC")
    if b.record_locators:
        w.seg("RCI", [_locator(r.system, r.locator, r.created_at) for r in b.record_locators])
    elif b.locator:  # a booking built without its locator list: the creation time too
        w.seg("RCI", [_locator(None, b.locator, b.created_at)])
    refs = {t.ref for t in b.travellers if t.ref is not None}
    for s in b.special_services:
        if s.leg is None and (s.traveller_ref is None or s.traveller_ref not in refs):
            write_ssr(w, s.code, s.status, txt(s.text), None, s.traveller_ref)
    if b.last_changed_at is not None:
        w.seg("DAT", [["700", ddmmyy(b.last_changed_at.date()), hhmm(b.last_changed_at)]])
    booking_contacts = [c for c in b.contacts if c.traveller_ref not in refs]
    write_contacts(w, booking_contacts, "SSR")
    write_contacts(w, booking_contacts, "OSI")
    write_remarks(w, [r for r in b.remarks if r.traveller_ref not in refs])
    if b.agency is not None:
        w.seg("ORG", agency_elements(b.agency))
    write_contacts(w, booking_contacts, "ADD")
    for p in b.payments:
        if p.traveller_ref not in refs:
            write_payment(w, p)
    if b.group_name:
        w.seg("TIF", [[b.group_name, "G"]])
    infant_of = {t.accompanying_ref for t in b.travellers if t.type is TravellerType.INFANT}
    for t in b.travellers:
        write_traveller(w, b, t, t.ref is not None and t.ref in infant_of)
    for leg in b.legs:
        write_leg(w, b, leg)
    for sp in b.split_references:
        w.seg("EQN", [[txt(sp.number_of_travellers)]])
        if sp.locator:
            w.seg("RCI", [[txt(sp.system), sp.locator]])
    for n in b.non_air:
        w.seg("MSG", [[txt(n.kind)]])
        if non_air_raw(n):
            w.seg("TVL", non_air_elements(n))
    _history(w, b.history)


def _locator(system: str | None, locator: str, at: datetime | None) -> list[str]:
    if at is None:
        return [txt(system), locator]
    return [txt(system), locator, "", ddmmyy(at.date()), hhmm(at)]


def _history(w: SegmentWriter, history: tuple[HistoryEntry, ...]) -> None:
    state: tuple[datetime | None, str | None] | None = None
    action: str | None = None
    for e in history:
        if e.element is None and e.action is None and e.at is None and e.by is None:
            w.seg("LTS", [[e.text]])
            continue
        if state != (e.at, e.by) or (e.action is None and action is not None):
            state, action = (e.at, e.by), None
            by = [*(e.by or "").split("/"), "", "", ""]
            w.seg("ABI", [["1"], ["", by[2]], [by[1]], [""], [by[0]]])
            if e.at is not None:
                w.seg("DAT", [["T", ddmmyy(e.at.date()), hhmm(e.at)]])
        if e.action is not None:
            action = e.action
            w.seg("SAC", [[""], [""], [_ACTION_CODES.get(e.action, e.action)]])
        if e.element == "remark":
            w.seg("IFT", [["4", "19"], [e.text]])
        else:
            w.canonical(e.text)

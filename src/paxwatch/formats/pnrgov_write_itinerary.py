"""Writing groups 5 to 7 of PNRGOV EDIFACT: one itinerary leg and its check-ins.

``write_leg`` writes the TVL (and a code-share TVL), RPI, APD, the seats of the leg (SSR
SEAT), its special services, and per check-in context (DAT 2, ORG) each checked-in
traveller's TRI, TIF, SSD and bags (TBD).
"""

from __future__ import annotations

from datetime import datetime

from paxwatch.formats.people import CHECKED_IN
from paxwatch.formats.pnrgov_write_contacts import write_ssr
from paxwatch.formats.pnrgov_write_segments import Elements, SegmentWriter, ddmmyy, hhmm, txt
from paxwatch.formats.pnrgov_write_texts import tvl_elements
from paxwatch.formats.pnrgov_write_traveller import tif_elements
from paxwatch.model.booking import Bag, Booking, Leg, LegKey
from paxwatch.model.common import WeightUnit

__all__ = ["write_leg"]

_UNIT_CODES = {WeightUnit.KG: "700", WeightUnit.LB: "701"}


def write_leg(w: SegmentWriter, b: Booking, leg: Leg) -> None:
    """Write leg ``leg`` of booking ``b`` with its seats, services and check-ins."""
    key = leg.key
    w.seg("TVL", tvl_elements(leg))
    if leg.operating_number:
        w.seg("TVL", [[""], [""], [""], [""], [leg.operating_number]])
    if leg.number_in_party is not None or leg.status:
        w.seg("RPI", [[txt(leg.number_in_party)], [txt(leg.status)]])
    if leg.equipment:
        w.seg("APD", [[leg.equipment]])
    seats = [(t.ref, s.seat) for t in b.travellers for s in t.seats if s.leg == key and t.ref]
    if seats:
        head = ["SEAT", "HK", str(len(seats)), leg.carrier, "", "", leg.origin, leg.destination]
        w.seg("SSR", [head, *([seat, "", txt(ref)] for ref, seat in seats)])
    for s in b.special_services:
        if s.leg == key:
            write_ssr(w, s.code, s.status, txt(s.text), key, s.traveller_ref, leg.carrier)
    _check_ins(w, b, key)


def _check_ins(w: SegmentWriter, b: Booking, key: LegKey) -> None:
    context: tuple[datetime | None, str | None] | None = None
    for t in b.travellers:
        for ci in t.check_ins:
            if ci.leg != key:
                continue
            if context != (ci.checked_in_at, ci.agent):
                context = (ci.checked_in_at, ci.agent)
                at = ci.checked_in_at
                w.seg("DAT", [["2", ddmmyy(at.date() if at else None), hhmm(at)]])
                if ci.agent:
                    w.seg("ORG", [ci.agent.split(":")])
            status = "" if ci.status == CHECKED_IN else ci.status
            w.seg("TRI", [[status], [txt(ci.sequence_number), "", "", txt(t.ref)]])
            w.seg("TIF", tif_elements(t, False))
            seat = next((s.seat for s in t.seats if s.leg == key), "")
            if seat or ci.cabin:
                w.seg("SSD", [[seat], [""], [""], [""], [txt(ci.cabin)]])
            for bag in t.bags:
                if bag.leg == key:
                    w.seg("TBD", _bag(bag))


def _bag(bag: Bag) -> Elements:
    unit = _UNIT_CODES[bag.weight_unit] if bag.weight_unit is not None else ""
    return [
        [""],
        [txt(bag.count), txt(bag.weight), unit],
        [""],
        ["HP" if bag.head_of_pool else ""],
        *(tag.split(":") for tag in bag.tags),
    ]

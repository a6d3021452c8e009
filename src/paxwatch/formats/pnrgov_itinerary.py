"""Groups 5 to 7 of a PNRGOV message: itinerary legs and check-in.

Handlers of ``pnrgov_groups.PnrReader`` (see its module docstring): TVL (a leg, a code-share
flight, or the product of a non-air segment), TRA, RPI, APD, the check-in context (DAT 2,
ORG) and, per checked-in passenger, TRI, TIF, SSD and TBD.

A check-in's status is the first element of TRI when it is sent (paxwatch's writer puts
``BOARDED``, ``NO-SHOW``... there); without it a check-in record means ``checked_in``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from paxwatch.formats.edifact import Segment
from paxwatch.formats.people import CHECKED_IN
from paxwatch.formats.pnrgov_elements import (
    WEIGHT_UNITS,
    TvlInfo,
    date_time,
    finding,
    opt,
    read_tvl,
    seat_number,
)
from paxwatch.formats.pnrgov_history import non_air
from paxwatch.formats.pnrgov_leg_builders import CheckInPaxB, LegB
from paxwatch.formats.pnrgov_traveller_builders import TravellerB
from paxwatch.formats.values import decimal, flight_number, integer
from paxwatch.model.booking import Bag, CheckIn, LegKey, Seat
from paxwatch.model.common import Finding, Severity

if TYPE_CHECKING:
    from paxwatch.formats.pnrgov_groups import PnrReader

_LEG: Final = frozenset({"leg", "checkin"})


def on_tvl(r: PnrReader, seg: Segment) -> None:
    info = read_tvl(seg, r.pivot)
    for bad in info.bad_times:
        r.findings.append(
            finding(
                Severity.WARNING,
                "bad-time",
                f"{bad!r} in TVL at segment {seg.index} is not a time; the time was dropped "
                "(the date is kept, at 00:00).",
                seg,
            )
        )
    if r.zone == "nonair" and (r.nonair_open or not _flight_like(info)):
        non_air(r, seg, info)
        return
    if info.is_number_only:
        _codeshare(r, seg, info.raw_number, None)
        return
    r.leave_for("leg")
    r.leg = None
    if not (info.carrier and info.raw_number and info.origin and info.destination):
        r.findings.append(
            finding(
                Severity.ERROR,
                "leg-skipped",
                f"TVL at segment {seg.index} lacks a carrier, flight number, origin or "
                "destination; the leg was skipped.",
                seg,
            )
        )
        return
    leg = LegB(
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
    r.leg = leg
    r.b.legs.append(leg)


def _flight_like(info: TvlInfo) -> bool:
    return (
        len(info.origin) == 3
        and not info.origin_name
        and len(info.destination) == 3
        and 2 <= len(info.carrier) <= 3
        and info.raw_number.isdigit()
    )


def _codeshare(r: PnrReader, seg: Segment, raw_number: str, carrier: str | None) -> None:
    leg = r.leg
    if leg is None or r.zone not in _LEG:
        r.ignore(seg, "without a leg before it")
        return
    leg.operating_carrier = carrier or leg.operating_carrier
    leg.operating_number = flight_number(raw_number) if raw_number.strip() else None


def on_tra(r: PnrReader, seg: Segment) -> None:
    _codeshare(r, seg, seg.get(1, 0), opt(seg.get(0, 0).upper()))


def on_rpi(r: PnrReader, seg: Segment) -> None:
    leg = r.leg
    if leg is None or r.zone not in _LEG:
        r.ignore(seg, "without a leg before it")
        return
    leg.number_in_party = integer(seg.get(0, 0))
    leg.status = opt(seg.get(1, 0))


def on_apd(r: PnrReader, seg: Segment) -> None:
    leg = r.leg
    if leg is None or r.zone not in _LEG:
        r.ignore(seg, "without a leg before it")
        return
    leg.equipment = opt(seg.get(0, 0))


def start_checkin(r: PnrReader, seg: Segment | None) -> None:
    """DAT (or ORG) in a leg: a check-in context starts (time, then agent)."""
    if r.pax is not None:
        close_pax(r)
    r.zone = "checkin"
    r.ci_at = date_time(seg.get(0, 1), seg.get(0, 2), r.pivot) if seg is not None else None
    r.ci_agent = None


def checkin_pax(r: PnrReader) -> CheckInPaxB:
    """The checked-in passenger being read (a new one when none)."""
    if r.zone == "leg":
        start_checkin(r, None)
    pax = r.pax
    if pax is None:
        pax = r.pax = CheckInPaxB()
    return pax


def on_tri(r: PnrReader, seg: Segment) -> None:
    if r.zone not in _LEG:
        r.ignore(seg, "outside a leg")
        return
    if r.pax is not None:
        close_pax(r)
    pax = checkin_pax(r)
    pax.status = opt(seg.get(0, 0))
    pax.sequence = opt(seg.get(1, 0))
    pax.tri_ref = opt(seg.get(1, 3))


def on_ssd(r: PnrReader, seg: Segment) -> None:
    if r.zone not in _LEG:
        r.ignore(seg, "outside a leg")
        return
    pax = checkin_pax(r)
    pax.seat = seat_number(seg.get(0, 0))
    pax.cabin = opt(seg.get(4, 0))


def on_tbd(r: PnrReader, seg: Segment) -> None:
    if r.zone in _LEG:
        leg = r.leg
        checkin_pax(r).bags.append(read_bag(seg, leg.key if leg is not None else None))
    elif r.zone == "traveller" and r.trav is not None:
        r.trav.bags.append(read_bag(seg, None))
    else:
        r.ignore(seg, "outside a traveller or check-in group")


def close_pax(r: PnrReader) -> None:
    """The checked-in passenger is complete: give the check-in, seat and bags to its
    traveller."""
    pax, r.pax = r.pax, None
    if pax is None:
        return
    tb = _checked_in_traveller(r, pax)
    if tb is None:
        r.findings.append(
            Finding(
                severity=Severity.WARNING,
                code="check-in-skipped",
                message=(
                    f"checked-in passenger {pax.tif_raw_name or pax.tri_ref or '?'} is not "
                    "among the booking's travellers; the check-in was skipped."
                ),
            )
        )
        return
    key = r.leg.key if r.leg is not None else None
    tb.check_ins.append(
        CheckIn(
            status=pax.status or CHECKED_IN,
            leg=key,
            checked_in_at=r.ci_at,
            sequence_number=pax.sequence,
            agent=r.ci_agent,
            cabin=pax.cabin,
        )
    )
    if pax.seat is not None:
        tb.add_seat(Seat(seat=pax.seat, leg=key, cabin=pax.cabin))
    tb.bags.extend(pax.bags)


def _checked_in_traveller(r: PnrReader, pax: CheckInPaxB) -> TravellerB | None:
    by_ref = r.b.traveller(pax.tif_ref)
    if by_ref is not None and pax.tif_raw_name in (None, by_ref.raw_name):
        return by_ref
    if pax.tif_raw_name:
        for tb in r.b.travellers:
            if tb.raw_name == pax.tif_raw_name:
                return tb
    return by_ref or r.b.traveller(pax.tri_ref)


def read_bag(seg: Segment, leg: LegKey | None = None) -> Bag:
    """TBD: ``++count:weight:unit++pool+tag+tag...`` (700 kg, 701 lb; HP = head of pool)."""
    e = seg.elements
    tags = tuple(":".join(c).rstrip(":") for c in e[4:] if any(x for x in c))
    first = e[4] if len(e) > 4 else []
    return Bag(
        count=integer(seg.get(1, 0)),
        weight=decimal(seg.get(1, 1)),
        weight_unit=WEIGHT_UNITS.get(seg.get(1, 2).strip()),
        tags=tags,
        head_of_pool=seg.get(3, 0).strip().upper() == "HP",
        destination=opt(first[3]) if len(first) > 3 else None,
        leg=leg,
    )

"""Reading the PNRs of one PNRGOV message: groups 1 to 12 and LTS.

``PnrReader`` takes the segments of a message from the first SRC to UNT, one at a time, and
keeps track of where it is: the booking (group 1), a traveller and its tickets (groups 2 to
4), an itinerary leg (group 5) with its check-in (groups 6 and 7), a split PNR (group 8), a
non-air segment (group 9) or the history (groups 10 to 12). Segments are dispatched on
their tag by ``dispatch``; the zone decides what a TVL or TIF means, so that
history, split and non-air segments never become legs or travellers.

This module holds the reader's state and the dispatch; ``pnrgov_booking`` reads group 1
(booking, contacts, remarks, sponsor), ``pnrgov_traveller`` groups 2 to 4 and SSRs,
``pnrgov_itinerary`` groups 5 to 7 and ``pnrgov_history`` groups 8 to 12 and LTS. Handlers
are plain functions ``handler(reader, segment)``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

from paxwatch.formats.edifact import Segment
from paxwatch.formats.people import normalise_phone
from paxwatch.formats.pnrgov_builders import BookingB
from paxwatch.formats.pnrgov_elements import finding as finding
from paxwatch.formats.pnrgov_elements import opt
from paxwatch.formats.pnrgov_leg_builders import CheckInPaxB, LegB
from paxwatch.formats.pnrgov_traveller_builders import PaymentB, TicketB, TravellerB
from paxwatch.model.booking import Address, Booking, Remark
from paxwatch.model.common import Finding, Severity

ERROR: Final = Severity.ERROR
WARNING: Final = Severity.WARNING
INFO: Final = Severity.INFO
__all__ = ["ERROR", "INFO", "WARNING", "PnrReader", "dispatch", "finding"]

# Segments that shape the history (group 10) rather than being history content.
_HISTORY_FRAME: Final = frozenset({"ABI", "DAT", "SAC", "SRC", "LTS"})


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
        if not dispatch(self, seg, tag):
            self.findings.append(
                finding(
                    ERROR,
                    "unknown-segment",
                    f"unknown segment tag {tag!r} at segment {seg.index}; it was skipped.",
                    seg,
                )
            )

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


# The handlers of the other groups import ``PnrReader`` for their annotations only.
from paxwatch.formats.pnrgov_booking import (  # noqa: E402
    on_add,
    on_dat,
    on_ebd,
    on_ift,
    on_org,
    on_rci,
    on_src,
)
from paxwatch.formats.pnrgov_history import (  # noqa: E402
    flush_nonair,
    history_item,
    on_abi,
    on_eqn,
    on_lts,
    on_msg,
    on_sac,
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
)

# The tags ``dispatch`` knows, numbered in the order it tries them (the most frequent first).
_TAG_CODES: Final[dict[str, int]] = {
    "TIF": 0,
    "DAT": 1,
    "TVL": 2,
    "SSR": 3,
    "IFT": 4,
    "TRI": 5,
    "SSD": 6,
    "RCI": 7,
    "ORG": 8,
    "TBD": 9,
    "REF": 10,
    "TKT": 11,
    "SAC": 12,
    "APD": 13,
    "RPI": 14,
    "FTI": 15,
    "FAR": 16,
    "MON": 17,
    "TXD": 18,
    "FOP": 19,
    "SRC": 20,
    "EQN": 21,
    "PTK": 22,
    "MSG": 23,
    "ADD": 24,
    "ABI": 25,
    "LTS": 26,
    "TRA": 27,
    "EBD": 28,
}


def dispatch(r: PnrReader, seg: Segment, tag: str) -> bool:  # noqa: C901, PLR0915 (a flat table)
    """Hand ``seg`` to the handler of its tag; False for a tag no group has.

    The tag's number, then a chain of direct calls: compiled, an integer comparison is one
    machine instruction and each call a C call (a dict of handlers would call each through
    its Python wrapper, and comparing strings costs tens of instructions each)."""
    code = _TAG_CODES.get(tag, -1)
    if code == 0:  # TIF
        on_tif(r, seg)
    elif code == 1:  # DAT
        on_dat(r, seg)
    elif code == 2:  # TVL
        on_tvl(r, seg)
    elif code == 3:  # SSR
        on_ssr(r, seg)
    elif code == 4:  # IFT
        on_ift(r, seg)
    elif code == 5:  # TRI
        on_tri(r, seg)
    elif code == 6:  # SSD
        on_ssd(r, seg)
    elif code == 7:  # RCI
        on_rci(r, seg)
    elif code == 8:  # ORG
        on_org(r, seg)
    elif code == 9:  # TBD
        on_tbd(r, seg)
    elif code == 10:  # REF
        on_ref(r, seg)
    elif code == 11:  # TKT
        on_tkt(r, seg)
    elif code == 12:  # SAC
        on_sac(r, seg)
    elif code == 13:  # APD
        on_apd(r, seg)
    elif code == 14:  # RPI
        on_rpi(r, seg)
    elif code == 15:  # FTI
        on_fti(r, seg)
    elif code == 16:  # FAR
        on_far(r, seg)
    elif code == 17:  # MON
        on_mon(r, seg)
    elif code == 18:  # TXD
        on_txd(r, seg)
    elif code == 19:  # FOP
        on_fop(r, seg)
    elif code == 20:  # SRC
        on_src(r, seg)
    elif code == 21:  # EQN
        on_eqn(r, seg)
    elif code == 22:  # PTK
        on_ptk(r, seg)
    elif code == 23:  # MSG
        on_msg(r, seg)
    elif code == 24:  # ADD
        on_add(r, seg)
    elif code == 25:  # ABI
        on_abi(r, seg)
    elif code == 26:  # LTS
        on_lts(r, seg)
    elif code == 27:  # TRA
        on_tra(r, seg)
    elif code == 28:  # EBD
        on_ebd(r, seg)
    else:
        return False
    return True

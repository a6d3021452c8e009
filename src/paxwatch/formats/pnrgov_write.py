"""Writing a ``PnrMessage`` as a PNRGOV EDIFACT interchange (used to make synthetic traffic).

``write_pnrgov(message)`` writes UNA, UNB, UNH (``PNRGOV:13:1:IA`` from ``message.version``),
MSG, ORG, TVL, EQN, one group 1 per booking (SRC, RCI, SSR, DAT, IFT, ORG, ADD, EBD), one
group 2 per traveller (TIF, FTI, IFT, REF, EBD, FAR, SSR, tickets TKT/IFT 4:15/MON/PTK/TXD/
DAT 710, payments FOP/IFT 4:43), one group 5 per leg (TVL, code-share TVL, RPI, APD, SSR,
check-in DAT/ORG with TRI/TIF/SSD/TBD per traveller), split PNRs (EQN, RCI), non-air
segments (MSG, TVL), history (ABI, DAT, SAC, data) and LTS, then UNT and UNZ. Separators in
data are escaped with the release character.

The ``*_elements`` / ``*_raw`` helpers give the text the reader keeps in ``raw`` fields for
a value written here (``canonical`` form), so that a model can be made consistent with what
reading its written form gives back.

This module writes the envelope; ``pnrgov_write_booking`` writes each booking (group 1,
split PNRs, non-air segments, history) with ``pnrgov_write_traveller`` (group 2) and
``pnrgov_write_itinerary`` (groups 5 to 7); ``pnrgov_write_contacts`` files SSRs, contacts
and remarks, ``pnrgov_write_texts`` holds the element and raw-text helpers (re-exported
here) and ``pnrgov_write_segments`` the segment writer and date formats.
"""

from __future__ import annotations

from paxwatch.formats.edifact import DEFAULT_CHARS, ServiceChars
from paxwatch.formats.pnrgov_write_booking import write_booking
from paxwatch.formats.pnrgov_write_segments import (
    Elements,
    SegmentWriter,
    hhmm,
    times,
    txt,
    yymmdd,
)
from paxwatch.formats.pnrgov_write_texts import (
    add_raw,
    agency_raw,
    doca_text,
    doco_text,
    docs_text,
    fare_raw,
    non_air_raw,
)
from paxwatch.model.common import PushAction
from paxwatch.model.message import PnrMessage

__all__ = [
    "add_raw",
    "agency_raw",
    "doca_text",
    "doco_text",
    "docs_text",
    "fare_raw",
    "non_air_raw",
    "write_pnrgov",
]


def write_pnrgov(
    message: PnrMessage, *, chars: ServiceChars = DEFAULT_CHARS, line_breaks: bool = True
) -> str:
    """Write ``message`` as a well-formed PNRGOV interchange."""
    w = SegmentWriter(chars, line_breaks)
    una = "UNA" + chars.component + chars.element + chars.decimal + chars.release
    una += chars.repetition + chars.terminator + ("\n" if line_breaks else "")
    at = message.prepared_at
    ref = message.reference or "1"
    w.seg(
        "UNB",
        [
            ["IATA", "1"],
            [txt(message.sender)],
            [txt(message.recipient)],
            [yymmdd(at), hhmm(at)],
            [ref],
        ],
    )
    w.count = 0
    major, _, minor = (message.version or "13.1").partition(".")
    unh: Elements = [[ref], ["PNRGOV", major, minor or "1", "IA"]]
    if message.part is not None:
        unh += [[""], [f"{message.part.number:02d}", "F" if message.part.final else "C"]]
    w.seg("UNH", unh)
    if message.action is not None:
        w.seg("MSG", [["", "22" if message.action is PushAction.FULL else "141"]])
    if message.sender:
        w.seg("ORG", [[message.sender]])
    flight = message.flight
    if flight is not None:
        leg0 = flight.legs[0] if flight.legs else None
        w.seg(
            "TVL",
            [
                times(leg0.departure if leg0 else None, leg0.arrival if leg0 else None),
                [leg0.origin if leg0 else ""],
                [leg0.destination if leg0 else ""],
                [flight.carrier],
                [flight.raw_number or flight.number],
            ],
        )
    if message.declared_count is not None:
        w.seg("EQN", [[str(message.declared_count)]])
    for booking in message.bookings:
        write_booking(w, booking)
    w.seg("UNT", [[str(w.count + 1)], [ref]])
    w.seg("UNZ", [["1"], [ref]])
    return una + "".join(w.out)

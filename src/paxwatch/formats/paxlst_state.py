"""What one PAXLST message (UNH ... UNT) knows while it is read, and how it reports.

``MessageState`` holds the message header (version, layout variant, reference, part), the
reporting party, the flights and travellers read so far and the one being read, and the
findings. Its helpers make findings that name the segment, report a segment that is
outside the group it belongs to, and read DTM dates and date-times (relative to the
message date). ``paxlst_message.MessageReader`` dispatches the segments; the handlers
live there and in ``paxlst_flights`` and ``paxlst_travellers``.
"""

from __future__ import annotations

from datetime import date, datetime

from paxwatch.formats.edifact import Segment
from paxwatch.formats.paxlst_parts import FlightDraft, Interchange, TravellerDraft, finding, label
from paxwatch.formats.values import combine, hhmm, integer, yymmdd, yymmddhhmm
from paxwatch.model.api import ReportingParty
from paxwatch.model.common import Finding, Severity
from paxwatch.model.message import MessagePart

__all__ = ["MessageState"]

ERROR, WARNING = Severity.ERROR, Severity.WARNING


class MessageState:
    """One PAXLST message being read: header, drafts so far, findings."""

    def __init__(self, unh: Segment, inter: Interchange, findings: list[Finding]) -> None:
        self.unh = unh
        self.inter = inter
        self.findings = findings
        self.pivot: date = inter.prepared_at.date() if inter.prepared_at else date.today()
        kind = unh.element(1)
        self.skip = bool(kind) and kind[0].strip().upper() != "PAXLST"
        if self.skip:
            findings.append(
                finding(
                    ERROR,
                    "not-paxlst",
                    unh,
                    f"{label(unh)} declares a {kind[0][:10]!r} message, expected PAXLST; "
                    "the message was not read.",
                )
            )
        agency = unh.get(1, 1).strip().upper()
        self.version = f"{unh.get(1, 1).strip()}:{unh.get(1, 2).strip()}" if agency else None
        self.variant = "UN" if not agency or agency == "D" else "US"
        self.variant_known = bool(agency)
        self.reference = unh.get(0).strip() or None
        self.part = self._part(unh)
        self.document: str | None = None
        self.party: ReportingParty | None = None
        self.in_party = False
        self.flights: list[FlightDraft] = []
        self.flight: FlightDraft | None = None
        self.skip_flight = False
        self.travellers: list[TravellerDraft] = []
        self.trav: TravellerDraft | None = None
        self.skip_group = False
        self.declared: int | None = None

    def _part(self, unh: Segment) -> MessagePart | None:
        raw = unh.get(3).strip()
        if not raw:
            return None
        number = integer(raw)
        status = unh.get(3, 1).strip().upper()
        if number is None or status not in ("C", "F", ""):
            self.findings.append(
                finding(
                    ERROR,
                    "bad-part",
                    unh,
                    f"{label(unh)}: {':'.join(unh.element(3))!r} is not a message part "
                    "(expected nn:C or nn:F); the part number was not read.",
                )
            )
            return None
        return MessagePart(number=number, final=status != "C")

    def error(self, seg: Segment, code: str, text: str) -> None:
        self.findings.append(finding(ERROR, code, seg, f"{label(seg)} {text}"))

    def warn(self, seg: Segment, code: str, text: str) -> None:
        self.findings.append(finding(WARNING, code, seg, f"{label(seg)} {text}"))

    def outside(self, seg: Segment, where: str = "outside a traveller (NAD) group") -> None:
        """An error for a segment outside its group (none while a bad group is skipped)."""
        if not self.skip_group:
            self.error(seg, "misplaced", f"is {where}; it was not read.")

    def us(self, seg: Segment) -> None:
        """A CTA or PDT: the message is US/EDIFACT unless its UNH said which it is."""
        if not self.variant_known:
            self.variant, self.variant_known = "US", True

    def close_traveller(self) -> None:
        if self.trav is not None:
            self.travellers.append(self.trav)
            self.trav = None

    def read_datetime(self, seg: Segment) -> datetime | None:
        """A flight DTM: UN ``189:YYMMDDHHMM`` or US/EDIFACT ``136+YYMMDD+HHMM``."""
        first = seg.element(0)
        if len(first) > 1:
            raw = first[1].strip()
            when = yymmddhhmm(raw, self.pivot)
            bad_time = len(raw) in (10, 12) and hhmm(raw[-4:]) is None
        else:  # US/EDIFACT: DTM+136+YYMMDD+HHMM+zone
            raw = f"{seg.get(1).strip()} {seg.get(2).strip()}".strip()
            at_text = seg.get(2).strip()
            at = hhmm(at_text)
            when = combine(yymmdd(seg.get(1), self.pivot), at)
            bad_time = bool(at_text) and at is None
        if when is None:
            self.error(seg, "bad-date", f"has {raw[:20]!r}, not a date and time; not read.")
        elif bad_time:
            self.warn(seg, "bad-time", f"has {raw[:20]!r}, not a valid time; read as 00:00.")
        return when

    def read_date(self, seg: Segment, *, past: bool | None, what: str) -> date | None:
        """A traveller or document DTM date (``what`` names it in the finding)."""
        raw = seg.get(0, 1).strip()
        value = yymmdd(raw[:8] if len(raw) > 8 else raw, self.pivot, past)
        if value is None:
            self.error(seg, "bad-date", f"has {raw[:20]!r}, not a date; {what} not read.")
        return value

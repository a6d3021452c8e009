"""Reading PNRGOV EDIFACT pushes (versions 10.1 to 16.1) as carriers send them.

``read_pnrgov(data)`` returns one ``PnrMessage`` per UNH..UNT (a multi-part transmission
``01:C`` ... ``nn:F`` gives one message per part) and the findings. It never raises and
never hangs: the tokenizer repairs the layout (see ``edifact.py``; run-together segments
are split with the maximum element counts in ``PROFILE``), this module reads the interchange
and message headers, and ``pnrgov_groups.PnrReader`` reads the bookings.

Interpretations (each is a choice a reader of the standard could make differently):

* ``Booking.locator`` is the record locator of the reported flight's carrier or of the
  sender when the RCI names one, otherwise the first; ``created_at`` is that locator's
  creation time. RCI dates are read both as ``sys:loc::DDMMYY:HHMM`` and ``sys:loc:DDMMYY:HHMM``.
* TVL: an arrival time sent in the arrival-date slot is read as a time on the departure
  day; an arrival without a date that is earlier than the departure is on the next day; an
  invalid time is dropped (the date is kept, at 00:00) with a warning.
* A second TVL with only a flight number, or a TRA, gives the operating flight.
* Seats ``XXX`` (none assigned) are not seats; ``039G`` is seat ``39G``. SSD in a check-in
  gives the cabin of the seat and of the check-in.
* TBD: tags are kept as sent (``ET:0447::FRA:006``); the destination is the first tag's;
  ``HP`` in the pooling element means head of pool.
* Free text cut by an unescaped element separator is joined back with that separator.
* History (group 10 to 12): one ``HistoryEntry`` per changed item (TIF, SSR, IFT, TBD, TVL
  with its RPI), ``at`` from DAT, ``action`` from SAC, ``by`` = ``company/location/agent``
  from ABI. ``text`` is the free text of an IFT, otherwise the segments in canonical form
  (``+`` and ``:`` separators, ``'`` between segments). LTS lines are entries with text only.
* EBD becomes a ``Remark(kind="EBD")``; IFT other than OSI, fare calculation and sponsor
  becomes a ``Remark(kind="IFT", code="4:nn")``.

Findings: ``error`` when something in the input is not in the result (a skipped traveller,
leg or segment), ``warning`` when it was read with a repair or disagrees with a declared
count, ``info`` for harmless oddities.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

from paxwatch.formats.edifact import Profile, Segment, Tokens, count_check, tokenize
from paxwatch.formats.pnrgov_elements import opt, read_tvl
from paxwatch.formats.pnrgov_groups import ERROR, WARNING, PnrReader, finding
from paxwatch.formats.values import combine, hhmm, integer, yymmdd
from paxwatch.model.common import Finding, PushAction
from paxwatch.model.flight import Flight, FlightLeg
from paxwatch.model.message import MessagePart, ParseResult, PnrMessage

# Most data elements each PNRGOV segment can have: a segment with more swallowed the next
# one (terminator missing) and is split where an element ends with one of these tags.
MAX_ELEMENTS: Final[dict[str, int]] = {
    "UNB": 11,
    "UNG": 8,
    "UNH": 6,
    "UNT": 2,
    "UNE": 2,
    "UNZ": 2,
    "MSG": 2,
    "ORG": 9,
    "TVL": 8,
    "EQN": 2,
    "SRC": 1,
    "RCI": 9,
    "DAT": 5,
    "IFT": 99,
    "ADD": 3,
    "EBD": 5,
    "TIF": 3,
    "FTI": 3,
    "REF": 9,
    "FAR": 8,
    "SSR": 999,
    "TKT": 3,
    "MON": 20,
    "PTK": 9,
    "TXD": 99,
    "FOP": 10,
    "TRA": 3,
    "RPI": 2,
    "APD": 9,
    "TRI": 3,
    "SSD": 6,
    "TBD": 99,
    "ABI": 6,
    "SAC": 5,
    "LTS": 1,
}
PROFILE: Final = Profile(max_elements=MAX_ELEMENTS)
VERSIONS: Final = frozenset(f"{major}.1" for major in range(10, 17))
_ACTIONS: Final = {"22": PushAction.FULL, "141": PushAction.CHANGES}
_ENVELOPE: Final = frozenset({"UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"})
_BODY_HINTS: Final = frozenset({"MSG", "ORG", "TVL", "EQN", "SRC", "RCI", "TIF"})


class _Message:
    """One message being read, from UNH (or the first body segment) to UNT."""

    def __init__(self, head: _Interchange, unh: Segment | None) -> None:
        self.head = head
        self.findings = head.findings
        self.count = 1
        self.version: str | None = head.group_version
        self.reference: str | None = None
        self.part: MessagePart | None = None
        self.action: PushAction | None = None
        self.sender: str | None = head.sender
        self.flight: Flight | None = None
        self.eqn: Segment | None = None
        self.skip = False
        self.pnr: PnrReader | None = None
        if unh is not None:
            self._read_unh(unh)

    @property
    def pivot(self) -> date | None:
        at = self.head.prepared_at
        return at.date() if at is not None else None

    def _read_unh(self, seg: Segment) -> None:
        self.reference = opt(seg.get(0, 0))
        kind = seg.get(1, 0).strip().upper()
        if kind and kind != "PNRGOV":
            self.findings.append(
                finding(
                    ERROR,
                    "not-pnrgov",
                    f"UNH at segment {seg.index} announces a {kind} message, not PNRGOV; "
                    "it was not read as a PNR push.",
                    seg,
                )
            )
            self.skip = True
            return
        major, minor = seg.get(1, 1).strip(), seg.get(1, 2).strip()
        if major:
            self.version = f"{major}.{minor or '1'}"
        if self.version is not None and self.version not in VERSIONS:
            self.findings.append(
                finding(
                    WARNING,
                    "version",
                    f"PNRGOV version {self.version} is not one of 10.1 to 16.1; the message "
                    "was read as the nearest known version.",
                    seg,
                )
            )
        number = integer(seg.get(3, 0))
        if number is not None:
            self.part = MessagePart(number=number, final=seg.get(3, 1).strip().upper() == "F")

    def feed(self, seg: Segment) -> None:
        """Read one body segment."""
        self.count += 1
        if self.skip:
            return
        if self.pnr is not None:
            self.pnr.feed(seg)
            return
        tag = seg.tag
        if tag == "MSG":
            self.action = _ACTIONS.get(seg.get(0, 1).strip()) or _ACTIONS.get(seg.get(0, 0))
        elif tag == "ORG":
            self.sender = self.sender or opt(seg.get(0, 0))
        elif tag == "TVL":
            self._read_flight(seg)
        elif tag == "EQN":
            self.eqn = seg
        else:
            self.pnr = PnrReader(self.head.tokens.chars.element, self.pivot, self.findings)
            self.pnr.feed(seg)

    def _read_flight(self, seg: Segment) -> None:
        info = read_tvl(seg, self.pivot)
        for bad in info.bad_times:
            self.findings.append(
                finding(
                    WARNING,
                    "bad-time",
                    f"{bad!r} in the header TVL at segment {seg.index} is not a time; the "
                    "time was dropped.",
                    seg,
                )
            )
        if not info.carrier or not info.raw_number:
            self.findings.append(
                finding(
                    WARNING,
                    "no-flight",
                    f"the header TVL at segment {seg.index} has no carrier or flight number; "
                    "the message has no flight.",
                    seg,
                )
            )
            return
        leg = FlightLeg(
            origin=info.origin,
            destination=info.destination,
            departure=info.departure,
            arrival=info.arrival,
        )
        self.flight = Flight(
            carrier=info.carrier, number=info.number, legs=(leg,), raw_number=info.raw_number
        )

    def close(self, unt: Segment | None) -> PnrMessage | None:
        """Finish the message; check EQN and the UNT segment count."""
        bookings = []
        if not self.skip:
            carrier = self.flight.carrier if self.flight else None
            preferred = tuple(x for x in (carrier, self.sender) if x)
            bookings = self.pnr.finish(preferred) if self.pnr is not None else []
            if self.eqn is not None:
                declared = self.eqn.get(0, 0)
                what = "EQN (number of PNRs)"
                count_check(declared, len(bookings), what, self.eqn, self.findings)
        if unt is not None:
            self.count += 1
            count_check(unt.get(0, 0), self.count, "UNT segment count", unt, self.findings)
        if self.skip:
            return None
        return PnrMessage(
            version=self.version,
            sender=self.sender,
            recipient=self.head.recipient,
            prepared_at=self.head.prepared_at,
            reference=self.reference,
            part=self.part,
            action=self.action,
            flight=self.flight,
            declared_count=integer(self.eqn.get(0, 0)) if self.eqn is not None else None,
            bookings=tuple(bookings),
        )


class _Interchange:
    """Reads UNB/UNG/UNH/UNT/UNE/UNZ and hands message bodies to ``_Message``."""

    def __init__(self, tokens: Tokens, findings: list[Finding]) -> None:
        self.tokens = tokens
        self.findings = findings
        self.sender: str | None = None
        self.recipient: str | None = None
        self.prepared_at: datetime | None = None
        self.group_version: str | None = None
        self.message: _Message | None = None
        self.messages: list[PnrMessage] = []
        self.in_group = 0
        self.in_interchange = 0
        self.groups = 0

    def feed(self, seg: Segment) -> None:
        tag = seg.tag
        if tag == "UNB":
            self._close(None, seg)
            self.sender = opt(seg.get(1, 0))
            self.recipient = opt(seg.get(2, 0))
            self.prepared_at = combine(yymmdd(seg.get(3, 0)), hhmm(seg.get(3, 1)))
            self.in_interchange = self.groups = 0
        elif tag == "UNG":
            self.groups += 1
            self.in_group = 0
            version = seg.get(6, 0).strip()
            if version:
                self.group_version = f"{version}.{seg.get(6, 1).strip() or '1'}"
        elif tag == "UNH":
            self._close(None, seg)
            self.message = _Message(self, seg)
        elif tag == "UNT":
            if self.message is None:
                self._outside(seg)
            self._close(seg, seg)
        elif tag == "UNE":
            self._close(None, seg)
            count_check(seg.get(0, 0), self.in_group, "UNE message count", seg, self.findings)
        elif tag == "UNZ":
            self._close(None, seg)
            actual = self.groups or self.in_interchange
            what = "UNZ group count" if self.groups else "UNZ message count"
            count_check(seg.get(0, 0), actual, what, seg, self.findings)
        elif tag != "UNA":
            self._body(seg)

    def _body(self, seg: Segment) -> None:
        if self.message is None:
            if seg.tag not in _BODY_HINTS:
                self._outside(seg)
                return
            self.findings.append(
                finding(
                    WARNING,
                    "missing-unh",
                    f"{seg.tag} at segment {seg.index} has no UNH before it; a message was "
                    "assumed to start here.",
                    seg,
                )
            )
            self.message = _Message(self, None)
        self.message.feed(seg)

    def _outside(self, seg: Segment) -> None:
        self.findings.append(
            finding(
                ERROR,
                "outside-message",
                f"{seg.tag} at segment {seg.index} is outside any message; it was skipped.",
                seg,
            )
        )

    def _close(self, unt: Segment | None, at: Segment | None) -> None:
        message, self.message = self.message, None
        if message is None:
            return
        if unt is None:
            self.findings.append(
                finding(
                    WARNING,
                    "missing-unt",
                    "the message has no UNT; it was closed at "
                    + (f"{at.tag} (segment {at.index})." if at else "the end of the input."),
                    at,
                )
            )
        self.in_group += 1
        self.in_interchange += 1
        built = message.close(unt)
        if built is not None:
            self.messages.append(built)


def read_pnrgov(data: bytes | str) -> ParseResult:
    """Read a PNRGOV EDIFACT interchange. Never raises; problems become findings."""
    findings: list[Finding] = []
    try:
        tokens = tokenize(data, PROFILE)
    except Exception as exc:  # the tokenizer promises not to raise; never trust a promise
        return ParseResult(
            findings=(
                Finding(
                    severity=ERROR,
                    code="internal-error",
                    message=f"the input could not be tokenized ({type(exc).__name__}).",
                ),
            )
        )
    reader = _Interchange(tokens, findings)
    envelope = _ENVELOPE
    for seg in tokens.segments:
        try:
            # The hot path: a body segment of a message whose bookings are being read goes
            # straight to the PNR reader.
            message = reader.message
            if message is not None and message.pnr is not None and seg.tag not in envelope:
                message.count += 1
                message.pnr.feed(seg)
            else:
                reader.feed(seg)
        except Exception as exc:  # a bug must cost one segment, not the whole input
            findings.append(
                finding(
                    ERROR,
                    "internal-error",
                    f"{seg.tag} at segment {seg.index} could not be read "
                    f"({type(exc).__name__}: {exc}); it was skipped. Please report this.",
                    seg,
                )
            )
    try:
        reader._close(None, None)
    except Exception as exc:
        findings.append(
            Finding(
                severity=ERROR,
                code="internal-error",
                message=f"the last message could not be finished ({type(exc).__name__}).",
            )
        )
    if not reader.messages and not any(f.severity is ERROR for f in findings):
        findings.append(
            Finding(
                severity=ERROR,
                code="no-message",
                message="no PNRGOV message was found in the input.",
            )
        )
    return ParseResult(messages=tuple(reader.messages), findings=tuple(tokens.findings + findings))

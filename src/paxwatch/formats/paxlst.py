"""Reading PAXLST (Advance Passenger Information) as carriers send it.

``read_paxlst(data)`` returns one ``ApiMessage`` per UNH..UNT and the findings. It reads the
UN/EDIFACT layout (``PAXLST:D:02B`` / ``D:05B``: NAD groups) and the older US/EDIFACT
layout (``PAXLST:001:000``: CTA, LOC 005/008/PT, DTM 136/132, PDT), choosing per message
from the UNH version (or, without one, from the segments present). It never raises.
This module reads the envelope (UNB, UNH, UNT, UNZ); ``paxlst_message`` reads the segments
of one message, ``paxlst_parts`` holds the drafts and the US/EDIFACT CTA and PDT.

Interpretations:

* A flight (TDT) is a list of stops: LOC 125/5/005 (departure), 87/8/008 (arrival), 92
  (routing, progressive flights) and PT (port of transit) each add a stop, the DTM that
  follows gives its departure (189, 136) or arrival (232, 132). Consecutive stops make the
  legs. Times are local, as sent; a US zone offset (``M10``) is not applied.
* Airport places sent as 5-letter UN/LOCODEs (``NZAKL``) become the IATA code (``AKL``).
* Countries and seats are kept as sent; two-digit birth years resolve into the past and
  expiry years to the future, relative to the message date (UNB).
* ``FTX+BAG+++2660009:2`` is a first tag and a number of consecutive tags: tags 2660009 and
  2660010. All MEA and FTX BAG of a traveller make one ``Bag``.
* Not modelled, read silently: UNG/UNE, RFF+TN, UNS, GEI, EMP, COM of a traveller, NAD
  addresses, FTX other than BAG.

Findings: ``error`` when something in the input is not in the result (a skipped traveller,
an unreadable date, an unknown segment), ``warning`` when it was read with a repair or
disagrees with a declared count, ``info`` for harmless oddities.
"""

from __future__ import annotations

import re
from typing import Final

from paxwatch.formats.edifact import Profile, Segment, count_check, tokenize
from paxwatch.formats.paxlst_message import MessageReader
from paxwatch.formats.paxlst_parts import Interchange, finding, label
from paxwatch.model.common import Finding, Severity
from paxwatch.model.message import ApiMessage, ParseResult

ERROR: Final = Severity.ERROR
WARNING: Final = Severity.WARNING
INFO: Final = Severity.INFO

_COMMON_LIMITS: Final = {
    "UNB": 11,
    "UNG": 8,
    "UNH": 6,
    "BGM": 4,
    "RFF": 1,
    "NAD": 9,
    "ATT": 3,
    "MEA": 4,
    "FTX": 5,
    "NAT": 2,
    "DOC": 5,
    "CNT": 1,
    "COM": 3,
    "TDT": 9,
    "LOC": 5,
    "UNT": 2,
    "UNE": 2,
    "UNZ": 2,
    "CTA": 4,
    "PDT": 6,
    "UNS": 1,
}
# DTM has one element in UN/EDIFACT, four in US/EDIFACT (qualifier, date, time, zone).
PROFILE_UN: Final = Profile(max_elements={**_COMMON_LIMITS, "DTM": 1})
PROFILE_US: Final = Profile(max_elements={**_COMMON_LIMITS, "DTM": 4})
# The envelope segments: all the others of a message go to its reader.
_ENVELOPE: Final = frozenset({"UNH", "UNT", "UNB", "UNZ", "UNE", "UNG"})
_US_HINT: Final = re.compile(rb"PAXLST.\d|PDT.[A-Z]")
_US_HINT_STR: Final = re.compile(r"PAXLST.\d|PDT.[A-Z]")


def read_paxlst(data: bytes | str) -> ParseResult:
    """Read every PAXLST message in ``data``. Never raises: problems become findings."""
    try:
        return _Reader(data).read()
    except Exception as exc:  # a bug must not lose the input: report it instead
        return ParseResult(
            findings=(
                Finding(
                    severity=ERROR,
                    code="internal-error",
                    message=f"the PAXLST reader failed ({type(exc).__name__}: {exc}); "
                    "nothing was read. Please report this message.",
                ),
            )
        )


def pick_profile(data: bytes | str) -> Profile:
    """The tokenizer profile for ``data``: US/EDIFACT DTM segments have four elements."""
    head = data[:4096]
    hint = _US_HINT.search(head) if isinstance(head, bytes) else _US_HINT_STR.search(head)
    return PROFILE_US if hint else PROFILE_UN


class _Reader:
    """Splits the interchange into messages and checks the envelope counts."""

    def __init__(self, data: bytes | str) -> None:
        tokens = tokenize(data, pick_profile(data))
        self.segments = tokens.segments
        self.findings: list[Finding] = list(tokens.findings)
        self.messages: list[ApiMessage] = []
        self.outside: list[Segment] = []

    def read(self) -> ParseResult:
        inter = Interchange()
        msg: MessageReader | None = None
        for seg in self.segments:
            tag = seg.tag
            if msg is not None:
                if tag not in _ENVELOPE:
                    msg.handle(seg)
                    continue
                if tag == "UNT":
                    self._end(msg, seg)
                    msg = None
                    continue
                self._unterminated(msg, seg)
                msg = None
            if tag == "UNH":
                self._flush_outside()
                inter.messages += 1
                msg = MessageReader(seg, inter, self.findings)
            elif tag == "UNB":
                self._flush_outside()
                inter = Interchange(seg)
            elif tag == "UNG":
                inter.groups += 1
            elif tag == "UNZ":
                self._flush_outside()
                n = inter.groups or inter.messages
                what = "UNZ " + ("group" if inter.groups else "message") + " count"
                count_check(seg.get(0), n, what, seg, self.findings)
            elif tag != "UNE":
                self.outside.append(seg)
        if msg is not None:
            self._unterminated(msg, None)
        self._flush_outside()
        if not self.messages and not any(f.severity is ERROR for f in self.findings):
            self.findings.append(
                Finding(
                    severity=ERROR,
                    code="no-message",
                    message="no PAXLST message (UNH ... UNT) was found in the input.",
                )
            )
        return ParseResult(messages=tuple(self.messages), findings=tuple(self.findings))

    def _end(self, msg: MessageReader, unt: Segment) -> None:
        count_check(
            unt.get(0), unt.index - msg.unh.index + 1, "UNT segment count", unt, self.findings
        )
        ref = unt.get(1).strip()
        if ref and msg.reference and ref != msg.reference:
            self.findings.append(
                finding(
                    INFO,
                    "reference-mismatch",
                    unt,
                    f"{label(unt)} closes message {ref!r} but UNH opened {msg.reference!r}.",
                )
            )
        self._keep(msg)

    def _unterminated(self, msg: MessageReader, seg: Segment | None) -> None:
        where = f"before {label(seg)}" if seg else "at the end of the input"
        self.findings.append(
            finding(
                WARNING,
                "unterminated-message",
                msg.unh,
                f"{label(msg.unh)} has no UNT; the message was read up to the segment {where}.",
            )
        )
        self._keep(msg)

    def _keep(self, msg: MessageReader) -> None:
        built = msg.build()
        if built is not None:
            self.messages.append(built)

    def _flush_outside(self) -> None:
        outside = self.outside
        if outside:
            first = outside[0]
            self.findings.append(
                finding(
                    ERROR,
                    "outside-message",
                    first,
                    f"{len(outside)} segment(s) outside a message (UNH ... UNT) were not "
                    f"read, from {label(first)} to {label(outside[-1])}.",
                )
            )
            self.outside = []

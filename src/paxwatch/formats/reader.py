"""One entry point for every message format: detect, then read.

``read_message(data)`` looks at the first bytes: XML (``<``) is PNRGOV XML; EDIFACT whose
UNH/UNG names PAXLST (or whose UNB application reference, or segments, say so) is PAXLST;
anything else EDIFACT-like is PNRGOV. Unrecognisable input yields an error finding, never
an exception.
"""

from __future__ import annotations

import gc

from paxwatch.model import Finding, ParseResult, Severity

_PAXLST_MARKS = (b"PAXLST", b"CUSRES", b"'UNS+", b"'PDT+", b"+PDT+", b"NAD+FL")
_PNRGOV_MARKS = (b"PNRGOV", b"'TIF+", b"'SRC'", b"\nTIF+", b"\nSRC'")


def _first(head: bytes, marks: tuple[bytes, ...], before: int = -1) -> int:
    """Position of the earliest of ``marks`` in ``head`` (upper-cased), or -1; with
    ``before`` >= 0, only marks that start before ``before`` count.

    Once a mark is found, the others are only looked for before it (usually a few bytes
    of header: the message name comes first in the marks and sits in UNH)."""
    best = before
    found = -1
    for m in marks:
        i = head.find(m) if best < 0 else head.find(m, 0, best + len(m) - 1)
        if i >= 0:
            best = found = i
    return found


def detect(data: bytes) -> str | None:
    """``"pnrgov_xml"``, ``"paxlst"``, ``"pnrgov"`` or None when it is none of them."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "pnrgov_xml"
    if not head[:64].isupper():
        head = head.upper()
    pnr = _first(head, _PNRGOV_MARKS)
    if _first(head, _PAXLST_MARKS, pnr) >= 0:  # a PAXLST mark first (or alone)
        return "paxlst"
    if pnr >= 0:
        return "pnrgov"
    if head[:3] in (b"UNA", b"UNB", b"UNH"):
        # EDIFACT that names no known message in its first 4 kB: look at all of it.
        return "paxlst" if _first(data.upper(), _PAXLST_MARKS) >= 0 else "pnrgov"
    return None


def read_message(data: bytes | str) -> ParseResult:
    """Read a PNRGOV (EDIFACT or XML) or PAXLST input. Never raises on bad input.

    The cyclic garbage collector is paused while one input is read (when it was enabled):
    reading allocates thousands of short-lived containers (segments, their element lists,
    builders) and no reference cycle, so the collections it would trigger only scan live
    objects again. Whatever was allocated is collected as usual once it is re-enabled.
    """
    if not gc.isenabled():
        return _read(data)
    gc.disable()
    try:
        return _read(data)
    finally:
        gc.enable()


def _read(data: bytes | str) -> ParseResult:
    raw = data.encode("utf-8", errors="surrogateescape") if isinstance(data, str) else data
    kind = detect(raw)
    if kind == "pnrgov_xml":
        from paxwatch.formats.pnrgov_xml import read_pnrgov_xml

        return read_pnrgov_xml(raw)
    if kind == "paxlst":
        from paxwatch.formats.paxlst import read_paxlst

        return read_paxlst(raw)
    if kind == "pnrgov":
        from paxwatch.formats.pnrgov import read_pnrgov

        return read_pnrgov(raw)
    preview = raw[:40].decode("utf-8", errors="replace")
    return ParseResult(
        findings=(
            Finding(
                severity=Severity.ERROR,
                code="unknown-format",
                message=(
                    f"not a PNRGOV (EDIFACT or XML) or PAXLST message: it starts with "
                    f"{preview!r}. Check that the file is a carrier message."
                ),
                line=1,
            ),
        )
    )

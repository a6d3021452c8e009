"""Writing EDIFACT segments for PNRGOV: the segment writer and the value formats it uses.

``SegmentWriter`` collects segments, escaping the service characters in data with the
release character and counting the segments (for UNT). ``ddmmyy``, ``hhmm``, ``ddmonyy``
and ``yymmdd`` format dates and times as PNRGOV sends them; ``txt`` writes None as "".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from paxwatch.formats.edifact import ServiceChars

__all__ = [
    "Elements",
    "SegmentWriter",
    "ddmmyy",
    "ddmonyy",
    "hhmm",
    "split_body",
    "times",
    "txt",
    "yymmdd",
]

Elements = list[list[str]]

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def txt(value: object) -> str:
    """``str(value)``, or "" for None."""
    return "" if value is None else str(value)


def ddmmyy(d: date | None) -> str:
    """``DDMMYY`` (empty for None)."""
    return d.strftime("%d%m%y") if d is not None else ""


def hhmm(at: datetime | None) -> str:
    """``HHMM``, or ``HHMMSS`` when the seconds are not zero (empty for None)."""
    if at is None:
        return ""
    return at.strftime("%H%M%S" if at.second else "%H%M")


def ddmonyy(d: date | None) -> str:
    """``12JUL64`` (empty for None)."""
    return f"{d.day:02d}{_MONTHS[d.month - 1]}{d.year % 100:02d}" if d is not None else ""


def split_body(text: str) -> list[list[str]]:
    """Elements and components of a canonical segment body (``a:b+c``)."""
    return [e.split(":") for e in text.split("+")]


def yymmdd(at: datetime | None) -> str:
    """``YYMMDD`` (empty for None)."""
    return at.strftime("%y%m%d") if at is not None else ""


def times(dep: datetime | None, arr: datetime | None) -> list[str]:
    """The date/time element of a TVL: departure date and time, arrival date and time."""
    return [
        ddmmyy(dep.date() if dep else None),
        hhmm(dep),
        ddmmyy(arr.date() if arr else None),
        hhmm(arr),
    ]


class SegmentWriter:
    """Collects segments with escaping, counting those inside the message."""

    def __init__(self, chars: ServiceChars, line_breaks: bool) -> None:
        self.chars = chars
        self.end = chars.terminator + ("\n" if line_breaks else "")
        specials = {chars.release, chars.terminator, chars.element, chars.component}
        if chars.repetition and chars.repetition != " ":
            specials.add(chars.repetition)
        self.table = str.maketrans({c: chars.release + c for c in specials})
        self.out: list[str] = []
        self.count = 0

    def seg(self, tag: str, elements: Iterable[list[str]] = ()) -> None:
        c = self.chars
        parts = [tag]
        for comps in elements:
            parts.append(
                c.component.join(v.translate(self.table) for v in comps).rstrip(c.component)
            )
        while len(parts) > 1 and parts[-1] == "":
            parts.pop()
        self.out.append(c.element.join(parts) + self.end)
        self.count += 1

    def canonical(self, text: str) -> None:
        """Write segments given in canonical form (``TAG+a:b+c'TAG+...``)."""
        for piece in text.split("'"):
            tag, _, body = piece.partition("+")
            self.seg(tag, split_body(body) if body else [])

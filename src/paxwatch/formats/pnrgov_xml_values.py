"""Reading values out of PNRGOV XML elements, and the findings of one reading.

Element helpers (``text_of``, ``attr``, ``child``, ``children``...) match tags without their
namespace (``pnrgov_xml`` strips it first). ``XmlReader`` holds what a reading shares: the
findings, in the order they are made, and the position of every element (the ``segment``
of a finding). Its ``*_attr`` methods read an attribute as a date, date-time, number or
gender and report a warning, leaving the value empty, when the text is not one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

from lxml import etree

from paxwatch.formats import values
from paxwatch.formats.pnrgov_xml_codes import GENDERS
from paxwatch.model.common import Finding, Gender, Severity

__all__ = [
    "XmlReader",
    "attr",
    "boolean",
    "child",
    "children",
    "first_of",
    "strip_namespaces",
    "text_of",
    "upper",
]


def text_of(el: etree._Element | None) -> str:
    """The element's text content (all descendants), whitespace collapsed."""
    if el is None:
        return ""
    return " ".join(" ".join(str(t) for t in el.itertext()).split())


def attr(el: etree._Element | None, *names: str) -> str | None:
    """The first of the named attributes that is present and not blank, stripped."""
    if el is None:
        return None
    for name in names:
        v = el.get(name)
        if v is not None and v.strip():
            return " ".join(v.split())
    return None


def child(el: etree._Element | None, tag: str) -> etree._Element | None:
    if el is None:
        return None
    for c in el:
        if c.tag == tag:
            return c
    return None


def first_of(*elements: etree._Element | None) -> etree._Element | None:
    """The first element that is not None (elements without children are falsy in lxml)."""
    return next((e for e in elements if e is not None), None)


def children(el: etree._Element, *tags: str) -> Iterator[etree._Element]:
    for c in el:
        if c.tag in tags:
            yield c


def upper(value: str | None) -> str | None:
    return value.upper() if value else None


def boolean(value: str | None) -> bool | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v in ("true", "1", "y", "yes"):
        return True
    if v in ("false", "0", "n", "no"):
        return False
    return None


def strip_namespaces(root: etree._Element) -> set[str]:
    """Replace qualified tags by their local names; returns the namespaces seen."""
    seen: set[str] = set()
    for el in root.iter(tag=etree.Element):
        tag = el.tag
        if not isinstance(tag, str) or not tag.startswith("{"):
            continue  # recover mode keeps tags lxml itself would refuse: leave them alone
        namespace, _, local = tag[1:].partition("}")
        seen.add(namespace)
        try:
            el.tag = local
        except ValueError:
            continue
    etree.cleanup_namespaces(root)
    return seen


class XmlReader:
    """One reading: the element positions and the findings collected along the way."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.positions: dict[etree._Element, int] = {}

    # -- findings ---------------------------------------------------------------------

    def find(
        self, severity: Severity, code: str, message: str, el: etree._Element | None = None
    ) -> None:
        segment = self.positions.get(el) if el is not None else None
        text: str | None = None
        line: int | None = None
        if el is not None:
            attrs = " ".join(f'{k!s}="{v!s}"' for k, v in el.attrib.items())
            text = f"<{el.tag}{' ' + attrs if attrs else ''}>"
            text = text if len(text) <= 100 else text[:97] + "..."
            source_line = el.sourceline
            line = source_line if isinstance(source_line, int) else None
        self.findings.append(
            Finding(
                severity=severity,
                code=code,
                message=message,
                segment=segment,
                segment_text=text,
                line=line,
            )
        )

    def error(self, code: str, message: str, el: etree._Element | None = None) -> None:
        self.find(Severity.ERROR, code, message, el)

    def warn(self, code: str, message: str, el: etree._Element | None = None) -> None:
        self.find(Severity.WARNING, code, message, el)

    def name(self, el: etree._Element) -> str:
        return f"{el.tag} element {self.positions.get(el, '?')}"

    # -- values -----------------------------------------------------------------------

    def date_attr(self, el: etree._Element, name: str, past: bool | None = None) -> date | None:
        raw = attr(el, name)
        if raw is None:
            return None
        v = raw.upper()
        parsed: date | None = None
        try:
            parsed = date.fromisoformat(v[:10]) if len(v) >= 10 and v[4] == "-" else None
        except ValueError:
            parsed = None
        if parsed is None:
            parsed = values.ddmonyy(v, past=past) or (values.yymmdd(v) if len(v) == 8 else None)
        if parsed is None:
            self.warn(
                "xml.bad_date",
                f"{self.name(el)} has {name}={raw!r}, which is not a date (YYYY-MM-DD); "
                "value left empty",
                el,
            )
        return parsed

    def datetime_attr(self, el: etree._Element, name: str, utc: bool = False) -> datetime | None:
        """An xs:dateTime; zoned values become naive (UTC when ``utc``, else wall time)."""
        raw = attr(el, name)
        if raw is None:
            return None
        try:
            parsed = datetime.fromisoformat(raw)
            if parsed.tzinfo is not None:
                parsed = parsed.astimezone(UTC) if utc else parsed
                parsed = parsed.replace(tzinfo=None)
        except (ValueError, OverflowError):
            self.warn(
                "xml.bad_datetime",
                f"{self.name(el)} has {name}={raw!r}, which is not a date-time "
                "(YYYY-MM-DDTHH:MM:SS); value left empty",
                el,
            )
            return None
        return parsed

    def decimal_attr(self, el: etree._Element | None, name: str) -> Decimal | None:
        raw = attr(el, name)
        if raw is None or el is None:
            return None
        value = values.decimal(raw)
        if value is None or not value.is_finite():
            self.warn(
                "xml.bad_number",
                f"{self.name(el)} has {name}={raw!r}, which is not a number; value left empty",
                el,
            )
            return None
        return value

    def integer_attr(self, el: etree._Element | None, name: str) -> int | None:
        raw = attr(el, name)
        if raw is None or el is None:
            return None
        # values.integer accepts any Unicode digit (str.isdigit), which int() may refuse
        value = values.integer(raw) if raw.isascii() else None
        if value is None:
            self.warn(
                "xml.bad_number",
                f"{self.name(el)} has {name}={raw!r}, which is not a whole number; "
                "value left empty",
                el,
            )
        return value

    def gender_attr(self, el: etree._Element, name: str) -> Gender | None:
        raw = attr(el, name)
        if raw is None:
            return None
        gender = GENDERS.get(raw.upper())
        if gender is None:
            self.warn(
                "xml.bad_gender",
                f"{self.name(el)} has {name}={raw!r}; expected M, F, U or X; value left empty",
                el,
            )
        return gender

    @staticmethod
    def country_attr(el: etree._Element | None, *names: str) -> str | None:
        raw = attr(el, *names)
        return values.country(raw) if raw else None

    @staticmethod
    def airline(el: etree._Element | None) -> str | None:
        return upper(attr(el, "Code", "AirlineCode", "CompanyShortName")) or upper(
            text_of(el) or None
        )

"""Building the element tree of a PNRGOV XML document (for ``pnrgov_xml_write``).

``sub`` adds a child element in the IATA namespace with optional text and attributes;
attribute values are formatted by type (``true``/``false``, ISO dates, date-times to the
second without a zone) and attributes whose value is None are left out. Characters that
XML 1.0 cannot carry are dropped from text and attribute values.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from paxwatch.formats.pnrgov_xml_codes import IATA_NAMESPACE

__all__ = ["NS", "AttrValue", "clean", "format_value", "set_attrs", "sub"]

NS = "{" + IATA_NAMESPACE + "}"
# Characters XML 1.0 cannot carry; dropped from text and attribute values.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

AttrValue = str | int | bool | date | datetime | Decimal | None


def clean(value: str) -> str:
    return _INVALID_XML.sub("", value)


def format_value(value: AttrValue) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return clean(str(value))


def set_attrs(el: etree._Element, **attrs: AttrValue) -> None:
    for name, value in attrs.items():
        text = format_value(value)
        if text is not None:
            el.set(name, text)


def sub(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: AttrValue
) -> etree._Element:
    el = etree.SubElement(parent, NS + tag)
    set_attrs(el, **attrs)
    if text is not None:
        el.text = clean(text)
    return el

"""Remarks, split PNRs and history of a PNRGOV XML PNR.

``read_remark`` reads an ``OtherServiceInfo`` (an OSI remark, its code the airline) or a
``Remark`` (its ``Type``, RMK by default); ``osi_contact`` finds a phone or e-mail written
in an OSI line, which then is both a remark and a contact. ``read_split`` reads a
``SplitPNR`` reference and ``read_history`` a ``History/HistoryItem``.
"""

from __future__ import annotations

from lxml import etree

from paxwatch.formats.people import contact_from_text
from paxwatch.formats.pnrgov_xml_codes import HISTORY_ACTIONS
from paxwatch.formats.pnrgov_xml_values import XmlReader, attr, child, text_of, upper
from paxwatch.model.booking import Contact, HistoryEntry, Remark, SplitReference
from paxwatch.model.common import ContactKind

__all__ = ["osi_contact", "read_history", "read_remark", "read_split"]


def read_remark(r: XmlReader, el: etree._Element, ref: str | None) -> Remark | None:
    """The remark of an ``OtherServiceInfo`` or ``Remark``; None (a warning) without text."""
    text = text_of(child(el, "Text")) if child(el, "Text") is not None else text_of(el)
    if not text:
        r.warn("xml.remark.empty", f"{r.name(el)} holds no text; ignored", el)
        return None
    if el.tag == "OtherServiceInfo":
        code = upper(attr(el, "Code")) or r.airline(child(el, "Airline"))
        return Remark(kind="OSI", text=text, traveller_ref=ref, code=code)
    return Remark(
        kind=upper(attr(el, "Type")) or "RMK",
        text=text,
        traveller_ref=ref,
        code=attr(el, "Code"),
    )


def osi_contact(remark: Remark) -> Contact | None:
    """A phone or e-mail hidden in an OSI line (``CTCE …``, ``CTCR 0011…``); the remark stays."""
    if remark.kind != "OSI":
        return None
    found = contact_from_text(remark.text)
    if found is None or found[0] is ContactKind.OTHER:
        return None
    kind, value, code = found
    return Contact(
        kind=kind,
        value=value,
        raw=remark.text,
        source=f"OSI {code}",
        traveller_ref=remark.traveller_ref,
    )


def read_split(r: XmlReader, el: etree._Element) -> SplitReference:
    """The other booking a ``SplitPNR`` element names."""
    company = attr(el, "CompanyName") or r.airline(child(el, "CompanyName"))
    return SplitReference(
        locator=upper(attr(el, "ID")),
        system=upper(company),
        number_of_travellers=r.integer_attr(el, "NumberInParty"),
    )


def read_history(r: XmlReader, el: etree._Element) -> HistoryEntry:
    """One ``HistoryItem``: when, what action (added, cancelled, changed), on what, by whom."""
    raw_action = attr(el, "Action")
    action = None
    if raw_action is not None:
        action = HISTORY_ACTIONS.get(raw_action.upper(), raw_action.lower())
    return HistoryEntry(
        at=r.datetime_attr(el, "DateTime", utc=True),
        action=action,
        element=attr(el, "ItemType"),
        text=text_of(el),
        by=attr(el, "AgentID"),
    )

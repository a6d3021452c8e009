"""Writing SSRs, contacts and remarks in PNRGOV EDIFACT (booking or traveller level).

``write_ssr`` writes one SSR; ``write_contacts`` writes the contacts that go to one place
(SSR CTCx, OSI in IFT 4:28, or ADD) as ``contact_place`` decides, so that the reader gives
each contact back; ``write_remarks`` writes remarks as EBD or IFT.
"""

from __future__ import annotations

from paxwatch.formats.people import contact_from_text, normalise_email, normalise_phone
from paxwatch.formats.pnrgov_elements import split_phones
from paxwatch.formats.pnrgov_write_segments import Elements, SegmentWriter, split_body, txt
from paxwatch.formats.pnrgov_write_texts import add_elements
from paxwatch.model.booking import Address, Contact, LegKey, Remark
from paxwatch.model.common import ContactKind

__all__ = ["contact_place", "write_contacts", "write_remarks", "write_ssr"]


def write_ssr(
    w: SegmentWriter,
    code: str,
    status: str | None,
    text: str,
    key: LegKey | None,
    ref: str | None,
    carrier: str = "YY",
) -> None:
    origin = txt(key.origin) if key else ""
    dest = txt(key.destination) if key else ""
    head = [code, txt(status), "1" if status else "", carrier, "", "", origin, dest, text]
    elements: Elements = [head]
    if ref:
        elements.append(["", "", ref])
    w.seg("SSR", elements)


def write_contacts(w: SegmentWriter, contacts: list[Contact], where: str) -> None:
    """Write the contacts that go to ``where`` (SSR, OSI or ADD: see ``contact_place``)."""
    for c in contacts:
        place, text = contact_place(c)
        if place != where:
            continue
        if place == "SSR":
            write_ssr(w, text[:4], "HK", text[5:], None, None)
        elif place == "OSI":
            w.seg("IFT", [["4", "28"], [text]])
        elif c.kind is ContactKind.ADDRESS:
            w.seg("ADD", add_elements(c.address or Address(street=c.value)))
        else:
            w.seg("ADD", [[""], ["", "", "", "", "", "", "", text]])


def _ctc(source: str | None, prefix: str) -> str | None:
    """The CTC code of a source such as ``SSR CTCM`` / ``OSI CTCE`` (None otherwise)."""
    if source is None or not source.startswith(prefix):
        return None
    code = source[len(prefix) :].strip().upper()
    return code if len(code) == 4 and code.startswith("CTC") and code[3].isalpha() else None


def _ssr_reads(code: str, text: str) -> tuple[ContactKind, str]:
    """What the reader makes of an SSR CTCx free text (``pnrgov_traveller._ssr_contact``)."""
    body = text.strip()
    if code == "CTCE":
        return ContactKind.EMAIL, normalise_email(body.lstrip("/").split(" ")[0])
    first = next((p for p in body.split("/") if p.strip()), "")
    return ContactKind.PHONE, normalise_phone(first)


def _text_reads(text: str) -> tuple[ContactKind, str, str] | None:
    return contact_from_text(text)


def contact_place(c: Contact) -> tuple[str, str]:
    """Where and how the writer files a contact: ``("SSR", "CTCx text")``, ``("OSI", text)``
    or ``("ADD", phone-field text)``.

    A contact stays where its ``source`` files it (SSR CTCx, OSI CTCx, ADD) when that place
    can carry its kind; the text is ``raw`` when it reads back to the same value, else one
    made from ``value``. Anything else goes to ADD: an address as an address, a phone in the
    telephone field, an e-mail or other contact as ``CTCE …`` / ``CTCO …`` in that field.
    """
    kind, value, raw = c.kind, c.value, c.raw
    ssr = _ctc(c.source, "SSR ")
    if ssr is not None and kind in (ContactKind.PHONE, ContactKind.EMAIL):
        code = "CTCE" if kind is ContactKind.EMAIL else ("CTCM" if ssr == "CTCE" else ssr)
        for text in (raw, value):
            if text.strip() and _ssr_reads(code, text) == (kind, value):
                return "SSR", f"{code} {text}"
    osi = _ctc(c.source, "OSI ")
    if osi is not None and kind is not ContactKind.ADDRESS:
        for text in (raw, f"{osi} {value}"):
            if _text_reads(text) == (kind, value, osi):
                return "OSI", text
    if kind is ContactKind.ADDRESS:
        return "ADD", ""
    if kind is ContactKind.PHONE and "CTC" not in raw.upper() and split_phones(raw) == [value]:
        return "ADD", raw
    if kind is ContactKind.PHONE and split_phones(value) == [value]:
        return "ADD", value
    letter = {ContactKind.EMAIL: "E", ContactKind.PHONE: "M"}.get(kind, "O")
    return "ADD", f"CTC{letter} {value}"


def write_remarks(w: SegmentWriter, remarks: list[Remark]) -> None:
    for r in remarks:
        if r.kind == "EBD":
            w.seg("EBD", split_body(r.text) if r.text else [])
        elif r.kind == "IFT" and r.code:
            w.seg("IFT", [r.code.split(":"), [r.text]])
        else:
            w.seg("IFT", [["4", "28", "", txt(r.code)], [r.text]])

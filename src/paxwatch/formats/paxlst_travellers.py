"""The travellers of a PAXLST message: what follows a NAD (UN/EDIFACT), or a PDT (US/EDIFACT).

Handlers ``handler(state, segment)`` of ``paxlst_message.MessageReader`` for the segments
of the traveller being read: RFF (booking locator, unique reference, seat, others), ATT
(gender), NAT, MEA and FTX BAG (bags), DOC with its DTM and LOC 91, the traveller's LOC
(embarkation, debarkation, clearance, residence, birth place) and DTM 329 (date of birth).
A PDT is a whole US/EDIFACT traveller (``paxlst_parts.read_pdt``).
"""

from __future__ import annotations

from typing import Final

from paxwatch.formats.edifact import Segment
from paxwatch.formats.paxlst_parts import DocumentDraft, place, read_pdt, tag_run
from paxwatch.formats.paxlst_state import MessageState
from paxwatch.formats.values import decimal, integer
from paxwatch.model.common import Gender, WeightUnit

__all__ = [
    "GENDERS",
    "WEIGHT_UNITS",
    "on_att",
    "on_date",
    "on_doc",
    "on_document_place",
    "on_ftx",
    "on_mea",
    "on_nat",
    "on_pdt",
    "on_place",
    "on_rff",
]

GENDERS: Final = {g.value: g for g in Gender}
WEIGHT_UNITS: Final = {
    "KGM": WeightUnit.KG,
    "KG": WeightUnit.KG,
    "KGS": WeightUnit.KG,
    "K": WeightUnit.KG,
    "LBR": WeightUnit.LB,
    "LB": WeightUnit.LB,
    "LBS": WeightUnit.LB,
    "L": WeightUnit.LB,
}


def on_rff(r: MessageState, seg: Segment) -> None:
    trav = r.trav
    if trav is None:
        if not r.skip_group and not r.flights and not r.travellers:
            return  # RFF+TN and friends in the message header: not modelled
        r.outside(seg)
        return
    qualifier = seg.get(0).strip().upper()
    value = seg.get(0, 1).strip()
    if not value:
        return
    if qualifier == "AVF":
        trav.booking_locator = value
    elif qualifier == "ABO":
        trav.unique_ref = value
    elif qualifier == "SEA":
        trav.seat = value
    else:
        trav.references.append((qualifier, value))


def on_place(r: MessageState, seg: Segment, qualifier: str) -> None:
    """A LOC of the traveller (not a flight stop, not LOC 91 of a document)."""
    trav = r.trav
    if trav is None:
        r.outside(seg)
        return
    value = seg.get(1).strip()
    if not value:
        return
    if qualifier == "178":
        trav.embarkation = place(value)
    elif qualifier == "179":
        trav.debarkation = place(value)
    elif qualifier == "22":
        trav.clearance = place(value)
    elif qualifier == "174":
        trav.residence_country = value.upper()
    elif qualifier == "180":
        trav.birth_place = value
    else:
        r.error(seg, "unknown-qualifier", "has an unknown place qualifier; not read.")


def on_date(r: MessageState, seg: Segment, qualifier: str) -> None:
    """DTM 329 (date of birth), 36 (document expiry) or 182 (document issue date)."""
    if qualifier == "329":
        trav = r.trav
        if trav is None:
            r.outside(seg)
            return
        trav.date_of_birth = r.read_date(seg, past=True, what="date of birth")
        return
    doc = _document(r, seg)
    if doc is None:
        return
    if qualifier == "36":
        doc.expiry = r.read_date(seg, past=None, what="expiry")
    else:
        doc.issued_on = r.read_date(seg, past=True, what="issue date")


def on_att(r: MessageState, seg: Segment) -> None:
    trav = r.trav
    if trav is None:
        r.outside(seg)
        return
    code = seg.get(2).strip().upper()
    if not code:
        return
    gender = GENDERS.get(code)
    if gender is None:
        r.error(seg, "bad-gender", f"has gender {code[:5]!r}; expected M, F, U or X.")
    trav.gender = gender


def on_nat(r: MessageState, seg: Segment) -> None:
    trav = r.trav
    if trav is None:
        r.outside(seg)
        return
    value = seg.get(1).strip().upper()
    if trav.nationality is not None and value and value != trav.nationality:
        r.error(seg, "second-nationality", f"gives a second nationality; {trav.nationality} kept.")
    elif value:
        trav.nationality = value


def on_mea(r: MessageState, seg: Segment) -> None:
    trav = r.trav
    if trav is None:
        r.outside(seg)
        return
    qualifier = seg.get(0).strip().upper()
    comps = [c.strip() for c in seg.element(2)]
    values = [c for c in comps if c]
    if qualifier == "CT":
        count = integer(values[-1]) if values else None
        if count is None:
            r.error(seg, "bad-number", "has no bag count; not read.")
            return
        trav.bag_count = count
    elif qualifier == "WT":
        unit_code = comps[0].upper() if len(comps) > 1 else ""
        weight = decimal(comps[-1]) if comps else None
        if weight is None:
            r.error(seg, "bad-number", "has no bag weight; not read.")
            return
        unit = WEIGHT_UNITS.get(unit_code)
        if unit is None:
            r.warn(seg, "no-unit", f"has unit {unit_code[:5]!r}, not KGM or LBR.")
        trav.bag_weight, trav.bag_unit = weight, unit
    else:
        r.error(seg, "unknown-qualifier", "has an unknown measure qualifier; not read.")
        return
    trav.has_bag = True


def on_ftx(r: MessageState, seg: Segment) -> None:
    if seg.get(0).strip().upper() != "BAG":
        return  # free text: not modelled
    trav = r.trav
    if trav is None:
        r.outside(seg)
        return
    tag = seg.get(3).strip()
    if not tag:
        return
    tags = tag_run(tag, seg.get(3, 1).strip())
    if tags is None:
        tags = [tag]
        r.error(
            seg,
            "bad-tag-count",
            "has a tag count that cannot be expanded; only the first tag was read.",
        )
    trav.bag_tags.extend(tags)
    trav.has_bag = True


def on_doc(r: MessageState, seg: Segment) -> None:
    trav = r.trav
    if trav is None:
        r.outside(seg)
        return
    trav.documents.append(DocumentDraft(seg.get(0).strip() or None, seg.get(1).strip() or None))


def _document(r: MessageState, seg: Segment) -> DocumentDraft | None:
    trav = r.trav
    if trav is None or not trav.documents:
        r.outside(seg, "outside a document (DOC) group")
        return None
    return trav.documents[-1]


def on_document_place(r: MessageState, seg: Segment) -> None:
    doc = _document(r, seg)
    if doc is not None:
        doc.issuing_country = seg.get(1).strip().upper() or None


def on_pdt(r: MessageState, seg: Segment) -> None:
    r.close_traveller()
    r.us(seg)
    r.in_party = False
    trav = read_pdt(seg, r.pivot, r.findings)
    if trav is not None:
        r.travellers.append(trav)

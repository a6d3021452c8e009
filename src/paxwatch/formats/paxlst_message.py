"""One PAXLST message (UNH ... UNT), segment by segment: see ``paxlst`` for the layouts.

``MessageReader`` dispatches each segment to its handler and builds the ``ApiMessage``.
This module reads the header (BGM), the reporting party (NAD+MS, COM, CTA), the start of
a traveller (NAD), the counts (CNT), and sends LOC and DTM to the flight or traveller they
belong to; ``paxlst_flights`` reads TDT and the flight's stops, ``paxlst_travellers`` the
segments of a traveller, and ``paxlst_state`` holds what the message knows so far.
"""

from __future__ import annotations

from typing import Final

from paxwatch.formats.edifact import Segment, count_check
from paxwatch.formats.paxlst_flights import (
    ARRIVAL_TIMES,
    DEPARTURE_TIMES,
    STOPS,
    on_stop,
    on_stop_time,
    on_tdt,
)
from paxwatch.formats.paxlst_parts import ROLES, TravellerDraft, label, read_cta, with_contacts
from paxwatch.formats.paxlst_state import MessageState
from paxwatch.formats.paxlst_travellers import (
    on_att,
    on_date,
    on_doc,
    on_document_place,
    on_ftx,
    on_mea,
    on_nat,
    on_pdt,
    on_place,
    on_rff,
)
from paxwatch.formats.values import integer
from paxwatch.model.api import ReportingParty
from paxwatch.model.common import ApiRole
from paxwatch.model.message import ApiMessage

__all__ = ["MessageReader"]

# Read silently: not modelled (see the ``paxlst`` docstring).
_IGNORED: Final = frozenset({"UNS", "GEI", "EMP", "QTY", "ERP", "ERC", "UNG", "UNE", "TSR", "GIS"})
_PASSENGER_ROLES: Final = frozenset({ApiRole.PASSENGER, ApiRole.TRANSIT_PASSENGER})


class MessageReader(MessageState):
    """Builds one ApiMessage from the segments between UNH and UNT."""

    def handle(self, seg: Segment) -> None:
        if self.skip:
            return
        # The tag's number, then direct calls (compiled: C calls; a dict of handlers would
        # call each through its Python wrapper).
        code = _TAG_CODES.get(seg.tag, -1)
        if code == 0:  # BGM
            self.bgm(seg)
        elif code == 1:  # RFF
            on_rff(self, seg)
        elif code == 2:  # NAD
            self.nad(seg)
        elif code == 3:  # COM
            self.com(seg)
        elif code == 4:  # CTA
            self.cta(seg)
        elif code == 5:  # TDT
            on_tdt(self, seg)
        elif code == 6:  # LOC
            self.loc(seg)
        elif code == 7:  # DTM
            self.dtm(seg)
        elif code == 8:  # ATT
            on_att(self, seg)
        elif code == 9:  # NAT
            on_nat(self, seg)
        elif code == 10:  # MEA
            on_mea(self, seg)
        elif code == 11:  # FTX
            on_ftx(self, seg)
        elif code == 12:  # DOC
            on_doc(self, seg)
        elif code == 13:  # PDT
            on_pdt(self, seg)
        elif code == 14:  # CNT
            self.cnt(seg)
        elif seg.tag not in _IGNORED:
            self.error(seg, "unknown-segment", "is not a PAXLST segment; it was not read.")

    # -- header and reporting party ------------------------------------------------------

    def bgm(self, seg: Segment) -> None:
        self.document = seg.get(0).strip() or None

    def nad(self, seg: Segment) -> None:
        self.close_traveller()
        code = seg.get(0).strip().upper()
        self.in_party = code == "MS"
        self.skip_group = False
        if code == "MS":
            name = " ".join(c.strip() for c in seg.element(3) if c.strip())
            self.party = ReportingParty(name=name or None)
            return
        role = ROLES.get(code)
        if role is None:
            self.skip_group = True
            self.error(
                seg,
                "unknown-party",
                f"has party function {code[:5]!r}; expected FL, FM, DDU, DDT or MS. "
                "The party and its segments were not read.",
            )
            return
        comps = [c.strip() for c in seg.element(3)]
        surname = comps[0] if comps else ""
        if not surname:
            self.skip_group = True
            self.error(seg, "no-surname", "has no surname; traveller skipped.")
            return
        given = " ".join(c for c in comps[1:] if c)
        self.trav = TravellerDraft(role, surname, given, ":".join(seg.element(3)), seg)

    def com(self, seg: Segment) -> None:
        if not self.in_party or self.party is None:
            return  # a traveller's contact: not modelled
        self.party = with_contacts(self.party, seg.elements)

    def cta(self, seg: Segment) -> None:
        self.close_traveller()
        self.us(seg)
        self.in_party = True
        self.party = read_cta(seg)

    # -- places and dates: of a flight, a traveller or a document -------------------------

    def loc(self, seg: Segment) -> None:
        qualifier = seg.get(0).strip().upper()
        if qualifier in STOPS:
            on_stop(self, seg)
        elif qualifier == "91":
            on_document_place(self, seg)
        else:
            on_place(self, seg, qualifier)

    def dtm(self, seg: Segment) -> None:
        qualifier = seg.get(0).strip().upper()
        if qualifier in DEPARTURE_TIMES or qualifier in ARRIVAL_TIMES:
            on_stop_time(self, seg, qualifier in DEPARTURE_TIMES)
        elif qualifier in ("329", "36", "182"):
            on_date(self, seg, qualifier)
        else:
            self.error(seg, "unknown-qualifier", "has an unknown date qualifier; not read.")

    # -- counts and end ------------------------------------------------------------------

    def cnt(self, seg: Segment) -> None:
        self.close_traveller()
        qualifier = seg.get(0).strip()
        declared = seg.get(0, 1).strip()
        if qualifier not in ("41", "42"):
            self.error(
                seg,
                "unknown-qualifier",
                "has an unknown count qualifier; expected 42 "
                "(passengers) or 41 (crew). The count was not read.",
            )
            return
        if integer(declared) is None:
            self.error(seg, "bad-number", f"has {declared[:10]!r}, not a count; not read.")
            return
        if self.declared is None:
            self.declared = int(declared)
        crew = qualifier == "41"
        actual = sum(1 for t in self.travellers if (t.role in _PASSENGER_ROLES) != crew)
        what = f"{label(seg)} {'crew' if crew else 'passengers'}"
        count_check(declared, actual, what, seg, self.findings)

    def build(self) -> ApiMessage | None:
        if self.skip:
            return None
        self.close_traveller()
        inter = self.inter
        return ApiMessage(
            version=self.version,
            variant=self.variant,
            sender=inter.sender,
            recipient=inter.recipient,
            prepared_at=inter.prepared_at,
            reference=self.reference,
            part=self.part,
            document=self.document,
            reporting_party=self.party,
            flights=tuple(f.build(self.findings) for f in self.flights),
            travellers=tuple(t.build() for t in self.travellers),
            declared_count=self.declared,
        )


# The tags ``MessageReader.handle`` reads, numbered for its dispatch.
_TAG_CODES: Final[dict[str, int]] = {
    "BGM": 0,
    "RFF": 1,
    "NAD": 2,
    "COM": 3,
    "CTA": 4,
    "TDT": 5,
    "LOC": 6,
    "DTM": 7,
    "ATT": 8,
    "NAT": 9,
    "MEA": 10,
    "FTX": 11,
    "DOC": 12,
    "PDT": 13,
    "CNT": 14,
}

"""One PAXLST message (UNH ... UNT), segment by segment: see ``paxlst`` for the layouts."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from paxwatch.formats.edifact import Segment, count_check
from paxwatch.formats.paxlst_parts import (
    ROLES,
    DocumentDraft,
    FlightDraft,
    Interchange,
    Stop,
    TravellerDraft,
    finding,
    label,
    place,
    read_cta,
    read_pdt,
    tag_run,
    with_contacts,
)
from paxwatch.formats.values import (
    combine,
    decimal,
    flight_number,
    hhmm,
    integer,
    yymmdd,
    yymmddhhmm,
)
from paxwatch.model.api import ReportingParty
from paxwatch.model.common import ApiRole, Finding, Gender, Severity, WeightUnit
from paxwatch.model.message import ApiMessage, MessagePart

ERROR, WARNING = Severity.ERROR, Severity.WARNING

_FLIGHT = re.compile(r"([A-Z0-9]{2}[A-Z]?) ?([0-9]{1,5}[A-Z]?)\Z")
GENDERS = {g.value: g for g in Gender}
WEIGHT_UNITS = {
    "KGM": WeightUnit.KG,
    "KG": WeightUnit.KG,
    "KGS": WeightUnit.KG,
    "K": WeightUnit.KG,
    "LBR": WeightUnit.LB,
    "LB": WeightUnit.LB,
    "LBS": WeightUnit.LB,
    "L": WeightUnit.LB,
}
_DEPARTURE_STOPS = frozenset({"125", "5", "005"})
_ARRIVAL_STOPS = frozenset({"87", "8", "008"})
_ROUTE_STOPS = frozenset({"92", "PT"})
_STOPS = _DEPARTURE_STOPS | _ARRIVAL_STOPS | _ROUTE_STOPS
_DEPARTURE_TIMES = frozenset({"189", "136"})
_ARRIVAL_TIMES = frozenset({"232", "132"})
# Read silently: not modelled (see the ``paxlst`` docstring).
_IGNORED = frozenset({"UNS", "GEI", "EMP", "QTY", "ERP", "ERC", "UNG", "UNE", "TSR", "GIS"})
_PASSENGER_ROLES = frozenset({ApiRole.PASSENGER, ApiRole.TRANSIT_PASSENGER})


class MessageReader:
    """Builds one ApiMessage from the segments between UNH and UNT."""

    def __init__(self, unh: Segment, inter: Interchange, findings: list[Finding]) -> None:
        self.unh = unh
        self.inter = inter
        self.findings = findings
        self.pivot: date = inter.prepared_at.date() if inter.prepared_at else date.today()
        kind = unh.element(1)
        self.skip = bool(kind) and kind[0].strip().upper() != "PAXLST"
        if self.skip:
            findings.append(
                finding(
                    ERROR,
                    "not-paxlst",
                    unh,
                    f"{label(unh)} declares a {kind[0][:10]!r} message, expected PAXLST; "
                    "the message was not read.",
                )
            )
        agency = unh.get(1, 1).strip().upper()
        self.version = f"{unh.get(1, 1).strip()}:{unh.get(1, 2).strip()}" if agency else None
        self.variant = "UN" if not agency or agency == "D" else "US"
        self.variant_known = bool(agency)
        self.reference = unh.get(0).strip() or None
        self.part = self._part(unh)
        self.document: str | None = None
        self.party: ReportingParty | None = None
        self.in_party = False
        self.flights: list[FlightDraft] = []
        self.flight: FlightDraft | None = None
        self.skip_flight = False
        self.travellers: list[TravellerDraft] = []
        self.trav: TravellerDraft | None = None
        self.skip_group = False
        self.declared: int | None = None

    def _part(self, unh: Segment) -> MessagePart | None:
        raw = unh.get(3).strip()
        if not raw:
            return None
        number = integer(raw)
        status = unh.get(3, 1).strip().upper()
        if number is None or status not in ("C", "F", ""):
            self.findings.append(
                finding(
                    ERROR,
                    "bad-part",
                    unh,
                    f"{label(unh)}: {':'.join(unh.element(3))!r} is not a message part "
                    "(expected nn:C or nn:F); the part number was not read.",
                )
            )
            return None
        return MessagePart(number=number, final=status != "C")

    def handle(self, seg: Segment) -> None:
        if self.skip:
            return
        handler = _HANDLERS.get(seg.tag)
        if handler is not None:
            handler(self, seg)
        elif seg.tag not in _IGNORED:
            self.error(seg, "unknown-segment", "is not a PAXLST segment; it was not read.")

    def error(self, seg: Segment, code: str, text: str) -> None:
        self.findings.append(finding(ERROR, code, seg, f"{label(seg)} {text}"))

    def warn(self, seg: Segment, code: str, text: str) -> None:
        self.findings.append(finding(WARNING, code, seg, f"{label(seg)} {text}"))

    # -- header and reporting party ------------------------------------------------------

    def bgm(self, seg: Segment) -> None:
        self.document = seg.get(0).strip() or None

    def rff(self, seg: Segment) -> None:
        trav = self.trav
        if trav is None:
            if not self.skip_group and not self.flights and not self.travellers:
                return  # RFF+TN and friends in the message header: not modelled
            self._outside(seg)
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
        self._us(seg)
        self.in_party = True
        self.party = read_cta(seg)

    # -- flights -------------------------------------------------------------------------

    def tdt(self, seg: Segment) -> None:
        self.close_traveller()
        self.in_party = False
        self.skip_group = False
        raw = seg.get(1).strip().upper()
        match = _FLIGHT.match(raw)
        carrier_element = (seg.get(4) or seg.get(3)).strip().upper()
        if match and any(ch.isalpha() for ch in match.group(1)):
            carrier, raw_number = match.group(1), match.group(2)
        elif raw.isdigit() and carrier_element:
            carrier, raw_number = carrier_element, raw
        else:
            self.flight = None
            self.skip_flight = True
            self.error(
                seg,
                "bad-flight",
                f"has flight {raw[:12]!r}; expected carrier and number (AA123). The "
                "flight and its places were not read.",
            )
            return
        self.skip_flight = False
        self.flight = FlightDraft(carrier, flight_number(raw_number), raw_number, seg)
        self.flights.append(self.flight)

    def loc(self, seg: Segment) -> None:
        qualifier = seg.get(0).strip().upper()
        if qualifier in _STOPS:
            self._stop(seg)
            return
        if qualifier == "91":
            self._document_place(seg)
            return
        trav = self.trav
        if trav is None:
            self._outside(seg)
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
            self.error(seg, "unknown-qualifier", "has an unknown place qualifier; not read.")

    def _stop(self, seg: Segment) -> None:
        flight = self.flight
        if flight is None or self.trav is not None or self.skip_group:
            if not self.skip_flight:
                self._outside(seg, "outside a flight (TDT) group")
            return
        value = place(seg.get(1))
        if not value:
            self.error(seg, "no-place", "has no place; not read.")
            return
        flight.stops.append(Stop(value, seg))

    def dtm(self, seg: Segment) -> None:
        qualifier = seg.get(0).strip().upper()
        if qualifier in _DEPARTURE_TIMES or qualifier in _ARRIVAL_TIMES:
            self._stop_time(seg, qualifier in _DEPARTURE_TIMES)
        elif qualifier == "329":
            trav = self.trav
            if trav is None:
                self._outside(seg)
                return
            trav.date_of_birth = self._date(seg, past=True, what="date of birth")
        elif qualifier in ("36", "182"):
            doc = self._document(seg)
            if doc is None:
                return
            if qualifier == "36":
                doc.expiry = self._date(seg, past=None, what="expiry")
            else:
                doc.issued_on = self._date(seg, past=True, what="issue date")
        else:
            self.error(seg, "unknown-qualifier", "has an unknown date qualifier; not read.")

    def _stop_time(self, seg: Segment, departure: bool) -> None:
        flight = self.flight
        if flight is None or not flight.stops or self.trav is not None:
            if not self.skip_flight:
                self._outside(seg, "without a place (LOC) before it")
            return
        when = self._datetime(seg)
        stop = flight.stops[-1]
        if departure:
            stop.departure = when
        else:
            stop.arrival = when

    def _datetime(self, seg: Segment) -> datetime | None:
        first = seg.element(0)
        if len(first) > 1:
            raw = first[1].strip()
            when = yymmddhhmm(raw, self.pivot)
            bad_time = len(raw) in (10, 12) and hhmm(raw[-4:]) is None
        else:  # US/EDIFACT: DTM+136+YYMMDD+HHMM+zone
            raw = f"{seg.get(1).strip()} {seg.get(2).strip()}".strip()
            at_text = seg.get(2).strip()
            at = hhmm(at_text)
            when = combine(yymmdd(seg.get(1), self.pivot), at)
            bad_time = bool(at_text) and at is None
        if when is None:
            self.error(seg, "bad-date", f"has {raw[:20]!r}, not a date and time; not read.")
        elif bad_time:
            self.warn(seg, "bad-time", f"has {raw[:20]!r}, not a valid time; read as 00:00.")
        return when

    def _date(self, seg: Segment, *, past: bool | None, what: str) -> date | None:
        raw = seg.get(0, 1).strip()
        value = yymmdd(raw[:8] if len(raw) > 8 else raw, self.pivot, past)
        if value is None:
            self.error(seg, "bad-date", f"has {raw[:20]!r}, not a date; {what} not read.")
        return value

    # -- travellers ----------------------------------------------------------------------

    def _outside(self, seg: Segment, where: str = "outside a traveller (NAD) group") -> None:
        if not self.skip_group:
            self.error(seg, "misplaced", f"is {where}; it was not read.")

    def att(self, seg: Segment) -> None:
        trav = self.trav
        if trav is None:
            self._outside(seg)
            return
        code = seg.get(2).strip().upper()
        if not code:
            return
        gender = GENDERS.get(code)
        if gender is None:
            self.error(seg, "bad-gender", f"has gender {code[:5]!r}; expected M, F, U or X.")
        trav.gender = gender

    def nat(self, seg: Segment) -> None:
        trav = self.trav
        if trav is None:
            self._outside(seg)
            return
        value = seg.get(1).strip().upper()
        if trav.nationality is not None and value and value != trav.nationality:
            self.error(
                seg, "second-nationality", f"gives a second nationality; {trav.nationality} kept."
            )
        elif value:
            trav.nationality = value

    def mea(self, seg: Segment) -> None:
        trav = self.trav
        if trav is None:
            self._outside(seg)
            return
        qualifier = seg.get(0).strip().upper()
        comps = [c.strip() for c in seg.element(2)]
        values = [c for c in comps if c]
        if qualifier == "CT":
            count = integer(values[-1]) if values else None
            if count is None:
                self.error(seg, "bad-number", "has no bag count; not read.")
                return
            trav.bag_count = count
        elif qualifier == "WT":
            unit_code = comps[0].upper() if len(comps) > 1 else ""
            weight = decimal(comps[-1]) if comps else None
            if weight is None:
                self.error(seg, "bad-number", "has no bag weight; not read.")
                return
            unit = WEIGHT_UNITS.get(unit_code)
            if unit is None:
                self.warn(seg, "no-unit", f"has unit {unit_code[:5]!r}, not KGM or LBR.")
            trav.bag_weight, trav.bag_unit = weight, unit
        else:
            self.error(seg, "unknown-qualifier", "has an unknown measure qualifier; not read.")
            return
        trav.has_bag = True

    def ftx(self, seg: Segment) -> None:
        if seg.get(0).strip().upper() != "BAG":
            return  # free text: not modelled
        trav = self.trav
        if trav is None:
            self._outside(seg)
            return
        tag = seg.get(3).strip()
        if not tag:
            return
        tags = tag_run(tag, seg.get(3, 1).strip())
        if tags is None:
            tags = [tag]
            self.error(
                seg,
                "bad-tag-count",
                "has a tag count that cannot be expanded; only the first tag was read.",
            )
        trav.bag_tags.extend(tags)
        trav.has_bag = True

    def doc(self, seg: Segment) -> None:
        trav = self.trav
        if trav is None:
            self._outside(seg)
            return
        trav.documents.append(DocumentDraft(seg.get(0).strip() or None, seg.get(1).strip() or None))

    def _document(self, seg: Segment) -> DocumentDraft | None:
        trav = self.trav
        if trav is None or not trav.documents:
            self._outside(seg, "outside a document (DOC) group")
            return None
        return trav.documents[-1]

    def _document_place(self, seg: Segment) -> None:
        doc = self._document(seg)
        if doc is not None:
            doc.issuing_country = seg.get(1).strip().upper() or None

    def pdt(self, seg: Segment) -> None:
        self.close_traveller()
        self._us(seg)
        self.in_party = False
        trav = read_pdt(seg, self.pivot, self.findings)
        if trav is not None:
            self.travellers.append(trav)

    def _us(self, seg: Segment) -> None:
        if not self.variant_known:
            self.variant, self.variant_known = "US", True

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

    # -- end -----------------------------------------------------------------------------

    def close_traveller(self) -> None:
        if self.trav is not None:
            self.travellers.append(self.trav)
            self.trav = None

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


_HANDLERS: dict[str, Callable[[MessageReader, Segment], None]] = {
    "BGM": MessageReader.bgm,
    "RFF": MessageReader.rff,
    "NAD": MessageReader.nad,
    "COM": MessageReader.com,
    "CTA": MessageReader.cta,
    "TDT": MessageReader.tdt,
    "LOC": MessageReader.loc,
    "DTM": MessageReader.dtm,
    "ATT": MessageReader.att,
    "NAT": MessageReader.nat,
    "MEA": MessageReader.mea,
    "FTX": MessageReader.ftx,
    "DOC": MessageReader.doc,
    "PDT": MessageReader.pdt,
    "CNT": MessageReader.cnt,
}

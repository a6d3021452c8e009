"""Writing PAXLST: an ``ApiMessage`` as a well-formed interchange (for synthetic traffic).

``write_paxlst(message)`` writes everything ``read_paxlst`` reads, so that reading the
result gives the message back (for messages in canonical form, see below):

* variant ``"UN"``: UN/EDIFACT PAXLST (``D:05B`` unless the message says another ``D:``
  version): UNA, UNB, UNH, BGM, NAD+MS, COM, TDT/LOC/DTM, NAD groups with ATT, DTM 329,
  MEA, FTX BAG, LOC, NAT, RFF, DOC/DTM/LOC 91, CNT, UNT, UNZ;
* variant ``"US"``: US/EDIFACT (``001:000``): CTA, TDT, LOC 005/PT/008 with DTM 136/132,
  UNS, one PDT per traveller. That layout has no place for nationality, seat, bags,
  references, clearance, residence, birth place or a second document: they are not written.

Separators in data are escaped with ``?``. Dates use two-digit years when reading them back
(relative to the message date, as the reader does) gives the same date, else four digits.

Canonical form (what round-trips): text stripped and single-spaced; names upper-case or
not, as long as ``raw_name`` is ``raw_name_for(...)``; a flight's legs are contiguous (each
leg starts where the previous one ended) - other legs are written as a routing anyway;
at most one ``Bag`` per traveller, with a weight unit when it has a weight;
``reference`` set; ``Document`` fields other than type, number, issuing country, expiry
and issue date are empty (PAXLST has no place for them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from paxwatch.formats.values import flight_number, yymmdd, yymmddhhmm
from paxwatch.model.api import ApiTraveller, ReportingParty
from paxwatch.model.booking import Document
from paxwatch.model.common import ApiRole, WeightUnit
from paxwatch.model.flight import Flight
from paxwatch.model.message import ApiMessage

Element = str | Sequence[str]

_ESCAPES = str.maketrans({"?": "??", "'": "?'", "+": "?+", ":": "?:", "*": "?*"})
_UNOA = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-()/='+:?!\"%&*;<>")
_NAD_CODES = {
    ApiRole.PASSENGER: "FL",
    ApiRole.CREW: "FM",
    ApiRole.TRANSIT_PASSENGER: "DDU",
    ApiRole.TRANSIT_CREW: "DDT",
}
_PDT_CODES = {
    ApiRole.PASSENGER: "PAX",
    ApiRole.CREW: "CRW",
    ApiRole.TRANSIT_PASSENGER: "DDU",
    ApiRole.TRANSIT_CREW: "DDT",
}
_CREW_LISTS = frozenset({"250", "336"})
_UNITS = {WeightUnit.KG: "KGM", WeightUnit.LB: "LBR"}


def write_paxlst(message: ApiMessage, *, line_breaks: bool = True) -> str:
    """The message as a PAXLST interchange (UN/EDIFACT, or US/EDIFACT for variant US)."""
    writer = _Writer(message)
    body = writer.us() if message.variant == "US" else writer.un()
    reference = _clip(message.reference or "1", 14)
    prepared = message.prepared_at
    when: Element = (
        (_date_text(prepared.date(), None, None), f"{prepared:%H%M}") if prepared else ""
    )
    chars = set("".join(body))
    syntax = "UNOA" if chars <= _UNOA else "UNOW"
    head = [
        _segment(
            "UNB",
            (syntax, "4"),
            message.sender or "",
            message.recipient or "",
            when,
            reference,
            "",
            "PAXLST",
        )
    ]
    tail = [_segment("UNZ", "1", reference)]
    end = "'\n" if line_breaks else "'"
    return "UNA:+.?*'" + ("\n" if line_breaks else "") + end.join([*head, *body, *tail]) + end


def raw_name_for(surname: str, given_names: str, variant: str = "UN") -> str:
    """The ``raw_name`` that reading the written traveller gives (``SURNAME:GIVEN:MIDDLE``)."""
    if variant == "US":
        return ":".join(_pdt_name(surname, given_names))
    return ":".join(_nad_name(surname, given_names))


def _nad_name(surname: str, given_names: str) -> list[str]:
    words = given_names.split()
    if len(words) > 4:
        words = [*words[:3], " ".join(words[3:])]
    return [surname, *words]


def _pdt_name(surname: str, given_names: str) -> list[str]:
    first, _, rest = given_names.strip().partition(" ")
    return [surname, first, rest.strip()]


def _clip(value: str, size: int) -> str:
    return value[:size]


def _escape(value: str) -> str:
    return value.translate(_ESCAPES)


def _segment(tag: str, *elements: Element) -> str:
    """``TAG+a:b+c`` with data escaped; trailing empty components and elements dropped."""
    parts = [tag]
    for element in elements:
        comps = [element] if isinstance(element, str) else list(element)
        while comps and not comps[-1]:
            comps.pop()
        parts.append(":".join(_escape(c) for c in comps))
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    return "+".join(parts)


def _date_text(value: date, pivot: date | None, past: bool | None) -> str:
    """``YYMMDD`` when it reads back as ``value``, else ``CCYYMMDD``."""
    short = f"{value.year % 100:02d}{value.month:02d}{value.day:02d}"
    if yymmdd(short, pivot, past) == value:
        return short
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _datetime_text(value: datetime, pivot: date) -> tuple[str, str]:
    """(``YYMMDDHHMM``, ``201``) when it reads back as ``value``, else the 4-digit year form."""
    short = f"{value.year % 100:02d}{value:%m%d%H%M}"
    if yymmddhhmm(short, pivot) == value.replace(second=0, microsecond=0):
        return short, "201"
    return f"{value.year:04d}{value:%m%d%H%M}", "203"


class _Writer:
    def __init__(self, message: ApiMessage) -> None:
        self.message = message
        prepared = message.prepared_at
        self.pivot = prepared.date() if prepared else date.today()

    def _unh(self, version: str) -> str:
        m = self.message
        part: Element = (f"{m.part.number:02d}", "F" if m.part.final else "C") if m.part else ""
        return _segment("UNH", m.reference or "1", ("PAXLST", *version.split(":")), "", part)

    def un(self) -> list[str]:
        m = self.message
        version = m.version if m.version and m.version.startswith("D:") else "D:05B"
        out = [self._unh(f"{version}:UN:IATA")]
        if m.document:
            out.append(_segment("BGM", m.document))
        if m.reporting_party is not None:
            party = m.reporting_party
            out.append(_segment("NAD", "MS", "", "", party.name or ""))
            contacts = _contacts(party)
            if contacts:
                out.append(_segment("COM", *contacts))
        for flight in m.flights:
            self._flight(flight, out, us=False)
        for traveller in m.travellers:
            self._traveller(traveller, out)
        if m.declared_count is not None:
            qualifier = "41" if m.document in _CREW_LISTS else "42"
            out.append(_segment("CNT", (qualifier, str(m.declared_count))))
        out.append(_segment("UNT", str(len(out) + 1), m.reference or "1"))
        return out

    def us(self) -> list[str]:
        m = self.message
        version = m.version if m.version and not m.version.startswith("D:") else "001:000"
        out = [self._unh(f"{version}:US")]
        if m.reporting_party is not None:
            party = m.reporting_party
            out.append(_segment("CTA", "IC", ("", party.name or ""), *_contacts(party)))
        for flight in m.flights:
            self._flight(flight, out, us=True)
        out.append("UNS+D")
        for traveller in m.travellers:
            out.append(self._pdt(traveller))
        if m.declared_count is not None:
            out.append(_segment("CNT", ("42", str(m.declared_count))))
        out.append(_segment("UNT", str(len(out) + 1), m.reference or "1"))
        return out

    def _flight(self, flight: Flight, out: list[str], *, us: bool) -> None:
        raw = flight.raw_number
        number = raw if raw and flight_number(raw) == flight.number else flight.number
        designator = flight.carrier + number
        if us:
            out.append(_segment("TDT", "", designator, "40", flight.carrier))
        else:
            out.append(_segment("TDT", "20", designator, "", "", flight.carrier))
        legs = flight.legs
        if not legs:
            return
        # Stops: (place, arrival, departure), from contiguous legs.
        stops: list[tuple[str, datetime | None, datetime | None]] = [
            (legs[0].origin, None, legs[0].departure)
        ]
        for i, leg in enumerate(legs):
            following = legs[i + 1] if i + 1 < len(legs) else None
            if following is not None and following.origin != leg.destination:
                stops.append((leg.destination, leg.arrival, None))
                stops.append((following.origin, None, following.departure))
            else:
                stops.append(
                    (leg.destination, leg.arrival, following.departure if following else None)
                )
        single = len(stops) == 2
        for n, (where, arrival, departure) in enumerate(stops):
            if us:
                qualifier = "005" if n == 0 else "008" if n == len(stops) - 1 else "PT"
            else:
                qualifier = "92" if not single else "125" if n == 0 else "87"
            out.append(_segment("LOC", qualifier, where))
            if arrival is not None:
                out.append(self._dtm(arrival, "132" if us else "232", us))
            if departure is not None:
                out.append(self._dtm(departure, "136" if us else "189", us))

    def _dtm(self, when: datetime, qualifier: str, us: bool) -> str:
        text, fmt = _datetime_text(when, self.pivot)
        if us:
            return _segment("DTM", qualifier, text[:-4], text[-4:])
        return _segment("DTM", (qualifier, text, fmt))

    def _traveller(self, t: ApiTraveller, out: list[str]) -> None:
        pivot = self.pivot
        out.append(_segment("NAD", _NAD_CODES[t.role], "", "", _nad_name(t.surname, t.given_names)))
        if t.gender is not None:
            out.append(_segment("ATT", "2", "", t.gender.value))
        if t.date_of_birth is not None:
            out.append(_segment("DTM", ("329", _date_text(t.date_of_birth, pivot, True))))
        for bag in t.bags:
            if bag.count is not None:
                out.append(_segment("MEA", "CT", "", str(bag.count)))
            if bag.weight is not None:
                unit = _UNITS.get(bag.weight_unit) if bag.weight_unit else ""
                out.append(_segment("MEA", "WT", "", (unit or "", str(bag.weight))))
            out.extend(_segment("FTX", "BAG", "", "", tag) for tag in bag.tags)
        for qualifier, value in (
            ("22", t.clearance),
            ("178", t.embarkation),
            ("179", t.debarkation),
            ("174", t.residence_country),
            ("180", t.birth_place),
        ):
            if value:
                out.append(_segment("LOC", qualifier, value))
        if t.nationality:
            out.append(_segment("NAT", "2", t.nationality))
        refs = [("AVF", t.booking_locator), ("ABO", t.unique_ref), ("SEA", t.seat)]
        for qualifier, value in [*refs, *t.references]:
            if value:
                out.append(_segment("RFF", (qualifier, value)))
        for doc in t.documents:
            self._document(doc, out)

    def _document(self, doc: Document, out: list[str]) -> None:
        out.append(_segment("DOC", doc.type or "", doc.number or ""))
        if doc.expiry is not None:
            out.append(_segment("DTM", ("36", _date_text(doc.expiry, self.pivot, None))))
        if doc.issued_on is not None:
            out.append(_segment("DTM", ("182", _date_text(doc.issued_on, self.pivot, True))))
        if doc.issuing_country:
            out.append(_segment("LOC", "91", doc.issuing_country))

    def _pdt(self, t: ApiTraveller) -> str:
        pivot = self.pivot
        doc = t.documents[0] if t.documents else None
        document: Element = ""
        if doc is not None:
            head = f"{doc.type}/{doc.number or ''}" if doc.type else doc.number or ""
            expiry = _date_text(doc.expiry, pivot, None) if doc.expiry else ""
            document = (head, expiry, doc.issuing_country or "")
        dob = _date_text(t.date_of_birth, pivot, True) if t.date_of_birth else ""
        gender = t.gender.value if t.gender else ""
        name = (*_pdt_name(t.surname, t.given_names), dob, gender)
        places = (t.embarkation or "", t.debarkation or "")
        return _segment("PDT", document, name, _PDT_CODES[t.role], places)


def _contacts(party: ReportingParty) -> list[Element]:
    return [
        (value, kind)
        for value, kind in ((party.phone, "TE"), (party.fax, "FX"), (party.email, "EM"))
        if value
    ]

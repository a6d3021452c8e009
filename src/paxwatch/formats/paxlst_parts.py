"""PAXLST building blocks: drafts of flights, travellers and documents being read, the
helpers shared by both layouts, and the US/EDIFACT segments (CTA, PDT).

The US/EDIFACT layout (``UNH+…+PAXLST:001:000:NZ``) puts a whole traveller in one segment::

    PDT+P/121234324:980701:US+JONES:INDIANA::351230:M+PAX+NZAKL:USLAX

document type / number : expiry : issuing country, then surname : given : middle : date of
birth : gender, the traveller status (PAX passenger, CRW crew...) and embarkation :
debarkation as UN/LOCODEs. ``CTA+IC+:FRED SAMPLE+1-703-644-5200:TE+…:FX`` names the sender.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from typing import Final

from paxwatch.formats.edifact import Segment
from paxwatch.formats.values import combine, hhmm, integer, yymmdd
from paxwatch.model.api import ApiTraveller, ReportingParty
from paxwatch.model.booking import Bag, Document
from paxwatch.model.common import ApiRole, Finding, Gender, Severity, WeightUnit
from paxwatch.model.flight import Flight, FlightLeg

ERROR: Final = Severity.ERROR

ROLES: Final[dict[str, ApiRole]] = {
    "FL": ApiRole.PASSENGER,
    "FM": ApiRole.CREW,
    "DDU": ApiRole.TRANSIT_PASSENGER,
    "DDT": ApiRole.TRANSIT_CREW,
}
# Traveller status in a US/EDIFACT PDT (and the NAD codes, which some senders use there).
US_ROLES: Final[dict[str, ApiRole]] = {
    **ROLES,
    "PAX": ApiRole.PASSENGER,
    "CRW": ApiRole.CREW,
    "CRM": ApiRole.CREW,
    "TRP": ApiRole.TRANSIT_PASSENGER,
    "TRC": ApiRole.TRANSIT_CREW,
}
_GENDERS: Final = {g.value: g for g in Gender}


def label(seg: Segment) -> str:
    """``NAD+FL at segment 14 (line 14)``: how findings name a segment."""
    qualifier = seg.get(0).strip()
    head = f"{seg.tag}+{qualifier}" if qualifier and len(qualifier) <= 4 else seg.tag
    return f"{head} at segment {seg.index} (line {seg.line})"


def finding(severity: Severity, code: str, seg: Segment, message: str) -> Finding:
    return Finding(
        severity=severity,
        code=code,
        message=message,
        segment=seg.index,
        segment_text=seg.text,
        line=seg.line,
    )


def place(value: str) -> str:
    """An airport: IATA code as sent, or the IATA part of a UN/LOCODE (``NZAKL`` → ``AKL``)."""
    v = value.strip().upper()
    if len(v) == 5 and v.isalpha():
        return v[2:]
    return v


class DocumentDraft:
    """A DOC group being read."""

    __slots__ = ("expiry", "issued_on", "issuing_country", "number", "type")

    def __init__(self, type_: str | None, number: str | None) -> None:
        self.type = type_
        self.number = number
        self.expiry: date | None = None
        self.issued_on: date | None = None
        self.issuing_country: str | None = None

    def build(self) -> Document:
        return Document(
            type=self.type,
            number=self.number,
            issuing_country=self.issuing_country,
            expiry=self.expiry,
            issued_on=self.issued_on,
        )


class TravellerDraft:
    """A NAD group (or PDT) being read."""

    __slots__ = (
        "bag_count",
        "bag_tags",
        "bag_unit",
        "bag_weight",
        "birth_place",
        "booking_locator",
        "clearance",
        "date_of_birth",
        "debarkation",
        "documents",
        "embarkation",
        "gender",
        "given",
        "has_bag",
        "nationality",
        "raw_name",
        "references",
        "residence_country",
        "role",
        "seat",
        "seg",
        "surname",
        "unique_ref",
    )

    def __init__(self, role: ApiRole, surname: str, given: str, raw_name: str, seg: Segment):
        self.role = role
        self.surname = surname
        self.given = given
        self.raw_name = raw_name
        self.seg = seg
        self.gender: Gender | None = None
        self.date_of_birth: date | None = None
        self.nationality: str | None = None
        self.residence_country: str | None = None
        self.birth_place: str | None = None
        self.embarkation: str | None = None
        self.debarkation: str | None = None
        self.clearance: str | None = None
        self.documents: list[DocumentDraft] = []
        self.seat: str | None = None
        self.has_bag = False
        self.bag_count: int | None = None
        self.bag_weight: Decimal | None = None
        self.bag_unit: WeightUnit | None = None
        self.bag_tags: list[str] = []
        self.booking_locator: str | None = None
        self.unique_ref: str | None = None
        self.references: list[tuple[str, str]] = []

    def build(self) -> ApiTraveller:
        bags = (
            (
                Bag(
                    count=self.bag_count,
                    weight=self.bag_weight,
                    weight_unit=self.bag_unit,
                    tags=tuple(self.bag_tags),
                ),
            )
            if self.has_bag
            else ()
        )
        return ApiTraveller(
            role=self.role,
            surname=self.surname,
            given_names=self.given,
            gender=self.gender,
            date_of_birth=self.date_of_birth,
            nationality=self.nationality,
            residence_country=self.residence_country,
            birth_place=self.birth_place,
            embarkation=self.embarkation,
            debarkation=self.debarkation,
            clearance=self.clearance,
            documents=tuple(d.build() for d in self.documents),
            seat=self.seat,
            bags=bags,
            booking_locator=self.booking_locator,
            unique_ref=self.unique_ref,
            references=tuple(self.references),
            raw_name=self.raw_name,
        )


def read_cta(seg: Segment) -> ReportingParty:
    """``CTA+IC+:FRED SAMPLE+phone:TE+fax:FX``: the contact and how to reach them."""
    name = " ".join(c.strip() for c in seg.element(1) if c.strip()) or None
    return with_contacts(ReportingParty(name=name), seg.elements[2:])


def read_pdt(seg: Segment, pivot: date, findings: list[Finding]) -> TravellerDraft | None:
    """One US/EDIFACT traveller; None (with an error) when it has no surname."""
    name = [c.strip() for c in seg.element(1)]
    surname = name[0] if name else ""
    if not surname:
        findings.append(
            finding(
                Severity.ERROR,
                "no-surname",
                seg,
                f"{label(seg)} has no surname; traveller skipped.",
            )
        )
        return None
    status = seg.get(2).strip().upper()
    role = US_ROLES.get(status, ApiRole.PASSENGER) if status else ApiRole.PASSENGER
    if status and status not in US_ROLES:
        findings.append(
            finding(
                Severity.WARNING,
                "unknown-role",
                seg,
                f"{label(seg)} has traveller "
                f"status {status[:5]!r}; expected PAX or CRW. Read as a passenger.",
            )
        )
    given = " ".join(c for c in name[1:3] if c)
    # The raw name is surname:given:middle (always three parts; date of birth and gender
    # follow in the same element but are not part of the name).
    raw_name = ":".join(([*seg.element(1), "", ""])[:3])
    trav = TravellerDraft(role, surname, given, raw_name, seg)
    if len(name) > 3 and name[3]:
        trav.date_of_birth = yymmdd(name[3], pivot, past=True)
        if trav.date_of_birth is None:
            findings.append(
                finding(
                    Severity.ERROR,
                    "bad-date",
                    seg,
                    f"{label(seg)} has date of birth "
                    f"{name[3][:10]!r}, not a date (YYMMDD); not read.",
                )
            )
    gender_code = name[4].upper() if len(name) > 4 else ""
    if gender_code:
        trav.gender = _GENDERS.get(gender_code)
        if trav.gender is None:
            findings.append(
                finding(
                    Severity.ERROR,
                    "bad-gender",
                    seg,
                    f"{label(seg)} has gender {gender_code[:5]!r}; expected M, F, U or X.",
                )
            )
    doc = _pdt_document(seg, pivot, findings)
    if doc is not None:
        trav.documents.append(doc)
    trav.embarkation = place(seg.get(3)) or None
    trav.debarkation = place(seg.get(3, 1)) or None
    return trav


def _pdt_document(seg: Segment, pivot: date, findings: list[Finding]) -> DocumentDraft | None:
    head = seg.get(0).strip()
    expiry_text = seg.get(0, 1).strip()
    country = seg.get(0, 2).strip().upper() or None
    if not head and not expiry_text and not country:
        return None
    type_, sep, number = head.partition("/")
    doc = (
        DocumentDraft(type_.strip() or None, number.strip() or None)
        if sep
        else (DocumentDraft(None, head or None))
    )
    doc.issuing_country = country
    if expiry_text:
        doc.expiry = yymmdd(expiry_text, pivot)  # closest century: see EXPIRY note
        if doc.expiry is None:
            findings.append(
                finding(
                    Severity.ERROR,
                    "bad-date",
                    seg,
                    f"{label(seg)} has document expiry "
                    f"{expiry_text[:10]!r}, not a date (YYMMDD); not read.",
                )
            )
    return doc


class Stop:
    __slots__ = ("arrival", "departure", "place", "seg")

    def __init__(self, place: str, seg: Segment) -> None:
        self.place = place
        self.seg = seg
        self.arrival: datetime | None = None
        self.departure: datetime | None = None


class FlightDraft:
    __slots__ = ("carrier", "number", "raw_number", "seg", "stops")

    def __init__(self, carrier: str, number: str, raw_number: str, seg: Segment) -> None:
        self.carrier = carrier
        self.number = number
        self.raw_number = raw_number
        self.seg = seg
        self.stops: list[Stop] = []

    def build(self, findings: list[Finding]) -> Flight:
        stops = self.stops
        if len(stops) == 1:
            findings.append(
                finding(
                    ERROR,
                    "no-leg",
                    self.seg,
                    f"flight {self.carrier}{self.number} ({label(self.seg)}) has one place "
                    f"({stops[0].place}); expected a departure and an arrival LOC. No leg read.",
                )
            )
        legs = tuple(
            FlightLeg(origin=a.place, destination=b.place, departure=a.departure, arrival=b.arrival)
            for a, b in pairwise(stops)
        )
        if len(stops) > 1 and (stops[0].arrival is not None or stops[-1].departure is not None):
            findings.append(
                finding(
                    ERROR,
                    "time-outside-leg",
                    self.seg,
                    f"flight {self.carrier}{self.number} ({label(self.seg)}) has an arrival "
                    "time at its first place or a departure time at its last; not read.",
                )
            )
        return Flight(
            carrier=self.carrier, number=self.number, legs=legs, raw_number=self.raw_number
        )


class Interchange:
    """What UNB says, shared by the messages of one interchange."""

    __slots__ = ("groups", "messages", "prepared_at", "recipient", "reference", "sender")

    def __init__(self, unb: Segment | None = None) -> None:
        self.sender = unb.get(1).strip() or None if unb else None
        self.recipient = unb.get(2).strip() or None if unb else None
        self.reference = unb.get(4).strip() if unb else ""
        self.prepared_at: datetime | None = None
        if unb is not None:
            day = yymmdd(unb.get(3))
            self.prepared_at = combine(day, hhmm(unb.get(3, 1))) if day else None
        self.messages = 0
        self.groups = 0


def with_contacts(party: ReportingParty, elements: list[list[str]]) -> ReportingParty:
    """The party with the phone (TE), fax (FX) and e-mail (EM) of COM/CTA elements added."""
    phone, fax, email = party.phone, party.fax, party.email
    for comps in elements:
        number = comps[0].strip() if comps else ""
        kind = comps[1].strip().upper() if len(comps) > 1 else ""
        if not number:
            continue
        if kind in ("TE", "") and phone is None:
            phone = number
        elif kind == "FX" and fax is None:
            fax = number
        elif kind == "EM" and email is None:
            email = number
    return ReportingParty(name=party.name, phone=phone, fax=fax, email=email)


_TAG_DIGITS: Final = re.compile(r"(.*?)([0-9]+)\Z")


def tag_run(first: str, count_text: str) -> list[str] | None:
    """``2660009`` + ``2`` → ``2660009``, ``2660010``; None when it cannot be expanded."""
    if not count_text or count_text == "1":
        return [first]
    count = integer(count_text)
    match = _TAG_DIGITS.match(first)
    if count is None or not 1 <= count <= 99 or match is None:
        return None
    prefix, digits = match.group(1), match.group(2)
    start, width = int(digits), len(digits)
    return [f"{prefix}{start + i:0{width}d}" for i in range(count)]

"""Reading single PNRGOV segments and SSR free texts into model values.

Pure functions: a segment (or the free text of an SSR) in, model values out. They never
raise on bad values; what cannot be read becomes ``None`` and, where a person should know,
a note in the returned value that the caller turns into a finding.

``canonical(tag, elements)`` is the text form used for ``raw`` fields and history entries:
the segment written with the default separators (``+`` and ``:``), no release characters,
trailing empty elements and components dropped. The writer uses the same function, so what
it writes reads back to the same ``raw``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Final

from paxwatch.formats.edifact import Segment
from paxwatch.formats.people import address_value, normalise_phone
from paxwatch.formats.values import PAYMENT_METHODS as PAYMENT_METHODS
from paxwatch.formats.values import (
    combine,
    country,
    ddmmyy,
    ddmonyy,
    decimal,
    flight_number,
    hhmm,
    integer,
    remember,
)
from paxwatch.model.booking import (
    Address,
    Agency,
    Document,
    Fare,
    FrequentFlyer,
    Tax,
    Visa,
)
from paxwatch.model.common import Finding, Gender, Severity, TravellerType, WeightUnit

GENDERS: Final[dict[str, tuple[Gender, bool]]] = {
    "M": (Gender.MALE, False),
    "F": (Gender.FEMALE, False),
    "U": (Gender.UNKNOWN, False),
    "X": (Gender.UNSPECIFIED, False),
    "MI": (Gender.MALE, True),
    "FI": (Gender.FEMALE, True),
}
TRAVELLER_TYPES: Final[dict[str, TravellerType]] = {
    "": TravellerType.ADULT,
    "A": TravellerType.ADULT,
    "ADT": TravellerType.ADULT,
    "C": TravellerType.CHILD,
    "CH": TravellerType.CHILD,
    "CHD": TravellerType.CHILD,
    "IN": TravellerType.INFANT,
    "INF": TravellerType.INFANT,
    "I": TravellerType.INFANT,
}
WEIGHT_UNITS: Final[dict[str, WeightUnit]] = {"700": WeightUnit.KG, "701": WeightUnit.LB}
DOCA_KINDS: Final[dict[str, str]] = {"R": "residence", "D": "destination"}
HISTORY_ACTIONS: Final[dict[str, str]] = {"A": "added", "X": "cancelled", "C": "changed"}


def finding(severity: Severity, code: str, message: str, seg: Segment | None) -> Finding:
    """A finding placed at ``seg``."""
    return Finding(
        severity=severity,
        code=code,
        message=message,
        segment=seg.index if seg else None,
        segment_text=seg.text[:200] if seg else None,
        line=seg.line if seg else None,
    )


def canonical(tag: str, elements: list[list[str]]) -> str:
    """The segment as text with default separators, trailing empties dropped."""
    parts = [tag]
    for comps in elements:
        parts.append(":".join(comps).rstrip(":"))
    return "+".join(parts).rstrip("+")


def seg_canonical(seg: Segment) -> str:
    """``canonical`` of a read segment."""
    return canonical(seg.tag, seg.elements)


def free_text(seg: Segment, first: int, sep: str) -> str:
    """Elements ``first``.. joined back with ``sep``: free text cut by unescaped separators."""
    return sep.join(":".join(c) for c in seg.elements[first:]).strip()


def opt(value: str) -> str | None:
    """The value stripped, or None when empty."""
    if not value:  # (most often: an absent component)
        return None
    v = value.strip()
    return v or None


_READ_TIME: Final[dict[str, tuple[time | None, bool]]] = {}


def read_time(value: str) -> tuple[time | None, bool]:
    """``HHMM`` (or ``HHMMSS``); the flag is True when a value was there but is not a time."""
    found = _READ_TIME.get(value)
    if found is not None:
        return found
    return remember(_READ_TIME, value, _read_time(value))


def _read_time(value: str) -> tuple[time | None, bool]:
    v = value.strip()
    if not v:
        return None, False
    if len(v) == 6 and v.isdigit():
        at = hhmm(v[:4])
        sec = int(v[4:])
        if at is not None and sec < 60:
            return at.replace(second=sec), False
        return None, True
    at = hhmm(v)
    return at, at is None


def date_time(day: str, at: str, pivot: date | None) -> datetime | None:
    """A DDMMYY date and an optional HHMM time (an unreadable time gives midnight)."""
    d = ddmmyy(day, pivot)
    if d is None:
        return None
    return combine(d, read_time(at)[0])


class TvlInfo:
    """What a TVL segment says; ``bad_times`` lists time values that are not times.

    A plain class rather than a dataclass: compiled, a dataclass keeps the ``__init__`` that
    ``dataclasses`` generates, which runs interpreted; this one is compiled."""

    def __init__(self) -> None:
        self.departure: datetime | None = None
        self.arrival: datetime | None = None
        self.origin = ""
        self.origin_name = ""
        self.destination = ""
        self.carrier = ""
        self.operating_carrier: str | None = None
        self.raw_number = ""
        self.booking_class: str | None = None
        self.bad_times: list[str] = []
        self.arrival_time_as_date = False

    @property
    def number(self) -> str:
        return flight_number(self.raw_number)

    @property
    def is_number_only(self) -> bool:
        """A code-share TVL: only the operating flight number (``TVL+++++303:Y``)."""
        return not self.origin and not self.destination and not self.carrier


def read_tvl(seg: Segment, pivot: date | None) -> TvlInfo:
    """Read a TVL (flight leg, or the product of a non-air segment)."""
    info = TvlInfo()
    d0, t0, d1, t1 = seg.get(0, 0), seg.get(0, 1), seg.get(0, 2), seg.get(0, 3)
    dep_day = ddmmyy(d0, pivot)
    dep_time, bad = read_time(t0)
    if bad:
        info.bad_times.append(t0)
    if len(d1.strip()) == 4 and not t1.strip():
        # Arrival time sent where the arrival date belongs.
        info.arrival_time_as_date = True
        d1, t1 = "", d1
    arr_day = ddmmyy(d1, pivot) if d1.strip() else None
    arr_time, bad = read_time(t1)
    if bad:
        info.bad_times.append(t1)
    if arr_day is None and t1.strip() and dep_day is not None:
        arr_day = dep_day
        if arr_time is not None and dep_time is not None and arr_time < dep_time:
            arr_day = dep_day + timedelta(days=1)
    info.departure = combine(dep_day, dep_time)
    info.arrival = combine(arr_day, arr_time)
    info.origin = seg.get(1, 0).strip().upper()
    info.origin_name = seg.get(1, 1).strip()
    info.destination = seg.get(2, 0).strip().upper()
    info.carrier = seg.get(3, 0).strip().upper()
    info.operating_carrier = opt(seg.get(3, 1).upper())
    info.raw_number = seg.get(4, 0).strip()
    info.booking_class = opt(seg.get(4, 1))
    return info


def read_document(text: str, pivot: date | None) -> tuple[Document, bool]:
    """SSR DOCS free text ``/P/GBR/123/GBR/12JUL64/M/23AUG19/SURNAME/GIVEN/MIDDLE``.

    Returns the document and whether its gender says infant (MI / FI).
    """
    body = text.strip()
    f = (body[1:] if body.startswith("/") else body).split("/")
    f += [""] * (9 - len(f))
    gender, infant = GENDERS.get(f[5].strip().upper(), (None, False))
    given = " ".join(p.strip() for p in f[8:] if p.strip())
    doc = Document(
        type=opt(f[0].upper()),
        issuing_country=country(f[1]),
        number=opt(f[2]),
        nationality=country(f[3]),
        date_of_birth=ddmonyy(f[4], pivot, past=True),
        gender=gender,
        expiry=ddmonyy(f[6], pivot, past=False),
        surname=opt(f[7]),
        given_names=given or None,
        raw=text,
    )
    return doc, infant


def read_visa(text: str, pivot: date | None) -> Visa:
    """SSR DOCO free text ``/PLACE OF BIRTH/V/NUMBER/PLACE OF ISSUE/22DEC06/USA``."""
    body = text.strip()
    f = (body[1:] if body.startswith("/") else body).split("/")
    f += [""] * (6 - len(f))
    return Visa(
        place_of_birth=opt(f[0]),
        type=opt(f[1].upper()),
        number=opt(f[2]),
        place_of_issue=opt(f[3]),
        issued_on=ddmonyy(f[4], pivot, past=True),
        country=country(f[5]),
        raw=text,
    )


def read_doca(text: str) -> Address:
    """SSR DOCA free text ``/R/USA/STREET/CITY/REGION/POSTAL``."""
    body = text.strip()
    f = (body[1:] if body.startswith("/") else body).split("/")
    f += [""] * (6 - len(f))
    kind = f[0].strip().upper()
    return Address(
        kind=DOCA_KINDS.get(kind, kind or None),
        country=country(f[1]),
        street=opt(f[2]),
        city=opt(f[3]),
        region=opt(f[4]),
        postal_code=opt(f[5]),
        raw=text,
    )


def read_add_address(comps: list[str]) -> Address | None:
    """ADD ``purpose:street:city:region::country:postal[:phone]``; None when no address."""
    c = [*comps, "", "", "", "", "", "", "", ""]
    if not any(v.strip() for v in c[1:7]):
        return None
    return Address(
        kind=opt(c[0]),
        street=opt(c[1]),
        city=opt(c[2]),
        region=opt(c[3]),
        country=country(c[5]),
        postal_code=opt(c[6]),
        raw=":".join(comps[:7]).rstrip(":"),
    )


def address_text(a: Address) -> str:
    """One-line form of an address for ``Contact.value`` (``people.address_value``)."""
    return address_value(a)


def split_phones(text: str) -> list[str]:
    """Phone numbers in a phone field (``H5555555555 W 1 555 555 5555``), normalised."""
    out: list[str] = []
    current: list[str] = []
    for token in text.replace("/", " ").split():
        head = token.lstrip("+")
        if head and head[0].isalpha() and current:
            out.append(" ".join(current))
            current = []
        digits = token.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        if digits:
            current.append(digits)
    if current:
        out.append(" ".join(current))
    return [p for p in (normalise_phone(x) for x in out) if len(p.lstrip("+")) >= 3]


def read_agency(seg: Segment) -> Agency:
    """ORG in group 1: booking office / agency / agent."""
    return Agency(
        system=opt(seg.get(0, 0)),
        location=opt(seg.get(0, 1)),
        iata_number=opt(seg.get(1, 0)),
        pseudo_city=opt(seg.get(1, 1)),
        type=opt(seg.get(4, 0)),
        country=country(seg.get(5, 0)),
        currency=opt(seg.get(5, 1)),
        agent_id=opt(seg.get(6, 0)),
        raw=seg_canonical(seg),
    )


def read_fare(seg: Segment) -> Fare:
    """FAR: passenger type, age and fare basis."""
    return Fare(
        passenger_type=opt(seg.get(0, 0)),
        age=integer(seg.get(1, 0)),
        fare_basis=opt(seg.get(5, 0)),
        raw=seg_canonical(seg),
    )


def read_frequent_flyer(seg: Segment) -> FrequentFlyer | None:
    """FTI: airline, number and tier (the first non-empty component after the number)."""
    airline, number = seg.get(0, 0).strip(), seg.get(0, 1).strip()
    if not airline or not number:
        return None
    comps = seg.element(0)
    tier = next((c.strip() for c in comps[2:] if c.strip()), None)
    return FrequentFlyer(airline=airline, number=number, tier=tier)


def read_taxes(seg: Segment) -> list[Tax]:
    """TXD: ``amount::currency:code`` per element after the first."""
    taxes: list[Tax] = []
    for comps in seg.elements[1:]:
        n = len(comps)  # (components past the end are empty)
        amount = decimal(comps[0]) if n > 0 else None
        code = comps[3] if n > 3 else ""
        if amount is None and not code.strip():
            continue
        taxes.append(Tax(amount=amount, currency=opt(comps[2]) if n > 2 else None, code=opt(code)))
    return taxes


def read_money(seg: Segment) -> tuple[Decimal | None, Decimal | None, str | None]:
    """MON: base (B) and total (T) amounts and the currency."""
    base = total = None
    currency: str | None = None
    for comps in seg.elements:
        c = [*comps, "", "", ""]
        q, amount = c[0].strip().upper(), decimal(c[1])
        if q == "B":
            base = amount
        elif q == "T":
            total = amount
        currency = currency or opt(c[2])
    return base, total, currency


def history_action(seg: Segment) -> str | None:
    """SAC: the action code (A added, X cancelled, C changed) in words; others as sent."""
    code = next((c[0].strip() for c in reversed(seg.elements) if c and c[0].strip()), "")
    return HISTORY_ACTIONS.get(code.upper(), code or None)


def abi_by(seg: Segment) -> str | None:
    """ABI: who changed the booking, ``company/location/agent`` (trailing parts dropped)."""
    parts = [seg.get(4, 0).strip(), seg.get(2, 0).strip(), seg.get(1, 1).strip()]
    text = "/".join(parts).rstrip("/")
    return text or None


def seat_number(value: str) -> str | None:
    """A seat as sent (``039G`` → ``39G``); None for none or the ``XXX`` placeholder."""
    v = value.strip().upper()
    if not v or v.strip("X") == "":
        return None
    stripped = v.lstrip("0")
    return stripped or v


def part_number(value: str) -> int | None:
    """An integer from a count field, None when not one."""
    return integer(value)

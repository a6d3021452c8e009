"""The elements PNRGOV EDIFACT segments carry for a value, and the texts read back from them.

``docs_text``, ``doco_text`` and ``doca_text`` are the SSR DOCS / DOCO / DOCA free texts of
a document, visa and address; ``*_elements`` the elements of ADD, ORG, FAR, a non-air TVL
and an itinerary TVL. The ``*_raw`` helpers give the text the reader keeps in ``raw``
fields for a value written so (``canonical`` form), so that a model can be made consistent
with what reading its written form gives back.
"""

from __future__ import annotations

from paxwatch.formats.pnrgov_elements import canonical
from paxwatch.formats.pnrgov_write_segments import Elements, ddmmyy, ddmonyy, times, txt
from paxwatch.model.booking import Address, Agency, Document, Fare, Leg, NonAirSegment, Visa

__all__ = [
    "add_elements",
    "add_raw",
    "agency_elements",
    "agency_raw",
    "doca_text",
    "doco_text",
    "docs_text",
    "fare_elements",
    "fare_raw",
    "non_air_elements",
    "non_air_raw",
    "tvl_elements",
]

_DOCA_CODES = {"residence": "R", "destination": "D"}


def docs_text(d: Document) -> str:
    """SSR DOCS free text for a document."""
    gender = d.gender.value if d.gender is not None else ""
    fields = [
        txt(d.type),
        txt(d.issuing_country),
        txt(d.number),
        txt(d.nationality),
        ddmonyy(d.date_of_birth),
        gender,
        ddmonyy(d.expiry),
        txt(d.surname),
        txt(d.given_names),
    ]
    return "/" + "/".join(fields)


def doco_text(v: Visa) -> str:
    """SSR DOCO free text for a visa."""
    fields = [
        txt(v.place_of_birth),
        txt(v.type),
        txt(v.number),
        txt(v.place_of_issue),
        ddmonyy(v.issued_on),
        txt(v.country),
    ]
    return "/" + "/".join(fields)


def doca_text(a: Address) -> str:
    """SSR DOCA free text for an address."""
    kind = _DOCA_CODES.get(a.kind or "", a.kind or "")
    fields = [kind, a.country, a.street, a.city, a.region, a.postal_code]
    return "/" + "/".join(txt(f) for f in fields)


def add_elements(a: Address, phone: str = "") -> Elements:
    """ADD ``++purpose:street:city:region::country:postal[:phone]``."""
    comps = [
        txt(a.kind),
        txt(a.street),
        txt(a.city),
        txt(a.region),
        "",
        txt(a.country),
        txt(a.postal_code),
    ]
    if phone:
        comps.append(phone)
    return [[""], comps]


def add_raw(a: Address) -> str:
    """What the reader keeps as ``raw`` of an address written in ADD."""
    return canonical("", [add_elements(a)[1]])[1:]


def agency_elements(a: Agency) -> Elements:
    """ORG in group 1."""
    return [
        [txt(a.system), txt(a.location)],
        [txt(a.iata_number), txt(a.pseudo_city)],
        [""],
        [""],
        [txt(a.type)],
        [txt(a.country), txt(a.currency)],
        [txt(a.agent_id)],
    ]


def agency_raw(a: Agency) -> str:
    """``Agency.raw`` of an agency written here."""
    return canonical("ORG", agency_elements(a))


def fare_elements(f: Fare) -> Elements:
    """FAR: passenger type, age, fare basis."""
    return [[txt(f.passenger_type)], [txt(f.age)], [""], [""], [""], [txt(f.fare_basis)]]


def fare_raw(f: Fare) -> str:
    """``Fare.raw`` of a fare written here."""
    return canonical("FAR", fare_elements(f))


def non_air_elements(n: NonAirSegment) -> Elements:
    """The TVL of a non-air segment."""
    return [[ddmmyy(n.start), "", ddmmyy(n.end)], [txt(n.location)], [""], [txt(n.provider)]]


def non_air_raw(n: NonAirSegment) -> str:
    """``NonAirSegment.raw`` of a non-air segment written here ("" without a TVL)."""
    if not (n.location or n.start or n.end or n.provider):
        return ""
    return canonical("TVL", non_air_elements(n))


def tvl_elements(leg: Leg) -> Elements:
    """TVL of an itinerary leg."""
    carrier = [leg.carrier, leg.operating_carrier] if leg.operating_carrier else [leg.carrier]
    number = [leg.raw_number or leg.number, txt(leg.booking_class)]
    return [times(leg.departure, leg.arrival), [leg.origin], [leg.destination], carrier, number]

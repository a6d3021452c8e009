"""Reference data: airports (from the maintained ``airportsdata`` package) and carriers.

Airport names, cities, countries, coordinates and time zones come from ``airportsdata``;
this module only adds what no package gives: how busy each airport is for the PIU's
country, which foreign airports it is linked to (by region), and a short list of carriers
with their home country and hubs. Weights are relative daily flight shares, rounded from
public traffic rankings; they shape the day, they are not statistics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import airportsdata


@dataclass(frozen=True, slots=True)
class Airport:
    """An airport from ``airportsdata``: IATA code, city, ISO country, position, zone."""

    code: str
    name: str
    city: str
    country: str
    lat: float
    lon: float
    tz: str


@dataclass(frozen=True, slots=True)
class Carrier:
    """An airline: IATA code, home country, hubs, and whether it sells through low-cost
    channels (no agencies, cards only)."""

    code: str
    name: str
    country: str
    hubs: tuple[str, ...]
    low_cost: bool = False
    system: str = "1A"


@lru_cache(maxsize=1)
def _airports() -> dict[str, dict[str, Any]]:
    data: Any = airportsdata.load("IATA")
    return {str(k): dict(v) for k, v in data.items()}


@lru_cache(maxsize=2048)
def airport(code: str) -> Airport:
    """The airport with IATA ``code`` (KeyError if ``airportsdata`` does not know it)."""
    row = _airports()[code]
    return Airport(
        code=code,
        name=str(row["name"]),
        city=str(row["city"]),
        country=str(row["country"]),
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        tz=str(row["tz"]),
    )


def distance_km(a: Airport, b: Airport) -> float:
    """Great-circle distance."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dl = math.radians(b.lon - a.lon)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(max(-1.0, min(1.0, c)))


# Home airports of the PIU country with relative weights. Countries other than FR fall
# back to every airport of the country in airportsdata with equal weight.
HOME_WEIGHTS: dict[str, tuple[tuple[str, float], ...]] = {
    "FR": (
        ("CDG", 34.0),
        ("ORY", 17.0),
        ("NCE", 8.0),
        ("LYS", 6.5),
        ("MRS", 5.5),
        ("TLS", 5.0),
        ("BOD", 3.8),
        ("NTE", 4.0),
        ("BSL", 3.5),
        ("BVA", 2.2),
        ("LIL", 1.2),
        ("MPL", 1.0),
        ("BIQ", 0.8),
        ("AJA", 0.8),
        ("BIA", 0.7),
        ("SXB", 0.6),
        ("RNS", 0.5),
        ("BES", 0.4),
        ("FSC", 0.3),
        ("PUF", 0.2),
    ),
}

# Foreign airports by region, with relative weights within the region.
REGIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "europe": (
        ("LHR", 6.0), ("LGW", 2.0), ("AMS", 5.0), ("FRA", 4.0), ("MUC", 2.5), ("MAD", 4.5),
        ("BCN", 4.5), ("FCO", 4.0), ("MXP", 2.0), ("LIS", 4.0), ("OPO", 2.5), ("BRU", 1.0),
        ("GVA", 3.0), ("ZRH", 2.0), ("VIE", 1.5), ("CPH", 1.5), ("DUB", 2.0), ("ATH", 2.0),
        ("WAW", 1.5), ("KRK", 1.0), ("PRG", 1.2), ("BUD", 1.0), ("OTP", 1.2), ("IST", 3.0),
        ("SAW", 1.0), ("PMI", 1.5), ("NAP", 1.2), ("VCE", 1.2), ("BER", 2.0), ("EDI", 1.0),
        ("MAN", 1.0), ("ARN", 1.0), ("HEL", 0.6), ("OSL", 0.8), ("KBP", 0.0),
    ),
    "maghreb": (
        ("ALG", 5.0), ("ORN", 2.5), ("CZL", 1.2), ("BJA", 0.8), ("TUN", 4.0), ("DJE", 1.5),
        ("MIR", 0.8), ("CMN", 4.0), ("RAK", 3.5), ("AGA", 1.5), ("TNG", 1.2), ("FEZ", 1.0),
        ("OUD", 0.8),
    ),
    "middle_east": (
        ("DXB", 4.0), ("DOH", 3.0), ("AUH", 2.0), ("CAI", 2.5), ("BEY", 2.0), ("AMM", 1.2),
        ("TLV", 2.5), ("RUH", 1.0), ("JED", 1.2), ("KWI", 0.6), ("IKA", 0.6), ("EBL", 0.4),
        ("BAH", 0.4), ("MCT", 0.4),
    ),
    "africa": (
        ("DSS", 2.0), ("ABJ", 2.0), ("BKO", 1.2), ("DLA", 1.0), ("NSI", 0.8), ("LOS", 1.0),
        ("ABV", 0.4), ("ADD", 1.0), ("NBO", 0.8), ("JNB", 0.8), ("MRU", 1.2), ("RUN", 2.0),
        ("TNR", 0.8), ("CKY", 0.6), ("LFW", 0.4), ("OUA", 0.6), ("NDJ", 0.4), ("JIB", 0.3),
        ("ASM", 0.0),
    ),
    "asia": (
        ("PEK", 1.2), ("PVG", 1.2), ("CAN", 0.6), ("HKG", 1.0), ("NRT", 0.8), ("HND", 1.0),
        ("ICN", 1.0), ("SIN", 1.0), ("BKK", 1.0), ("DEL", 1.0), ("BOM", 0.8), ("SGN", 0.6),
        ("HAN", 0.5), ("KUL", 0.4), ("TPE", 0.3), ("MLE", 0.3), ("CMB", 0.2), ("ISB", 0.2),
        ("KHI", 0.1),
    ),
    "americas": (
        ("JFK", 3.0), ("EWR", 1.2), ("IAD", 1.0), ("ATL", 1.0), ("BOS", 0.8), ("MIA", 0.8),
        ("ORD", 0.8), ("LAX", 1.0), ("SFO", 0.8), ("YUL", 2.0), ("YYZ", 1.0), ("MEX", 0.8),
        ("GRU", 1.0), ("EZE", 0.5), ("BOG", 0.4), ("PUJ", 0.4), ("HAV", 0.3), ("PTP", 1.5),
        ("FDF", 1.5), ("CAY", 0.5), ("LIM", 0.3),
    ),
}  # fmt: skip

# Share of the day's flights per region (domestic = both ends in the PIU country).
REGION_SHARES: tuple[tuple[str, float], ...] = (
    ("domestic", 0.27),
    ("europe", 0.5),
    ("maghreb", 0.09),
    ("middle_east", 0.045),
    ("africa", 0.035),
    ("asia", 0.025),
    ("americas", 0.035),
)

CARRIERS: tuple[Carrier, ...] = (
    Carrier("AF", "Air France", "FR", ("CDG", "ORY")),
    Carrier("TO", "Transavia France", "FR", ("ORY", "NTE", "LYS", "MPL"), low_cost=True),
    Carrier("U2", "easyJet", "GB", ("LGW", "BSL", "NCE", "LYS", "TLS", "BOD"), True, "U2"),
    Carrier("FR", "Ryanair", "IE", ("DUB", "BVA", "MRS", "STN"), low_cost=True, system="FR"),
    Carrier("VY", "Vueling", "ES", ("BCN", "ORY"), low_cost=True),
    Carrier("BA", "British Airways", "GB", ("LHR", "LGW")),
    Carrier("KL", "KLM", "NL", ("AMS",)),
    Carrier("LH", "Lufthansa", "DE", ("FRA", "MUC")),
    Carrier("IB", "Iberia", "ES", ("MAD",)),
    Carrier("AZ", "ITA Airways", "IT", ("FCO", "MXP")),
    Carrier("TP", "TAP Air Portugal", "PT", ("LIS", "OPO")),
    Carrier("LX", "Swiss", "CH", ("ZRH", "GVA")),
    Carrier("SN", "Brussels Airlines", "BE", ("BRU",)),
    Carrier("LO", "LOT Polish Airlines", "PL", ("WAW", "KRK")),
    Carrier("TK", "Turkish Airlines", "TR", ("IST",)),
    Carrier("PC", "Pegasus", "TR", ("SAW",), low_cost=True),
    Carrier("AH", "Air Algerie", "DZ", ("ALG", "ORN", "CZL", "BJA")),
    Carrier("TU", "Tunisair", "TN", ("TUN", "DJE", "MIR")),
    Carrier("AT", "Royal Air Maroc", "MA", ("CMN", "RAK", "TNG", "FEZ", "AGA", "OUD")),
    Carrier("EK", "Emirates", "AE", ("DXB",)),
    Carrier("QR", "Qatar Airways", "QA", ("DOH",)),
    Carrier("EY", "Etihad", "AE", ("AUH",)),
    Carrier("MS", "EgyptAir", "EG", ("CAI",)),
    Carrier("ME", "Middle East Airlines", "LB", ("BEY",)),
    Carrier("RJ", "Royal Jordanian", "JO", ("AMM",)),
    Carrier("LY", "El Al", "IL", ("TLV",)),
    Carrier("SV", "Saudia", "SA", ("RUH", "JED")),
    Carrier("ET", "Ethiopian Airlines", "ET", ("ADD",)),
    Carrier("SS", "Corsair", "FR", ("ORY", "RUN", "PTP", "FDF", "ABJ")),
    Carrier("TX", "Air Caraibes", "FR", ("ORY", "PTP", "FDF", "CAY")),
    Carrier("UU", "Air Austral", "RE", ("RUN",)),
    Carrier("HF", "Air Cote d'Ivoire", "CI", ("ABJ",)),
    Carrier("DL", "Delta Air Lines", "US", ("JFK", "ATL", "BOS")),
    Carrier("UA", "United Airlines", "US", ("EWR", "IAD", "ORD", "SFO")),
    Carrier("AC", "Air Canada", "CA", ("YUL", "YYZ")),
    Carrier("CA", "Air China", "CN", ("PEK",)),
    Carrier("MU", "China Eastern", "CN", ("PVG",)),
    Carrier("AI", "Air India", "IN", ("DEL", "BOM")),
    Carrier("VN", "Vietnam Airlines", "VN", ("SGN", "HAN")),
    Carrier("SQ", "Singapore Airlines", "SG", ("SIN",)),
)

CARRIER_BY_CODE: dict[str, Carrier] = {c.code: c for c in CARRIERS}

# Code-share partners: a flight operated by the key carrier may be sold under these codes.
CODESHARE_PARTNERS: dict[str, tuple[str, ...]] = {
    "AF": ("KL", "DL", "AZ", "VN", "MU"),
    "KL": ("AF", "DL"),
    "DL": ("AF", "KL"),
    "LH": ("LX", "SN", "UA"),
    "BA": ("IB", "AA"),
    "IB": ("BA", "VY"),
    "AZ": ("AF", "DL"),
    "EK": ("QF",),
    "QR": ("BA", "IB"),
    "TK": ("LO", "MS"),
    "AT": ("IB",),
    "UA": ("LH", "AC"),
    "AC": ("LH", "UA"),
}


@dataclass(frozen=True, slots=True)
class Aircraft:
    """An aircraft type: IATA equipment code, seats, and the range band it serves."""

    code: str
    seats: int
    max_km: float


FLEET: tuple[Aircraft, ...] = (
    Aircraft("AT7", 70, 900),
    Aircraft("E90", 100, 2000),
    Aircraft("221", 148, 3500),
    Aircraft("319", 144, 4000),
    Aircraft("320", 180, 4500),
    Aircraft("73H", 189, 4500),
    Aircraft("32N", 186, 4500),
    Aircraft("321", 212, 5000),
    Aircraft("332", 250, 13000),
    Aircraft("333", 290, 11000),
    Aircraft("789", 290, 14000),
    Aircraft("359", 324, 15000),
    Aircraft("77W", 380, 14000),
    Aircraft("388", 516, 15000),
)

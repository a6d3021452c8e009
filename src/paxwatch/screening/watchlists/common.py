"""What every importer shares: the import report, country codes, partial dates, genders."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from paxwatch.model.watchlist import PartialDate, WatchlistEntry


@dataclass(frozen=True, slots=True)
class Problem:
    """One record an importer skipped or read with a repair, and why."""

    record: str
    message: str


@dataclass(slots=True)
class ImportReport:
    """Counts and problems of one import. Importers never raise on a bad record."""

    source: str
    entries: list[WatchlistEntry] = field(default_factory=list)
    read: int = 0
    skipped_entities: int = 0
    skipped_invalid: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return len(self.entries)

    def problem(self, record: str, message: str, *, skipped: bool = True) -> None:
        if skipped:
            self.skipped_invalid += 1
        self.problems.append(Problem(record, message))


# Names the lists use that ISO 3166 (pycountry) does not know, or knows under another name.
_COUNTRY_ALIASES: dict[str, str] = {
    "KOREA, NORTH": "PRK",
    "NORTH KOREA": "PRK",
    "KOREA, SOUTH": "KOR",
    "SOUTH KOREA": "KOR",
    "BURMA": "MMR",
    "KOSOVO": "XKX",
    "PALESTINIAN": "PSE",
    "PALESTINE": "PSE",
    "WEST BANK": "PSE",
    "GAZA": "PSE",
    "RUSSIA": "RUS",
    "IRAN (ISLAMIC REPUBLIC OF)": "IRN",
    "TURKEY": "TUR",
    "CONGO, DEMOCRATIC REPUBLIC OF THE": "COD",
    "DEMOCRATIC REPUBLIC OF THE CONGO": "COD",
    "CONGO, REPUBLIC OF THE": "COG",
    "UNITED KINGDOM": "GBR",
    "UNITED STATES": "USA",
    "THE GAMBIA": "GMB",
    "GAMBIA, THE": "GMB",
    "BAHAMAS, THE": "BHS",
    "IVORY COAST": "CIV",
    "COTE D IVOIRE": "CIV",
    "CZECH REPUBLIC": "CZE",
    "MACEDONIA": "MKD",
    "SWAZILAND": "SWZ",
    "CAPE VERDE": "CPV",
    "SERBIA AND MONTENEGRO": "SCG",
    "YUGOSLAVIA": "YUG",
    "SOVIET UNION": "SUN",
    "USSR": "SUN",
    "VATICAN CITY": "VAT",
    "HOLY SEE": "VAT",
    "TAIWAN": "TWN",
    "MICRONESIA, FEDERATED STATES OF": "FSM",
    "ST. KITTS AND NEVIS": "KNA",
    "ST. LUCIA": "LCA",
    "ST. VINCENT AND THE GRENADINES": "VCT",
}
# Adjectives ("Yemeni", "Syrian") of the most frequent nationalities.
_DEMONYMS: dict[str, str] = {
    "AFGHAN": "AFG",
    "ALGERIAN": "DZA",
    "EGYPTIAN": "EGY",
    "IRANIAN": "IRN",
    "IRAQI": "IRQ",
    "JORDANIAN": "JOR",
    "KUWAITI": "KWT",
    "LEBANESE": "LBN",
    "LIBYAN": "LBY",
    "MOROCCAN": "MAR",
    "PAKISTANI": "PAK",
    "RUSSIAN": "RUS",
    "SAUDI": "SAU",
    "SAUDI ARABIAN": "SAU",
    "SOMALI": "SOM",
    "SUDANESE": "SDN",
    "SYRIAN": "SYR",
    "TUNISIAN": "TUN",
    "TURKISH": "TUR",
    "YEMENI": "YEM",
    "BRITISH": "GBR",
    "FRENCH": "FRA",
    "GERMAN": "DEU",
    "AMERICAN": "USA",
}


@lru_cache(maxsize=4096)
def country_code(value: str | None) -> str | None:
    """ISO 3166 alpha-3 of a country name, alpha-2/alpha-3 code or demonym; None if unknown.

    Exact look-ups only (no fuzzy search: "Kosovo" must not become Serbia). A phrase such
    as "United States. Also believed to hold Syrian nationality" yields its first country.
    """
    if not value:
        return None
    text = " ".join(value.split()).strip(" .;,")
    if not text:
        return None
    upper = text.upper().replace("'", " ").replace("  ", " ")
    if upper in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[upper]
    if upper in _DEMONYMS:
        return _DEMONYMS[upper]
    try:
        return str(pycountry.countries.lookup(text).alpha_3)
    except LookupError:
        pass
    head = re.split(r"[.;(]", text, maxsplit=1)[0].strip()
    if head and head != text:
        return country_code(head)
    return None


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}
_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")
_TEXT_DATE = re.compile(r"^\s*(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})\s*$")


def valid_partial(year: int | None, month: int | None, day: int | None) -> PartialDate | None:
    """A PartialDate if the parts are plausible (1850 <= year <= 2100, real month and day)."""
    if year is None or not 1850 <= year <= 2100:
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and (month is None or not 1 <= day <= 31):
        return None
    return PartialDate(year=year, month=month, day=day)


def parse_partial_date(text: str | None) -> PartialDate | None:
    """``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``DD Mon YYYY`` or ``Mon YYYY``; else None."""
    if not text:
        return None
    if m := _ISO_DATE.match(text):
        return valid_partial(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)
    if m := _TEXT_DATE.match(text):
        month = _MONTHS.get(m[2].upper())
        if month is None:
            return None
        return valid_partial(int(m[3]), month, int(m[1]) if m[1] else None)
    return None


def year_range(start: int, end: int, limit: int = 12) -> tuple[PartialDate, ...]:
    """Every year of an inclusive range (a range wider than ``limit`` years gives none)."""
    if end < start or end - start > limit:
        return ()
    return tuple(d for y in range(start, end + 1) if (d := valid_partial(y, None, None)))


def gender_code(value: str | None) -> str | None:
    """M or F from Male/Female/M/F in any case; None otherwise."""
    if not value:
        return None
    first = value.strip().upper()[:1]
    return first if first in ("M", "F") else None


def clean(value: str | None) -> str | None:
    """Whitespace-collapsed text, or None when empty."""
    if value is None:
        return None
    text = " ".join(value.split())
    return text or None

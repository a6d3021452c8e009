"""Reference codes the rules language checks values against: airports, countries, currencies.

Airports come from ``airportsdata`` (IATA codes, with the ISO country of each), countries and
currencies from ``pycountry``. Each table is loaded once, on first use.
"""

from __future__ import annotations

from functools import cache

import airportsdata
import pycountry
from airportsdata import Airport

EXTRA_COUNTRIES = frozenset({"XK"})
"""Codes in use by airlines and airportsdata that ISO 3166 does not list (XK: Kosovo)."""


@cache
def _airports() -> dict[str, Airport]:
    return airportsdata.load("IATA")


@cache
def airport_countries() -> dict[str, str]:
    """IATA airport code → ISO 3166 alpha-2 country code."""
    table = _airports()
    return {code: str(row["country"]) for code, row in table.items() if row.get("country")}


def airport_country(code: str) -> str | None:
    """The country of an IATA airport code, or None when the code is unknown."""
    return airport_countries().get(code)


@cache
def countries() -> frozenset[str]:
    """Every ISO 3166 alpha-2 country code (plus the few in airline use, see EXTRA_COUNTRIES)."""
    return frozenset(str(c.alpha_2) for c in pycountry.countries) | EXTRA_COUNTRIES


@cache
def currencies() -> frozenset[str]:
    """Every ISO 4217 currency code."""
    return frozenset(str(c.alpha_3) for c in pycountry.currencies)


_ICAO_SPECIAL = {"D": "DE", "GBD": "GB", "GBN": "GB", "GBO": "GB", "GBP": "GB", "GBS": "GB"}
"""ICAO Doc 9303 nationality codes that are not ISO 3166 alpha-3 (D: Germany, UK variants)."""


@cache
def _alpha3() -> dict[str, str]:
    return {str(c.alpha_3): str(c.alpha_2) for c in pycountry.countries} | {"RKS": "XK"}


@cache
def country_code(text: str) -> str | None:
    """An ISO alpha-2 country code from a code as sent (alpha-2, alpha-3 or ICAO), or None."""
    code = text.strip().upper()
    if len(code) == 2:
        return code if code in countries() else None
    return _ICAO_SPECIAL.get(code) or _alpha3().get(code)


@cache
def airport_city(code: str) -> tuple[str, str] | None:
    """(city, country) of an IATA airport code: two airports of one city count as one place."""
    row = _airports().get(code)
    if row is None:
        return None
    return (str(row.get("city") or code), str(row.get("country") or ""))

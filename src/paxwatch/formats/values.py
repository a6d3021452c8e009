"""Reading the values inside messages: dates, times, amounts, flight numbers, countries.

Every function here returns ``None`` for a value it cannot read instead of raising; the
caller decides whether that deserves a finding.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pycountry

from paxwatch.model.common import PaymentMethod

MONTHS = {
    "JAN": 1,
    "FEB": 2,
    "MAR": 3,
    "APR": 4,
    "MAY": 5,
    "JUN": 6,
    "JUL": 7,
    "AUG": 8,
    "SEP": 9,
    "OCT": 10,
    "NOV": 11,
    "DEC": 12,
}
MONTH_NAMES = {v: k for k, v in MONTHS.items()}


def _year(yy: int, pivot: date | None, past: bool | None) -> int:
    """Resolve a two-digit year. ``past``: True for births (not after the pivot), False for
    expiries (from 20 years before to 50 years after the pivot), None: the closest century."""
    ref = pivot or date.today()
    century = ref.year - ref.year % 100
    year = century + yy
    if past is True:
        if year > ref.year:
            year -= 100
    elif past is False:
        if year < ref.year - 20:
            year += 100
        elif year > ref.year + 50:
            year -= 100
    elif year > ref.year + 50:
        year -= 100
    elif year < ref.year - 50:
        year += 100
    return year


def _mkdate(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def ddmmyy(value: str, pivot: date | None = None, past: bool | None = None) -> date | None:
    """``DDMMYY`` (PNR bodies) or ``DDMMYYYY``."""
    v = value.strip()
    if len(v) == 6 and v.isdecimal():
        return _mkdate(_year(int(v[4:]), pivot, past), int(v[2:4]), int(v[:2]))
    if len(v) == 8 and v.isdecimal():
        return _mkdate(int(v[4:]), int(v[2:4]), int(v[:2]))
    return None


@lru_cache(maxsize=8192)
def yymmdd(value: str, pivot: date | None = None, past: bool | None = None) -> date | None:
    """``YYMMDD`` (interchange headers, PAXLST DTM) or ``CCYYMMDD``."""
    v = value.strip()
    if len(v) == 6 and v.isdecimal():
        return _mkdate(_year(int(v[:2]), pivot, past), int(v[2:4]), int(v[4:]))
    if len(v) == 8 and v.isdecimal():
        return _mkdate(int(v[:4]), int(v[4:6]), int(v[6:]))
    return None


@lru_cache(maxsize=8192)
def ddmonyy(value: str, pivot: date | None = None, past: bool | None = None) -> date | None:
    """``12JUL64`` / ``12JUL1964`` (SSR DOCS, DOCO)."""
    v = value.strip().upper()
    if len(v) in (7, 9) and v[:2].isdecimal() and v[2:5] in MONTHS and v[5:].isdecimal():
        yy = int(v[5:])
        year = yy if len(v) == 9 else _year(yy, pivot, past)
        return _mkdate(year, MONTHS[v[2:5]], int(v[:2]))
    return None


@lru_cache(maxsize=8192)
def hhmm(value: str) -> time | None:
    v = value.strip()
    if len(v) == 4 and v.isdecimal():
        h, m = int(v[:2]), int(v[2:])
        if h < 24 and m < 60:
            return time(h, m)
    return None


def combine(day: date | None, at: time | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, at or time(0, 0))


def yymmddhhmm(value: str, pivot: date | None = None) -> datetime | None:
    """``YYMMDDHHMM`` (PAXLST DTM 189/232) or ``CCYYMMDDHHMM``; a bare date is midnight."""
    v = value.strip()
    if len(v) in (6, 8):
        return combine(yymmdd(v, pivot), None)
    if len(v) == 10 and v.isdecimal():
        return combine(yymmdd(v[:6], pivot), hhmm(v[6:]))
    if len(v) == 12 and v.isdecimal():
        return combine(yymmdd(v[:8], pivot), hhmm(v[8:]))
    return None


@lru_cache(maxsize=8192)
def decimal(value: str) -> Decimal | None:
    v = value.strip().replace(",", ".")
    if not v:
        return None
    try:
        return Decimal(v)
    except InvalidOperation:
        return None


def integer(value: str) -> int | None:
    v = value.strip()
    return int(v) if v.isdecimal() else None


@lru_cache(maxsize=8192)
def flight_number(value: str) -> str:
    """Flight number without leading zeros (``0324`` → ``324``; ``0`` stays ``0``)."""
    v = value.strip().upper()
    stripped = v.lstrip("0")
    return stripped if stripped else ("0" if v else "")


@lru_cache(maxsize=4096)
def country(value: str) -> str | None:
    """ISO 3166-1 alpha-3 for a code sent as alpha-3 or alpha-2; unknown codes as sent.

    ``"0"`` and empty values (seen in DOCS) are None.
    """
    v = value.strip().upper()
    if not v or v in ("0", "00", "000", "XXX"):
        return None if v != "XXX" else "XXX"
    if len(v) == 2:
        found = pycountry.countries.get(alpha_2=v)
        return str(found.alpha_3) if found is not None else v
    return v


def none_if_empty(value: str) -> str | None:
    v = value.strip()
    return v or None


# Form-of-payment codes of both PNRGOV syntaxes (EDIFACT FOP, XML ``PaymentType``). Every
# reader maps codes with this one table, so a code written by either writer reads back to
# the same method in both formats. Miles: ``MI`` in EDIFACT, ``MILES`` in XML (``FF`` is
# accepted). ``MS`` (miscellaneous) and unknown codes are ``other``.
PAYMENT_METHODS: dict[str, PaymentMethod] = {
    "CC": PaymentMethod.CARD,
    "CARD": PaymentMethod.CARD,
    "CREDITCARD": PaymentMethod.CARD,
    "DC": PaymentMethod.CARD,
    "CA": PaymentMethod.CASH,
    "CASH": PaymentMethod.CASH,
    "CK": PaymentMethod.CHEQUE,
    "CHECK": PaymentMethod.CHEQUE,
    "CHEQUE": PaymentMethod.CHEQUE,
    "INV": PaymentMethod.INVOICE,
    "INVOICE": PaymentMethod.INVOICE,
    "MI": PaymentMethod.MILES,
    "MILES": PaymentMethod.MILES,
    "FF": PaymentMethod.MILES,
    "MS": PaymentMethod.OTHER,
}


def payment_method(code: str | None) -> PaymentMethod:
    """The method of a form-of-payment code (upper case); ``other`` when unknown."""
    return PAYMENT_METHODS.get(code or "", PaymentMethod.OTHER)


def payment_code(method: PaymentMethod, raw: str | None, miles: str) -> str:
    """The code a writer sends: ``raw`` when it reads back as ``method``, else the standard
    code of the method (``miles`` is the format's code for miles)."""
    if raw and payment_method(raw.strip().upper()) is method:
        return raw
    if method is PaymentMethod.MILES:
        return miles
    return _METHOD_CODES[method]


_METHOD_CODES = {
    PaymentMethod.CARD: "CC",
    PaymentMethod.CASH: "CA",
    PaymentMethod.CHEQUE: "CK",
    PaymentMethod.INVOICE: "INV",
    PaymentMethod.MILES: "MI",
    PaymentMethod.OTHER: "MS",
}

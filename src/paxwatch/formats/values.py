"""Reading the values inside messages: dates, times, amounts, flight numbers, countries.

Every function here returns ``None`` for a value it cannot read instead of raising; the
caller decides whether that deserves a finding.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Final, TypeVar

import pycountry

from paxwatch.model.common import PaymentMethod

MONTHS: Final[dict[str, int]] = {
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
MONTH_NAMES: Final[dict[int, str]] = {v: k for k, v in MONTHS.items()}

# The readers below remember what they read: message bodies repeat the same dates, times,
# amounts and codes over and over. Plain dicts rather than ``functools.lru_cache``: the
# compiled readers (mypyc) then call these functions directly instead of through a Python
# wrapper, and a look-up costs a fifth. A cache is emptied when it reaches ``CACHE_SIZE``
# entries. The values are immutable, so a remembered value is the value read.
CACHE_SIZE: Final = 8192
K = TypeVar("K")
V = TypeVar("V")

# A date read with a two-digit year depends on the pivot and ``past``: these caches are by
# value and keep the pivot and ``past`` the value was read with (a look-up by text alone
# costs a third of one by a tuple).
_DateRead = tuple[date | None, bool | None, date | None]
_DDMMYY: Final[dict[str, _DateRead]] = {}
_YYMMDD: Final[dict[str, _DateRead]] = {}
_DDMONYY: Final[dict[str, _DateRead]] = {}
_HHMM: Final[dict[str, time | None]] = {}
_DECIMAL: Final[dict[str, Decimal | None]] = {}
_FLIGHT_NUMBER: Final[dict[str, str]] = {}
_COUNTRY: Final[dict[str, str | None]] = {}
_COMBINED: Final[dict[date, dict[time, datetime]]] = {}  # by day, then by time
_MIDNIGHT: Final = time(0, 0)


def remember(cache: dict[K, V], key: K, value: V) -> V:
    """Store ``value`` under ``key`` in one of the readers' caches (emptied when full)."""
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


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


def ddmmyy(value: str, pivot: date | None = None, past: bool | None = None) -> date | None:
    """``DDMMYY`` (PNR bodies) or ``DDMMYYYY``."""
    found = _DDMMYY.get(value)
    if found is not None and found[1] is past and found[0] == pivot:
        return found[2]
    return remember(_DDMMYY, value, (pivot, past, _read_ddmmyy(value, pivot, past)))[2]


def _read_ddmmyy(value: str, pivot: date | None, past: bool | None) -> date | None:
    v = value.strip()
    if len(v) == 6 and v.isdecimal():
        return _mkdate(_year(int(v[4:]), pivot, past), int(v[2:4]), int(v[:2]))
    if len(v) == 8 and v.isdecimal():
        return _mkdate(int(v[4:]), int(v[2:4]), int(v[:2]))
    return None


def yymmdd(value: str, pivot: date | None = None, past: bool | None = None) -> date | None:
    """``YYMMDD`` (interchange headers, PAXLST DTM) or ``CCYYMMDD``."""
    found = _YYMMDD.get(value)
    if found is not None and found[1] is past and found[0] == pivot:
        return found[2]
    return remember(_YYMMDD, value, (pivot, past, _read_yymmdd(value, pivot, past)))[2]


def _read_yymmdd(value: str, pivot: date | None, past: bool | None) -> date | None:
    v = value.strip()
    if len(v) == 6 and v.isdecimal():
        return _mkdate(_year(int(v[:2]), pivot, past), int(v[2:4]), int(v[4:]))
    if len(v) == 8 and v.isdecimal():
        return _mkdate(int(v[:4]), int(v[4:6]), int(v[6:]))
    return None


def ddmonyy(value: str, pivot: date | None = None, past: bool | None = None) -> date | None:
    """``12JUL64`` / ``12JUL1964`` (SSR DOCS, DOCO)."""
    found = _DDMONYY.get(value)
    if found is not None and found[1] is past and found[0] == pivot:
        return found[2]
    return remember(_DDMONYY, value, (pivot, past, _read_ddmonyy(value, pivot, past)))[2]


def _read_ddmonyy(value: str, pivot: date | None, past: bool | None) -> date | None:
    v = value.strip().upper()
    if len(v) in (7, 9) and v[:2].isdecimal() and v[2:5] in MONTHS and v[5:].isdecimal():
        yy = int(v[5:])
        year = yy if len(v) == 9 else _year(yy, pivot, past)
        return _mkdate(year, MONTHS[v[2:5]], int(v[:2]))
    return None


def hhmm(value: str) -> time | None:
    """``HHMM``."""
    found = _HHMM.get(value)
    if found is not None or value in _HHMM:
        return found
    return remember(_HHMM, value, _read_hhmm(value))


def _read_hhmm(value: str) -> time | None:
    v = value.strip()
    if len(v) == 4 and v.isdecimal():
        h, m = int(v[:2]), int(v[2:])
        if h < 24 and m < 60:
            return time(h, m)
    return None


def combine(day: date | None, at: time | None) -> datetime | None:
    """The date at the time (midnight without one)."""
    if day is None:
        return None
    at = at or _MIDNIGHT
    times = _COMBINED.get(day)
    if times is None:
        times = remember(_COMBINED, day, {})
    found = times.get(at)
    if found is not None:
        return found
    return remember(times, at, datetime.combine(day, at))


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


def decimal(value: str) -> Decimal | None:
    """An amount (``,`` or ``.`` as the decimal mark)."""
    found = _DECIMAL.get(value)
    if found is not None or value in _DECIMAL:
        return found
    return remember(_DECIMAL, value, _read_decimal(value))


def _read_decimal(value: str) -> Decimal | None:
    v = value.strip().replace(",", ".")
    if not v:
        return None
    try:
        return Decimal(v)
    except InvalidOperation:
        return None


#: The largest whole number read from a message: what a 32-bit column holds. Counts,
#: party sizes and numbers beyond it are not data but damage, and no store column takes
#: them (PostgreSQL's ``integer`` refuses them, SQLite's driver cannot bind 20 digits).
MAX_INTEGER = 2**31 - 1


def integer(value: str) -> int | None:
    """The whole number ``value`` writes, or None (not digits, or beyond ``MAX_INTEGER``)."""
    v = value.strip()
    if not v.isdecimal() or len(v.lstrip("0")) > 10:  # (int() of 5,000 digits raises)
        return None
    number = int(v)
    return number if number <= MAX_INTEGER else None


def flight_number(value: str) -> str:
    """Flight number without leading zeros (``0324`` → ``324``; ``0`` stays ``0``)."""
    found = _FLIGHT_NUMBER.get(value)
    if found is not None:
        return found
    return remember(_FLIGHT_NUMBER, value, _read_flight_number(value))


def _read_flight_number(value: str) -> str:
    v = value.strip().upper()
    stripped = v.lstrip("0")
    return stripped if stripped else ("0" if v else "")


def country(value: str) -> str | None:
    """ISO 3166-1 alpha-3 for a code sent as alpha-3 or alpha-2; unknown codes as sent.

    ``"0"`` and empty values (seen in DOCS) are None.
    """
    found = _COUNTRY.get(value)
    if found is not None or value in _COUNTRY:
        return found
    return remember(_COUNTRY, value, _read_country(value))


def _read_country(value: str) -> str | None:
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
PAYMENT_METHODS: Final[dict[str, PaymentMethod]] = {
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


_OTHER: Final = PaymentMethod.OTHER


def payment_method(code: str | None) -> PaymentMethod:
    """The method of a form-of-payment code (upper case); ``other`` when unknown."""
    return PAYMENT_METHODS.get(code or "", _OTHER)


def payment_code(method: PaymentMethod, raw: str | None, miles: str) -> str:
    """The code a writer sends: ``raw`` when it reads back as ``method``, else the standard
    code of the method (``miles`` is the format's code for miles)."""
    if raw and payment_method(raw.strip().upper()) is method:
        return raw
    if method is PaymentMethod.MILES:
        return miles
    return _METHOD_CODES[method]


_METHOD_CODES: Final[dict[PaymentMethod, str]] = {
    PaymentMethod.CARD: "CC",
    PaymentMethod.CASH: "CA",
    PaymentMethod.CHEQUE: "CK",
    PaymentMethod.INVOICE: "INV",
    PaymentMethod.MILES: "MI",
    PaymentMethod.OTHER: "MS",
}

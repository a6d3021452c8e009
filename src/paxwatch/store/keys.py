"""Keys and normal forms: flight and booking keys, canonical JSON, identifier values.

Everything here is pure: no database. The identifier normal forms are what link analysis
joins on, so they are deliberately simple and documented:

- ``phone``: digits, with a leading ``+`` when the number had one or started with ``00``.
- ``email``: lower case, trimmed.
- ``card``: ``VENDOR:NUMBER`` with the number as given (masked numbers stay masked).
- ``address``: upper case words of street, city, postal code and country, single spaces.
- ``document``: ``TYPE:COUNTRY:NUMBER`` with the number upper case, letters and digits only.
- ``frequent_flyer``: ``AIRLINE:NUMBER``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from paxwatch.model import Address, Booking, Document, Flight, FrequentFlyer
from paxwatch.model.jsonable import to_jsonable

_NON_ALNUM = re.compile(r"[^0-9A-Z]+")
_NON_DIGIT = re.compile(r"\D+")
_SPACES = re.compile(r"[^0-9A-Z]+")


def utcnow() -> datetime:
    """The current time as naive UTC (how bookkeeping times are stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_EMPTY: tuple[object, ...] = (None, "", ())
_SCALARS: frozenset[type] = frozenset({str, int, bool, float, type(None)})
Converter = Callable[[Any], Any]
#: The converter of each type met so far (see ``plain``).
_CONVERTERS: dict[type, Converter] = {}


def plain(value: Any) -> Any:
    """JSON-ready data of a model object, leaving out empty fields (None, "", ()).

    The same conventions as ``paxwatch.model.jsonable.to_jsonable`` (ISO dates, decimals as
    strings, enums as values), specialised for speed: this runs on every booking of every
    push to compute its content hash. Each type gets its converter once (a dataclass one
    with its field names bound), so that a value costs one dictionary look-up to dispatch.
    """
    kind = type(value)
    convert = _CONVERTERS.get(kind)
    if convert is None:
        convert = _CONVERTERS[kind] = _converter(kind)
    return convert(value)


def _same(value: Any) -> Any:
    return value


def _sequence(value: Any) -> list[Any]:
    return [v if type(v) in _SCALARS else plain(v) for v in value]


def _datetime(value: datetime) -> str:
    return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")


def _date(value: date) -> str:
    return value.isoformat()


def _enum(value: Enum) -> Any:
    return value.value


def _converter(kind: type) -> Converter:
    if kind in _SCALARS:
        return _same
    if kind is tuple or kind is list:
        return _sequence
    if kind is datetime:
        return _datetime
    if kind is date:
        return _date
    if kind is Decimal:
        return str
    if issubclass(kind, Enum):
        return _enum
    if dataclasses.is_dataclass(kind):
        return _dataclass(tuple(f.name for f in dataclasses.fields(kind)))
    return to_jsonable


def _dataclass(names: tuple[str, ...]) -> Converter:
    scalars, empty = _SCALARS, _EMPTY

    def convert(value: Any) -> dict[str, Any]:
        out = {}
        for name in names:
            item = getattr(value, name)
            if item not in empty:
                out[name] = item if type(item) in scalars else plain(item)
        return out

    return convert


def canonical_json(value: object) -> str:
    """Stable JSON of a model object: sorted keys, no spaces, UTF-8 text, empty fields left
    out (so that adding an optional field to the model does not make every booking change)."""
    return _CANONICAL.encode(plain(value))


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def flight_date(flight: Flight) -> date | None:
    departure = flight.departure
    return departure.date() if departure else None


def flight_key(carrier: str, number: str, on: date | None) -> str:
    """``CARRIER/NUMBER/YYYY-MM-DD`` (number without leading zeros; ``?`` for no date).

    A flight is identified by its carrier, number and local departure date from its first
    origin, so that a PNR push for one leg and the PAXLST of the flight meet on one row.
    """
    number = number.lstrip("0") or "0"
    return f"{carrier.upper()}/{number.upper()}/{on.isoformat() if on else '?'}"


def key_of_flight(flight: Flight) -> str:
    return flight_key(flight.carrier, flight.number, flight_date(flight))


def booking_key(carrier: str | None, locator: str) -> str:
    """``CARRIER/LOCATOR``: a record locator is unique within the reporting carrier."""
    return f"{(carrier or '').upper()}/{locator.strip().upper()}"


def booking_carrier(booking: Booking, reporting_carrier: str | None) -> str | None:
    """The carrier that owns the booking's locator: the reporting carrier, else RCI system."""
    if reporting_carrier:
        return reporting_carrier
    for record in booking.record_locators:
        if record.locator == booking.locator and record.system:
            return record.system
    return None


def norm_phone(value: str | None) -> str | None:
    if not value:
        return None
    text = value.strip()
    digits = _NON_DIGIT.sub("", text)
    if not digits:
        return None
    if text.startswith("+"):
        return "+" + digits
    if digits.startswith("00") and len(digits) > 4:
        return "+" + digits[2:]
    return digits


def norm_email(value: str | None) -> str | None:
    if not value or "@" not in value:
        return None
    return value.strip().lower()


def card_identifier(vendor: str | None, number: str | None) -> str | None:
    """A payment card as an identifier, ``VENDOR:NUMBER`` (upper case, no spaces), or None
    without a number: what ``payment.card_key`` hashes."""
    if not number:
        return None
    digits = number.strip().upper().replace(" ", "")
    return f"{(vendor or '').strip().upper()}:{digits}"


def contact_identifier(kind: str, value: str | None) -> str | None:
    """A phone or e-mail contact (``kind`` ``phone`` or ``email``) as an identifier: its
    value normalised (``norm_phone``, ``norm_email``); None for other kinds or without a
    value. What ``contact.value_key`` hashes."""
    if kind == "phone":
        return norm_phone(value)
    if kind == "email":
        return norm_email(value)
    return None


def norm_address(address: Address | None) -> str | None:
    if address is None:
        return None
    parts = [address.street, address.city, address.postal_code, address.country]
    text = " ".join(p for p in parts if p) or address.raw
    words = _SPACES.sub(" ", text.upper()).strip()
    return words or None


def norm_document_number(value: str | None) -> str | None:
    if not value:
        return None
    if value.isascii() and value.isalnum():  # the usual case: nothing to strip
        return value.upper()
    number = _NON_ALNUM.sub("", value.upper())
    return number or None


def norm_document(document: Document) -> str | None:
    """A document as an identifier: ``TYPE:COUNTRY:NUMBER`` (``document_identifier``)."""
    number = norm_document_number(document.number)
    if number is None:
        return None
    return document_identifier(document.type, document.issuing_country, number)


def document_identifier(kind: str | None, country: str | None, number_key: str) -> str:
    """``norm_document`` of a stored document, from its type, issuing country and normalised
    number (``document.number_key``)."""
    return f"{(kind or '').strip().upper()}:{(country or '').strip().upper()}:{number_key}"


def norm_frequent_flyer(ff: FrequentFlyer) -> str | None:
    return frequent_flyer_identifier(ff.airline, ff.number)


def frequent_flyer_identifier(airline: str, number: str) -> str | None:
    """A frequent-flyer number as an identifier, ``AIRLINE:NUMBER`` (the number's letters
    and digits), or None without them: ``frequent_flyer.number_key``."""
    digits = _NON_ALNUM.sub("", number.upper())
    return f"{airline.strip().upper()}:{digits}" if digits else None


def norm_name(value: str | None) -> str:
    """Upper-case letters only (for comparing booked and document names)."""
    if value and value.isascii() and value.isalnum():  # the usual case: nothing to strip
        return value.upper()
    return _NON_ALNUM.sub("", (value or "").upper())


def name_key(surname: str | None, given: str | None, born: object) -> str | None:
    """What ``correlate`` compares by name: normalised surname, first given name and date
    of birth (``str`` of the stored value: ISO on both databases); None without a surname
    or a date of birth (no rule matches on it then)."""
    if born is None:
        return None
    family = norm_name(surname)
    if not family:
        return None
    return f"{family}/{norm_name((given or '').split(' ')[0])}/{born}"

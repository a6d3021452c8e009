"""Plain JSON-ready values from model objects (the documented ``--json`` interface).

Dataclass fields become keys in declaration order; dates and date-times become ISO 8601
strings (local date-times without a zone, as messages give them); decimals become strings
so that amounts keep their exact digits; enums become their value; tuples become lists.
Partial dates (watch lists) become ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
Read-only properties named in ``JSON_PROPERTIES`` are added after the fields.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from paxwatch.model.booking import Leg
from paxwatch.model.flight import Flight
from paxwatch.model.watchlist import PartialDate

JSON_PROPERTIES: dict[type, tuple[str, ...]] = {
    Flight: ("origin", "destination", "departure", "arrival"),
    Leg: ("is_codeshare",),
}

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


def to_jsonable(value: Any) -> JsonValue:
    """Convert a model object (or a value inside one) to JSON-ready data."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return to_jsonable(value.value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, tuple | list):
        return [to_jsonable(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, JsonValue] = {
            f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)
        }
        for name in JSON_PROPERTIES.get(type(value), ()):
            out[name] = to_jsonable(getattr(value, name))
        return out
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    raise TypeError(f"cannot convert {type(value).__name__} to JSON")

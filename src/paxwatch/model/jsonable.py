"""Plain JSON-ready values from model objects (the documented ``--json`` interface).

Dataclass fields become keys in declaration order; dates and date-times become ISO 8601
strings (local date-times without a zone, as messages give them); decimals become strings
so that amounts keep their exact digits; enums become their value; tuples become lists.
Partial dates (watch lists) become ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
Read-only properties named in ``JSON_PROPERTIES`` are added after the fields.
``from_jsonable`` rebuilds the model object (the store keeps each booking version so).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar

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
        if value.microsecond:
            return value.isoformat()
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


T = TypeVar("T")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_jsonable(cls: type[T], data: Any) -> T:
    """Rebuild a model object from what ``to_jsonable`` made of it (the inverse).

    Unknown keys and properties are ignored; missing keys take the field's default. Raises
    ``ValueError`` (or ``TypeError``) when the data does not fit the model.
    """
    return typing.cast(T, _convert(cls, data))


def _convert(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(options) == 1:
            return _convert(options[0], value)
        for option in options:
            try:
                return _convert(option, value)
            except (TypeError, ValueError):
                continue
        raise ValueError(f"{value!r} fits none of {tp}")
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], v) for v in value)
        return tuple(_convert(a, v) for a, v in zip(args, value, strict=True))
    if isinstance(tp, type):
        if tp is PartialDate:
            return _partial_date(value)
        if dataclasses.is_dataclass(tp):
            return _dataclass(tp, value)
        if issubclass(tp, Enum):
            return tp(value)
        if tp is datetime:
            return datetime.fromisoformat(value)
        if tp is date:
            return date.fromisoformat(value)
        if tp is Decimal:
            return Decimal(value)
        if tp in (str, int, bool, float):
            if not isinstance(value, tp):
                raise TypeError(f"expected {tp.__name__}, got {value!r}")
            return value
    raise TypeError(f"cannot rebuild {tp} from JSON")


def _dataclass(cls: type, value: Any) -> Any:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object for {cls.__name__}, got {value!r}")
    hints = _hints(cls)
    kwargs = {
        f.name: _convert(hints[f.name], value[f.name])
        for f in dataclasses.fields(cls)
        if f.init and f.name in value
    }
    return cls(**kwargs)


def _partial_date(value: str) -> PartialDate:
    parts = [int(p) for p in value.split("-")] if value else []
    year = parts[0] if parts else None
    month = parts[1] if len(parts) > 1 else None
    day = parts[2] if len(parts) > 2 else None
    return PartialDate(year=year, month=month, day=day)

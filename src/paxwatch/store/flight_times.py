"""Flight times in UTC, stored beside the local ones (``flight`` / ``flight_leg``
``departure_utc`` and ``arrival_utc``, migration 0007).

Messages give departure and arrival as local times of the airports. The hit queue orders
by the time to the next departure or arrival, which needs them in UTC: they are converted
once, when the flight is written, with the airport's time zone (``airportsdata``), so that
the database can order and page the queue itself. An airport without a known time zone
(or a time that already carries one) keeps its time as it is, read as UTC. This is the
one conversion: ``paxwatch.privacy`` (visibility windows, retention ages) uses it too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import airportsdata


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    data: Any = airportsdata.load("IATA")
    return {code: str(info["tz"]) for code, info in data.items() if info.get("tz")}


def load_zones() -> None:
    """Read the airports' time zones now (``airportsdata``: about a quarter of a second of
    CPU, once per process), rather than in the first write transaction that names a flight:
    ``paxwatch ingest --jobs`` workers do it when they start, not in their first turn."""
    _zones()


@lru_cache(maxsize=4096)
def _zone(airport: str) -> ZoneInfo | None:
    name = _zones().get(airport.upper())
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return None


def utc_of(value: datetime | None, airport: str | None) -> datetime | None:
    """``value``, a local time at ``airport``, as naive UTC (None stays None)."""
    if value is None:
        return None
    zone = _zone(airport) if airport else None
    if zone is None or value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def utc_columns(
    origin: str | None,
    destination: str | None,
    departure: datetime | None,
    arrival: datetime | None,
) -> dict[str, datetime | None]:
    """``departure_utc`` and ``arrival_utc`` of a flight or leg row (local times at its
    origin and destination)."""
    return {"departure_utc": utc_of(departure, origin), "arrival_utc": utc_of(arrival, destination)}

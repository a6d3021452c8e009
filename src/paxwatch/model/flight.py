"""A flight: carrier, number and its legs with scheduled local times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from paxwatch.model.fast import fast_init


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class FlightLeg:
    origin: str
    destination: str
    departure: datetime | None = None
    arrival: datetime | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Flight:
    """A flight as a message reports it. ``number`` has no leading zeros; ``raw_number`` is
    what the message said."""

    carrier: str
    number: str
    legs: tuple[FlightLeg, ...] = ()
    raw_number: str = ""

    @property
    def origin(self) -> str | None:
        return self.legs[0].origin if self.legs else None

    @property
    def destination(self) -> str | None:
        return self.legs[-1].destination if self.legs else None

    @property
    def departure(self) -> datetime | None:
        return self.legs[0].departure if self.legs else None

    @property
    def arrival(self) -> datetime | None:
        return self.legs[-1].arrival if self.legs else None

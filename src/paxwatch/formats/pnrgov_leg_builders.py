"""Builders for an itinerary leg being read from PNRGOV EDIFACT, and its check-ins.

See ``pnrgov_builders`` for why the readers fill mutable builders: ``LegB`` (group 5: the
TVL, then code-share, RPI and APD add to it; ``build()`` gives the frozen ``Leg``) and
``CheckInPaxB`` (group 7: TRI, TIF, SSD and TBD of one checked-in passenger).
"""

from __future__ import annotations

from datetime import datetime

from paxwatch.model.booking import Bag, Leg, LegKey

__all__ = ["CheckInPaxB", "LegB"]


class LegB:
    """A leg being read (group 5): the TVL, then code-share, RPI and APD add to it."""

    __slots__ = (
        "arrival",
        "booking_class",
        "carrier",
        "departure",
        "destination",
        "equipment",
        "key",
        "number",
        "number_in_party",
        "operating_carrier",
        "operating_number",
        "origin",
        "raw_number",
        "status",
    )

    def __init__(
        self,
        *,
        carrier: str,
        number: str,
        origin: str,
        destination: str,
        departure: datetime | None,
        arrival: datetime | None,
        operating_carrier: str | None,
        booking_class: str | None,
        raw_number: str,
    ) -> None:
        self.carrier = carrier
        self.number = number
        self.origin = origin
        self.destination = destination
        self.departure = departure
        self.arrival = arrival
        self.operating_carrier = operating_carrier
        self.operating_number: str | None = None
        self.booking_class = booking_class
        self.status: str | None = None
        self.number_in_party: int | None = None
        self.equipment: str | None = None
        self.raw_number = raw_number
        self.key = LegKey(
            carrier=carrier,
            number=number,
            origin=origin,
            destination=destination,
            departure_date=departure.date() if departure is not None else None,
        )

    def build(self) -> Leg:
        return Leg(
            carrier=self.carrier,
            number=self.number,
            origin=self.origin,
            destination=self.destination,
            departure=self.departure,
            arrival=self.arrival,
            operating_carrier=self.operating_carrier,
            operating_number=self.operating_number,
            booking_class=self.booking_class,
            status=self.status,
            number_in_party=self.number_in_party,
            equipment=self.equipment,
            raw_number=self.raw_number,
        )


class CheckInPaxB:
    """A checked-in passenger being read (group 7: TRI, TIF, SSD, TBD)."""

    __slots__ = (
        "bags",
        "cabin",
        "seat",
        "sequence",
        "status",
        "tif_raw_name",
        "tif_ref",
        "tri_ref",
    )

    def __init__(self) -> None:
        self.status: str | None = None
        self.sequence: str | None = None
        self.tri_ref: str | None = None
        self.tif_ref: str | None = None
        self.tif_raw_name: str | None = None
        self.seat: str | None = None
        self.cabin: str | None = None
        self.bags: list[Bag] = []

"""Bookings planted in a flight on purpose: watch-list plants, decoys, networks, regulars.

A ``SpecialBooking`` is decided before flights are generated (so that planted persons,
networks spanning several flights and business travellers flying on several days stay
consistent) and handed to the flight that carries it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from paxwatch.model.booking import Address
from paxwatch.synth.population import Person


@dataclass(frozen=True, slots=True)
class SpecialTraveller:
    """A traveller placed on purpose, and how their booking shows them.

    ``surname``/``given`` override the romanised booked name (variants of a listed
    identity); ``birth`` overrides the date of birth on the document (None with
    ``no_birth`` set: no PNR push carries a DOCS; the API, read from the passport at
    check-in, still does); ``passport`` another document number.
    """

    person: Person
    role: str
    labels: tuple[str, ...] = ()
    surname: str | None = None
    given: str | None = None
    birth: date | None = None
    no_birth: bool = False
    passport: str | None = None
    entry_id: str | None = None


@dataclass(frozen=True, slots=True)
class SpecialBooking:
    """A booking to place on a given flight; shared identifiers make networks."""

    flight_index: int
    kind: str
    travellers: tuple[SpecialTraveller, ...]
    phone: str | None = None
    email: str | None = None
    address: Address | None = None
    card: str | None = None
    payer: str | None = None
    network_id: str | None = None
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

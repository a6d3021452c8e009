"""What the repository returns: small frozen dataclasses, never nested dicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class RawMessageInfo:
    """One archived input (the bytes themselves are read with ``raw_body``)."""

    id: int
    content_hash: str
    size: int
    redacted: int
    received_at: datetime
    source: str
    name: str | None
    format: str | None
    status: str
    bookings: int
    new_versions: int
    api_travellers: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PnrWriteOutcome:
    """What storing one PNRGOV message did."""

    flight_id: int | None
    bookings: int
    new_versions: int
    unchanged: int
    new_traveller_ids: tuple[int, ...]
    cancelled: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiWriteOutcome:
    """What storing one PAXLST message did."""

    api_message_id: int
    flight_ids: tuple[int, ...]
    api_traveller_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FlightSummary:
    """A flight with its counts (booked travellers on active bookings, API travellers)."""

    id: int
    key: str
    carrier: str
    number: str
    departure_date: date | None
    origin: str | None
    destination: str | None
    departure: datetime | None
    arrival: datetime | None
    bookings: int = 0
    booked_travellers: int = 0
    api_travellers: int = 0
    matched: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class BookedTraveller:
    """A traveller of the current version of an active booking on a flight."""

    traveller_id: int
    booking_id: int
    locator: str
    version_no: int
    surname: str
    given_names: str | None
    date_of_birth: date | None
    gender: str | None
    nationality: str | None
    seat: str | None
    document_numbers: tuple[str, ...]
    api_traveller_id: int | None
    match_rule: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiListedTraveller:
    """A traveller of a PAXLST for the flight, with the booked traveller it was linked to."""

    api_traveller_id: int
    api_message_id: int
    role: str
    surname: str
    given_names: str | None
    date_of_birth: date | None
    gender: str | None
    nationality: str | None
    booking_locator: str | None
    document_numbers: tuple[str, ...]
    traveller_id: int | None
    match_rule: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Manifest:
    """Who is on a flight now: booked (PNR) and reported (API), and how they correspond."""

    flight: FlightSummary
    booked: tuple[BookedTraveller, ...]
    api: tuple[ApiListedTraveller, ...]
    cancelled_bookings: tuple[str, ...]

    @property
    def unmatched_booked(self) -> tuple[BookedTraveller, ...]:
        return tuple(t for t in self.booked if t.api_traveller_id is None)

    @property
    def unmatched_api(self) -> tuple[ApiListedTraveller, ...]:
        return tuple(t for t in self.api if t.traveller_id is None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One difference between two versions: a JSON path, and the values as JSON text."""

    path: str
    kind: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class BookingVersionInfo:
    """One version of a booking, with what changed since the previous one."""

    id: int
    version_no: int
    received_at: datetime
    raw_message_id: int
    flight_key: str | None
    push_action: str | None
    content_hash: str
    content_json: str
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class BookingFlightStatus:
    flight_id: int
    flight_key: str
    status: str
    last_seen_at: datetime
    cancelled_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class BookingHistory:
    """A booking with every version (oldest first) and the flights it is or was on."""

    booking_id: int
    key: str
    locator: str
    carrier: str | None
    versions: tuple[BookingVersionInfo, ...]
    flights: tuple[BookingFlightStatus, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class QuarantineItem:
    id: int
    raw_message_id: int
    reason: str
    findings_json: str
    created_at: datetime
    attempts: int
    resolved_at: datetime | None
    source: str
    name: str | None
    size: int


@dataclass(frozen=True, slots=True, kw_only=True)
class IdentifierHit:
    """Where a normalised identifier occurs: a booked traveller / booking, or an API traveller."""

    kind: str
    value: str
    booking_id: int | None
    version_id: int | None
    traveller_id: int | None
    api_traveller_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeletionCount:
    category: str
    element: str
    count: int

"""What the API answers: pydantic models made from the store's frozen dataclasses.

``from_attributes`` lets each model be validated straight from a record of
``paxwatch.store.records`` (or an ``IngestResult``); the few fields that need work (JSON
text to objects, derived lists) are filled by the ``of`` class methods.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal, TypedDict

from pydantic import BaseModel, ConfigDict, Field

from paxwatch.ingest.pipeline import IngestResult
from paxwatch.model import Finding
from paxwatch.store.records import (
    BookingHistory,
    BookingVersionInfo,
    FlightSummary,
    Manifest,
    QuarantineItem,
)


class Out(BaseModel):
    """Base of the models the API answers: validated from a record's attributes, frozen."""

    model_config = ConfigDict(from_attributes=True, frozen=True)


class In(BaseModel):
    """Base of request bodies: an unknown member is a 422, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class FindingOut(Out):
    """A reader's finding: severity, code, explanation and position (never the segment text)."""

    severity: str
    code: str
    message: str
    segment: int | None = None
    line: int | None = None

    @classmethod
    def of(cls, finding: Finding) -> FindingOut:
        return cls(
            severity=finding.severity.value,
            code=finding.code,
            message=finding.message,
            segment=finding.segment,
            line=finding.line,
        )


class IngestAck(Out):
    """The acknowledgement of a pushed message.

    ``ack`` is the SHA-256 of the bytes as received: a resend gets the same ``ack`` with
    status ``duplicate``.
    """

    ack: str
    status: Literal["stored", "duplicate", "quarantined"]
    raw_message_id: int
    format: str | None = None
    messages: int = 0
    bookings: int = 0
    new_versions: int = 0
    unchanged: int = 0
    cancelled: int = 0
    api_travellers: int = 0
    travellers: int = 0
    findings: list[FindingOut] = Field(default_factory=list)

    @classmethod
    def of(cls, result: IngestResult) -> IngestAck:
        return cls(
            ack=result.content_hash,
            status=result.status,  # type: ignore[arg-type]
            raw_message_id=result.raw_message_id,
            format=result.format,
            messages=result.messages,
            bookings=result.bookings,
            new_versions=result.new_versions,
            unchanged=result.unchanged,
            cancelled=result.cancelled,
            api_travellers=result.api_travellers,
            travellers=result.travellers,
            findings=[FindingOut.of(f) for f in result.findings],
        )


class FlightOut(Out):
    """A flight with its counts (active bookings, booked and API travellers, links)."""

    id: int
    key: str
    carrier: str
    number: str
    departure_date: date | None
    origin: str | None
    destination: str | None
    departure: datetime | None
    arrival: datetime | None
    bookings: int
    booked_travellers: int
    api_travellers: int
    matched: int


class Paging(TypedDict):
    """The paging fields of a page (``Page.paging``)."""

    limit: int
    offset: int
    total: int
    next_offset: int | None


class Page(Out):
    """Paging of a list: ``next_offset`` is null on the last page."""

    limit: int
    offset: int
    total: int
    next_offset: int | None

    @staticmethod
    def paging(total: int, limit: int, offset: int) -> Paging:
        """The paging fields of the page at ``offset`` of ``total`` rows."""
        end = offset + limit
        return Paging(
            limit=limit, offset=offset, total=total, next_offset=end if end < total else None
        )


class FlightPage(Page):
    """One page of flights."""

    items: list[FlightOut]

    @classmethod
    def of(cls, flights: list[FlightSummary], limit: int, offset: int) -> FlightPage:
        return cls(
            items=[FlightOut.model_validate(f) for f in flights[offset : offset + limit]],
            **cls.paging(len(flights), limit, offset),
        )


class BookedTravellerOut(Out):
    """A traveller of the current version of an active booking on the flight."""

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
    document_numbers: list[str]
    api_traveller_id: int | None
    match_rule: str | None


class ApiTravellerOut(Out):
    """A traveller of an API list (PAXLST) of the flight and its booked counterpart."""

    api_traveller_id: int
    api_message_id: int
    role: str
    surname: str
    given_names: str | None
    date_of_birth: date | None
    gender: str | None
    nationality: str | None
    booking_locator: str | None
    document_numbers: list[str]
    traveller_id: int | None
    match_rule: str | None


class ManifestOut(Out):
    """Who is on a flight now (booked and reported) and how they correspond."""

    flight: FlightOut
    booked: list[BookedTravellerOut]
    api: list[ApiTravellerOut]
    cancelled_bookings: list[str]
    unmatched_booked: list[int] = Field(description="Traveller ids with no API counterpart.")
    unmatched_api: list[int] = Field(description="API traveller ids with no booked traveller.")

    @classmethod
    def of(cls, manifest: Manifest) -> ManifestOut:
        return cls(
            flight=FlightOut.model_validate(manifest.flight),
            booked=[BookedTravellerOut.model_validate(t) for t in manifest.booked],
            api=[ApiTravellerOut.model_validate(t) for t in manifest.api],
            cancelled_bookings=list(manifest.cancelled_bookings),
            unmatched_booked=[t.traveller_id for t in manifest.unmatched_booked],
            unmatched_api=[t.api_traveller_id for t in manifest.unmatched_api],
        )


class ChangeOut(Out):
    """One difference from the previous version: JSON path, kind, values as JSON text."""

    path: str
    kind: str
    before: str | None
    after: str | None


class VersionOut(Out):
    """One version of a booking and what changed since the previous one."""

    id: int
    version_no: int
    received_at: datetime
    raw_message_id: int
    flight_key: str | None
    push_action: str | None
    content_hash: str
    changes: list[ChangeOut]


class CurrentVersionOut(VersionOut):
    """The current version with its whole (minimised) content."""

    content: dict[str, Any]

    @classmethod
    def of(cls, version: BookingVersionInfo) -> CurrentVersionOut:
        base = VersionOut.model_validate(version)
        return cls(**base.model_dump(), content=json.loads(version.content_json))


class BookingFlightOut(Out):
    """A flight the booking is or was on."""

    flight_id: int
    flight_key: str
    status: str
    last_seen_at: datetime
    cancelled_at: datetime | None


class BookingOut(Out):
    """A booking: its current version, every version (oldest first) and its flights."""

    booking_id: int
    key: str
    locator: str
    carrier: str | None
    current: CurrentVersionOut | None
    versions: list[VersionOut]
    flights: list[BookingFlightOut]

    @classmethod
    def of(cls, history: BookingHistory) -> BookingOut:
        return cls(
            booking_id=history.booking_id,
            key=history.key,
            locator=history.locator,
            carrier=history.carrier,
            current=CurrentVersionOut.of(history.versions[-1]) if history.versions else None,
            versions=[VersionOut.model_validate(v) for v in history.versions],
            flights=[BookingFlightOut.model_validate(f) for f in history.flights],
        )


class BookingLookup(Out):
    """Every booking with a locator (one per reporting carrier)."""

    locator: str
    bookings: list[BookingOut]


class QuarantineOut(Out):
    """A quarantined input with its findings."""

    id: int
    raw_message_id: int
    reason: str
    findings: list[FindingOut]
    created_at: datetime
    attempts: int
    resolved_at: datetime | None
    source: str
    name: str | None
    size: int

    @classmethod
    def of(cls, item: QuarantineItem) -> QuarantineOut:
        findings = [
            FindingOut(
                severity=str(f.get("severity", "")),
                code=str(f.get("code", "")),
                message=str(f.get("message", "")),
                segment=f.get("segment"),
                line=f.get("line"),
            )
            for f in json.loads(item.findings_json)
        ]
        return cls(
            id=item.id,
            raw_message_id=item.raw_message_id,
            reason=item.reason,
            findings=findings,
            created_at=item.created_at,
            attempts=item.attempts,
            resolved_at=item.resolved_at,
            source=item.source,
            name=item.name,
            size=item.size,
        )


class QuarantinePage(Page):
    """One page of quarantine entries."""

    items: list[QuarantineOut]

    @classmethod
    def of(cls, items: list[QuarantineItem], limit: int, offset: int) -> QuarantinePage:
        return cls(
            items=[QuarantineOut.of(q) for q in items[offset : offset + limit]],
            **cls.paging(len(items), limit, offset),
        )


class Health(Out):
    """The service is up and its database answers."""

    status: Literal["ok"]
    database: str

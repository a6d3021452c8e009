"""The report of a retention run: what it masked, deleted and kept (counts and ids only,
never personal data)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class KeptRecord:
    """A flag that kept data beyond the policy's deletion point in this run."""

    flag_id: int
    kind: str
    booking_id: int | None
    traveller_ref: str | None
    api_traveller_id: int | None
    reason: str
    review_on: date


@dataclass(slots=True)
class RetentionReport:
    """What a run masked, deleted and kept (counts and ids only, no personal data)."""

    policy: str
    now: datetime
    dry_run: bool
    versions_masked: int = 0
    versions_deleted: int = 0
    bookings_deleted: int = 0
    travellers_dropped: int = 0
    api_travellers_masked: int = 0
    api_travellers_deleted: int = 0
    api_messages_deleted: int = 0
    identifiers_deleted: int = 0
    intra_eu_flights: int = 0
    intra_eu_links_deleted: int = 0
    raw_erased: int = 0
    raw_deleted: int = 0
    flights_sealed: int = 0
    transmissions_erased: int = 0
    transmissions_deleted: int = 0
    events_pruned: int = 0
    deleted_with_confirmed_hits: int = 0
    kept: list[KeptRecord] = field(default_factory=list)
    expired_flags: list[int] = field(default_factory=list)
    analyzed: list[str] = field(default_factory=list)
    """Tables whose planner statistics the run refreshed first (PostgreSQL)."""
    checkpoint_pending: bool = False
    """SQLite: a reader kept the write-ahead log, which still holds earlier images of the
    erased rows, from being emptied after the run (``Store.checkpoint``)."""

    @property
    def changed(self) -> int:
        """How many records the run changed (0: nothing to do)."""
        return (
            self.versions_masked
            + self.versions_deleted
            + self.bookings_deleted
            + self.travellers_dropped
            + self.api_travellers_masked
            + self.api_travellers_deleted
            + self.api_messages_deleted
            + self.intra_eu_links_deleted
            + self.raw_erased
            + self.raw_deleted
            + self.transmissions_erased
            + self.transmissions_deleted
            + self.events_pruned
        )

    def counts(self) -> dict[str, int]:
        """The counters, for the event log and the CLI."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if isinstance(getattr(self, f.name), int)
            and not isinstance(getattr(self, f.name), bool)
        }

"""The queue of a ``BatchWriter``: the bookings and API lists of one transaction, as the
writer plans them, and the handles through which callers read what was written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from paxwatch.model import ApiMessage, Booking, PnrMessage
from paxwatch.store.records import ApiWriteOutcome, PnrWriteOutcome
from paxwatch.store.versions import BookingDigest, VersionRows, version_rows

if TYPE_CHECKING:
    from paxwatch.store.early import EarlyVersion


class _Progress(Protocol):
    """How far the writer is: planned (versions decided), flushed (written)."""

    planned: bool
    flushed: bool


@dataclass(slots=True)
class BookingState:
    """A booking as the batch sees it: id, number of versions, hash of the current one."""

    id: int
    versions: int
    digest: str | None
    current_version: int | None = None
    seen_at: datetime | None = None


@dataclass(slots=True)
class PendingBooking:
    """A booking of a queued message, with its canonical content and hash."""

    booking: Booking
    key: str
    content: str
    digest: str
    #: Its ``version_rows`` when built beforehand (outside the write transaction).
    rows: VersionRows | None = None
    #: Its rows inserted before the batch's turn, if they were (``store.early``).
    early: EarlyVersion | None = None

    @property
    def locator(self) -> str:
        return self.booking.locator.strip().upper()[:20]

    def version_rows(self) -> VersionRows:
        if self.rows is None:
            self.rows = version_rows(self.booking)
        return self.rows


@dataclass(slots=True)
class NewVersionPlan:
    pending: PendingBooking
    booking_id: int
    version_no: int
    raw_id: int
    flight_id: int | None
    action: str | None
    at: datetime
    id: int = 0
    traveller_ids: list[int] = field(default_factory=list)
    #: Its travellers and child rows were inserted before the turn (``store.early``).
    early: bool = False


@dataclass(slots=True)
class QueuedPnr:
    message: PnrMessage
    pendings: list[PendingBooking]
    flight_id: int | None
    carrier: str | None
    raw_id: int
    at: datetime
    allow_cancel: bool
    booking_ids: list[int] = field(default_factory=list)
    versions: list[NewVersionPlan] = field(default_factory=list)
    cancelled: int = 0

    def outcome(self) -> PnrWriteOutcome:
        return PnrWriteOutcome(
            flight_id=self.flight_id,
            bookings=len(self.pendings),
            new_versions=len(self.versions),
            unchanged=len(self.pendings) - len(self.versions),
            new_traveller_ids=tuple(t for v in self.versions for t in v.traveller_ids),
            cancelled=self.cancelled,
        )


class PnrHandle:
    """What ``BatchWriter.add_pnr`` returns; ``outcome()`` is valid after ``flush()``."""

    def __init__(self, queued: QueuedPnr, writer: _Progress) -> None:
        self._queued = queued
        self._writer = writer

    def planned(self) -> tuple[int, int]:
        """(bookings, new versions) of the message, known once the batch is planned."""
        if not self._writer.planned:
            raise RuntimeError("plan() the batch before reading what it will write")
        return len(self._queued.pendings), len(self._queued.versions)

    def outcome(self) -> PnrWriteOutcome:
        if not self._writer.flushed:
            raise RuntimeError("flush() the batch before reading its outcome")
        return self._queued.outcome()


@dataclass(slots=True)
class QueuedApi:
    message: ApiMessage
    raw_id: int
    at: datetime
    flight_ids: list[int]
    contents: Sequence[str] | None = None
    result: ApiWriteOutcome | None = None


class ApiHandle:
    """What ``BatchWriter.add_api`` returns; ``outcome()`` is valid after ``flush()``."""

    def __init__(self, queued: QueuedApi) -> None:
        self._queued = queued

    @property
    def travellers(self) -> int:
        """How many API travellers the message stores."""
        return len(self._queued.message.travellers)

    def outcome(self) -> ApiWriteOutcome:
        if self._queued.result is None:
            raise RuntimeError("flush() the batch before reading its outcome")
        return self._queued.result


def pendings(
    message: PnrMessage,
    digests: Sequence[BookingDigest],
    rows: Mapping[int, VersionRows],
    early: Mapping[int, EarlyVersion],
) -> list[PendingBooking]:
    return [
        PendingBooking(message.bookings[i], key, c, d, rows.get(i), early.get(i))
        for i, key, c, d in digests
    ]

"""What the ingest pipeline takes and gives back: inputs, results, timings."""

from __future__ import annotations

from dataclasses import dataclass, field

from paxwatch.model import Finding
from paxwatch.privacy.minimise import Deletion

STORED = "stored"
DUPLICATE = "duplicate"
QUARANTINED = "quarantined"


@dataclass(frozen=True, slots=True, kw_only=True)
class Timings:
    """Seconds spent reading, minimising and storing one input (``store``: its share of its
    batch's transaction, wall clock; ``store_cpu``: the same in CPU time). With worker
    processes (``ingest_stream``), ``wait``: its share of the time its batch waited for the
    turn to store; ``turn``: its share of the time the batch held the turn (wall clock), the
    serial part that bounds the rate."""

    parse: float = 0.0
    minimise: float = 0.0
    store: float = 0.0
    store_cpu: float = 0.0
    wait: float = 0.0
    turn: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestResult:
    """What became of one input. ``status``: ``stored``, ``duplicate`` or ``quarantined``."""

    status: str
    raw_message_id: int
    content_hash: str
    format: str | None = None
    messages: int = 0
    bookings: int = 0
    new_versions: int = 0
    unchanged: int = 0
    cancelled: int = 0
    api_travellers: int = 0
    travellers: int = 0
    flight_ids: tuple[int, ...] = ()
    findings: tuple[Finding, ...] = ()
    deletions: tuple[Deletion, ...] = ()
    timings: Timings = field(default_factory=Timings)
    assess: tuple[tuple[int, tuple[int, ...]], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestItem:
    """One input for ``ingest_many`` / ``ingest_stream``."""

    data: bytes
    source: str
    name: str | None = None


def duplicate(raw_id: int, content_hash: str) -> IngestResult:
    """The result of an input received before (archive id ``raw_id``)."""
    return IngestResult(status=DUPLICATE, raw_message_id=raw_id, content_hash=content_hash)

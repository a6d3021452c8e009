"""Ingest: archive raw bytes (deduplicated by content hash), read, minimise, store, assess.

``ingest_bytes`` is the one function every source calls: the directory loader, the NATS
JetStream worker and (later) the HTTP push endpoint.
"""

from paxwatch.ingest.pipeline import (
    IngestItem,
    IngestResult,
    Timings,
    ingest_bytes,
    ingest_many,
)
from paxwatch.ingest.stream import ingest_stream

__all__ = [
    "IngestItem",
    "IngestResult",
    "Timings",
    "ingest_bytes",
    "ingest_many",
    "ingest_stream",
]

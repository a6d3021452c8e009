"""The repository: every store function the rest of paxwatch calls, in one place.

Writes take a ``Connection`` inside the caller's transaction (``Store.write()``); reads take
one from ``Store.read()``. Results are the dataclasses of ``paxwatch.store.records``.
"""

from paxwatch.store.api_write import flight_has_api, write_api_message
from paxwatch.store.batch import BatchWriter, write_pnr_message
from paxwatch.store.batch_items import PnrHandle
from paxwatch.store.correlate import CorrelationSummary, correlate_flight, linked_travellers
from paxwatch.store.diff import diff_json
from paxwatch.store.identifiers import find_identifier
from paxwatch.store.read import (
    booking_history,
    deletion_counts,
    find_flight,
    flight_manifest,
    get_flight,
    get_quarantine,
    list_flights,
    list_quarantine,
    list_raw,
    raw_body,
)
from paxwatch.store.write import (
    archive_raw,
    ensure_flight,
    find_raw,
    find_raws,
    log_deletions,
    log_deletions_many,
    quarantine_raw,
    resolve_quarantine,
    set_raw_status,
    set_raw_statuses,
)

__all__ = [
    "BatchWriter",
    "CorrelationSummary",
    "PnrHandle",
    "archive_raw",
    "booking_history",
    "correlate_flight",
    "deletion_counts",
    "diff_json",
    "ensure_flight",
    "find_flight",
    "find_identifier",
    "find_raw",
    "find_raws",
    "flight_has_api",
    "flight_manifest",
    "get_flight",
    "get_quarantine",
    "linked_travellers",
    "list_flights",
    "list_quarantine",
    "list_raw",
    "log_deletions",
    "log_deletions_many",
    "quarantine_raw",
    "raw_body",
    "resolve_quarantine",
    "set_raw_status",
    "set_raw_statuses",
    "write_api_message",
    "write_pnr_message",
]

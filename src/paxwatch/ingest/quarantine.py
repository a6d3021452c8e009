"""Quarantine: inputs with no readable booking, or that the database refused to store
(``store-refused``), kept raw with their findings, and retried.

``retry(store, quarantine_id)`` re-reads the archived bytes with the current readers (after
a reader fix, say). If they now yield bookings or API travellers, these are stored in one
transaction with the quarantine entry marked resolved; otherwise the findings are updated
and the attempt counted.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.exc import DataError, IntegrityError

from paxwatch.ingest.pipeline import (
    QUARANTINED,
    STORED,
    IngestItem,
    IngestResult,
    notify_hooks,
    prepare,
    refused,
    store_prepared,
)
from paxwatch.ingest.prepare import Prepared
from paxwatch.privacy.minimise import MinimiseConfig
from paxwatch.store import repository as repo
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.records import QuarantineItem


class QuarantineNotFound(LookupError):
    """No quarantine entry has this id."""


def list_items(store: Store, *, include_resolved: bool = False) -> list[QuarantineItem]:
    """Quarantined inputs, oldest first."""
    with store.read() as conn:
        return repo.list_quarantine(conn, include_resolved=include_resolved)


def show(store: Store, quarantine_id: int) -> tuple[QuarantineItem, bytes]:
    """One quarantine entry and its archived bytes."""
    with store.read() as conn:
        item = repo.get_quarantine(conn, quarantine_id)
        body = repo.raw_body(conn, item.raw_message_id) if item else None
    if item is None or body is None:
        raise QuarantineNotFound(quarantine_id)
    return item, body


def retry(
    store: Store, quarantine_id: int, *, config: MinimiseConfig | None = None
) -> IngestResult:
    """Re-read a quarantined input with the current readers; store it if it is readable now
    and the database accepts it."""
    item, body = show(store, quarantine_id)
    prepared = prepare(IngestItem(data=body, source=item.source, name=item.name), config)
    at = utcnow()
    if prepared.quarantine_reason:
        return _kept(store, item, prepared, prepared.quarantine_reason, at)
    try:
        with store.write() as conn:
            result = store_prepared(conn, prepared, raw_id=item.raw_message_id)
            repo.resolve_quarantine(conn, item.raw_message_id, at)
    except (DataError, IntegrityError) as exc:
        # Still refused by the database: it stays, with the reason of this attempt.
        return _kept(store, item, refused(prepared, exc), "store-refused", at)
    notify_hooks([result])
    return replace(result, status=STORED)


def _kept(
    store: Store, item: QuarantineItem, prepared: Prepared, reason: str, at: datetime
) -> IngestResult:
    """The entry stays in quarantine with this attempt's reason and findings."""
    with store.write() as conn:
        repo.quarantine_raw(
            conn, item.raw_message_id, reason=reason, findings=prepared.findings, at=at
        )
    return IngestResult(
        status=QUARANTINED,
        raw_message_id=item.raw_message_id,
        content_hash=prepared.content_hash,
        format=prepared.format,
        findings=prepared.findings,
    )


def retry_all(store: Store, *, config: MinimiseConfig | None = None) -> list[IngestResult]:
    """Retry every unresolved quarantine entry."""
    return [retry(store, item.id, config=config) for item in list_items(store)]

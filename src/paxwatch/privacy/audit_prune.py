"""Retention of the audit trail itself: entries are kept 5 years (Directive Art 13(6));
:func:`prune_before` removes older ones and re-anchors the chain so that verification keeps
working."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from paxwatch.privacy.audit_chain import ANCHOR_ID, read_anchor, record
from paxwatch.privacy.audit_events import AuditPrunedEvent
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.schema_review import audit_anchor, audit_event

RETENTION_YEARS = 5
"""How long audit entries are kept (Directive Art 13(6))."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PruneResult:
    """What :func:`prune_before` removed and where the chain starts now."""

    removed: int
    first_seq: int


class AuditRetentionError(ValueError):
    """Pruning would remove entries younger than the retention period."""


def retention_cutoff(now: datetime | None = None) -> datetime:
    """The oldest time still inside the retention period (5 years before ``now``)."""
    when = now or utcnow()
    try:
        return when.replace(year=when.year - RETENTION_YEARS)
    except ValueError:  # 29 February
        return when.replace(year=when.year - RETENTION_YEARS, day=28) + timedelta(days=1)


def prune_before(
    store: Store, before: datetime, *, actor: str = "system", allow_recent: bool = False
) -> PruneResult:
    """Remove the entries written before ``before`` (in ``seq`` order: the prefix of the
    chain up to the last such entry), move the anchor's start past them, and record an
    ``audit.pruned`` event. Refuses a cutoff inside the retention period unless
    ``allow_recent``."""
    if not allow_recent and before > retention_cutoff():
        raise AuditRetentionError(
            f"audit entries are kept {RETENTION_YEARS} years; "
            f"cutoff {before:%Y-%m-%d} is too recent"
        )
    with store.write() as conn:
        anchor = read_anchor(conn, lock=True, create=True)
        last = conn.execute(
            select(func.max(audit_event.c.seq)).where(audit_event.c.at < before)
        ).scalar()
        if last is None:
            return PruneResult(removed=0, first_seq=anchor.first_seq)
        last_row = conn.execute(select(audit_event).where(audit_event.c.seq == last)).one()
        removed = conn.execute(delete(audit_event).where(audit_event.c.seq <= last)).rowcount
        conn.execute(
            update(audit_anchor)
            .where(audit_anchor.c.id == ANCHOR_ID)
            .values(
                first_seq=int(last) + 1,
                first_prev_hash=last_row.hash,
                pruned_before=before,
                updated_at=utcnow(),
            )
        )
        record(
            conn,
            AuditPrunedEvent(
                actor=actor,
                before=before.isoformat(),
                removed=int(removed or 0),
                last_removed_seq=int(last),
                last_removed_hash=str(last_row.hash),
            ),
        )
    return PruneResult(removed=int(removed or 0), first_seq=int(last) + 1)

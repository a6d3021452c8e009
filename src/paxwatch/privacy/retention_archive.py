"""Retention steps on what outlives the passenger rows: the raw archive, the disclosure log
(transmissions) and the audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, delete, exists, func, select

from paxwatch.privacy import audit
from paxwatch.privacy.depersonalise import erase_raw, unerased
from paxwatch.privacy.purge import erase_transmissions, id_in
from paxwatch.privacy.retention_delete import row_ids
from paxwatch.privacy.retention_run import SYSTEM, Run
from paxwatch.store import schema as s
from paxwatch.store.schema_review import audit_event, transmission

# ---- step 5: the raw archive; step 6: the event log


def step_raw(run: Run) -> None:
    cutoff = run.policy.raw_cutoff(run.now)
    r, v, m = s.raw_message, s.booking_version, s.api_message
    if cutoff is not None:
        # The bodies not erased yet, oldest first, through the partial index
        # ``ix_raw_message_unerased`` (migration 0012): those erased before are not read
        # again. Each chunk erases what it found, so the next one starts past it.
        oldest = (
            select(r.c.id)
            .where(r.c.received_at <= cutoff, unerased())
            .order_by(r.c.received_at, r.c.id)
            .limit(run.chunk)
        )
        while True:
            with run.tx() as conn:
                before = run.report.counts()
                ids = row_ids(conn.execute(oldest).all())
                erased = erase_raw(conn, ids)
                run.report.raw_erased += erased
                run.audit(conn, "raw archive", before)
            if not ids:
                break
            run.tick("raw archive", len(ids))
            if len(ids) < run.chunk or not erased:
                break
    touched = sorted(run.touched_raw)
    for start in range(0, len(touched), run.chunk):
        with run.tx() as conn:
            before = run.report.counts()
            chunk = touched[start : start + run.chunk]
            orphan = and_(
                id_in(conn, r.c.id, chunk),
                unerased(),
                ~exists().where(v.c.raw_message_id == r.c.id),
                ~exists().where(m.c.raw_message_id == r.c.id),
            )
            ids = list(conn.execute(select(r.c.id).where(orphan)).scalars().all())
            run.report.raw_erased += erase_raw(conn, ids)
            run.audit(conn, "raw archive", before)


def step_transmissions(run: Run) -> None:
    """Disclosure logs: the snapshot of a transmission is erased at the mask age (its hit and
    traveller may be kept, masked) and the record deleted after ``audit_retention_months``
    (Art 13(6): 5 years). Transmissions of deleted hits were erased with them (``purge``)."""
    tr = transmission
    cutoff = run.policy.mask_cutoff(run.now)
    if cutoff is not None:

        def sent(conn: Connection, last: int) -> list[Any]:
            query = select(tr.c.id).where(tr.c.at <= cutoff, tr.c.id > last)
            return list(conn.execute(query.order_by(tr.c.id).limit(run.chunk)).all())

        for conn, rows in run.batches("transmissions: snapshots", sent):
            ids = row_ids(rows)
            erased = erase_transmissions(conn, id_in(conn, tr.c.id, ids), reason="mask age")
            run.report.transmissions_erased += erased
            run.tick("transmissions", len(rows))
    old = run.policy.audit_cutoff(run.now)
    with run.tx() as conn:
        before = run.report.counts()
        result = conn.execute(delete(tr).where(tr.c.at <= old))
        run.report.transmissions_deleted += result.rowcount or 0
        run.audit(conn, "transmissions: 5 years", before)


def step_audit(run: Run, dry_run: bool) -> None:
    """Prune the audit trail (``audit.prune_before``, its own transaction) at
    ``audit_retention_months``, never inside the trail's own 5 years (by the real clock).
    A dry run counts what would go."""
    cutoff = min(run.policy.audit_cutoff(run.now), audit.retention_cutoff())
    if not dry_run and run.store is not None:
        run.report.events_pruned += audit.prune_before(run.store, cutoff, actor=SYSTEM).removed
        return
    with run.tx() as conn:
        ae = audit_event
        last = conn.execute(select(func.max(ae.c.seq)).where(ae.c.at < cutoff)).scalar()
        if last is not None:
            count = conn.execute(select(func.count()).where(ae.c.seq <= last)).scalar()
            run.report.events_pruned += int(count or 0)

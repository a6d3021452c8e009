"""The retention job: masking and deletion as the policy says, in chunks.

``run_retention(store, now, policy)`` (also ``paxwatch retention run``) applies a
``RetentionPolicy`` to the store as of ``now`` (naive UTC; the clock is the caller's).
On PostgreSQL it first analyses the tables whose planner statistics are missing or stale
(``paxwatch.store.statistics``: without them each chunk may scan whole
tables). Then:

1. **5 years** (``delete_after_months``): booking versions, API lists and archived raw
   messages received that long ago are deleted, flags or not.
2. **Intra-EU selection** (EU profile): the PNR and API data of intra-EU flights that were
   not selected on their date (``paxwatch.privacy.selection``) is deleted once the flight
   has arrived; a booking that is also on a retained flight only loses its link to it.
3. **Journey end** (UK profile): the data of bookings and API lists whose journey ended
   ``journey_grace_hours`` ago is deleted, except the flagged travellers.
4. **Mask age** (6 months): versions and API travellers received that long ago are
   depersonalised (``paxwatch.privacy.depersonalise``), keeping only flagged travellers
   when the policy deletes the others then (EU); the rest is deleted.
5. **Raw archive**: archived bodies are erased at ``raw_archive_hours`` (or the mask age),
   and as soon as nothing read from them is left.
6. **Transmissions** (disclosure logs, Art 13(6)): they outlive the data they disclosed;
   their snapshot is erased when the hit is deleted (``purge.purge``) or at the mask
   age, and the record is deleted after ``audit_retention_months``.
7. **Audit trail**: entries older than ``audit_retention_months`` are pruned
   (``audit.prune_before``; never inside the trail's own 5 years by the real clock).

On PostgreSQL the 5-year and mask-age steps run ``jobs`` chunks at once on as many
connections (default 2; ``paxwatch.privacy.retention_fanout``): the chunks of a round are
split by booking or API list so that they share no passenger row, and the round's flights
are sealed before them.

Deletions are explicit and in bulk (``purge.purge``: the dependent rows of each
table first, one statement per table, instead of ``ON DELETE CASCADE`` row by row), and
every chunk writes one audit ``DeletionEvent`` per kind of record it deleted, masked or
erased, in its own transaction; the run ends with a ``privacy.retention`` event.

Before a flight's data is first masked or deleted its figures are sealed in
``stat_flight`` (Art 20 statistics survive). Every step works in chunks of ``chunk`` rows,
each chunk one transaction, walking ids upwards: a run that is killed leaves a consistent
store, and the next run does what is left. A second run with the same ``now`` changes
nothing. ``dry_run=True`` runs every step in one transaction and rolls it back: the report
is exactly what a real run would do.

A flag (``retention_flag``) protects a traveller (booking + traveller ref, or the whole
booking) or an API traveller while it is not lifted and its review date has not passed; its
kind must be one of the policy's ``flag_kinds``. Flags are set by supervisors
(``set_flag``), with a reason, an evidence reference and a review date.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection

from paxwatch.gcpause import gc_paused
from paxwatch.privacy.depersonalise import Vault
from paxwatch.privacy.flags import (
    SUPERVISOR,
    Flag,
    FlagError,
    lift_flag,
    list_flags,
    protection,
    set_flag,
)
from paxwatch.privacy.policies import PrivacyEvent, RetentionPolicy, record_event
from paxwatch.privacy.retention_age import step_mask_age, step_max_age
from paxwatch.privacy.retention_archive import step_audit, step_raw, step_transmissions
from paxwatch.privacy.retention_journey import step_intra_eu, step_journey_end
from paxwatch.privacy.retention_report import KeptRecord, RetentionReport
from paxwatch.privacy.retention_run import (
    AUDITED,
    DEFAULT_CHUNK,
    SYSTEM,
    Progress,
    Rollback,
    Run,
    check_jobs,
    default_jobs,
    job_transaction,
    jobs_setting,
)
from paxwatch.store.engine import Store
from paxwatch.store.statistics import refresh_statistics

_log = logging.getLogger(__name__)


def _kept(run: Run) -> list[KeptRecord]:
    return [
        KeptRecord(
            flag_id=f.id,
            kind=f.kind,
            booking_id=f.booking_id,
            traveller_ref=f.traveller_ref,
            api_traveller_id=f.api_traveller_id,
            reason=f.reason,
            review_on=f.review_on,
        )
        for f in run.protection.flags
    ]


def run_retention(
    store: Store,
    now: datetime,
    policy: RetentionPolicy,
    *,
    vault: Vault | None = None,
    dry_run: bool = False,
    chunk: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> RetentionReport:
    """Apply ``policy`` to the store as of ``now`` (naive UTC). See the module doc.

    ``jobs``: connections the 5-year and mask-age steps run their chunks on at once
    (``retention_fanout``); None: ``default_jobs`` (``PAXWATCH_RETENTION_JOBS``, else 2 on
    PostgreSQL; at most ``MAX_JOBS``, 8). Always 1 on SQLite (one writer) and in a dry run (one
    transaction)."""
    workers = check_jobs(jobs) if jobs is not None else default_jobs(store)
    if dry_run or store.is_sqlite:
        workers = 1
    report = RetentionReport(policy=policy.name, now=now, dry_run=dry_run)
    if store.engine.dialect.name == "postgresql":
        with store.write() as conn:
            report.analyzed = refresh_statistics(conn)
    with store.read() as conn:
        kept_by_flags = protection(conn, policy, now.date())

    def run_steps(tx: Callable[[], contextlib.AbstractContextManager[Connection]]) -> None:
        run = Run(
            policy=policy,
            now=now,
            vault=vault,
            chunk=chunk,
            report=report,
            protection=kept_by_flags,
            progress=progress,
            tx=tx,
            store=store,
            jobs=workers,
        )
        steps = (
            step_max_age,
            step_intra_eu,
            step_journey_end,
            step_mask_age,
            step_raw,
            step_transmissions,
        )
        for step in steps:
            step(run)
        step_audit(run, dry_run)
        report.kept = _kept(run)
        report.expired_flags = [f.id for f in kept_by_flags.expired]
        if report.changed:
            with tx() as conn:
                record_event(
                    conn,
                    PrivacyEvent(
                        kind="retention.run",
                        actor=SYSTEM,
                        at=now,
                        details={"policy": policy.name, **report.counts()},
                    ),
                )

    if dry_run:
        with contextlib.suppress(Rollback), gc_paused(), store.write() as conn:
            run_steps(lambda: contextlib.nullcontext(conn))
            raise Rollback
    else:
        run_steps(lambda: job_transaction(store))
        if not store.checkpoint():
            report.checkpoint_pending = True
            _log.warning(
                "retention: a reader held the database while the write-ahead log was being "
                "emptied; earlier images of the erased rows stay in it until the next "
                "checkpoint (run `paxwatch retention run` again when readers are idle)"
            )
    return report


__all__ = [
    "AUDITED",
    "DEFAULT_CHUNK",
    "SUPERVISOR",
    "Flag",
    "FlagError",
    "KeptRecord",
    "RetentionReport",
    "default_jobs",
    "jobs_setting",
    "lift_flag",
    "list_flags",
    "run_retention",
    "set_flag",
]

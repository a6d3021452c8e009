"""The state of a retention run (``paxwatch.privacy.retention``): its policy, clock, report
and flags, the chunked transactions its steps work in, and the audit events of each chunk."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from paxwatch.gcpause import gc_paused
from paxwatch.privacy import audit
from paxwatch.privacy.depersonalise import Vault
from paxwatch.privacy.flags import Protection
from paxwatch.privacy.policies import RetentionPolicy
from paxwatch.privacy.retention_report import RetentionReport
from paxwatch.store.engine import Store

SYSTEM = "system:retention"
DEFAULT_CHUNK = 50_000
Progress = Callable[[str, int], None]
"""Called with (step name, rows handled in the chunk just committed)."""


@contextlib.contextmanager
def job_transaction(store: Store) -> Iterator[Connection]:
    """One transaction of the job (a chunk, or one of the small statements around the
    chunks), with the cyclic garbage collector paused (``gcpause.gc_paused``): the job makes
    no reference cycles (measured, 40,000 passengers: 14 cyclic objects on SQLite, 160 on
    PostgreSQL left after the whole 6-month step run with the collector off), and the full
    collections over every object of the process found nothing."""
    with gc_paused(), store.write() as conn:
        yield conn


JOBS_ENV = "PAXWATCH_RETENTION_JOBS"
DEFAULT_JOBS_POSTGRES = 2
MAX_JOBS = 8
"""At most this many connections at once: a PostgreSQL store's pool holds 10 per process
(``store.engine``), which the scheduled run shares with the API's requests."""


def check_jobs(jobs: int) -> int:
    """``jobs`` if it is a usable number of connections (1 to ``MAX_JOBS``)."""
    if not 1 <= jobs <= MAX_JOBS:
        raise ValueError(f"jobs must be 1 to {MAX_JOBS}, not {jobs}")
    return jobs


def jobs_setting() -> int | None:
    """``$PAXWATCH_RETENTION_JOBS`` (None: not set); ValueError if it is not 1 to
    ``MAX_JOBS``."""
    raw = os.environ.get(JOBS_ENV, "").strip()
    if not raw:
        return None
    try:
        return check_jobs(int(raw))
    except ValueError as exc:
        raise ValueError(f"{JOBS_ENV}={raw!r}: {MAX_JOBS} connections at most, 1 at least") from exc


def default_jobs(store: Store) -> int:
    """Connections a run's big steps use at once: ``$PAXWATCH_RETENTION_JOBS`` if set, else
    2 on PostgreSQL (the server's backends are most of the job's CPU); 1 on SQLite whatever
    the setting (one writer), which must still be valid."""
    setting = jobs_setting()
    if store.is_sqlite:
        return 1
    return DEFAULT_JOBS_POSTGRES if setting is None else setting


class Rollback(Exception):
    pass


@dataclass(slots=True)
class Run:
    policy: RetentionPolicy
    now: datetime
    vault: Vault | None
    chunk: int
    report: RetentionReport
    protection: Protection
    progress: Progress | None
    tx: Callable[[], contextlib.AbstractContextManager[Connection]]
    store: Store | None = None
    touched_raw: set[int] = field(default_factory=set)
    sealed: set[int] = field(default_factory=set)
    jobs: int = 1
    """Connections the big steps' chunks run on at once (``retention_fanout``)."""
    presealed: bool = False
    """A chunk of a fanned-out step: the flights of its rows were sealed before it."""

    def tick(self, step: str, count: int) -> None:
        if self.progress is not None:
            self.progress(step, count)

    def batches(
        self, step: str, query: Callable[[Connection, int], list[Any]]
    ) -> Iterator[tuple[Connection, list[Any]]]:
        """Chunks of rows (first column: an increasing id), each in its own transaction,
        which also writes the audit events of what the chunk deleted or masked."""
        last = 0
        while True:
            with self.tx() as conn:
                rows = query(conn, last)
                if not rows:
                    return
                last = int(rows[-1][0])
                before = self.report.counts()
                yield conn, rows
                self.audit(conn, step, before)

    def audit(self, conn: Connection, step: str, before: dict[str, int]) -> None:
        """One ``DeletionEvent`` per kind of record deleted, masked or erased since
        ``before`` (counts, never content), in the caller's transaction."""
        after = self.report.counts()
        for key, what in AUDITED.items():
            count = after[key] - before[key]
            if count:
                audit.record(
                    conn,
                    audit.DeletionEvent(
                        actor=SYSTEM,
                        what=what,
                        count=count,
                        reason=f"retention {self.policy.name}: {step}",
                    ),
                    at=self.now,
                )


AUDITED = {
    "versions_deleted": "booking_version",
    "bookings_deleted": "booking",
    "travellers_dropped": "traveller",
    "api_travellers_deleted": "api_traveller",
    "api_messages_deleted": "api_message",
    "intra_eu_links_deleted": "booking_flight",
    "raw_deleted": "raw_message",
    "raw_erased": "raw_message.body",
    "versions_masked": "booking_version.masked",
    "api_travellers_masked": "api_traveller.masked",
    "identifiers_deleted": "identifier",
    "transmissions_erased": "transmission.payload",
    "transmissions_deleted": "transmission",
}
"""Report counter → what the audit trail's ``DeletionEvent`` names."""

"""The retention job scheduled inside the server (``paxwatch serve``).

Every ``PAXWATCH_RETENTION_INTERVAL_HOURS`` hours (default 24; 0 turns it off) a daemon
thread runs ``run_retention(store, now, policy, vault=…)`` with the deployment's policy
(``PAXWATCH_RETENTION_PROFILE``) and vault key (``PAXWATCH_VAULT_KEY``). Without a vault key
the scheduled run is skipped and logged, never run in a way that would lose the full data an
approved unmasking may need: ``paxwatch retention run --no-vault`` is an operator's explicit
decision, not the scheduler's. The job is idempotent, so a run after a restart or a missed
interval does what is due and nothing twice.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime

from paxwatch.privacy.depersonalise import Vault, VaultError
from paxwatch.privacy.policies import PolicyError, load_policy
from paxwatch.privacy.retention import RetentionReport, default_jobs, run_retention
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow

INTERVAL_ENV = "PAXWATCH_RETENTION_INTERVAL_HOURS"
_log = logging.getLogger(__name__)


def interval_hours() -> float:
    """The configured interval in hours (0: no scheduled runs)."""
    raw = os.environ.get(INTERVAL_ENV, "24").strip()
    try:
        value = float(raw)
    except ValueError:
        _log.warning(
            "%s=%r is not a number of hours; scheduled retention is off", INTERVAL_ENV, raw
        )
        return 0.0
    return max(value, 0.0)


def run_due(store: Store, now: datetime | None = None) -> RetentionReport | None:
    """One scheduled run: what the policy says is due as of ``now``; None when skipped."""
    try:
        policy = load_policy()
        vault = Vault.from_env()
        jobs = default_jobs(store)
    except (PolicyError, VaultError, ValueError) as exc:
        _log.error("scheduled retention skipped: %s", exc)
        return None
    if vault is None:
        _log.warning("scheduled retention skipped: no vault key (PAXWATCH_VAULT_KEY)")
        return None
    report = run_retention(store, now or utcnow(), policy, vault=vault, jobs=jobs)
    _log.info("scheduled retention done (policy %s)", policy.name)
    return report


class RetentionSchedule:
    """A daemon thread calling ``job`` every ``hours`` hours until ``stop()``."""

    def __init__(
        self, store: Store, hours: float, job: Callable[[Store], object] = run_due
    ) -> None:
        self.store = store
        self.hours = hours
        self.job = job
        self.runs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="retention", daemon=True)

    def start(self) -> RetentionSchedule:
        if self.hours > 0:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.job(self.store)
            except Exception:
                _log.exception("scheduled retention failed; the next interval retries")
            self.runs += 1
            self._stop.wait(self.hours * 3600)

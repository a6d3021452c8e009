"""The retention job scheduled inside the server."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from paxwatch.privacy import schedule
from paxwatch.privacy.depersonalise import Vault
from paxwatch.store.engine import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(f"sqlite:///{tmp_path / 's.db'}", upgrade=True)


def test_interval_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(schedule.INTERVAL_ENV, raising=False)
    assert schedule.interval_hours() == 24.0
    monkeypatch.setenv(schedule.INTERVAL_ENV, "0")
    assert schedule.interval_hours() == 0.0
    monkeypatch.setenv(schedule.INTERVAL_ENV, "soon")
    assert schedule.interval_hours() == 0.0


def test_a_run_without_a_vault_key_is_skipped(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAXWATCH_VAULT_KEY", raising=False)
    monkeypatch.delenv("PAXWATCH_VAULT_KEY_FILE", raising=False)
    assert schedule.run_due(store) is None


def test_a_run_with_a_key_applies_the_policy(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAXWATCH_VAULT_KEY", Vault.generate_key().decode())
    report = schedule.run_due(store)
    assert report is not None and not report.dry_run


def test_the_thread_runs_the_job_and_stops(store: Store) -> None:
    ran = threading.Event()

    def job(_store: Store) -> None:
        ran.set()
        raise RuntimeError("a failing run is logged, the schedule goes on")

    sched = schedule.RetentionSchedule(store, hours=1.0, job=job).start()
    assert ran.wait(5)
    sched.stop()
    assert sched.runs == 1
    off = schedule.RetentionSchedule(store, hours=0.0, job=job).start()
    off.stop()
    assert off.runs == 0


def test_a_run_with_a_bad_jobs_setting_is_skipped(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAXWATCH_VAULT_KEY", Vault.generate_key().decode())
    monkeypatch.setenv("PAXWATCH_RETENTION_JOBS", "many")
    assert schedule.run_due(store) is None
    monkeypatch.setenv("PAXWATCH_RETENTION_JOBS", "2")  # SQLite: one writer, runs serially
    assert schedule.run_due(store) is not None

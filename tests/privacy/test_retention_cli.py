"""``paxwatch retention``, ``paxwatch stats`` and ``paxwatch dpo`` through Typer's CliRunner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import paxwatch.cli.dpo
import paxwatch.cli.retention
import paxwatch.cli.stats  # registers the commands
from paxwatch.cli import app
from paxwatch.model import PushAction
from paxwatch.privacy.depersonalise import Vault
from paxwatch.privacy.retention import RetentionReport
from paxwatch.store.engine import open_store
from tests.privacy.test_retention import T0
from tests.privacy.test_retention_support import flight, push
from tests.store.factory import booking, pnr, traveller

runner = CliRunner()
assert paxwatch.cli.dpo and paxwatch.cli.retention and paxwatch.cli.stats


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PAXWATCH_VAULT_KEY", Vault.generate_key().decode())
    database = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(database, upgrade=True)
    push(store, pnr(booking("AAA111", traveller("SMITH")), action=PushAction.FULL, fl=flight()), T0)
    store.close()
    return database


def test_retention_run_dry_then_real_then_nothing(url: str) -> None:
    args = ["retention", "run", "--now", "2027-07-01T00:00", "--database-url", url]
    dry = runner.invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output and "bookings deleted" in dry.output
    real = runner.invoke(app, args)
    assert real.exit_code == 0 and "bookings deleted" in real.output
    again = runner.invoke(app, args)
    assert "nothing to do" in again.output


def test_retention_refuses_without_a_vault_key(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAXWATCH_VAULT_KEY")
    result = runner.invoke(app, ["retention", "run", "--database-url", url])
    assert result.exit_code == 2 and "PAXWATCH_VAULT_KEY" in result.output
    # A dry run masks nothing: it needs no key, and it still changes nothing.
    args = ["retention", "run", "--now", "2027-07-01T00:00", "--database-url", url]
    dry = runner.invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0 and "bookings deleted" in dry.output
    again = runner.invoke(app, [*args, "--dry-run"])

    def deleted(output: str) -> list[str]:
        return [line for line in output.splitlines() if "bookings deleted" in line]

    assert deleted(again.output) == deleted(dry.output)


def test_stats_csv_and_selection_register(url: str) -> None:
    art20 = runner.invoke(app, ["stats", "art20", "--year", "2026", "--csv", "--database-url", url])
    assert art20.exit_code == 0, art20.output
    assert art20.output.splitlines()[0].startswith("period,flights")
    assert art20.output.splitlines()[12].startswith("2026-12,1,1,1")
    comp = runner.invoke(
        app, ["stats", "compliance", "--month", "2026-12", "--csv", "--database-url", url]
    )
    assert comp.exit_code == 0 and comp.output.splitlines()[1].startswith("DL,1")
    added = runner.invoke(
        app,
        [
            "dpo",
            "select",
            "add",
            "--scope",
            "route",
            "--origin",
            "CDG",
            "--destination",
            "NCE",
            "--valid-from",
            "2026-11-01",
            "--valid-until",
            "2027-01-31",
            "--review-on",
            "2027-01-15",
            "--decision",
            "TA-2026-11",
            "--legal-basis",
            "Reg 2025/13 Art 13",
            "--user",
            "head",
            "--database-url",
            url,
        ],
    )
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["dpo", "select", "list", "--database-url", url])
    assert "CDG NCE" in listed.output
    refused = runner.invoke(
        app,
        [
            "dpo",
            "unmask",
            "request",
            "--user",
            "judge",
            "--role",
            "independent_approver",
            "--reason",
            "r",
            "--legal-basis",
            "l",
            "--offence",
            "o",
            "--booking",
            "1",
            "--database-url",
            url,
        ],
    )
    assert refused.exit_code == 1 and "analyst or a supervisor" in refused.output


def test_retention_run_jobs(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--jobs N`` reaches the job (which runs serially on SQLite); 0 and 9 are refused."""
    args = ["retention", "run", "--now", "2027-07-01T00:00", "--database-url", url]
    for bad in ("0", "9"):
        assert runner.invoke(app, [*args, "--jobs", bad]).exit_code == 2
    monkeypatch.setenv("PAXWATCH_RETENTION_JOBS", "lots")
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2 and "PAXWATCH_RETENTION_JOBS" in refused.output
    monkeypatch.delenv("PAXWATCH_RETENTION_JOBS")
    seen: list[int | None] = []
    real = paxwatch.cli.retention.run_retention

    def spy(*a: Any, **kw: Any) -> RetentionReport:
        seen.append(kw.get("jobs"))
        return real(*a, **kw)

    monkeypatch.setattr(paxwatch.cli.retention, "run_retention", spy)
    result = runner.invoke(app, [*args, "--jobs", "2"])
    assert result.exit_code == 0 and "bookings deleted" in result.output, result.output
    assert seen == [2]

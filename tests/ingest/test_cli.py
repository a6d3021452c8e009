"""The store and ingest commands through Typer's CliRunner (SQLite)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import paxwatch.cli.ingest
import paxwatch.cli.store  # noqa: F401  (registers the commands)
from paxwatch.cli import app
from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.store.migrate import head_revision
from tests.store.factory import booking, pnr, traveller

runner = CliRunner()


def test_ingest_lookups_and_quarantine(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = ["--database-url", url]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.edi").write_text(write_pnrgov(pnr(booking("CLI001", traveller("SMITH")))))
    (folder / "b.edi").write_text(
        write_pnrgov(pnr(booking("CLI001", traveller("SMITH"), phone="+3312"), reference="B"))
    )
    (folder / "junk.txt").write_text("not a message")
    (folder / "README.md").write_text("skipped")

    result = runner.invoke(app, ["db", "upgrade", *db])
    assert result.exit_code == 0 and head_revision() in result.output
    result = runner.invoke(app, ["ingest", str(folder), *db])
    assert result.exit_code == 0, result.output
    assert "3 file(s)" in result.output and "1 quarantined" in result.output
    again = runner.invoke(app, ["ingest", str(folder), *db])
    assert "3 already stored" in again.output

    flights = runner.invoke(app, ["flights", "--date", "2026-12-12", *db])
    assert "DL324" in flights.output and "1 flight(s)" in flights.output
    manifest = runner.invoke(app, ["flights", "--date", "2026-12-12", "--flight", "DL324", *db])
    assert "SMITH/JOHN" in manifest.output and "unmatched: 1 booked, 0 API" in manifest.output
    history = runner.invoke(app, ["booking", "cli001", *db])
    assert "2 version(s)" in history.output and "contacts[0].value" in history.output
    assert runner.invoke(app, ["booking", "NOPE00", *db]).exit_code == 1

    listed = runner.invoke(app, ["quarantine", "list", *db])
    assert listed.exit_code == 0 and "1 entry" in listed.output
    shown = runner.invoke(app, ["quarantine", "show", "1", "--raw", *db])
    assert "unknown-format" in shown.output and "not a message" in shown.output
    retried = runner.invoke(app, ["quarantine", "retry", *db])
    assert "1 retried: 0 stored, 1 still quarantined" in retried.output
    assert runner.invoke(app, ["quarantine", "show", "99", *db]).exit_code == 1

"""The watchlist, screen and rules commands through Typer's CliRunner (SQLite)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

import paxwatch.cli.rules
import paxwatch.cli.screen
import paxwatch.cli.store
import paxwatch.cli.watchlist  # noqa: F401  (registers the commands)
from paxwatch.cli import app
from paxwatch.screening.watchlists.national import write_jsonl
from paxwatch.store.engine import open_store
from tests.assess.helpers import entry, push
from tests.store.factory import booking, pnr, traveller

runner = CliRunner()


def test_watchlist_screen_and_rules_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db = ["--database-url", url]
    assert runner.invoke(app, ["db", "upgrade", *db]).exit_code == 0
    store = open_store(url)
    push(store, pnr(booking("ABC123", traveller("DOE", "JOHN"), traveller("SMITH", ref="2"))))
    store.close()
    listed = tmp_path / "list.jsonl"
    listed.write_text(write_jsonl([entry("E1", "DOE", "JOHN", date(1964, 7, 12))]))

    imported = runner.invoke(
        app, ["watchlist", "import", str(listed), "--source", "NAT", "--format",
              "national-jsonl", "--type", "persons_sought", "--owner", "DGSI", *db],
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output
    assert "1 added" in imported.output and "not active" in imported.output
    refused = runner.invoke(app, ["watchlist", "activate", "NAT", *db])
    assert refused.exit_code == 1 and "legal basis" in refused.output
    runner.invoke(
        app, ["watchlist", "import", str(listed), "--source", "NAT", "--format",
              "national-jsonl", "--legal-basis", "Law 2016", "--offence", "terrorism", *db],
    )  # fmt: skip
    active = runner.invoke(app, ["watchlist", "activate", "NAT", "--by", "dpo", *db])
    assert active.exit_code == 0, active.output
    assert "1 hit(s)" in active.output
    shown = runner.invoke(app, ["watchlist", "show", "NAT", *db])
    assert "DGSI" in shown.output and "Law 2016" in shown.output
    assert "NAT" in runner.invoke(app, ["watchlist", "list", *db]).output

    off = runner.invoke(app, ["watchlist", "deactivate", "NAT", "--by", "sup", *db])
    assert off.exit_code == 0 and "inactive" in off.output, off.output
    assert "active: no" in runner.invoke(app, ["watchlist", "show", "NAT", *db]).output
    assert runner.invoke(app, ["watchlist", "deactivate", "NOPE", *db]).exit_code == 1
    assert runner.invoke(app, ["watchlist", "activate", "NAT", "--no-rescreen", *db]).exit_code == 0

    pending = runner.invoke(app, ["screen", "--pending", *db])
    assert pending.exit_code == 0, pending.output
    assert "assessed 2 traveller(s)" in pending.output
    again = runner.invoke(app, ["screen", "--date", "2026-12-12", "--window-days", "100000", *db])
    assert "assessed 2 traveller(s)" in again.output and "already stored" in again.output

    review = (date.today() + timedelta(days=30)).isoformat()
    rules = tmp_path / "rules.txt"
    rules.write_text(
        f'rule R-1 "Card on LHR"\n  offence: fraud\n  author: ann\n  review: {review}\n'
        "  score: 10\nwhen\n  booking.payment in [card] and flight.origin in [LHR]\nend\n"
    )
    assert runner.invoke(app, ["rules", "check", str(rules)]).exit_code == 0
    assert runner.invoke(app, ["rules", "import", str(rules), *db]).exit_code == 0
    four_eyes = runner.invoke(app, ["rules", "activate", "R-1", "--by", "ann", *db])
    assert four_eyes.exit_code == 1 and "A001" in four_eyes.output
    ok = runner.invoke(app, ["rules", "activate", "R-1", "--by", "bob", *db])
    assert ok.exit_code == 0, ok.output
    assert "approved_by: bob" in runner.invoke(app, ["rules", "export", *db]).output
    backtest = runner.invoke(
        app, ["rules", "backtest", "R-1", "--from", "2026-12-12", "--window-days", "100000", *db]
    )
    assert backtest.exit_code == 0, backtest.output
    assert "2 hits over 2 travellers" in backtest.output

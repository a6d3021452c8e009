"""``paxwatch demo --no-serve`` at a tiny scale, and ``paxwatch serve``'s registration."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import paxwatch.cli.demo
import paxwatch.cli.serve  # noqa: F401  (registers the commands)
from paxwatch.cli import app
from paxwatch.store import repository as repo
from paxwatch.store.engine import open_store

runner = CliRunner()


def test_demo_without_serving(tmp_path: Path) -> None:
    out = tmp_path / "data"
    out.mkdir()
    (out / "paxwatch.db").write_bytes(b"an old demo database")  # removed, not reused
    args = ["demo", "--no-serve", "--scale", "0.002", "--out", str(out)]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for figure in ("flights", "booking versions", "API travellers matched", "quarantined"):
        assert figure in result.output
    assert list((out / "demo").glob("*/messages/*"))
    store = open_store(f"sqlite:///{out / 'paxwatch.db'}")
    try:
        with store.read() as conn:
            flights = repo.list_flights(conn)
    finally:
        store.close()
    assert flights and sum(f.booked_travellers for f in flights) > 0
    again = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert again.exit_code == 0, again.output
    assert _rows(again.output) == _rows(result.output)  # fresh store, same figures


def _rows(output: str) -> list[str]:
    return [line for line in output.splitlines() if "│" in line]


def test_serve_is_a_command() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--port" in result.output

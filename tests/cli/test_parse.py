"""``paxwatch parse``: human output, JSON output and exit status."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from paxwatch.cli import _register, app

_register()
runner = CliRunner()


def test_json_output_of_a_clean_message(shared_data: Path) -> None:
    path = shared_data / "samples/gtas/pnrgov/pnrMessageExample.txt"
    result = runner.invoke(app, ["parse", "--json", str(path)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["file"] == str(path)
    (message,) = doc["messages"]
    assert message["kind"] == "pnrgov"
    assert message["flight"]["carrier"] == "UA"
    assert message["flight"]["number"] == "988"
    assert message["flight"]["departure"] == "2018-09-28T12:20"
    booking = message["bookings"][0]
    assert booking["locator"] == "7C789A"
    assert [t["surname"] for t in booking["travellers"]][:2] == ["LOBB", "PHILIPPS"]
    assert booking["travellers"][0]["title"] == "MRS"


def test_one_json_document_per_file_and_exit_1_on_errors(shared_data: Path) -> None:
    good = shared_data / "samples/gtas/paxlst/flight1.txt"
    bad = shared_data / "samples/gtas/pnrgov/pnrMessagePg75.txt"
    result = runner.invoke(app, ["parse", "--json", str(good), str(bad)])
    docs = [json.loads(line) for line in result.output.splitlines()]
    assert [d["file"] for d in docs] == [str(good), str(bad)]
    assert docs[0]["messages"][0]["kind"] == "paxlst"
    has_error = any(f["severity"] == "error" for d in docs for f in d["findings"])
    assert result.exit_code == (1 if has_error else 0)


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(tmp_path / "missing.edi")])
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_error_findings_exit_1_and_are_shown(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(b"this is not an airline message")
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 1
    assert "not a PNRGOV" in result.output


def test_human_summary(shared_data: Path) -> None:
    path = shared_data / "samples/gtas/pnrgov/bigMessagePnr.txt"
    result = runner.invoke(app, ["parse", str(path)])
    assert "PNRGOV 13.1" in result.output
    assert "7 traveller(s)" in result.output

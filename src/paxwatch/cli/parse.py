"""``paxwatch parse FILE…``: read messages and show what was read, and what was not.

Exit status: 0 when everything was read, 1 when findings of severity error exist, 2 when a
file is unreadable (missing, a directory, no permission).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from paxwatch.cli import app
from paxwatch.formats.reader import read_message
from paxwatch.model import ApiMessage, Finding, ParseResult, PnrMessage, Severity
from paxwatch.model.jsonable import JsonValue, to_jsonable


@dataclass(frozen=True, slots=True)
class FileReport:
    file: str
    result: ParseResult | None
    error: str | None = None


def read_files(paths: list[Path]) -> list[FileReport]:
    reports: list[FileReport] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            reports.append(FileReport(str(path), None, f"cannot read {path}: {exc.strerror}"))
            continue
        reports.append(FileReport(str(path), read_message(data)))
    return reports


def report_json(report: FileReport) -> dict[str, JsonValue]:
    if report.result is None:
        return {
            "file": report.file,
            "messages": [],
            "findings": [{"severity": "error", "code": "unreadable", "message": report.error}],
        }
    return {
        "file": report.file,
        "messages": to_jsonable(report.result.messages),
        "findings": to_jsonable(report.result.findings),
    }


def _finding_line(f: Finding) -> str:
    where = []
    if f.segment is not None:
        where.append(f"segment {f.segment}")
    if f.line is not None:
        where.append(f"line {f.line}")
    place = f" ({', '.join(where)})" if where else ""
    text = f"\n      {escape(f.segment_text[:100])}" if f.segment_text else ""
    colour = {"error": "red", "warning": "yellow", "info": "dim"}[f.severity.value]
    return f"  [{colour}]{f.severity.value}[/]{place}: {escape(f.message)}{text}"


def _summary_pnr(m: PnrMessage) -> str:
    f = m.flight
    flight = (
        f"{f.carrier}{f.number} {f.origin}→{f.destination} {f.departure or ''}".rstrip()
        if f
        else "no flight"
    )
    travellers = sum(len(b.travellers) for b in m.bookings)
    part = f", part {m.part.number}{' (final)' if m.part.final else ''}" if m.part else ""
    action = f", {m.action.value} push" if m.action else ""
    return (
        f"  PNRGOV {m.version or '?'} ({m.syntax}) from {m.sender or '?'}: {flight}{action}"
        f"{part}; {len(m.bookings)} booking(s), {travellers} traveller(s)"
    )


def _summary_api(m: ApiMessage) -> str:
    flights = (
        ", ".join(f"{f.carrier}{f.number} {f.origin}→{f.destination}" for f in m.flights)
        or "no flight"
    )
    crew = sum(1 for t in m.travellers if "crew" in t.role.value)
    return (
        f"  PAXLST {m.version or '?'} ({m.variant}) from {m.sender or '?'}: {flights}; "
        f"{len(m.travellers) - crew} passenger(s), {crew} crew"
    )


def print_human(console: Console, report: FileReport) -> None:
    console.print(f"[bold]{escape(report.file)}[/]")
    if report.result is None:
        console.print(f"  [red]error[/]: {escape(report.error or '')}")
        return
    for m in report.result.messages:
        console.print(_summary_pnr(m) if isinstance(m, PnrMessage) else _summary_api(m))
    if not report.result.messages:
        console.print("  no message could be read")
    for f in report.result.findings:
        if f.severity is not Severity.INFO:
            console.print(_finding_line(f))


def exit_status(reports: list[FileReport]) -> int:
    if any(r.result is None for r in reports):
        return 2
    if any(r.result is not None and r.result.has_errors for r in reports):
        return 1
    return 0


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="PNRGOV (EDIFACT/XML) or PAXLST files.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON document per file, one per line.")
    ] = False,
) -> None:
    """Read carrier messages and show what was read and what could not be.

    Exit status 0 when everything was read, 1 when errors were found, 2 when a file is
    unreadable.
    """
    reports = read_files(files)
    if as_json:
        for report in reports:
            typer.echo(json.dumps(report_json(report), ensure_ascii=False))
    else:
        console = Console(highlight=False)
        for report in reports:
            print_human(console, report)
    raise typer.Exit(exit_status(reports))

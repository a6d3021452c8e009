"""``paxwatch stats``: Article 20 figures and carriers' push compliance (no personal data).

``paxwatch stats art20 --year 2026 [--csv]`` and ``paxwatch stats compliance --month
2026-03 [--csv]``; ``--csv`` prints CSV on standard output (for files and spreadsheets).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from paxwatch.cli import app
from paxwatch.cli.store import DatabaseUrl
from paxwatch.stats import art20, art20_csv, compliance, compliance_csv
from paxwatch.store.engine import open_store
from paxwatch.store.keys import utcnow

console = Console()
stats_app = typer.Typer(help="Article 20 statistics and push compliance.", no_args_is_help=True)
app.add_typer(stats_app, name="stats")

Csv = Annotated[bool, typer.Option("--csv", help="CSV on standard output.")]


@stats_app.command("art20")
def art20_command(
    year: Annotated[int, typer.Option(help="The year (flights departing in it).")],
    csv: Csv = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Passengers whose PNR was collected and exchanged, identified for further examination."""
    store = open_store(database_url)
    try:
        with store.write() as conn:
            report = art20(conn, year, now=utcnow())
    finally:
        store.close()
    if csv:
        typer.echo(art20_csv(report), nl=False)
        return
    table = Table("period", "flights", "bookings", "PNR pax", "API pax", "exchanged", "identified")
    for row in (*report.months, report.total):
        table.add_row(
            row.period,
            *(
                f"{v:,}"
                for v in (
                    row.flights,
                    row.bookings,
                    row.pnr_passengers,
                    row.api_passengers,
                    row.exchanged,
                    row.identified,
                )
            ),
        )
    console.print(table)


@stats_app.command("compliance")
def compliance_command(
    month: Annotated[str, typer.Option(help="The month (YYYY-MM).")],
    csv: Csv = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Per carrier: T-48…T-24 and T0 pushes on time, late, early or missing."""
    store = open_store(database_url)
    try:
        with store.write() as conn:
            report = compliance(conn, month, now=utcnow())
    finally:
        store.close()
    if csv:
        typer.echo(compliance_csv(report), nl=False)
        return
    table = Table(
        "carrier",
        "flights",
        "T-48 on time",
        "late",
        "early",
        "missing",
        "T0 on time",
        "late",
        "missing",
        "on-time rate",
        title=f"push compliance {report.month}",
    )
    for r in report.carriers:
        table.add_row(
            r.carrier,
            str(r.flights),
            str(r.early_on_time),
            str(r.early_late),
            str(r.early_early),
            str(r.early_missing),
            str(r.final_on_time),
            str(r.final_late),
            str(r.final_missing),
            f"{r.on_time_rate:.1%}",
        )
    console.print(table)

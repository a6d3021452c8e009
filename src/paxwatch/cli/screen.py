"""``paxwatch screen``: screen and evaluate stored travellers (pending, a flight, a day, all).

``--pending`` assesses travellers no assessment ran on (the ingest hook missed them);
``--flight``, ``--date`` and ``--all`` re-assess everyone in scope against the active lists
and rules, in chunks, resumably (an interrupted run continues where it stopped). Only
flights inside the legal window (``--window-days``, default 183) are read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from paxwatch.cli import app
from paxwatch.cli.store import DatabaseUrl

console = Console()


def progress_bar(out: Console) -> Progress:
    """The progress bar of long assessment runs."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=out,
    )


@app.command()
def screen(
    pending: Annotated[bool, typer.Option(help="Travellers no assessment ran on.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Everyone in the legal window.")] = False,
    flight: Annotated[int | None, typer.Option(help="One stored flight (id).")] = None,
    date_: Annotated[
        str | None, typer.Option("--date", help="Flights departing that day (YYYY-MM-DD).")
    ] = None,
    window_days: Annotated[int, typer.Option(help="Legal window, days back.")] = 183,
    chunk: Annotated[int, typer.Option(help="Travellers per transaction.")] = 2000,
    restart: Annotated[bool, typer.Option(help="Do not resume an interrupted run.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Screen stored travellers against the active lists and evaluate the active rules."""
    from paxwatch.assess.jobs import run_scope, sweep_pending
    from paxwatch.assess.run import current_assessors
    from paxwatch.assess.screen import AssessConfig
    from paxwatch.store.engine import open_store

    if sum([pending, all_, flight is not None, date_ is not None]) != 1:
        console.print("[red]give exactly one of --pending, --all, --flight, --date[/]")
        raise typer.Exit(2)
    config = AssessConfig(window_days=window_days, chunk=chunk)
    day = datetime.strptime(date_, "%Y-%m-%d").date() if date_ else None
    scope = config.scope(flight_id=flight, day=day)
    store = open_store(database_url)
    try:
        with progress_bar(console) as bar:
            task = bar.add_task("pending" if pending else scope.describe(), total=None)

            def update(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            if pending:
                counts = sweep_pending(store, scope, chunk=chunk, progress=update)
            else:
                counts = run_scope(
                    store,
                    scope,
                    current_assessors(store),
                    chunk=chunk,
                    resume=not restart,
                    progress=update,
                )
    finally:
        store.close()
    resumed = f" (resumed after traveller {counts.resumed_from})" if counts.resumed_from else ""
    console.print(
        f"assessed {counts.travellers:,} traveller(s) in {counts.seconds:.1f}s{resumed}: "
        f"{counts.watchlist_hits} watch-list hit(s), {counts.rule_hits} rule hit(s), "
        f"{counts.suppressed} suppressed (dismissed before), {counts.repeated} already stored"
    )

"""``paxwatch synth``: generate a realistic day of PIU traffic with its ground truth."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from paxwatch.cli import app


@app.command()
def synth(
    day: Annotated[str, typer.Option(help="Day to generate (YYYY-MM-DD).")] = "2026-03-01",
    scale: Annotated[float, typer.Option(help="1.0 = France scale (~4,000 flights).")] = 0.01,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same bytes.")] = 7,
    out: Annotated[Path, typer.Option(help="Output directory (a folder per day).")] = Path(
        "synth-out"
    ),
    watchlist: Annotated[
        Path | None, typer.Option(help="Plant persons from this watchlist.jsonl instead.")
    ] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (output is the same).")] = 1,
    xml_share: Annotated[float, typer.Option(help="Share of flights sent as XML.")] = 0.1,
    deviation_share: Annotated[float, typer.Option(help="Share of messages deviating.")] = 0.07,
    broken_share: Annotated[float, typer.Option(help="Share of truly broken messages.")] = 0.004,
) -> None:
    """Generate PNRGOV (EDIFACT, XML) and PAXLST messages for a day, with truth.jsonl."""
    from paxwatch.synth.config import SynthConfig
    from paxwatch.synth.day import generate_day

    console = Console(stderr=True)
    config = SynthConfig(
        day=datetime.strptime(day, "%Y-%m-%d").date() if day else date.today(),
        seed=seed,
        scale=scale,
        workers=workers,
        xml_share=xml_share,
        deviation_share=deviation_share,
        broken_share=broken_share,
    )
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[pax]:,} pax"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        task = progress.add_task(f"synth {config.day}", total=config.flights, pax=0)

        def update(done: int, total: int, stats: Counter[str]) -> None:
            progress.update(task, completed=done, total=total, pax=stats["passengers"])

        stats = generate_day(config, out, watchlist=watchlist, progress=update)
    _summary(Console(), config.day.isoformat(), out, stats)


def _summary(console: Console, day: str, out: Path, stats: Counter[str]) -> None:
    table = Table(title=f"synthetic day {day} → {out / day}")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key in (
        "flights",
        "passengers",
        "bookings",
        "bookings.cancelled",
        "messages",
        "messages.edifact",
        "messages.xml",
        "messages.API",
        "deviated",
        "broken",
        "role.plant",
        "role.decoy",
        "role.network",
        "role.regular",
    ):
        table.add_row(key, f"{stats[key]:,}")
    console.print(table)

"""The ``paxwatch`` command line: one thin command per task, each calling one library function."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="paxwatch",
    help="paxwatch: a Passenger Information Unit platform (PNR and API screening).",
    no_args_is_help=True,
    add_completion=False,
)


def _register() -> None:
    # Each command module adds its commands to ``app`` when imported.
    from paxwatch.cli import (  # noqa: F401
        audit,
        demo,
        dpo,
        ingest,
        parse,
        retention,
        review,
        rules,
        screen,
        serve,
        stats,
        store,
        synth,
        users,
        watchlist,
    )


def main() -> None:
    _register()
    app()

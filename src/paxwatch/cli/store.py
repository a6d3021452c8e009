"""Store commands: ``paxwatch db upgrade``, ``paxwatch flights``, ``paxwatch booking``.

Every command reads the database URL from ``--database-url`` or ``PAXWATCH_DATABASE_URL``
(default ``sqlite:///paxwatch-data/paxwatch.db``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from paxwatch.cli import app
from paxwatch.store import repository as repo
from paxwatch.store.engine import open_store
from paxwatch.store.migrate import upgrade
from paxwatch.store.records import BookingHistory, Manifest

console = Console()
db_app = typer.Typer(help="The database: create and upgrade its schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")

DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="Database URL (default: $PAXWATCH_DATABASE_URL)."),
]


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseUrl = None) -> None:
    """Create the schema, or bring it to the latest migration."""
    store = open_store(database_url)
    try:
        revision = upgrade(store)
    finally:
        store.close()
    console.print(f"database at revision [bold]{revision}[/] ({store.dialect})")


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _manifest(manifest: Manifest) -> None:
    f = manifest.flight
    console.print(
        f"[bold]{escape(f.key)}[/] {f.origin or '?'}→{f.destination or '?'} "
        f"dep {_when(f.departure)}: {len(manifest.booked)} booked, {len(manifest.api)} API, "
        f"{f.matched} linked"
    )
    booked = Table("locator", "v", "name", "born", "seat", "API link", title="Booked (PNR)")
    for t in manifest.booked:
        link = f"#{t.api_traveller_id} ({t.match_rule})" if t.api_traveller_id else "[red]none[/]"
        booked.add_row(
            t.locator,
            str(t.version_no),
            escape(f"{t.surname}/{t.given_names or ''}"),
            str(t.date_of_birth or "-"),
            t.seat or "-",
            link,
        )
    console.print(booked)
    api = Table("#", "name", "born", "AVF", "documents", "PNR link", title="Reported (API)")
    for a in manifest.api:
        link = f"traveller {a.traveller_id} ({a.match_rule})" if a.traveller_id else "[red]none[/]"
        api.add_row(
            str(a.api_traveller_id),
            escape(f"{a.surname}/{a.given_names or ''}"),
            str(a.date_of_birth or "-"),
            a.booking_locator or "-",
            " ".join(a.document_numbers) or "-",
            link,
        )
    console.print(api)
    console.print(
        f"unmatched: {len(manifest.unmatched_booked)} booked, {len(manifest.unmatched_api)} API"
    )
    if manifest.cancelled_bookings:
        console.print(f"cancelled on this flight: {', '.join(manifest.cancelled_bookings)}")


@app.command("flights")
def flights(
    on: Annotated[
        datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="Local departure date (YYYY-MM-DD)."),
    ] = None,
    flight: Annotated[
        str | None,
        typer.Option("--flight", help="Show who is on this flight (e.g. DL324) on --date."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """List flights of a date, or show one flight's manifest (booked vs API)."""
    day: date | None = on.date() if on else None
    store = open_store(database_url)
    try:
        with store.read() as conn:
            if flight:
                carrier, number = flight[:2].upper(), flight[2:].strip()
                found = repo.find_flight(conn, carrier, number, day)
                manifest = repo.flight_manifest(conn, found.id) if found else None
                if manifest is None:
                    console.print(f"[red]no flight {escape(flight)} on {day or '?'}[/]")
                    raise typer.Exit(1)
                _manifest(manifest)
                return
            rows = repo.list_flights(conn, day)
    finally:
        store.close()
    table = Table("flight", "route", "departure", "bookings", "booked", "API", "linked")
    for f in rows:
        table.add_row(
            f"{f.carrier}{f.number}",
            f"{f.origin or '?'}-{f.destination or '?'}",
            _when(f.departure),
            str(f.bookings),
            str(f.booked_travellers),
            str(f.api_travellers),
            str(f.matched),
        )
    console.print(table)
    console.print(f"{len(rows)} flight(s)")


def _history(history: BookingHistory, show_content: bool) -> None:
    console.print(
        f"[bold]{escape(history.key)}[/]: {len(history.versions)} version(s); flights: "
        + ", ".join(f"{f.flight_key} ({f.status})" for f in history.flights)
    )
    for v in history.versions:
        console.print(
            f"  v{v.version_no} received {_when(v.received_at)} push {v.push_action or '?'} "
            f"flight {v.flight_key or '-'} message #{v.raw_message_id}"
        )
        for c in v.changes:
            console.print(
                f"    {c.kind:7} {escape(c.path)}: {escape(c.before or '∅')} → "
                f"{escape(c.after or '∅')}"
            )
        if show_content:
            console.print_json(v.content_json)


@app.command("booking")
def booking(
    locator: Annotated[str, typer.Argument(help="Record locator.")],
    carrier: Annotated[str | None, typer.Option(help="Reporting carrier, when ambiguous.")] = None,
    content: Annotated[bool, typer.Option("--content", help="Print each version.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Show a booking with its version history and what changed between versions."""
    store = open_store(database_url)
    try:
        with store.read() as conn:
            histories = repo.booking_history(conn, locator, carrier)
    finally:
        store.close()
    if not histories:
        console.print(f"[red]no booking {escape(locator)}[/]")
        raise typer.Exit(1)
    for history in histories:
        _history(history, content)

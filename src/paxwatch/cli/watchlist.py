"""``paxwatch watchlist``: register, import, list, show, activate and deactivate watch-list
sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from paxwatch.cli import app
from paxwatch.cli.screen import progress_bar
from paxwatch.cli.store import DatabaseUrl
from paxwatch.store.engine import open_store

console = Console()
watchlist_app = typer.Typer(help="Watch-list sources: import, list, show, activate, deactivate.")
app.add_typer(watchlist_app, name="watchlist")


@watchlist_app.command("import")
def watchlist_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The list file.")],
    source: Annotated[str, typer.Option("--source", help="Source id (e.g. UN, OFAC, NAT).")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="un | ofac-csv | ofac-xml | eu | national-csv | national-documents | "
            "national-jsonl",
        ),
    ],
    name: Annotated[str | None, typer.Option(help="Name of the list.")] = None,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type",
            help="persons_sought | persons_under_alert | objects_sought | objects_under_alert",
        ),
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Who owns and maintains the list.")] = None,
    legal_basis: Annotated[str | None, typer.Option(help="Legal basis of its use.")] = None,
    offence: Annotated[
        str | None, typer.Option(help="Offence category (terrorism or an Annex II category).")
    ] = None,
    rescreen: Annotated[
        bool, typer.Option(help="Re-screen stored travellers if the list is active.")
    ] = True,
    by: Annotated[str | None, typer.Option(help="Who imports (recorded).")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Import FILE as a new version of the source; print what was added, changed, removed."""
    from paxwatch.assess.list_updates import import_list
    from paxwatch.assess.watchlists import ListFormat, SourceError, SourceMeta

    try:
        list_format = ListFormat(fmt)
    except ValueError:
        console.print(f"[red]unknown format {escape(fmt)}[/]")
        raise typer.Exit(2) from None
    meta = SourceMeta(
        name=name, type=type_, owner=owner, legal_basis=legal_basis, offence_category=offence
    )
    store = open_store(database_url)
    try:
        with progress_bar(console) as bar:
            task = bar.add_task("importing, then re-screening", total=None)
            done = import_list(
                store,
                file,
                source,
                list_format,
                meta=meta,
                by=by,
                rescreen=rescreen,
                progress=lambda n, total: bar.update(task, completed=n, total=total),
            )
        outcome = done.outcome
        console.print(
            f"[bold]{escape(source)}[/] version {outcome.version_no}: {outcome.imported:,} "
            f"entries ({outcome.added} added, {outcome.changed} changed, {outcome.removed} "
            f"removed, {outcome.unchanged} unchanged); {outcome.skipped} skipped, "
            f"{len(outcome.problems)} problem(s); {outcome.closed_hits} open hit(s) closed"
        )
        for problem in outcome.problems[:10]:
            console.print(f"  [yellow]{escape(problem)}[/]")
        if done.rescreened is not None:
            console.print(
                f"re-screened {done.rescreened.travellers:,} travellers against "
                f"{len(outcome.to_rescreen)} entries: {done.rescreened.watchlist_hits} new hit(s)"
            )
        elif not outcome.active:
            console.print("the list is not active: [bold]paxwatch watchlist activate[/] it")
    except SourceError as error:
        console.print(f"[red]{escape(str(error))}[/]")
        raise typer.Exit(1) from None
    finally:
        store.close()


@watchlist_app.command("list")
def watchlist_list(database_url: DatabaseUrl = None) -> None:
    """Every registered source."""
    from paxwatch.assess.watchlists import list_sources

    store = open_store(database_url)
    try:
        with store.read() as conn:
            sources = list_sources(conn)
    finally:
        store.close()
    table = Table("id", "name", "type", "offence", "version", "entries", "active", "activable")
    for src in sources:
        table.add_row(
            escape(src.id),
            escape(src.name),
            src.type or "-",
            src.offence_category or "-",
            str(src.version_no or "-"),
            f"{src.entries:,}",
            "yes" if src.active else "no",
            "yes" if not src.activation_problems else "[red]no[/]",
        )
    console.print(table)


@watchlist_app.command("show")
def watchlist_show(source: str, database_url: DatabaseUrl = None) -> None:
    """One source: registry fields, what is missing to activate it, its versions."""
    from paxwatch.assess.watchlists import get_source, source_versions

    store = open_store(database_url)
    try:
        with store.read() as conn:
            info = get_source(conn, source)
            versions = source_versions(conn, source) if info else []
    finally:
        store.close()
    if info is None:
        console.print(f"[red]no list {escape(source)}[/]")
        raise typer.Exit(1)
    for label, value in (
        ("name", info.name),
        ("type", info.type),
        ("owner", info.owner),
        ("legal basis", info.legal_basis),
        ("offence category", info.offence_category),
        ("active", f"yes (by {info.activated_by}, {info.activated_at})" if info.active else "no"),
        ("entries", f"{info.entries:,}"),
    ):
        console.print(f"[bold]{label}[/]: {escape(str(value or '-'))}")
    for problem in info.activation_problems:
        console.print(f"  [red]cannot be activated: {escape(problem)}[/]")
    table = Table("version", "imported", "file", "entries", "added", "changed", "removed")
    for v in versions:
        table.add_row(
            str(v.version_no),
            v.imported_at.strftime("%Y-%m-%d %H:%M"),
            escape(v.file_name or "-"),
            f"{v.entries:,}",
            str(v.added),
            str(v.changed),
            str(v.removed),
        )
    console.print(table)


@watchlist_app.command("activate")
def watchlist_activate(
    source: str,
    by: Annotated[str | None, typer.Option(help="Who activates (recorded).")] = None,
    rescreen: Annotated[bool, typer.Option(help="Re-screen stored travellers.")] = True,
    database_url: DatabaseUrl = None,
) -> None:
    """Activate a source (refused while type, owner, legal basis or offence is missing)."""
    from paxwatch.assess.list_updates import activate_list
    from paxwatch.assess.watchlists import SourceError

    store = open_store(database_url)
    try:
        with progress_bar(console) as bar:
            task = bar.add_task("re-screening", total=None)
            done = activate_list(
                store,
                source,
                by=by,
                rescreen=rescreen,
                progress=lambda n, total: bar.update(task, completed=n, total=total),
            )
        info = done.source
        console.print(f"[green]{escape(info.id)} is active[/] ({info.entries:,} entries)")
        if done.rescreened is not None:
            console.print(
                f"re-screened {done.rescreened.travellers:,} travellers: "
                f"{done.rescreened.watchlist_hits} hit(s)"
            )
    except SourceError as error:
        console.print(f"[red]{escape(str(error))}[/]")
        raise typer.Exit(1) from None
    finally:
        store.close()


@watchlist_app.command("deactivate")
def watchlist_deactivate(
    source: str,
    by: Annotated[str | None, typer.Option(help="Who deactivates (recorded).")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Stop a source screening from now on (its hits stay for review)."""
    from paxwatch.assess.list_updates import deactivate_list
    from paxwatch.assess.watchlists import SourceError

    store = open_store(database_url)
    try:
        info = deactivate_list(store, source, by=by).source
        console.print(f"[yellow]{escape(info.id)} is inactive[/]: it no longer screens")
    except SourceError as error:
        console.print(f"[red]{escape(str(error))}[/]")
        raise typer.Exit(1) from None
    finally:
        store.close()

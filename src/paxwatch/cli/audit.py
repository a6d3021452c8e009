"""Audit commands: ``paxwatch audit verify|list|head`` (for the DPO and auditors).

``audit verify`` exits 0 when the chain is intact and 1 when an entry was edited, inserted
or removed, naming the first bad entry. ``audit head`` prints the head (``SEQ:HASH``) to
keep outside the database; ``audit verify --checkpoint SEQ:HASH`` then also detects a
rewrite of the whole chain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from paxwatch.cli import app
from paxwatch.cli.store import DatabaseUrl
from paxwatch.privacy.audit import Checkpoint, head, list_events, verify
from paxwatch.store.engine import open_store

console = Console()
audit_app = typer.Typer(help="The audit trail: verify, list, head.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(
    checkpoint: Annotated[
        str | None, typer.Option("--checkpoint", help="A head kept earlier: SEQ:HASH.")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Recompute the hash chain; exit 1 and name the first bad entry when tampered."""
    try:
        expected = Checkpoint.parse(checkpoint) if checkpoint else None
    except ValueError as exc:
        console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(2) from None
    store = open_store(database_url)
    try:
        result = verify(store, checkpoint=expected)
    finally:
        store.close()
    if result.ok:
        console.print(
            f"audit trail intact: {result.checked} entries "
            f"({result.first_seq}..{result.head_seq}), head {result.head_hash[:16]}…"
        )
        return
    console.print(
        f"[red]audit trail TAMPERED at entry {result.seq}: {escape(result.problem or '')}[/] "
        f"({result.checked} entries verified before it)"
    )
    raise typer.Exit(1)


@audit_app.command("head")
def audit_head(database_url: DatabaseUrl = None) -> None:
    """Print the head of the chain (SEQ:HASH) to keep outside the database."""
    store = open_store(database_url)
    try:
        checkpoint = head(store)
    finally:
        store.close()
    console.print(str(checkpoint), markup=False, highlight=False)


@audit_app.command("list")
def audit_list(
    user: Annotated[str | None, typer.Option("--user", help="Only this actor.")] = None,
    since: Annotated[datetime | None, typer.Option("--since", help="From this time (UTC).")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="read, decision, transmission, user, ...")
    ] = None,
    limit: Annotated[int, typer.Option("--limit")] = 100,
    database_url: DatabaseUrl = None,
) -> None:
    """List audit entries, newest first."""
    store = open_store(database_url)
    try:
        with store.read() as conn:
            entries = list_events(conn, actor=user, kind=kind, since=since, limit=limit)
    finally:
        store.close()
    table = Table("seq", "at (UTC)", "actor", "kind", "details")
    for e in entries:
        table.add_row(
            str(e.seq),
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            escape(e.actor),
            e.kind,
            escape(e.payload),
        )
    console.print(table)
    console.print(f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}")

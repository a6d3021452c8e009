"""Ingest commands: ``paxwatch ingest``, ``paxwatch worker``, ``paxwatch publish`` and
``paxwatch quarantine list|show|retry``."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from paxwatch.assess.hook import install as install_assessment
from paxwatch.cli import app
from paxwatch.cli.store import DatabaseUrl
from paxwatch.ingest import quarantine as q
from paxwatch.ingest.directory import ingest_paths, iter_files
from paxwatch.ingest.pipeline import DEFAULT_BATCH, IngestResult
from paxwatch.ingest.worker import WorkerConfig, publish_files, run_worker
from paxwatch.store.engine import open_store

console = Console()
quarantine_app = typer.Typer(help="Inputs that could not be read.", no_args_is_help=True)
app.add_typer(quarantine_app, name="quarantine")


@app.command("ingest")
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories of messages.")],
    batch: Annotated[int, typer.Option(help="Inputs per transaction.")] = DEFAULT_BATCH,
    jobs: Annotated[int, typer.Option(help="Worker processes (they store in turn).")] = 1,
    throttle: Annotated[float, typer.Option(help="Pause after each file (seconds).")] = 0.0,
    source: Annotated[str, typer.Option(help="Source recorded with each input.")] = "directory",
    assess: Annotated[
        bool, typer.Option("--assess/--no-assess", help="Screen and apply rules at ingest.")
    ] = True,
    database_url: DatabaseUrl = None,
) -> None:
    """Ingest message files (resumable: inputs already stored are skipped).

    New travellers are screened against the active watch lists and assessed against the
    active rules as they are stored, unless ``--no-assess``.
    """
    store = open_store(database_url, upgrade=True)
    if assess:
        install_assessment(store)
    total = sum(1 for _ in iter_files(paths))
    columns = (
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("ingest", total=total)

            def advance(_path: Path, _result: IngestResult) -> None:
                bar.advance(task)

            summary = ingest_paths(
                store,
                paths,
                batch=batch,
                jobs=jobs,
                throttle=throttle,
                progress=advance,
                source=source,
            )
    finally:
        store.close()
    rate = summary.files / summary.seconds if summary.seconds else 0.0
    console.print(
        f"{summary.files} file(s) in {summary.seconds:.1f}s ({rate:,.0f}/s): "
        f"{summary.stored} stored, {summary.duplicate} already stored, "
        f"{summary.quarantined} quarantined; {summary.bookings} booking(s), "
        f"{summary.new_versions} new version(s), {summary.api_travellers} API traveller(s)"
    )
    for name in summary.quarantined_files:
        console.print(f"  [yellow]quarantined[/] {escape(name)}")


@app.command("worker")
def worker(
    nats_url: Annotated[str | None, typer.Option(help="Default: $PAXWATCH_NATS_URL.")] = None,
    stream: Annotated[str | None, typer.Option(help="Stream (default PAXWATCH).")] = None,
    subject: Annotated[
        str | None, typer.Option(help="Subject (default paxwatch.messages).")
    ] = None,
    durable: Annotated[str | None, typer.Option(help="Durable consumer name.")] = None,
    batch: Annotated[int, typer.Option(help="Messages fetched per transaction.")] = 64,
    ack_wait: Annotated[float, typer.Option(help="Seconds before redelivery.")] = 60.0,
    idle_exit: Annotated[
        float | None, typer.Option(help="Exit after this many idle seconds.")
    ] = None,
    throttle: Annotated[float, typer.Option(help="Pause after each batch (seconds).")] = 0.0,
    assess: Annotated[
        bool, typer.Option("--assess/--no-assess", help="Screen and apply rules at ingest.")
    ] = True,
    database_url: DatabaseUrl = None,
) -> None:
    """Consume messages from NATS JetStream and ingest them (ack after commit); new travellers
    are assessed as they are stored unless ``--no-assess``."""
    config = WorkerConfig.from_env(
        url=nats_url,
        stream=stream,
        subject=subject,
        durable=durable,
        batch=batch,
        ack_wait=ack_wait,
        idle_exit=idle_exit,
        throttle=throttle,
    )
    store = open_store(database_url, upgrade=True)
    if assess:
        install_assessment(store)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        stats = await run_worker(store, config, stop)
        console.print(
            f"worker stopped: {stats.received} received, {stats.stored} stored, "
            f"{stats.duplicate} duplicate, {stats.quarantined} quarantined, {stats.failed} failed"
        )

    console.print(f"worker on {config.url} stream {config.stream} subject {config.subject}")
    try:
        asyncio.run(main())
    finally:
        store.close()


@app.command("publish")
def publish(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories of messages.")],
    nats_url: Annotated[str | None, typer.Option(help="Default: $PAXWATCH_NATS_URL.")] = None,
    stream: Annotated[str | None, typer.Option(help="Stream (default PAXWATCH).")] = None,
    subject: Annotated[
        str | None, typer.Option(help="Subject (default paxwatch.messages).")
    ] = None,
) -> None:
    """Publish message files to the JetStream ingest stream (for operators and tests)."""
    config = WorkerConfig.from_env(url=nats_url, stream=stream, subject=subject)
    files = list(iter_files(paths))
    count = publish_files(files, config=config)
    console.print(f"published {count} of {len(files)} file(s) ({len(files) - count} duplicates)")


@quarantine_app.command("list")
def quarantine_list(
    all_: Annotated[bool, typer.Option("--all", help="Include resolved entries.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """List quarantined inputs."""
    store = open_store(database_url)
    try:
        items = q.list_items(store, include_resolved=all_)
    finally:
        store.close()
    table = Table("id", "received", "reason", "source", "name", "bytes", "tries", "resolved")
    for item in items:
        table.add_row(
            str(item.id),
            item.created_at.strftime("%Y-%m-%d %H:%M"),
            item.reason,
            escape(item.source),
            escape(item.name or "-"),
            str(item.size),
            str(item.attempts),
            "yes" if item.resolved_at else "",
        )
    console.print(table)
    console.print(f"{len(items)} entr{'y' if len(items) == 1 else 'ies'}")


@quarantine_app.command("show")
def quarantine_show(
    quarantine_id: Annotated[int, typer.Argument(help="Quarantine entry id.")],
    raw: Annotated[bool, typer.Option(help="Print the archived bytes too.")] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Show a quarantined input's findings (and its archived bytes with --raw)."""
    store = open_store(database_url)
    try:
        item, body = q.show(store, quarantine_id)
    except q.QuarantineNotFound:
        console.print(f"[red]no quarantine entry {quarantine_id}[/]")
        raise typer.Exit(1) from None
    finally:
        store.close()
    console.print(
        f"[bold]#{item.id}[/] {escape(item.name or '-')} from {escape(item.source)}: "
        f"{item.reason}, {item.attempts} attempt(s)"
    )
    for finding in json.loads(item.findings_json):
        console.print(f"  {finding['severity']} {finding['code']}: {escape(finding['message'])}")
    if raw:
        console.print(escape(body.decode("utf-8", errors="replace")))


@quarantine_app.command("retry")
def quarantine_retry(
    quarantine_id: Annotated[
        int | None, typer.Argument(help="Entry id (default: every unresolved entry).")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Re-read quarantined inputs with the current readers; store those now readable."""
    store = open_store(database_url)
    try:
        results = q.retry_all(store) if quarantine_id is None else [q.retry(store, quarantine_id)]
    except q.QuarantineNotFound:
        console.print(f"[red]no quarantine entry {quarantine_id}[/]")
        raise typer.Exit(1) from None
    finally:
        store.close()
    stored = sum(1 for r in results if r.status == "stored")
    console.print(
        f"{len(results)} retried: {stored} stored, {len(results) - stored} still quarantined"
    )

"""``paxwatch retention``: run the retention job, and manage retention flags.

``paxwatch retention run [--dry-run] [--now ISO] [--profile eu|uk|FILE] [--jobs N]`` applies the
retention policy (``PAXWATCH_RETENTION_PROFILE``, default ``eu``) as of ``--now`` (default:
the current UTC time), in chunks, with a progress display, and prints what was masked,
deleted and kept (with the flag and its reason). The vault key (``PAXWATCH_VAULT_KEY``) is
needed to keep the full data of masked records for Art 12(3) unmasking; without it the run
refuses unless ``--no-vault`` says the full data may be lost.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from paxwatch.cli import app
from paxwatch.cli.store import DatabaseUrl
from paxwatch.privacy.depersonalise import Vault, VaultError
from paxwatch.privacy.policies import PolicyError, load_policy
from paxwatch.privacy.retention import (
    DEFAULT_CHUNK,
    FlagError,
    RetentionReport,
    jobs_setting,
    lift_flag,
    list_flags,
    run_retention,
    set_flag,
)
from paxwatch.store.engine import open_store
from paxwatch.store.keys import utcnow

console = Console()
retention_app = typer.Typer(
    help="Retention: masking and deletion by policy; flags.", no_args_is_help=True
)
app.add_typer(retention_app, name="retention")

Now = Annotated[str | None, typer.Option("--now", help="The clock (ISO date-time, UTC).")]


def parse_now(value: str | None) -> datetime:
    """``--now`` as naive UTC (default: now)."""
    if not value:
        return utcnow()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"not an ISO date-time: {value}") from exc
    if parsed.tzinfo is not None:
        from datetime import UTC

        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _report(report: RetentionReport) -> None:
    title = f"retention ({report.policy}) as of {report.now:%Y-%m-%d %H:%M}"
    table = Table("what", "count", title=title + (" — dry run" if report.dry_run else ""))
    for name, value in report.counts().items():
        if value:
            table.add_row(name.replace("_", " "), f"{value:,}")
    console.print(table if report.changed else f"{title}: nothing to do")
    if report.kept:
        kept = Table("flag", "kind", "booking", "ref", "API", "review", "reason", title="kept")
        for k in report.kept:
            kept.add_row(
                str(k.flag_id),
                k.kind,
                str(k.booking_id or "-"),
                k.traveller_ref or "-",
                str(k.api_traveller_id or "-"),
                k.review_on.isoformat(),
                escape(k.reason[:80]),
            )
        console.print(kept)
    if report.expired_flags:
        console.print(
            f"[yellow]{len(report.expired_flags)} flag(s) past their review date no longer "
            f"protect: {', '.join(map(str, report.expired_flags))}[/]"
        )
    if report.deleted_with_confirmed_hits:
        console.print(
            f"[yellow]{report.deleted_with_confirmed_hits} booking(s) with a confirmed hit and "
            "no flag were deleted[/]"
        )


@retention_app.command("run")
def run(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report only, change nothing.")
    ] = False,
    now: Now = None,
    profile: Annotated[str | None, typer.Option(help="eu, uk or a TOML file.")] = None,
    chunk: Annotated[int, typer.Option(help="Rows per transaction.")] = DEFAULT_CHUNK,
    jobs: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=8,
            help="Connections the big steps use at once (PostgreSQL; default "
            "$PAXWATCH_RETENTION_JOBS, else 2; always 1 on SQLite and in a dry run).",
        ),
    ] = None,
    no_vault: Annotated[
        bool, typer.Option("--no-vault", help="Mask without keeping the full data sealed.")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Mask and delete what the retention policy says, as of --now."""
    try:
        policy = load_policy(profile)
        vault = Vault.from_env()
        if jobs is None:
            jobs = jobs_setting()  # None: the store's default (2 on PostgreSQL)
    except (PolicyError, VaultError, ValueError) as exc:
        console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(2) from exc
    if vault is None and not no_vault and not dry_run:
        # A dry run masks nothing, so it needs no key; a real run refuses to lose the full
        # data that an approved unmasking could need.
        console.print(
            "[red]no vault key: set PAXWATCH_VAULT_KEY (see docs/dpo.md), or pass --no-vault "
            "to mask without keeping the full data sealed[/]"
        )
        raise typer.Exit(2)
    store = open_store(database_url)
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed:,.0f} rows"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(step: str, rows: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=None)
                bar.advance(tasks[step], rows)

            report = run_retention(
                store,
                parse_now(now),
                policy,
                vault=vault,
                dry_run=dry_run,
                chunk=chunk,
                progress=progress,
                jobs=jobs,
            )
    finally:
        store.close()
    _report(report)


@retention_app.command("flag")
def flag(
    by: Annotated[str, typer.Option(help="The supervisor setting the flag.")],
    reason: Annotated[str, typer.Option(help="Why: the objective evidence or risk assessment.")],
    review_on: Annotated[str, typer.Option(help="Review date (YYYY-MM-DD).")],
    kind: Annotated[
        str, typer.Option(help="objective_evidence (EU) or risk_assessment (UK).")
    ] = "objective_evidence",
    traveller: Annotated[int | None, typer.Option(help="A booked traveller (id).")] = None,
    booking: Annotated[int | None, typer.Option(help="A whole booking (id).")] = None,
    api_traveller: Annotated[int | None, typer.Option(help="An API traveller (id).")] = None,
    evidence_ref: Annotated[str | None, typer.Option(help="Case or evidence reference.")] = None,
    role: Annotated[str, typer.Option(help="The role of --by.")] = "supervisor",
    now: Now = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Flag a traveller to keep beyond the policy's deletion point."""
    store = open_store(database_url)
    try:
        with store.write() as conn:
            flag_id = set_flag(
                conn,
                by=by,
                role=role,
                kind=kind,
                reason=reason,
                review_on=date.fromisoformat(review_on),
                now=parse_now(now),
                traveller_id=traveller,
                booking_id=booking,
                api_traveller_id=api_traveller,
                evidence_ref=evidence_ref,
            )
    except (FlagError, ValueError) as exc:
        console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(1) from exc
    finally:
        store.close()
    console.print(f"flag {flag_id} set")


@retention_app.command("unflag")
def unflag(
    flag_id: int,
    by: Annotated[str, typer.Option(help="The supervisor lifting the flag.")],
    reason: Annotated[str, typer.Option(help="Why it is lifted.")],
    role: Annotated[str, typer.Option(help="The role of --by.")] = "supervisor",
    now: Now = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Lift a flag (the record stays)."""
    store = open_store(database_url)
    try:
        with store.write() as conn:
            done = lift_flag(conn, flag_id, by=by, role=role, reason=reason, now=parse_now(now))
    except FlagError as exc:
        console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(1) from exc
    finally:
        store.close()
    console.print(f"flag {flag_id} lifted" if done else f"flag {flag_id}: nothing to lift")


@retention_app.command("flags")
def flags(database_url: DatabaseUrl = None) -> None:
    """The active flags."""
    store = open_store(database_url)
    try:
        with store.read() as conn:
            items = list_flags(conn)
    finally:
        store.close()
    table = Table("id", "kind", "booking", "ref", "API", "set by", "review", "reason")
    for f in items:
        table.add_row(
            str(f.id),
            f.kind,
            str(f.booking_id or "-"),
            f.traveller_ref or "-",
            str(f.api_traveller_id or "-"),
            escape(f.set_by),
            f.review_on.isoformat(),
            escape(f.reason[:60]),
        )
    console.print(table)

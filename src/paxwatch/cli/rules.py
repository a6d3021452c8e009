"""``paxwatch rules``: import, export, check, activate (four eyes), retire, backtest.

Users and roles come with a later issue: until then ``activate`` and ``retire`` take the
acting user with ``--by`` and their roles with ``--role`` (the API will take the logged-in
user). The pure ``rules.activate`` refuses the author of the version (``A001``) and anyone
who is not a supervisor (``A002``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from paxwatch.cli import app
from paxwatch.cli.store import DatabaseUrl
from paxwatch.store.engine import open_store

console = Console()
rules_app = typer.Typer(help="Targeting rules: import, check, activate, backtest.")
app.add_typer(rules_app, name="rules")

Roles = Annotated[list[str], typer.Option("--role", help="Role of --by (repeatable).")]


@rules_app.command("import")
def rules_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    by: Annotated[str | None, typer.Option(help="Who imports (recorded).")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Store the rules of FILE as drafts."""
    from paxwatch.assess.rules import RuleStoreError, import_rules
    from paxwatch.rules import RuleSyntaxError

    store = open_store(database_url)
    try:
        result = import_rules(store, file.read_text(encoding="utf-8"), by=by)
    except (RuleSyntaxError, RuleStoreError) as error:
        console.print(f"[red]{escape(str(error))}[/]")
        raise typer.Exit(1) from None
    finally:
        store.close()
    console.print(
        f"{len(result.imported)} version(s) imported as drafts, "
        f"{len(result.unchanged)} already stored"
    )
    for rule_id, version in result.made_draft:
        console.print(f"  {rule_id} v{version}: stored as a draft (activate it in paxwatch)")
    for refusal in result.refused:
        console.print(f"  [red]{escape(refusal)}[/]")
    if result.refused:
        raise typer.Exit(1)


@rules_app.command("export")
def rules_export(
    status: Annotated[str | None, typer.Option(help="draft | active | retired")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Print the stored rules as a rule file."""
    from paxwatch.assess.rules import export_rules

    store = open_store(database_url)
    try:
        with store.read() as conn:
            text = export_rules(conn, status)
    finally:
        store.close()
    typer.echo(text, nl=False)


@rules_app.command("check")
def rules_check(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Every refusal of a rule file (exit 1 when there is one)."""
    from paxwatch.assess.rules import check_file

    issues = check_file(file.read_text(encoding="utf-8"))
    for issue in issues:
        console.print(f"[red]{escape(str(issue))}[/]")
    if issues:
        raise typer.Exit(1)
    console.print("[green]no refusal[/]")


@rules_app.command("list")
def rules_list(
    status: Annotated[str | None, typer.Option(help="draft | active | retired")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """The stored rule versions."""
    from paxwatch.assess.rules import list_rules

    store = open_store(database_url)
    try:
        with store.read() as conn:
            rules = list_rules(conn, status)
    finally:
        store.close()
    table = Table("rule", "v", "status", "offence", "author", "approved by", "review", "title")
    for r in rules:
        table.add_row(
            r.rule_id,
            str(r.version),
            r.status,
            r.offence or "-",
            r.author or "-",
            r.approved_by or "-",
            str(r.review or "-"),
            escape(r.title or ""),
        )
    console.print(table)


@rules_app.command("activate")
def rules_activate(
    rule_id: str,
    by: Annotated[str, typer.Option(help="The supervisor activating (not the author).")],
    role: Roles = ["supervisor"],  # noqa: B006 - Typer default
    version: Annotated[int | None, typer.Option(help="Version (default: the latest).")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Activate a draft version (four eyes); the previously active version is retired."""
    from paxwatch.assess.rules import RuleStoreError, activate_rule

    store = open_store(database_url)
    try:
        stored = activate_rule(store, rule_id, by=by, roles=set(role), version=version)
    except RuleStoreError as error:
        console.print(f"[red]{escape(str(error))}[/]")
        raise typer.Exit(1) from None
    finally:
        store.close()
    console.print(f"[green]{stored.rule_id} v{stored.version} active[/], approved by {by}")


@rules_app.command("retire")
def rules_retire(
    rule_id: str,
    by: Annotated[str, typer.Option(help="The supervisor retiring the rule.")],
    role: Roles = ["supervisor"],  # noqa: B006 - Typer default
    database_url: DatabaseUrl = None,
) -> None:
    """Retire the active version of a rule."""
    from paxwatch.assess.rules import RuleStoreError, retire_rule

    store = open_store(database_url)
    try:
        stored = retire_rule(store, rule_id, by=by, roles=set(role))
    except RuleStoreError as error:
        console.print(f"[red]{escape(str(error))}[/]")
        raise typer.Exit(1) from None
    finally:
        store.close()
    console.print(f"{stored.rule_id} v{stored.version} retired")


def _day(value: str | None) -> datetime | None:
    return datetime.strptime(value, "%Y-%m-%d") if value else None


@rules_app.command("backtest")
def rules_backtest(
    rule_id: str,
    version: Annotated[int | None, typer.Option(help="Version (default: the latest).")] = None,
    first: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD).")] = None,
    last: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD).")] = None,
    truth: Annotated[
        Path | None, typer.Option(help="Synthetic truth.jsonl (known of interest).")
    ] = None,
    window_days: Annotated[int, typer.Option(help="Legal window, days back.")] = 183,
    database_url: DatabaseUrl = None,
) -> None:
    """Run a stored rule (a draft too) over the stored travellers of a date range."""
    from paxwatch.assess.rules import backtest_stored, get_rule, read_truth
    from paxwatch.assess.screen import AssessConfig

    start, end = _day(first), _day(last)
    scope = AssessConfig(window_days=window_days).scope(
        first_day=start.date() if start else None, last_day=end.date() if end else None
    )
    store = open_store(database_url)
    try:
        with store.read() as conn:
            stored = get_rule(conn, rule_id, version)
        if stored is None:
            console.print(f"[red]no rule {escape(rule_id)}[/]")
            raise typer.Exit(1)
        result = backtest_stored(
            store, stored.rule(), scope, truth=read_truth(truth) if truth else None
        )
    finally:
        store.close()
    report = result.report
    for line in report.summary():
        console.print(escape(line))
    days = Table("day", "hits", title="hits per day")
    for day, count in report.hits_per_day.items():
        days.add_row(day.isoformat(), str(count))
    routes = Table("route", "hits", title="hits per route (top 15)")
    for route, count in list(report.hits_per_route.items())[:15]:
        routes.add_row(route, str(count))
    console.print(days)
    console.print(routes)

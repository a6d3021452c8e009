"""Review commands: ``paxwatch review queue|decide|history|reasons``.

The analyst's tool is the web UI; these commands serve operations and scripted checks.
They act as the account named by ``--user`` (an active account whose role allows the
action), and are audited like the UI.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from paxwatch.cli import app
from paxwatch.cli.store import DatabaseUrl
from paxwatch.privacy.access import AccessError, Principal
from paxwatch.privacy.users import get_user
from paxwatch.review.decisions import (
    OPEN_STATES,
    ReviewAction,
    ReviewError,
    ReviewState,
    decide,
    history,
)
from paxwatch.review.queue import open_queue
from paxwatch.review.queue_query import QueueFilter
from paxwatch.review.reasons import load_review_config
from paxwatch.store.engine import Store, open_store

console = Console()
review_app = typer.Typer(help="Hit review: queue, decisions, history.", no_args_is_help=True)
app.add_typer(review_app, name="review")

User = Annotated[str, typer.Option("--user", help="The account acting (must exist).")]


def _principal(store: Store, username: str) -> Principal:
    with store.read() as conn:
        user = get_user(conn, username)
    if user is None or not user.active:
        console.print(f"[red]no active user {escape(username)!r}[/]")
        raise typer.Exit(1)
    return user.principal("cli")


@review_app.command("queue")
def review_queue_cmd(
    user: User,
    flight: Annotated[int | None, typer.Option("--flight", help="Flight id.")] = None,
    day: Annotated[str | None, typer.Option("--date", help="Departure date.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="watchlist or rule.")] = None,
    min_score: Annotated[float | None, typer.Option("--min-score")] = None,
    state: Annotated[list[str] | None, typer.Option("--state", help="Review state(s).")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    database_url: DatabaseUrl = None,
) -> None:
    """The hit queue, most urgent flight first."""
    store = open_store(database_url)
    try:
        principal = _principal(store, user)
        filters = QueueFilter(
            flight_id=flight,
            day=date.fromisoformat(day) if day else None,
            kinds=frozenset({kind}) if kind else None,
            min_score=min_score,
            states=frozenset(ReviewState(s) for s in state) if state else OPEN_STATES,
            limit=limit,
        )
        groups = open_queue(store, principal, filters, purpose="hit review (cli)")
    except (AccessError, ValueError) as exc:
        console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(1) from None
    finally:
        store.close()
    table = Table("flight", "urgency (UTC)", "traveller", "score", "hits (id:state)")
    for g in groups:
        when = g.urgency_at.strftime("%m-%d %H:%M") if g.urgency_at else "past"
        table.add_row(
            f"{g.carrier}{g.number} {g.origin or '?'}→{g.destination or '?'}",
            f"{g.urgency_event or ''} {when}",
            escape(g.subject_name or "[hidden]") + (" (API only)" if g.api_traveller_id else ""),
            f"{g.best_score:.2f}",
            ", ".join(f"{h.hit_id}:{h.state.value}" for h in g.hits),
        )
    console.print(table)
    console.print(f"{len(groups)} traveller(s)")


@review_app.command("decide")
def review_decide(
    hit_id: int,
    action: Annotated[str, typer.Argument(help="take, release, confirm, countersign, ...")],
    user: User,
    reason: Annotated[str | None, typer.Option("--reason", help="Dismissal reason.")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    assignee: Annotated[str | None, typer.Option("--assignee")] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Apply a review action to a hit."""
    store = open_store(database_url)
    try:
        principal = _principal(store, user)
        made = decide(
            store,
            principal,
            hit_id,
            ReviewAction(action),
            reason=reason,
            note=note,
            assignee=assignee,
            config=load_review_config(),
        )
    except (AccessError, ReviewError, ValueError) as exc:
        console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(1) from None
    finally:
        store.close()
    console.print(f"hit #{made.hit_id}: {made.from_state.value} → [bold]{made.to_state.value}[/]")


@review_app.command("history")
def review_history(hit_id: int, database_url: DatabaseUrl = None) -> None:
    """The decision history of a hit (no personal data)."""
    store = open_store(database_url)
    try:
        with store.read() as conn:
            decisions = history(conn, hit_id)
    finally:
        store.close()
    table = Table("at (UTC)", "user", "action", "from", "to", "reason")
    for d in decisions:
        table.add_row(
            d.at.strftime("%Y-%m-%d %H:%M:%S"),
            escape(d.actor),
            d.action.value,
            d.from_state.value,
            d.to_state.value,
            d.reason_code or "",
        )
    console.print(table)


@review_app.command("reasons")
def review_reasons() -> None:
    """The dismissal reason codes and recipient authorities configured."""
    config = load_review_config()
    table = Table("reason code", "label")
    for r in config.reasons:
        table.add_row(r.code, escape(r.label))
    console.print(table)
    authorities = Table("authority", "name")
    for a in config.authorities:
        authorities.add_row(a.code, escape(a.name))
    console.print(authorities)
    console.print(f"four eyes: {'on' if config.four_eyes else 'off'}")

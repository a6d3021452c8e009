"""``paxwatch dpo``: the intra-EU selection register, unmasking (Art 12(3)) and
data-subject requests, from the command line.

- ``paxwatch dpo select add|list|revoke``: the flight-selection register;
- ``paxwatch dpo unmask request|decide|show|review|list``: the unmasking workflow (the
  caller says who acts with ``--user`` and ``--role``; the API authenticates instead);
- ``paxwatch dpo subject export|erase``: find everything held about a person (by name
  and date of birth, or by document), export it as JSON, or erase it.

Refusals are printed and recorded in the event log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import Connection

from paxwatch.cli import app
from paxwatch.cli.retention import Now, parse_now
from paxwatch.cli.store import DatabaseUrl
from paxwatch.privacy.depersonalise import Vault, VaultError
from paxwatch.privacy.selection import (
    SelectionError,
    add_selection,
    list_selections,
    revoke_selection,
)
from paxwatch.privacy.subject_export import export_subject
from paxwatch.privacy.subject_requests import (
    SubjectQuery,
    SubjectRequestError,
    erase_subject,
    find_subject,
    record_request,
)
from paxwatch.privacy.unmask import (
    Actor,
    UnmaskError,
    decide_unmasking,
    dpo_review,
    list_requests,
    request_unmasking,
    unmask,
)
from paxwatch.store.engine import open_store

console = Console()
dpo_app = typer.Typer(
    help="DPO: selection register, unmasking, data-subject requests.", no_args_is_help=True
)
select_app = typer.Typer(help="The intra-EU flight-selection register.", no_args_is_help=True)
unmask_app = typer.Typer(
    help="Access to full data after masking (Art 12(3)).", no_args_is_help=True
)
subject_app = typer.Typer(help="Data-subject requests.", no_args_is_help=True)
app.add_typer(dpo_app, name="dpo")
dpo_app.add_typer(select_app, name="select")
dpo_app.add_typer(unmask_app, name="unmask")
dpo_app.add_typer(subject_app, name="subject")

User = Annotated[str, typer.Option("--user", help="Who acts.")]
Role = Annotated[str, typer.Option("--role", help="Their role.")]
T = TypeVar("T")
_ERRORS = (SelectionError, UnmaskError, SubjectRequestError, VaultError, ValueError)


def _write(database_url: str | None, fn: Callable[[Connection], T]) -> T:
    """Run ``fn`` in a write transaction; a refusal is printed after its event committed."""
    store = open_store(database_url)
    failure: Exception | None = None
    result: Any = None
    try:
        with store.write() as conn:
            try:
                result = fn(conn)
            except _ERRORS as exc:
                failure = exc
    finally:
        store.close()
    if failure is not None:
        console.print(f"[red]{escape(str(failure))}[/]")
        raise typer.Exit(1)
    return result  # type: ignore[no-any-return]


def _vault() -> Vault | None:
    try:
        return Vault.from_env()
    except VaultError as exc:
        console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(2) from exc


@select_app.command("add")
def select_add(
    scope: Annotated[str, typer.Option(help="all, route, flight or airport.")],
    valid_from: Annotated[str, typer.Option(help="YYYY-MM-DD.")],
    valid_until: Annotated[str, typer.Option(help="YYYY-MM-DD.")],
    review_on: Annotated[str, typer.Option(help="YYYY-MM-DD.")],
    decision: Annotated[str, typer.Option(help="The decision (reference, assessment).")],
    legal_basis: Annotated[str, typer.Option(help="The legal basis.")],
    user: User,
    carrier: Annotated[str | None, typer.Option()] = None,
    number: Annotated[str | None, typer.Option()] = None,
    origin: Annotated[str | None, typer.Option()] = None,
    destination: Annotated[str | None, typer.Option()] = None,
    airport: Annotated[str | None, typer.Option()] = None,
    now: Now = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Select intra-EU flights (a route, a flight, an airport, or all under a threat)."""
    selection_id = _write(
        database_url,
        lambda conn: add_selection(
            conn,
            scope=scope,
            valid_from=date.fromisoformat(valid_from),
            valid_until=date.fromisoformat(valid_until),
            review_on=date.fromisoformat(review_on),
            decision=decision,
            legal_basis=legal_basis,
            by=user,
            now=parse_now(now),
            carrier=carrier,
            number=number,
            origin=origin,
            destination=destination,
            airport=airport,
        ),
    )
    console.print(f"selection {selection_id} added")


@select_app.command("list")
def select_list(database_url: DatabaseUrl = None) -> None:
    """The register (revoked entries included)."""
    items = _write(database_url, list_selections)
    table = Table("id", "scope", "what", "from", "until", "review", "decision", "revoked")
    for s in items:
        what = " ".join(x for x in (s.carrier, s.number, s.origin, s.destination, s.airport) if x)
        table.add_row(
            str(s.id),
            s.scope,
            what or "-",
            s.valid_from.isoformat(),
            s.valid_until.isoformat(),
            s.review_on.isoformat(),
            escape(s.decision[:50]),
            f"{s.revoked_at:%Y-%m-%d} {s.revoked_by}" if s.revoked_at else "",
        )
    console.print(table)


@select_app.command("revoke")
def select_revoke(
    selection_id: int, user: User, now: Now = None, database_url: DatabaseUrl = None
) -> None:
    """Revoke a selection (the record stays)."""
    done = _write(
        database_url, lambda conn: revoke_selection(conn, selection_id, by=user, now=parse_now(now))
    )
    console.print(f"selection {selection_id} revoked" if done else "nothing to revoke")


@unmask_app.command("request")
def unmask_request(
    user: User,
    role: Role,
    reason: Annotated[str, typer.Option(help="Why the full data is needed.")],
    legal_basis: Annotated[str, typer.Option(help="The legal basis.")],
    offence: Annotated[str, typer.Option(help="The offence (terrorism, serious crime...).")],
    booking: Annotated[list[int] | None, typer.Option(help="Booking id (repeatable).")] = None,
    api_traveller: Annotated[
        list[int] | None, typer.Option(help="API traveller id (repeatable).")
    ] = None,
    authority: Annotated[str | None, typer.Option(help="The requesting authority.")] = None,
    hours: Annotated[int, typer.Option(help="How long access lasts once approved.")] = 48,
    now: Now = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Ask for the full data of masked records."""
    request_id = _write(
        database_url,
        lambda conn: request_unmasking(
            conn,
            Actor(username=user, role=role),
            booking_ids=booking or [],
            api_traveller_ids=api_traveller or [],
            reason=reason,
            legal_basis=legal_basis,
            offence=offence,
            authority=authority,
            valid_hours=hours,
            now=parse_now(now),
        ),
    )
    console.print(f"unmasking request {request_id} recorded: awaiting an independent approver")


@unmask_app.command("decide")
def unmask_decide(
    request_id: int,
    user: User,
    role: Role,
    note: Annotated[str, typer.Option(help="The grounds of the decision.")],
    approve: Annotated[bool, typer.Option("--approve/--refuse")] = False,
    now: Now = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Approve or refuse a request (independent approver only)."""
    request = _write(
        database_url,
        lambda conn: decide_unmasking(
            conn,
            request_id,
            Actor(username=user, role=role),
            approve=approve,
            note=note,
            now=parse_now(now),
        ),
    )
    until = (
        f" until {request.expires_at:%Y-%m-%d %H:%M} UTC; DPO notified"
        if request.expires_at
        else ""
    )
    console.print(f"request {request_id}: {request.status}{until}")


@unmask_app.command("show")
def unmask_show(
    request_id: int, user: User, role: Role, now: Now = None, database_url: DatabaseUrl = None
) -> None:
    """Print the full data of an approved request as JSON (its requester only)."""
    vault = _vault()
    records = _write(
        database_url,
        lambda conn: unmask(
            conn, request_id, Actor(username=user, role=role), vault=vault, now=parse_now(now)
        ),
    )
    typer.echo(json.dumps([_plain(r) for r in records], indent=2, ensure_ascii=False))


def _plain(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


@unmask_app.command("review")
def unmask_review(
    request_id: int,
    user: User,
    outcome: Annotated[str, typer.Option(help="lawful or unlawful.")],
    note: Annotated[str, typer.Option(help="The DPO's findings.")],
    role: Role = "dpo",
    now: Now = None,
    database_url: DatabaseUrl = None,
) -> None:
    """The DPO's ex-post review of an approved request."""
    request = _write(
        database_url,
        lambda conn: dpo_review(
            conn,
            request_id,
            Actor(username=user, role=role),
            outcome=outcome,
            note=note,
            now=parse_now(now),
        ),
    )
    console.print(f"request {request_id} reviewed: {request.dpo_outcome}")


@unmask_app.command("list")
def unmask_list(
    status: Annotated[str | None, typer.Option()] = None, database_url: DatabaseUrl = None
) -> None:
    """The requests, newest first."""
    items = _write(database_url, lambda conn: list_requests(conn, status=status))
    table = Table("id", "requester", "status", "records", "decided by", "expires", "DPO review")
    for r in items:
        table.add_row(
            str(r.id),
            escape(r.requester),
            r.status,
            f"{len(r.booking_ids)} bookings, {len(r.api_traveller_ids)} API",
            escape(r.decided_by or "-"),
            f"{r.expires_at:%Y-%m-%d %H:%M}" if r.expires_at else "-",
            r.dpo_outcome or ("pending" if r.dpo_notified_at else "-"),
        )
    console.print(table)


def _query(
    surname: str | None, given: str | None, born: str | None, document: str | None
) -> SubjectQuery:
    try:
        return SubjectQuery(
            surname=surname,
            given_names=given,
            date_of_birth=date.fromisoformat(born) if born else None,
            document=document,
        )
    except (SubjectRequestError, ValueError) as exc:
        console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(2) from exc


Surname = Annotated[str | None, typer.Option(help="Surname.")]
Given = Annotated[str | None, typer.Option(help="Given names.")]
Born = Annotated[str | None, typer.Option(help="Date of birth (YYYY-MM-DD).")]
DocumentNo = Annotated[str | None, typer.Option("--document", help="Document number.")]
Reference = Annotated[str | None, typer.Option(help="The request's reference.")]


@subject_app.command("export")
def subject_export(
    user: User,
    surname: Surname = None,
    given: Given = None,
    born: Born = None,
    document: DocumentNo = None,
    reference: Reference = None,
    out: Annotated[Path | None, typer.Option(help="Write the JSON here.")] = None,
    role: Role = "dpo",
    now: Now = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Find everything held about a person and export it as JSON (the DPO only)."""
    query, vault, at = _query(surname, given, born, document), _vault(), parse_now(now)

    def run(conn: Connection) -> str:
        matches = find_subject(
            conn, query, by=user, role=role, now=at, vault=vault, reference=reference
        )
        export = export_subject(
            conn, matches, by=user, role=role, now=at, vault=vault, reference=reference
        )
        record_request(
            conn,
            kind="access",
            received_on=at.date(),
            matches=matches,
            outcome="done" if not matches.empty else "nothing_held",
            by=user,
            role=role,
            now=at,
            reference=reference,
        )
        return export.to_json()

    text = _write(database_url, run)
    if out:
        out.write_text(text, encoding="utf-8")
        console.print(f"written to {out}")
    else:
        typer.echo(text)


@subject_app.command("erase")
def subject_erase(
    user: User,
    surname: Surname = None,
    given: Given = None,
    born: Born = None,
    document: DocumentNo = None,
    reference: Reference = None,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm the erasure.")] = False,
    role: Role = "dpo",
    now: Now = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Erase a person from the store (the DPO only; needs --yes)."""
    query, vault, at = _query(surname, given, born, document), _vault(), parse_now(now)

    def run(conn: Connection) -> int:
        matches = find_subject(
            conn, query, by=user, role=role, now=at, vault=vault, reference=reference
        )
        if not yes:
            console.print(
                f"would erase {len(matches.travellers)} booked and "
                f"{len(matches.api_travellers)} API traveller(s); pass --yes"
            )
            return 0
        removed = erase_subject(conn, matches, by=user, role=role, now=at, reference=reference)
        record_request(
            conn,
            kind="erasure",
            received_on=at.date(),
            matches=matches,
            outcome="done" if removed else "nothing_held",
            by=user,
            role=role,
            now=at,
            reference=reference,
        )
        return removed

    removed = _write(database_url, run)
    if yes:
        console.print(f"{removed} record(s) erased")

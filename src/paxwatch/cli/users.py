"""User commands: ``paxwatch users add|list|disable|enable|password|role|unlock|token``.

These run on the server as its operator (shell access to the server is administration):
the audit trail records them as actor ``cli:<os user>``. Passwords are read from standard
input (``--password-stdin``) or generated and printed once; tokens are printed once.
"""

from __future__ import annotations

import getpass
import sys
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from paxwatch.cli import app
from paxwatch.cli.store import DatabaseUrl
from paxwatch.privacy.access import AccessConfig, AccessError, parse_role
from paxwatch.privacy.tokens import create_token, list_tokens, revoke_token
from paxwatch.privacy.users import (
    create_user,
    list_users,
    set_active,
    set_password,
    set_role,
    unlock,
)
from paxwatch.store.engine import Store, open_store

console = Console()
users_app = typer.Typer(help="Accounts, roles and API tokens.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens of an account.", no_args_is_help=True)
users_app.add_typer(token_app, name="token")
app.add_typer(users_app, name="users")


def cli_actor() -> str:
    """The audit actor of a command run on the server."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _fail(exc: Exception) -> typer.Exit:
    console.print(f"[red]{escape(str(exc))}[/]")
    return typer.Exit(1)


def _store(url: str | None) -> Store:
    return open_store(url)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _stdin_password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


@users_app.command("add")
def users_add(
    username: str,
    role: Annotated[str, typer.Option("--role", help="analyst, supervisor, dpo, ...")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Create an account (prints a generated password when none is given)."""
    store = _store(database_url)
    try:
        password = _stdin_password() if password_stdin else None
        created = create_user(
            store,
            username,
            parse_role(role),
            password=password,
            actor=cli_actor(),
            config=AccessConfig.from_env(),
        )
    except (AccessError, ValueError) as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    console.print(f"user [bold]{created.user.username}[/] ({created.user.role.value}) created")
    if created.generated_password is not None:
        console.print("password (shown once): ", end="")
        console.print(created.generated_password, markup=False, highlight=False)


@users_app.command("list")
def users_list(database_url: DatabaseUrl = None) -> None:
    """List the accounts."""
    store = _store(database_url)
    try:
        with store.read() as conn:
            users = list_users(conn)
    finally:
        store.close()
    table = Table("username", "role", "active", "locked until", "last login", "created")
    for u in users:
        table.add_row(
            u.username,
            u.role.value,
            "yes" if u.active else "[red]no[/]",
            _when(u.locked_until),
            _when(u.last_login_at),
            _when(u.created_at),
        )
    console.print(table)
    console.print(f"{len(users)} user(s)")


def _set_active(username: str, active: bool, database_url: str | None) -> None:
    store = _store(database_url)
    try:
        user = set_active(store, username, active, actor=cli_actor())
    except AccessError as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    console.print(f"user [bold]{user.username}[/] {'enabled' if active else 'disabled'}")


@users_app.command("disable")
def users_disable(username: str, database_url: DatabaseUrl = None) -> None:
    """Disable an account (its sessions end, its tokens stop working)."""
    _set_active(username, False, database_url)


@users_app.command("enable")
def users_enable(username: str, database_url: DatabaseUrl = None) -> None:
    """Enable an account again."""
    _set_active(username, True, database_url)


@users_app.command("password")
def users_password(username: str, database_url: DatabaseUrl = None) -> None:
    """Set a password read from standard input (clears a lockout, ends sessions)."""
    store = _store(database_url)
    try:
        set_password(
            store, username, _stdin_password(), actor=cli_actor(), config=AccessConfig.from_env()
        )
    except AccessError as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    console.print(f"password of [bold]{escape(username)}[/] changed")


@users_app.command("role")
def users_role(
    username: str,
    role: Annotated[str, typer.Option("--role")],
    database_url: DatabaseUrl = None,
) -> None:
    """Change an account's role."""
    store = _store(database_url)
    try:
        user = set_role(store, username, parse_role(role), actor=cli_actor())
    except (AccessError, ValueError) as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    console.print(f"user [bold]{user.username}[/] is now {user.role.value}")


@users_app.command("unlock")
def users_unlock(username: str, database_url: DatabaseUrl = None) -> None:
    """Lift a lockout after failed logins."""
    store = _store(database_url)
    try:
        user = unlock(store, username, actor=cli_actor())
    except AccessError as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    console.print(f"user [bold]{user.username}[/] unlocked")


@token_app.command("create")
def token_create(
    username: str,
    name: Annotated[str, typer.Option("--name", help="What the token is for.")],
    days: Annotated[
        int | None, typer.Option("--days", help="Validity in days (0: no expiry).")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create an API token (printed once, stored hashed)."""
    store = _store(database_url)
    try:
        new = create_token(
            store,
            username,
            name=name,
            days=days,
            actor=cli_actor(),
            config=AccessConfig.from_env(),
        )
    except AccessError as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    expiry = _when(new.info.expires_at) if new.info.expires_at else "never"
    console.print(f"token #{new.info.id} {escape(new.info.name)!r} expires {expiry}")
    console.print("token (shown once): ", end="")
    console.print(new.token, markup=False, highlight=False)


@token_app.command("list")
def token_list(username: Annotated[str | None, typer.Argument()] = None,
               database_url: DatabaseUrl = None) -> None:  # fmt: skip
    """List API tokens (never the tokens themselves)."""
    store = _store(database_url)
    try:
        with store.read() as conn:
            tokens = list_tokens(conn, username=username)
    finally:
        store.close()
    table = Table("id", "user", "name", "prefix", "role", "expires", "last used", "revoked")
    for t in tokens:
        table.add_row(
            str(t.id),
            t.username,
            escape(t.name),
            t.prefix,
            t.role.value,
            _when(t.expires_at),
            _when(t.last_used_at),
            _when(t.revoked_at),
        )
    console.print(table)


@token_app.command("revoke")
def token_revoke(token_id: int, database_url: DatabaseUrl = None) -> None:
    """Revoke an API token by its id."""
    store = _store(database_url)
    try:
        info = revoke_token(store, token_id, actor=cli_actor())
    except AccessError as exc:
        raise _fail(exc) from None
    finally:
        store.close()
    console.print(f"token #{info.id} revoked")

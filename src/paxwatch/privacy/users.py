"""Local accounts: argon2id password hashes, password policy, lockout, disable/enable.

Every change is recorded in the audit trail (``UserEvent``) in the same transaction, and
every login attempt as a ``LoginEvent``. Passwords are never logged nor stored in clear;
an attempt with an unknown username is recorded as actor ``unknown`` (what was typed in the
user field may be a password).

Lockout: after ``AccessConfig.max_failed_logins`` consecutive failures (counted under a row
lock, so that concurrent attempts cannot overtake the count) an account is locked
for ``lockout_minutes``; during the lock even the right password is refused. A success
resets the counter. Disabling an account ends its sessions; its API tokens stop working
(they are checked against the account at each use).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, insert, select, update

from paxwatch.privacy.access import AccessConfig, AccessError, Principal, Role
from paxwatch.privacy.audit import LoginEvent, UserEvent, record
from paxwatch.privacy.passwords import (
    check_password_policy,
    dummy_hash,
    generate_password,
    hash_password,
    hasher,
    verify_password,
)
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.schema_review import app_user, user_session

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
UNKNOWN_ACTOR = "unknown"


class UserError(AccessError):
    """An account operation was refused (unknown user, duplicate, bad name)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    """An account (never its hash)."""

    id: int
    username: str
    role: Role
    active: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    created_by: str | None
    last_login_at: datetime | None
    has_password: bool

    def locked(self, now: datetime) -> bool:
        """True while a lockout runs."""
        return self.locked_until is not None and self.locked_until > now

    def principal(self, via: str = "session") -> Principal:
        """This account as a caller."""
        return Principal(user_id=self.id, username=self.username, role=self.role, via=via)


@dataclass(frozen=True, slots=True, kw_only=True)
class CreatedUser:
    """A new account and, when none was given, the generated password (shown once)."""

    user: User
    generated_password: str | None


class LoginOutcome(StrEnum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginResult:
    """The outcome of :func:`authenticate`; show users one message for every failure."""

    outcome: LoginOutcome
    user: User | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is LoginOutcome.OK


def normalise_username(username: str) -> str:
    """The stored form (lower case); :class:`UserError` for an unusable name."""
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise UserError(
            "a username has 2 to 100 characters: letters, digits and . _ @ - "
            "(starting with a letter or digit)"
        )
    return name


def _user(row: Any) -> User:
    return User(
        id=int(row.id),
        username=row.username,
        role=Role(row.role),
        active=bool(row.active),
        failed_logins=int(row.failed_logins),
        locked_until=row.locked_until,
        created_at=row.created_at,
        created_by=row.created_by,
        last_login_at=row.last_login_at,
        has_password=bool(row.password_hash),
    )


def get_user(conn: Connection, username: str) -> User | None:
    """The account named ``username`` (None when absent)."""
    row = conn.execute(
        select(app_user).where(app_user.c.username == username.strip().lower())
    ).first()
    return _user(row) if row is not None else None


def get_user_by_id(conn: Connection, user_id: int) -> User | None:
    """The account with id ``user_id``."""
    row = conn.execute(select(app_user).where(app_user.c.id == user_id)).first()
    return _user(row) if row is not None else None


def list_users(conn: Connection, *, include_disabled: bool = True) -> list[User]:
    """Every account, by username."""
    query = select(app_user).order_by(app_user.c.username)
    if not include_disabled:
        query = query.where(app_user.c.active.is_(True))
    return [_user(row) for row in conn.execute(query)]


def _required(conn: Connection, username: str) -> User:
    user = get_user(conn, username)
    if user is None:
        raise UserError(f"no user {username.strip().lower()!r}")
    return user


def create_user(
    store: Store,
    username: str,
    role: Role,
    *,
    password: str | None = None,
    actor: str,
    config: AccessConfig | None = None,
) -> CreatedUser:
    """Create an account; without ``password`` one is generated and returned (once)."""
    cfg = config or AccessConfig()
    name = normalise_username(username)
    generated = None
    if password is None:
        generated = password = generate_password(username=name)
    check_password_policy(password, cfg, name)
    encoded = hash_password(password, cfg)
    now = utcnow()
    with store.write() as conn:
        if get_user(conn, name) is not None:
            raise UserError(f"user {name!r} exists")
        conn.execute(
            insert(app_user).values(
                username=name,
                role=role.value,
                password_hash=encoded,
                active=True,
                failed_logins=0,
                created_at=now,
                created_by=actor,
                updated_at=now,
                password_changed_at=now,
            )
        )
        record(conn, UserEvent(actor=actor, action="created", username=name, role=role.value))
        user = _required(conn, name)
    return CreatedUser(user=user, generated_password=generated)


def _change(conn: Connection, user: User, **values: Any) -> None:
    conn.execute(
        update(app_user).where(app_user.c.id == user.id).values(updated_at=utcnow(), **values)
    )


def revoke_user_sessions(conn: Connection, user_id: int, at: datetime) -> int:
    """End every open session of an account; returns how many."""
    result = conn.execute(
        update(user_session)
        .where(user_session.c.user_id == user_id, user_session.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return int(result.rowcount or 0)


def set_active(store: Store, username: str, active: bool, *, actor: str) -> User:
    """Enable or disable an account (disabling ends its sessions)."""
    with store.write() as conn:
        user = _required(conn, username)
        _change(conn, user, active=active)
        if not active:
            revoke_user_sessions(conn, user.id, utcnow())
        action = "enabled" if active else "disabled"
        record(conn, UserEvent(actor=actor, action=action, username=user.username))
        return _required(conn, username)


def set_role(store: Store, username: str, role: Role, *, actor: str) -> User:
    """Change an account's role (its sessions end: the next login carries the new role)."""
    with store.write() as conn:
        user = _required(conn, username)
        _change(conn, user, role=role.value)
        revoke_user_sessions(conn, user.id, utcnow())
        record(
            conn,
            UserEvent(
                actor=actor,
                action="role_changed",
                username=user.username,
                role=role.value,
                detail=f"from {user.role.value}",
            ),
        )
        return _required(conn, username)


def set_password(
    store: Store,
    username: str,
    password: str,
    *,
    actor: str,
    config: AccessConfig | None = None,
) -> User:
    """Set a new password (policy checked), clear the lockout and end the sessions."""
    cfg = config or AccessConfig()
    name = normalise_username(username)
    check_password_policy(password, cfg, name)
    encoded = hash_password(password, cfg)
    now = utcnow()
    with store.write() as conn:
        user = _required(conn, name)
        _change(
            conn,
            user,
            password_hash=encoded,
            password_changed_at=now,
            failed_logins=0,
            locked_until=None,
        )
        revoke_user_sessions(conn, user.id, now)
        record(conn, UserEvent(actor=actor, action="password_changed", username=name))
        return _required(conn, name)


def unlock(store: Store, username: str, *, actor: str) -> User:
    """Lift a lockout."""
    with store.write() as conn:
        user = _required(conn, username)
        _change(conn, user, failed_logins=0, locked_until=None)
        record(conn, UserEvent(actor=actor, action="unlocked", username=user.username))
        return _required(conn, username)


def _failure(conn: Connection, user: User, now: datetime, cfg: AccessConfig) -> LoginResult:
    failures = user.failed_logins + 1
    if failures >= cfg.max_failed_logins:
        until = now + timedelta(minutes=cfg.lockout_minutes)
        _change(conn, user, failed_logins=0, locked_until=until)
        record(conn, LoginEvent(actor=user.username, method="password", outcome="locked"), at=now)
        record(
            conn,
            UserEvent(
                actor="system",
                action="locked",
                username=user.username,
                detail=f"{failures} failed logins",
            ),
            at=now,
        )
        return LoginResult(outcome=LoginOutcome.LOCKED, locked_until=until)
    _change(conn, user, failed_logins=failures)
    record(
        conn,
        LoginEvent(actor=user.username, method="password", outcome="bad_credentials"),
        at=now,
    )
    return LoginResult(outcome=LoginOutcome.BAD_CREDENTIALS)


def authenticate(
    store: Store,
    username: str,
    password: str,
    *,
    config: AccessConfig | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """Check a username and password, with lockout; records a ``LoginEvent``."""
    cfg = config or AccessConfig()
    when = now or utcnow()
    with store.read() as conn:
        row = conn.execute(
            select(app_user).where(app_user.c.username == username.strip().lower())
        ).first()
    # Verify before any decision so that answers take the same time for every case.
    matches = verify_password(
        row.password_hash if row is not None else dummy_hash(cfg), password, cfg
    )
    with store.write() as conn:
        if row is None:
            record(
                conn,
                LoginEvent(actor=UNKNOWN_ACTOR, method="password", outcome="bad_credentials"),
                at=when,
            )
            return LoginResult(outcome=LoginOutcome.BAD_CREDENTIALS)
        # The account's row is locked for the rest of the transaction (PostgreSQL; SQLite
        # serialises writers anyway): concurrent failures count one by one, none is lost.
        locked_row = conn.execute(
            select(app_user).where(app_user.c.id == row.id).with_for_update()
        ).one()
        user = _user(locked_row)
        if user.locked(when):
            record(
                conn, LoginEvent(actor=user.username, method="password", outcome="locked"), at=when
            )
            return LoginResult(outcome=LoginOutcome.LOCKED, locked_until=user.locked_until)
        if not matches:
            return _failure(conn, user, when, cfg)
        if not user.active:
            record(
                conn,
                LoginEvent(actor=user.username, method="password", outcome="disabled"),
                at=when,
            )
            return LoginResult(outcome=LoginOutcome.DISABLED)
        values: dict[str, Any] = {"failed_logins": 0, "locked_until": None, "last_login_at": when}
        if hasher(cfg).check_needs_rehash(row.password_hash):
            values["password_hash"] = hash_password(password, cfg)
        _change(conn, user, **values)
        record(conn, LoginEvent(actor=user.username, method="password", outcome="ok"), at=when)
        return LoginResult(outcome=LoginOutcome.OK, user=_required(conn, user.username))

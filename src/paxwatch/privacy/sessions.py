"""UI login sessions: opaque random ids stored hashed, absolute expiry, idle timeout, CSRF.

:func:`login` checks the password (``paxwatch.privacy.users.authenticate``, with lockout)
and opens a session; the UI keeps ``session_id`` in a cookie (HttpOnly, Secure,
SameSite=Strict) and puts ``csrf_token`` in its forms. Each request calls
:func:`validate_session`, and each state-changing request also :func:`check_csrf`.

A session ends at ``AccessConfig.session_hours`` after login, after
``session_idle_minutes`` without a request, at logout (:func:`revoke_session`), and when
the account is disabled, its role or password changes.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update

from paxwatch.privacy.access import AccessConfig, Principal, Role
from paxwatch.privacy.audit import LoginEvent, record
from paxwatch.privacy.tokens import token_digest
from paxwatch.privacy.users import LoginResult, authenticate
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.schema_review import app_user, user_session

_TOUCH_GRANULARITY = timedelta(seconds=30)


@dataclass(frozen=True, slots=True, kw_only=True)
class NewSession:
    """A session just opened: ``session_id`` goes into the cookie (never stored)."""

    session_id: str
    csrf_token: str
    expires_at: datetime
    principal: Principal


@dataclass(frozen=True, slots=True, kw_only=True)
class ActiveSession:
    """A valid session: who, its CSRF token, when it ends."""

    id: int
    principal: Principal
    csrf_token: str
    expires_at: datetime
    idle_expires_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionLogin:
    """The outcome of :func:`login`: the password check and, when it passed, the session."""

    result: LoginResult
    session: NewSession | None


def create_session(
    store: Store,
    principal: Principal,
    *,
    config: AccessConfig | None = None,
    now: datetime | None = None,
) -> NewSession:
    """Open a session for an authenticated account."""
    cfg = config or AccessConfig()
    when = now or utcnow()
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = when + timedelta(hours=cfg.session_hours)
    with store.write() as conn:
        conn.execute(
            insert(user_session).values(
                user_id=principal.user_id,
                session_hash=token_digest(session_id),
                csrf_token=csrf,
                created_at=when,
                expires_at=expires,
                last_seen_at=when,
            )
        )
    return NewSession(
        session_id=session_id, csrf_token=csrf, expires_at=expires, principal=principal
    )


def login(
    store: Store,
    username: str,
    password: str,
    *,
    config: AccessConfig | None = None,
    now: datetime | None = None,
) -> SessionLogin:
    """Check the password and, when it is right, open a session."""
    result = authenticate(store, username, password, config=config, now=now)
    if not result.ok or result.user is None:
        return SessionLogin(result=result, session=None)
    session = create_session(store, result.user.principal("session"), config=config, now=now)
    return SessionLogin(result=result, session=session)


def validate_session(
    store: Store,
    session_id: str,
    *,
    config: AccessConfig | None = None,
    now: datetime | None = None,
) -> ActiveSession | None:
    """The session of a cookie, or None (unknown, revoked, expired, idle too long, account
    disabled). Refreshes the idle timer."""
    if not session_id:
        return None
    cfg = config or AccessConfig()
    when = now or utcnow()
    idle = timedelta(minutes=cfg.session_idle_minutes)
    with store.read() as conn:
        row = conn.execute(
            select(
                user_session.c.id,
                user_session.c.csrf_token,
                user_session.c.expires_at,
                user_session.c.last_seen_at,
                user_session.c.revoked_at,
                app_user.c.id.label("user_id"),
                app_user.c.username,
                app_user.c.role,
                app_user.c.active,
            )
            .join(app_user, app_user.c.id == user_session.c.user_id)
            .where(user_session.c.session_hash == token_digest(session_id))
        ).first()
    if row is None or row.revoked_at is not None or not row.active:
        return None
    if when >= row.expires_at or when - row.last_seen_at > idle:
        return None
    if when - row.last_seen_at >= _TOUCH_GRANULARITY:
        with store.write() as conn:
            conn.execute(
                update(user_session).where(user_session.c.id == row.id).values(last_seen_at=when)
            )
        last_seen = when
    else:
        last_seen = row.last_seen_at
    return ActiveSession(
        id=int(row.id),
        principal=Principal(
            user_id=int(row.user_id), username=row.username, role=Role(row.role), via="session"
        ),
        csrf_token=row.csrf_token,
        expires_at=row.expires_at,
        idle_expires_at=min(row.expires_at, last_seen + idle),
    )


def check_csrf(session: ActiveSession, token: str | None) -> bool:
    """True when ``token`` (from the form or header) is the session's CSRF token."""
    if not token:
        return False
    return hmac.compare_digest(session.csrf_token.encode(), token.encode())


def revoke_session(store: Store, session_id: str, *, now: datetime | None = None) -> bool:
    """Log out: end the session of ``session_id``; False when there was none open."""
    when = now or utcnow()
    with store.write() as conn:
        row = conn.execute(
            select(user_session.c.id, app_user.c.username)
            .join(app_user, app_user.c.id == user_session.c.user_id)
            .where(
                user_session.c.session_hash == token_digest(session_id),
                user_session.c.revoked_at.is_(None),
            )
        ).first()
        if row is None:
            return False
        conn.execute(
            update(user_session).where(user_session.c.id == row.id).values(revoked_at=when)
        )
        record(conn, LoginEvent(actor=row.username, method="session", outcome="logout"), at=when)
    return True

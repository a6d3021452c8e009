"""API tokens: random, shown once, stored as SHA-256, with a name, role, expiry, last use.

A token is ``pxw_`` followed by 43 URL-safe characters (256 random bits); a hash without
salt is enough for such a secret and lets a request find its token by an index look-up.
The first characters after ``pxw_`` (``prefix``) are kept to tell tokens apart in lists.
A token acts with its own role, which is the account's role when it was created; it stops
working when revoked, expired, or when the account is disabled or its role changed.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from paxwatch.privacy.access import AccessConfig, Principal, Role
from paxwatch.privacy.audit import UserEvent, record
from paxwatch.privacy.users import UserError, get_user
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.schema_review import api_token, app_user

TOKEN_PREFIX = "pxw_"
_LAST_USED_GRANULARITY = timedelta(minutes=1)


def token_digest(token: str) -> str:
    """The stored form of a token or session id."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenInfo:
    """A stored token (never the token itself)."""

    id: int
    username: str
    name: str
    prefix: str
    role: Role
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    def usable(self, now: datetime) -> bool:
        """Not revoked and not expired."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


@dataclass(frozen=True, slots=True, kw_only=True)
class NewToken:
    """A created token: ``token`` is shown once and never stored."""

    token: str
    info: TokenInfo


def _info(row: Any) -> TokenInfo:
    return TokenInfo(
        id=int(row.id),
        username=row.username,
        name=row.name,
        prefix=row.prefix,
        role=Role(row.role),
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def _select() -> Any:
    return select(
        api_token.c.id,
        app_user.c.username,
        api_token.c.name,
        api_token.c.prefix,
        api_token.c.role,
        api_token.c.created_at,
        api_token.c.expires_at,
        api_token.c.last_used_at,
        api_token.c.revoked_at,
    ).join(app_user, app_user.c.id == api_token.c.user_id)


def create_token(
    store: Store,
    username: str,
    *,
    name: str,
    days: int | None = None,
    actor: str,
    config: AccessConfig | None = None,
) -> NewToken:
    """Create a token for ``username`` valid ``days`` days (``AccessConfig.token_days`` by
    default; 0 for no expiry)."""
    cfg = config or AccessConfig()
    label = name.strip()
    if not label or len(label) > 100:
        raise UserError("a token needs a name of 1 to 100 characters")
    valid = cfg.token_days if days is None else days
    if valid < 0:
        raise UserError("a token's validity cannot be negative")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    with store.write() as conn:
        user = get_user(conn, username)
        if user is None:
            raise UserError(f"no user {username.strip().lower()!r}")
        if not user.active:
            raise UserError(f"user {user.username!r} is disabled")
        token_id = conn.execute(
            insert(api_token)
            .values(
                user_id=user.id,
                name=label,
                token_hash=token_digest(token),
                prefix=token[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 8],
                role=user.role.value,
                created_at=now,
                created_by=actor,
                expires_at=now + timedelta(days=valid) if valid else None,
            )
            .returning(api_token.c.id)
        ).scalar_one()
        record(
            conn,
            UserEvent(
                actor=actor,
                action="token_created",
                username=user.username,
                role=user.role.value,
                detail=f"token #{token_id} {label!r}",
            ),
        )
        info = _info(conn.execute(_select().where(api_token.c.id == token_id)).one())
    return NewToken(token=token, info=info)


@dataclass(frozen=True, slots=True)
class _Cached:
    principal: Principal
    expires_at: datetime | None
    until: float


class TokenCache:
    """Tokens recently found valid, for ``seconds`` (a server answers many requests per
    second with the same token; each would otherwise read the token and its account).

    Only valid tokens are kept (by their SHA-256, never the token). A cached token still
    stops at its expiry. A token revoked, or an account disabled or given another role, in
    this process (:func:`revoke_token`, the API's user routes) is forgotten at once
    (:meth:`clear`, :func:`forget_cached_tokens`); changed by another process (the CLI,
    another server) it keeps working at most ``seconds`` longer. ``seconds`` 0 disables
    the cache."""

    def __init__(
        self,
        seconds: float = 5.0,
        *,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self._max_entries = max_entries
        self._clock = clock
        self._entries: dict[str, _Cached] = {}
        self._lock = threading.Lock()
        _CACHES.add(self)

    def get(self, digest: str, now: datetime) -> Principal | None:
        """The cached caller of a token digest, if fresh and not expired at ``now``."""
        found = self._entries.get(digest)
        if found is None:
            return None
        if found.until <= self._clock() or (
            found.expires_at is not None and found.expires_at <= now
        ):
            with self._lock:
                self._entries.pop(digest, None)
            return None
        return found.principal

    def put(self, digest: str, principal: Principal, expires_at: datetime | None) -> None:
        """Remember a token found valid."""
        if self.seconds <= 0:
            return
        with self._lock:
            if len(self._entries) >= self._max_entries:
                self._entries.clear()
            self._entries[digest] = _Cached(principal, expires_at, self._clock() + self.seconds)

    def clear(self) -> None:
        """Forget every token (after a revocation or an account change)."""
        with self._lock:
            self._entries.clear()


_CACHES: weakref.WeakSet[TokenCache] = weakref.WeakSet()


def forget_cached_tokens() -> None:
    """Clear every :class:`TokenCache` of this process (a token was revoked, an account
    disabled or its role changed)."""
    for cache in list(_CACHES):
        cache.clear()


def cached_principal(
    token: str, cache: TokenCache | None, *, now: datetime | None = None
) -> Principal | None:
    """The caller of a token found valid less than ``cache.seconds`` ago, without reading
    the store (None when it is not cached: call :func:`authenticate_token`)."""
    if cache is None or not token.startswith(TOKEN_PREFIX):
        return None
    return cache.get(token_digest(token), now or utcnow())


def authenticate_token(
    store: Store, token: str, *, now: datetime | None = None, cache: TokenCache | None = None
) -> Principal | None:
    """The caller a bearer token stands for, or None (unknown, revoked, expired, account
    disabled or role changed). Updates ``last_used_at`` (at most once a minute). With a
    ``cache``, a token found valid less than ``cache.seconds`` ago is not read again."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    when = now or utcnow()
    digest = token_digest(token)
    if cache is not None:
        cached = cache.get(digest, when)
        if cached is not None:
            return cached
    with store.read() as conn:
        row = conn.execute(
            select(
                api_token.c.id,
                api_token.c.role,
                api_token.c.expires_at,
                api_token.c.revoked_at,
                api_token.c.last_used_at,
                app_user.c.id.label("user_id"),
                app_user.c.username,
                app_user.c.role.label("user_role"),
                app_user.c.active,
            )
            .join(app_user, app_user.c.id == api_token.c.user_id)
            .where(api_token.c.token_hash == digest)
        ).first()
    if row is None or row.revoked_at is not None or not row.active:
        return None
    if row.expires_at is not None and row.expires_at <= when:
        return None
    if row.role != row.user_role:
        return None
    if row.last_used_at is None or when - row.last_used_at >= _LAST_USED_GRANULARITY:
        with store.write() as conn:
            conn.execute(
                update(api_token).where(api_token.c.id == row.id).values(last_used_at=when)
            )
    principal = Principal(
        user_id=int(row.user_id), username=row.username, role=Role(row.role), via="token"
    )
    if cache is not None:
        cache.put(digest, principal, row.expires_at)
    return principal


def list_tokens(conn: Connection, *, username: str | None = None) -> list[TokenInfo]:
    """Tokens (of one account), newest first."""
    query = _select().order_by(api_token.c.id.desc())
    if username is not None:
        query = query.where(app_user.c.username == username.strip().lower())
    return [_info(row) for row in conn.execute(query)]


def revoke_token(store: Store, token_id: int, *, actor: str) -> TokenInfo:
    """Revoke a token by its id (idempotent)."""
    now = utcnow()
    with store.write() as conn:
        row = conn.execute(_select().where(api_token.c.id == token_id)).first()
        if row is None:
            raise UserError(f"no token #{token_id}")
        if row.revoked_at is None:
            conn.execute(update(api_token).where(api_token.c.id == token_id).values(revoked_at=now))
            record(
                conn,
                UserEvent(
                    actor=actor,
                    action="token_revoked",
                    username=row.username,
                    detail=f"token #{token_id} {row.name!r}",
                ),
            )
        info = _info(conn.execute(_select().where(api_token.c.id == token_id)).one())
    forget_cached_tokens()
    return info

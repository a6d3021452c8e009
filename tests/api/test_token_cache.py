"""The token cache of the API: a token found valid is trusted a few seconds, revocation in
the process is immediate, elsewhere it takes effect within the cache's lifetime."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from paxwatch.api import ApiSettings
from paxwatch.privacy.access import Role
from paxwatch.privacy.tokens import (
    TokenCache,
    authenticate_token,
    cached_principal,
    create_token,
    revoke_token,
)
from paxwatch.privacy.users import create_user
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.schema_review import api_token
from tests.api.helpers import FAST
from tests.store.helpers import make_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with make_store("sqlite", tmp_path) as s:
        yield s


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_revoked_elsewhere_stops_within_the_ttl(store: Store) -> None:
    create_user(store, "alice", Role.ANALYST, actor="admin", config=FAST)
    new = create_token(store, "alice", name="t", days=30, actor="admin", config=FAST)
    clock = Clock()
    cache = TokenCache(5.0, clock=clock)
    assert authenticate_token(store, new.token, cache=cache) is not None
    # Revoked by another process (the CLI): the database changes, this cache does not know.
    with store.write() as conn:
        conn.execute(update(api_token).values(revoked_at=utcnow()))
    clock.now += 4.9
    assert authenticate_token(store, new.token, cache=cache) is not None
    clock.now += 0.2
    assert authenticate_token(store, new.token, cache=cache) is None
    assert authenticate_token(store, new.token, cache=cache) is None  # refusals not cached


def test_revoked_in_process_stops_at_once_and_expiry_holds(store: Store) -> None:
    create_user(store, "bob", Role.ANALYST, actor="admin", config=FAST)
    new = create_token(store, "bob", name="t", days=1, actor="admin", config=FAST)
    cache = TokenCache(3600.0)
    assert authenticate_token(store, new.token, cache=cache) is not None
    # A cached token still stops at its expiry.
    later = utcnow() + timedelta(days=2)
    assert authenticate_token(store, new.token, cache=cache, now=later) is None
    assert authenticate_token(store, new.token, cache=cache) is not None
    revoke_token(store, new.info.id, actor="admin")
    assert authenticate_token(store, new.token, cache=cache) is None
    # No cache (0 s): every request reads the token.
    assert TokenCache(0).get("x", utcnow()) is None


def test_settings_from_env() -> None:
    got = ApiSettings.from_env(
        {"PAXWATCH_API_TOKEN_CACHE_SECONDS": "1.5", "PAXWATCH_API_THREADS": "6"}
    )
    assert got.token_cache_seconds == 1.5 and got.threads == 6
    default = ApiSettings.from_env({})
    assert default.token_cache_seconds == 5.0 and default.threads == 4


def test_cached_principal_reads_nothing_and_expires(store: Store) -> None:
    """``cached_principal`` (the API's fast path) answers only for a token found valid
    within the cache's lifetime, and never for a token it has not seen."""
    create_user(store, "carol", Role.ANALYST, actor="admin", config=FAST)
    new = create_token(store, "carol", name="t", days=30, actor="admin", config=FAST)
    clock = Clock()
    cache = TokenCache(5.0, clock=clock)
    assert cached_principal(new.token, cache) is None
    assert cached_principal(new.token, None) is None
    found = authenticate_token(store, new.token, cache=cache)
    assert found is not None
    assert cached_principal(new.token, cache) == found
    assert cached_principal("pxw_" + "x" * 43, cache) is None
    assert cached_principal(new.token.removeprefix("pxw_"), cache) is None
    clock.now += 5.1
    assert cached_principal(new.token, cache) is None

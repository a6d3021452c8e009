"""API fixtures: an app over a fresh store (SQLite and PostgreSQL) with interim tokens."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    # Starlette 1.10 prefers httpx2 for its test client; the project pins httpx 0.28.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from paxwatch.api import ApiSettings, create_app
from paxwatch.api.settings import parse_tokens
from paxwatch.store.engine import Store
from tests.store.helpers import BACKENDS, make_store

TOKENS = "carrier:push:push-secret,analyst:read:read-secret,ops:push:both,ops:read:both"
PUSH = {"Authorization": "Bearer push-secret"}
READ = {"Authorization": "Bearer read-secret"}
BOTH = {"Authorization": "Bearer both"}


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with make_store(request.param, tmp_path) as s:
        yield s


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    settings = ApiSettings(tokens=parse_tokens(TOKENS), max_body=64 * 1024)
    with TestClient(create_app(store, settings=settings)) as c:
        yield c

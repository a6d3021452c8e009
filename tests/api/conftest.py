"""API fixtures: an app over a fresh store (SQLite and PostgreSQL), one account and API
token per role (``privacy.users`` / ``privacy.tokens``) and a carrier push token."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    # Starlette 1.10 prefers httpx2 for its test client; the project pins httpx 0.28.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from paxwatch.api import create_app
from paxwatch.privacy.access import Role
from paxwatch.store.engine import Store
from tests.api.helpers import PUSH, everyone, settings
from tests.store.helpers import BACKENDS, make_store

__all__ = ["PUSH"]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with make_store(request.param, tmp_path) as s:
        yield s


@pytest.fixture
def roles(store: Store) -> dict[Role, dict[str, str]]:
    """The ``Authorization`` header of one account per role."""
    return everyone(store)


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store, settings=settings(64 * 1024))) as c:
        yield c

"""Fixtures: a store on SQLite and PostgreSQL with clean assessment caches and hooks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from paxwatch.assess.rules import forget_rulesets
from paxwatch.assess.screen import forget_screeners
from paxwatch.ingest import hooks
from paxwatch.store.engine import Store
from tests.store.helpers import BACKENDS, make_store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    forget_screeners()
    forget_rulesets()
    with make_store(request.param, tmp_path) as s:
        yield s
    for hook in hooks.registered():
        hooks.unregister(hook)
    from paxwatch.assess import hook as hook_module

    hook_module._INSTALLED.clear()

"""Fixtures: a store on SQLite and PostgreSQL, clean caches and hooks, a tiny synthetic day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
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


@pytest.fixture(scope="session")
def synthetic_day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from paxwatch.synth.config import SynthConfig
    from paxwatch.synth.day import generate_day

    out = tmp_path_factory.mktemp("synth")
    generate_day(SynthConfig(day=date(2026, 3, 1), seed=7, scale=0.002), out)
    return out / "2026-03-01"

"""What a process keeps for its lifetime is out of the cyclic collector's reach: the active
lists' screener is frozen once built (``gcpause.freeze_long_lived``), what an earlier
freeze kept and is garbage now is collected, and a screening pool leaves a freeze it did
not make in place."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from paxwatch.assess.screen import current_screener, forget_screeners
from paxwatch.gcpause import freeze_long_lived
from paxwatch.screening.batch import ScreeningPool, can_fork
from paxwatch.screening.screen import Screener
from paxwatch.store.engine import open_store


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


@pytest.fixture
def thawed() -> Iterator[None]:
    gc.unfreeze()
    try:
        yield
    finally:
        gc.unfreeze()


@pytest.mark.usefixtures("thawed")
def test_frozen_objects_are_not_collected_until_the_next_freeze() -> None:
    a, b = _Node(), _Node()
    a.other, b.other = b, a  # a cycle: only the collector can free it
    alive = weakref.ref(a)
    freeze_long_lived()
    assert gc.get_freeze_count() > 0
    del a, b
    gc.collect()
    assert alive() is not None  # frozen: the collector does not see it
    freeze_long_lived()  # unfreezes, collects, freezes what is alive
    assert alive() is None


@pytest.mark.usefixtures("thawed")
def test_current_screener_is_frozen_once_built(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}", upgrade=True)
    forget_screeners()
    try:
        active = current_screener(store)
        assert gc.get_freeze_count() > 0
        # The screener's objects are among the frozen: a collection no longer lists them.
        assert not any(o is active.screener for o in gc.get_objects())
    finally:
        forget_screeners()
        store.close()


@pytest.mark.skipif(not can_fork(), reason="the pool forks")
@pytest.mark.usefixtures("thawed")
def test_pool_keeps_an_earlier_freeze_and_undoes_its_own() -> None:
    screener = Screener([])
    with ScreeningPool(screener, workers=2):
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0  # its own freeze, undone
    freeze_long_lived()
    frozen = gc.get_freeze_count()
    with ScreeningPool(screener, workers=2):
        pass
    assert gc.get_freeze_count() >= frozen  # an earlier freeze is left in place

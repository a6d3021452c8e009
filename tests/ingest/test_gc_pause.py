"""``gc_paused``: the cyclic collector is off while a batch is read and stored, and back on
after it (hooks run with it on); a collector turned off by the caller stays off."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.ingest import hooks, ingest_many
from paxwatch.ingest.pipeline import IngestItem, gc_paused
from paxwatch.store.engine import Store
from tests.store.factory import booking, pnr, traveller


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        (gc.enable if was else gc.disable)()


@pytest.mark.usefixtures("collector_on")
def test_off_inside_and_back_on_after_even_on_error() -> None:
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_nested_and_caller_choice_kept() -> None:
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner one does not turn it back on early
    assert gc.isenabled()
    gc.disable()
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the caller had it off: it stays off


@pytest.mark.usefixtures("collector_on")
def test_ingest_many_runs_hooks_with_the_collector_on(store: Store) -> None:
    seen: list[bool] = []

    def hook(flight_id: int, traveller_ids: tuple[int, ...]) -> None:
        seen.append(gc.isenabled())

    data = write_pnrgov(pnr(booking("GCP001", traveller("A", ref="1")))).encode()
    hooks.register(hook)
    try:
        results = ingest_many(store, [IngestItem(data=data, source="t")])
    finally:
        hooks.unregister(hook)
    assert [r.status for r in results] == ["stored"]
    assert seen == [True]
    assert gc.isenabled()

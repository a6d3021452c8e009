"""The audit chain stays one chain when several processes append at once (``paxwatch
serve --workers N``: each worker has its own store and group commit)."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from paxwatch.privacy.audit import PersonalDataRead, list_events, record_committed, verify
from paxwatch.store.engine import open_store
from tests.store.helpers import BACKENDS, store_url

PROCESSES, THREADS, EACH = 2, 4, 25


def _append_many(url: str, name: str, start: multiprocessing.synchronize.Event) -> None:
    """One worker process: a store of its own, ``THREADS`` threads appending ``EACH``
    reads each through the process's group commit."""
    store = open_store(url)
    start.wait(30)

    def work(n: int) -> None:
        for i in range(EACH):
            record_committed(store, PersonalDataRead(actor=name, purpose=f"{name}:{n}:{i}"))

    pool = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    store.close()


@pytest.mark.parametrize("kind", BACKENDS)
def test_two_processes_append_one_chain(kind: str, tmp_path: Path) -> None:
    """Two processes append concurrently: every event is stored once, numbered without gap
    or repeat, each thread's events in its order, and the chain verifies."""
    with store_url(kind, tmp_path) as url:
        store = open_store(url, upgrade=True)
        try:
            context = multiprocessing.get_context("spawn")
            start = context.Event()
            workers = [
                context.Process(target=_append_many, args=(url, f"worker{p}", start))
                for p in range(PROCESSES)
            ]
            for worker in workers:
                worker.start()
            start.set()
            for worker in workers:
                worker.join(120)
                assert worker.exitcode == 0
            total = PROCESSES * THREADS * EACH
            result = verify(store)
            assert result.ok, result.problem
            assert result.checked == total and result.head_seq == total
            with store.read() as conn:
                entries = list_events(conn, limit=None, newest_first=False)
            assert [e.seq for e in entries] == list(range(1, total + 1))
            purposes = [str(e.data()["purpose"]) for e in entries]
            assert len(set(purposes)) == total
            for p in range(PROCESSES):
                for n in range(THREADS):
                    mine = [x for x in purposes if x.startswith(f"worker{p}:{n}:")]
                    assert mine == [f"worker{p}:{n}:{i}" for i in range(EACH)]
            assert {e.actor for e in entries} == {f"worker{p}" for p in range(PROCESSES)}
        finally:
            store.close()

"""``batch.ScreeningPool``: the same matches as ``Screener.screen``, in input order, with the
caller screening a share and each first name always screened by the same process."""

from __future__ import annotations

import gc
from datetime import date

import pytest

from paxwatch.screening.batch import ScreeningPool, can_fork, shard_of
from paxwatch.screening.score import Match
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject
from tests.screening.test_fast_paths import PEOPLE

NAMES = ["Ibrahim Khalir", "NRGRO", "Rudi Slaiwak Tomas", "Toyib Ihnu", "John Smith", "Ibnu"]
DATES = [None, date(1974, 5, 28), date(1958, 1, 1), date(1975, 7, 2), date(1980, 1, 1)]
SUBJECTS = [Subject(names=(name,), date_of_birth=dob) for name in NAMES for dob in DATES] * 20

needs_fork = pytest.mark.skipif(not can_fork(), reason="no fork start method here")


def hits(results: list[list[Match]]) -> set[tuple[int, str, str, float]]:
    return {(i, m.source, m.entry_id, m.score) for i, ms in enumerate(results) for m in ms}


def test_batch_gives_the_single_process_results() -> None:
    screener = Screener(PEOPLE)
    single = [screener.screen(s) for s in SUBJECTS]
    assert hits(single)  # the batch has hits to compare
    assert screener.screen_many(SUBJECTS) == single
    assert screener.screen_many(SUBJECTS, workers=2) == single
    with ScreeningPool(screener, workers=2) as pool:
        assert (pool.workers == 2) == can_fork()
        assert pool.screen_many(SUBJECTS, min_split=7) == single
        assert pool.screen_many(SUBJECTS[:3]) == single[:3]
        assert pool.screen_many([]) == []
    with ScreeningPool(screener, workers=3) as pool:
        split = pool.screen_many(SUBJECTS, min_split=0)
    assert split == single
    assert hits(split) == hits(single)
    assert gc.isenabled()


def test_a_first_name_is_always_screened_by_the_same_process() -> None:
    for shards in (2, 3):
        seen = {shard_of(Subject(names=(name,)), shards) for name in NAMES}
        assert seen <= set(range(shards))
        for name in NAMES:
            again = {shard_of(Subject(names=(name, "OTHER")), shards) for _ in range(3)}
            assert again == {shard_of(Subject(names=(name,)), shards)}
    assert shard_of(Subject(names=()), 2) in (0, 1)
    assert len({shard_of(Subject(names=(name,)), 2) for name in NAMES}) == 2  # both used


class Failing(Screener):
    """Raises for the names that begin with BOOM, wherever they are screened."""

    def screen(self, subject: Subject, *, all_scores: bool = False) -> list[Match]:
        if subject.names and subject.names[0].startswith("Boom"):
            raise ValueError("boom")
        return super().screen(subject, all_scores=all_scores)


@needs_fork
@pytest.mark.parametrize(("name", "shard"), [("Boom Two", 0), ("Boom One", 1)])
def test_an_error_is_raised_in_the_caller_and_the_pool_goes_on(name: str, shard: int) -> None:
    screener = Failing(PEOPLE)
    boom = Subject(names=(name,))
    assert shard_of(boom, 2) == shard  # 0: the caller's share, 1: the worker's
    single = [screener.screen(s) for s in SUBJECTS]
    with ScreeningPool(screener, workers=2) as pool:
        with pytest.raises(ValueError, match="boom"):
            pool.screen_many([*SUBJECTS, boom], min_split=0)
        assert gc.isenabled()
        assert pool.screen_many(SUBJECTS, min_split=0) == single  # no answer left behind

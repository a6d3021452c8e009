"""Memos that a forked pool worker reads without copying pages: ``memo.Memo``, the
traveller names prepared outside the whole-name LRU, the three-step walk's memo."""

from __future__ import annotations

import math
import random

from paxwatch.model.watchlist import ListedName, WatchlistEntry
from paxwatch.screening import names
from paxwatch.screening.equivalences import default_equivalences
from paxwatch.screening.memo import Memo
from paxwatch.screening.names import fresh_name, prepare_name
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject

NAMES = [
    "Abd al-Rahman Al Zawahiri",
    "MOHAMMED ALI",
    "Мухаммад Юсупов",
    "محمد عبد الله",
    "Zhang Wei 张伟",
    "Dr. Jean-Pierre de la Fontaine",
    "O'NEILL Mary",
    "",
    "MHMD BDLKHLQ",
    "ALBERT VAN DER BERG",
]


def test_memo_computes_each_key_once_and_empties_when_full() -> None:
    calls: list[str] = []

    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    memo: Memo[str, str] = Memo(upper, 3)
    assert [memo["a"], memo["b"], memo["a"], memo["c"]] == ["A", "B", "A", "C"]
    assert calls == ["a", "b", "c"]
    assert memo["d"] == "D"  # full: emptied, then filed
    assert dict(memo) == {"d": "D"}
    assert memo["a"] == "A" and calls == ["a", "b", "c", "d", "a"]


def test_fresh_name_is_prepare_name() -> None:
    eq = default_equivalences()
    for text in NAMES:
        assert fresh_name(text, eq) == prepare_name(text, eq)


def test_screening_does_not_file_traveller_names_in_the_shared_name_memo() -> None:
    """The screener keeps a traveller's prepared name in its own memo only: the whole-name
    LRU (filled with the listed names before a pool forks) is not written to."""
    rng = random.Random(5)
    entries = [
        WatchlistEntry(
            source="t", entry_id=f"E{i}", names=(ListedName(full_name=f"ALI{i} HASSAN{i}"),)
        )
        for i in range(20)
    ]
    screener = Screener(entries)
    before = names._prepare.cache_info()
    travellers = [f"TRAVELLER{rng.randrange(10**9)} HASSAN{i}" for i in range(20)]
    for text in travellers:
        screener.screen(Subject(names=(text,)))
    after = names._prepare.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)
    assert all(text in screener._lookup for text in travellers)


def _three_steps_plain(
    freq: NameFrequencies, b: str, a: str, exclude: frozenset[str], total: int
) -> float:
    """The walk of ``NameFrequencies._three_steps`` written out (no memo of the last step)."""
    tokens = freq.tokens
    to_b = {
        d: n / tokens[d]
        for d, n in freq._neighbours(b).items()
        if d not in exclude and tokens.get(d)
    }
    walk = 0.0
    for c, n in freq._neighbours(a).items():
        if c in exclude:
            continue
        near_c = freq._neighbours(c)
        common = near_c.keys() & to_b.keys()
        if common:
            via = math.fsum([near_c[d] * to_b[d] for d in common])
            if via:
                walk += n / total * via / freq._named_with(c)
    return walk


def test_three_step_walk_is_the_plain_walk_whatever_is_excluded() -> None:
    rng = random.Random(11)
    given = ["ARAS", "OMAR", "SARA", "NINA", "LUC", "ANNE", "RIZA", "DARA"]
    family = ["HEWARAMI", "KARIMI", "HASSAN", "DUPONT", "MARTIN", "TALABANI", "BARZANI"]
    population = [
        f"{rng.choice(given)} {rng.choice(given)} {rng.choice(family)}" for _ in range(400)
    ]
    freq = NameFrequencies.count(population)
    tokens = sorted(freq.tokens)
    for _ in range(300):
        a, b = rng.sample(tokens, 2)
        exclude = frozenset([*rng.sample(tokens, rng.randrange(0, 4)), a, b])
        total = freq._named_with(a) - sum(freq._neighbours(a).get(c, 0) for c in exclude)
        if total <= 0:
            continue
        assert freq._three_steps(b, a, exclude, total) == _three_steps_plain(
            freq, b, a, exclude, total
        )

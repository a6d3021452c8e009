"""The one-step walk of ``NameFrequencies.given`` visits only the tokens named with both of
its tokens (a set intersection), in the order of the plain pass over all the tokens named
with ``a``: the same terms summed in the same order, so the same float; the positions it
orders them by are found for the listed tokens when the screener is built."""

from __future__ import annotations

import random

from paxwatch.model.watchlist import ListedName, WatchlistEntry
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.screen import Screener


def _given_plain(
    freq: NameFrequencies, b: str, a: str, exclude: frozenset[str], prior: float
) -> float:
    """``given(b, a, exclude, prior, steps=2)`` as a pass over every token named with ``a``."""
    na = freq.tokens.get(a, 0)
    key = f"{a}|{b}" if a <= b else f"{b}|{a}"
    pair = max(freq.pairs.get(key, 0) - 1, 0)
    smoothed = (pair + 0.5) / (na + prior) if prior > 0 else 0.0
    direct = max(smoothed, pair / na if na > 1 else 0.0)
    around = freq._neighbours(a)
    with_b = freq._neighbours(b)
    total = freq._named_with(a) - sum(around.get(c, 0) for c in exclude)
    walk = 0.0
    for c, n in around.items():
        if c in with_b and c not in exclude:
            nc = freq.tokens.get(c, 0)
            if nc:
                walk += n / total * with_b[c] / nc
    return max(direct, walk)


def _population(rng: random.Random) -> list[str]:
    given = ["ARAS", "OMAR", "SARA", "NINA", "LUC", "ANNE", "RIZA", "DARA", "ALI", "MOHAMED"]
    family = ["HEWARAMI", "KARIMI", "HASSAN", "DUPONT", "MARTIN", "TALABANI", "BARZANI", "ALI"]
    return [
        " ".join([*rng.sample(given, rng.randrange(1, 3)), rng.choice(family)]) for _ in range(600)
    ]


def test_one_step_walk_is_the_plain_pass_bit_for_bit() -> None:
    rng = random.Random(5)
    freq = NameFrequencies.count(_population(rng))
    tokens = sorted(freq.tokens)
    checked = 0
    for _ in range(400):
        a, b = rng.sample(tokens, 2)
        exclude = frozenset([*rng.sample(tokens, rng.randrange(0, 3)), a, b])
        if freq._named_with(a) - sum(freq._neighbours(a).get(c, 0) for c in exclude) <= 0:
            continue
        for prior in (0.0, 20.0):
            expected = _given_plain(freq, b, a, exclude, prior)
            assert freq.given(b, a, exclude, prior, steps=2) == expected  # == on floats
            checked += 1
    assert checked > 300


def test_positions_of_the_listed_tokens_are_found_when_the_screener_is_built() -> None:
    rng = random.Random(6)
    freq = NameFrequencies.count(_population(rng))
    entries = [
        WatchlistEntry(source="t", entry_id="1", names=(ListedName(full_name="Omar Hewarami"),)),
        WatchlistEntry(source="t", entry_id="2", names=(ListedName(full_name="Sara Karimi"),)),
    ]
    screener = Screener(entries, frequencies=freq)
    assert screener.frequencies is not None
    ranks = screener.frequencies._cache["ranks"]
    for token in ("OMAR", "HEWARAMI", "SARA", "KARIMI"):
        assert list(ranks[token]) == list(freq._neighbours(token))
        assert list(ranks[token].values()) == list(range(len(ranks[token])))

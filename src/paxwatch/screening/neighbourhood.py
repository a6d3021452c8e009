"""The neighbourhood of a listed token in a reference vocabulary: the population tokens that
``token_similarity`` puts at ``token_floor`` or more from it, with their names
(``rarity.NameFrequencies.near`` memoises it per token and sums it per level)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.equivalences import Equivalences
from paxwatch.screening.names import pattern, skeleton
from paxwatch.screening.namesim import token_similarity
from paxwatch.screening.vocabulary import VocabularyIndex

PREFILTER = 0.7
"""Jaro-Winkler under which a population token is not compared with a listed token: every
token the rules raise to ``token_floor`` (one edit, same pattern, abjad skeleton) is above."""


def neighbourhood(
    token: str,
    words: Sequence[str],
    counts: Sequence[int],
    rules: VocabularyIndex,
    cfg: ScreeningConfig,
    eq: Equivalences,
) -> tuple[list[float], list[int]]:
    """The neighbours of ``token`` among ``words`` (their names: ``counts``): their negated
    similarities, ascending, and the running totals of their names.

    A neighbour is a population token with Jaro-Winkler at least ``PREFILTER`` (every token a
    rule raises to ``token_floor`` is above) and ``token_similarity`` at least
    ``token_floor``. It is found without comparing ``token`` with every population token in
    Python: one C scan for Jaro-Winkler >= ``token_floor``, plus the tokens sharing a rule
    key (``rules``, a ``VocabularyIndex`` of ``words``: same pattern, same skeleton, one
    deletion apart): the plain scan of every population token it equals is in
    ``tests/screening/test_vocabulary.py``."""
    pt, st = pattern(token, eq), skeleton(token, eq)
    floor = cfg.token_floor
    scored: list[tuple[float, int]] = []
    seen: set[int] = set()
    positions = rules.jaro_winkler_candidates(token, floor).tolist()
    subset = [words[i] for i in positions]
    for word, _jw, k in process.extract(
        token, subset, scorer=JaroWinkler.similarity, score_cutoff=floor, limit=None
    ):
        i = positions[k]
        seen.add(i)
        close = (
            1.0
            if word == token
            else token_similarity(word, rules.patterns[i], rules.skeletons[i], token, pt, st, cfg)
        )
        scored.append((-close, counts[i]))
    for i in rules.candidates(token, pt, st, cfg):
        if i in seen:
            continue
        word = words[i]
        if JaroWinkler.similarity(word, token, score_cutoff=PREFILTER) < PREFILTER:
            continue
        close = token_similarity(word, rules.patterns[i], rules.skeletons[i], token, pt, st, cfg)
        if close >= floor:
            scored.append((-close, counts[i]))
    scored.sort()
    return [close for close, _n in scored], list(accumulate(n for _c, n in scored))

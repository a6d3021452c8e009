"""The vocabulary of a reference population of names, indexed for neighbourhood look-ups.

``rarity.NameFrequencies.near`` needs, for a listed token, the population tokens that
``namesim.token_similarity`` puts at ``token_floor`` or more. Comparing the token with
every population token in Python costs about a millisecond a token (tens of thousands of
population tokens); ``VocabularyIndex`` finds the few that can qualify without a string
comparison: a Jaro-Winkler bound from letter counts and common prefix (numpy, over the whole
vocabulary at once), and the keys of the rules that lift a pair above Jaro-Winkler (same
learned pattern, same skeleton with one side vowel-less, one edit apart).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.equivalences import Equivalences
from paxwatch.screening.names import pattern, skeleton

_VOWELLESS = re.compile(r"^[^AEIOU]{2,}$")
JW_PREFIX = 4
JW_PREFIX_WEIGHT = 0.1
"""Jaro-Winkler's prefix: at most four common letters, each 0.1 of what Jaro lacks."""


@dataclass(frozen=True, slots=True)
class VocabularyIndex:
    """Population tokens (``NameFrequencies._vocabulary``, by position) under the keys of
    the ``token_similarity`` rules that lift a pair above Jaro-Winkler: the same learned
    pattern, the same skeleton (abjad), one edit apart (symmetric deletion: two tokens one
    substitution, insertion, deletion or transposition apart share a token or a
    one-deletion neighbour)."""

    eq: Equivalences
    patterns: list[str]
    skeletons: list[str]
    letters: dict[str, int]
    """Row of each letter in ``counts``."""
    counts: npt.NDArray[np.uint8]
    """Occurrences of each letter (row) in each token (column)."""
    lengths: npt.NDArray[np.float64]
    prefixes: npt.NDArray[np.uint32]
    """Code points of the first four letters of each token (0 past its end)."""
    by_pattern: dict[str, list[int]]
    by_skeleton: dict[str, list[int]]
    vowelless: dict[str, list[int]]
    """Vowel-less tokens by skeleton (an abjad match needs one side vowel-less)."""
    by_deletion: dict[str, list[int]]

    @classmethod
    def build(cls, words: Sequence[str], eq: Equivalences) -> VocabularyIndex:
        patterns = [pattern(w, eq) for w in words]
        skeletons = [skeleton(w, eq) for w in words]
        by_pattern: dict[str, list[int]] = {}
        by_skeleton: dict[str, list[int]] = {}
        vowelless: dict[str, list[int]] = {}
        by_deletion: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            by_pattern.setdefault(patterns[i], []).append(i)
            by_skeleton.setdefault(skeletons[i], []).append(i)
            if _VOWELLESS.match(word):
                vowelless.setdefault(skeletons[i], []).append(i)
            for key in _deletion_keys(word):
                by_deletion.setdefault(key, []).append(i)
        letters = {c: i for i, c in enumerate(sorted({c for w in words for c in w}))}
        counts = np.zeros((len(letters), len(words)), dtype=np.uint8)
        prefixes = np.zeros((JW_PREFIX, len(words)), dtype=np.uint32)
        for j, word in enumerate(words):
            for c, n in Counter(word).items():
                counts[letters[c], j] = min(n, 255)
            for k, c in enumerate(word[:JW_PREFIX]):
                prefixes[k, j] = ord(c)
        lengths = np.array([len(w) for w in words], dtype=np.float64)
        return cls(
            eq,
            patterns,
            skeletons,
            letters,
            counts,
            lengths,
            prefixes,
            by_pattern,
            by_skeleton,
            vowelless,
            by_deletion,
        )

    def jaro_winkler_candidates(self, token: str, cutoff: float) -> npt.NDArray[np.intp]:
        """Positions of the tokens whose Jaro-Winkler similarity with ``token`` may reach
        ``cutoff`` (a superset, checked by the caller), from a bound that needs no string
        comparison: Jaro's matching characters are at most the letters the two tokens have
        in common ``c``, so Jaro <= (c / a + c / b + 1) / 3 (``a``, ``b`` the lengths), and
        Winkler adds 0.1 x (1 - Jaro) per letter of their common prefix (at most four)."""
        size = len(self.lengths)
        counted = np.zeros(size, dtype=np.int16)  # exact small integers, one float conversion
        for c, n in Counter(token).items():
            row = self.letters.get(c)
            if row is not None:
                counted += np.minimum(self.counts[row], n)
        common = counted.astype(np.float64)
        jaro = (common / len(token) + common / self.lengths + 1.0) / 3.0
        same = np.ones(size, dtype=bool)
        prefixed = np.zeros(size, dtype=np.int8)
        for k, c in enumerate(token[:JW_PREFIX]):
            same &= self.prefixes[k] == ord(c)
            prefixed += same
        prefix = prefixed.astype(np.float64)
        bound = jaro + JW_PREFIX_WEIGHT * prefix * (1.0 - jaro)
        return np.flatnonzero(bound >= cutoff - 1e-9)

    def candidates(self, token: str, pt: str, st: str, cfg: ScreeningConfig) -> set[int]:
        """Positions of the tokens that a rule may lift to ``token_floor`` or more (a
        superset: the caller scores them): same pattern (longer than two characters), same
        skeleton with one side vowel-less, one edit apart (``typo_min_length`` letters)."""
        found: set[int] = set(self.by_pattern.get(pt, ())) if len(pt) > 2 else set()
        if len(st) >= 2:
            by_skeleton = self.by_skeleton if _VOWELLESS.match(token) else self.vowelless
            found.update(by_skeleton.get(st, ()))
        if len(token) >= cfg.typo_min_length:
            get = self.by_deletion.get
            for key in _deletion_keys(token):
                found.update(get(key, ()))
        return found


def _deletion_keys(word: str) -> set[str]:
    """The word and its one-deletion neighbours, for one-edit look-ups."""
    keys = {word}
    keys.update(word[:i] + word[i + 1 :] for i in range(len(word)))
    return keys

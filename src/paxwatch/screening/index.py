"""Candidate generation: which list names are worth scoring for a traveller.

No traveller is compared with the whole list. Each listed name is filed under keys made of
its token skeletons (``names.skeleton``), and a traveller's name looks up the same keys:

* ``a|b``: every unordered pair of distinct skeletons of the name (two tokens agree);
* ``1|a``: names with a single distinct skeleton (mononyms);
* ``a@YYYY``: each skeleton with each year of birth of the entry, the secondary filter that
  lets a traveller with a typo in all but one token still reach the listed person born
  the same year.

Skeletons of adjacent tokens joined are keys too, so glued names (ZEDONG / ZE DONG) meet.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations, pairwise

from paxwatch.screening.names import PreparedName

MAX_MERGE_TOKENS = 4


def skeleton_set(name: PreparedName, max_tokens: int) -> set[str]:
    """Distinct skeletons of a name, plus those of adjacent tokens joined (short names)."""
    skeletons = [s for s in name.skeletons[:max_tokens] if s]
    keys = set(skeletons)
    if len(skeletons) <= MAX_MERGE_TOKENS:
        keys.update(a + b for a, b in pairwise(skeletons))
    return keys


def name_keys(name: PreparedName, max_tokens: int) -> list[str]:
    """Pair keys (or the single-token key) of a name."""
    skeletons = skeleton_set(name, max_tokens)
    distinct = {s for s in name.skeletons[:max_tokens] if s}
    if len(distinct) < 2:
        return [f"1|{s}" for s in distinct]
    return [f"{a}|{b}" for a, b in combinations(sorted(skeletons), 2)]


class CandidateIndex:
    """Inverted index from name keys to name ids (ids are the caller's)."""

    def __init__(self, max_tokens: int = 6) -> None:
        self.max_tokens = max_tokens
        self._keys: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, name_id: int, name: PreparedName, years: Iterable[int]) -> None:
        """File a listed name under its keys and its (skeleton, year of birth) keys."""
        keys = set(name_keys(name, self.max_tokens))
        for year in set(years):
            keys.update(f"{s}@{year}" for s in name.skeletons[: self.max_tokens] if s)
        for key in keys:
            self._keys.setdefault(key, []).append(name_id)

    def candidates(self, name: PreparedName, year: int | None) -> set[int]:
        """Ids of the listed names sharing a key with ``name`` (born in ``year`` if given)."""
        found: set[int] = set()
        get = self._keys.get
        for key in name_keys(name, self.max_tokens):
            if ids := get(key):
                found.update(ids)
        if year is not None:
            for s in set(name.skeletons[: self.max_tokens]):
                if ids := get(f"{s}@{year}"):
                    found.update(ids)
        return found

"""Candidate generation: which list names are worth scoring for a traveller.

No traveller is compared with the whole list. Each listed name is filed under keys made of
its token skeletons (``names.skeleton``), and a traveller's name looks up the same keys:

* ``a|b``: every unordered pair of distinct skeletons of the name (two tokens agree);
* ``1|a``: names with a single distinct skeleton (mononyms);
* ``a@YYYY``: each skeleton with each year of birth of the entry, the secondary filter that
  lets a traveller with a typo in all but one token still reach the listed person born
  the same year;
* typo keys, ``~a|d`` and ``1~d``: the pair (or mononym) keys with one skeleton replaced by
  each of its deletion neighbours ``d`` (the skeleton less one consonant). A typing error
  that changes a skeleton by one consonant (inserted, deleted or substituted: NEGRO /
  NRGRO, KHALIL / KHALIR) leaves the two skeletons sharing a deletion neighbour or one
  being a deletion neighbour of the other; the traveller looks up its own skeletons and
  their deletion neighbours in both spaces (symmetric deletion, as in SymSpell).

Skeletons of adjacent tokens joined are keys too, so glued names (ZEDONG / ZE DONG) meet.
A traveller whose given name is an initial (A SADIKI) looks up ``i:x|b``, the initial with
the skeleton of another token: each listed name files the initial of each of its tokens
with the skeleton of each other token (``initial_keys``).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from itertools import combinations, pairwise

from paxwatch.screening.names import PreparedName

MAX_MERGE_TOKENS = 4
MIN_TYPO_SKELETON = 2
"""Skeletons shorter than this have no deletion neighbours."""
MIN_PAIR_TYPO_SKELETON = 3
"""In a pair key, skeletons shorter than this have no deletion neighbours: a one-consonant
neighbour (JN -> J) would file every JOHN, JANE, JEAN... together."""


def skeleton_set(name: PreparedName, max_tokens: int) -> set[str]:
    """Distinct skeletons of a name, plus those of adjacent tokens joined (short names)."""
    skeletons = [s for s in name.skeletons[:max_tokens] if s]
    keys = set(skeletons)
    if len(skeletons) <= MAX_MERGE_TOKENS:
        keys.update(a + b for a, b in pairwise(skeletons))
    return keys


def _pair(a: str, b: str) -> str:
    return f"{a}|{b}" if a <= b else f"{b}|{a}"


def deletions(skeleton: str, minimum: int = MIN_TYPO_SKELETON) -> set[str]:
    """Deletion neighbours of a skeleton: every string with one of its characters removed."""
    if len(skeleton) < minimum:
        return set()
    return {skeleton[:i] + skeleton[i + 1 :] for i in range(len(skeleton))}


def name_keys(name: PreparedName, max_tokens: int) -> list[str]:
    """Pair keys (or the single-token key) of a name."""
    skeletons = skeleton_set(name, max_tokens)
    distinct = {s for s in name.skeletons[:max_tokens] if s}
    if len(distinct) < 2:
        return [f"1|{s}" for s in distinct]
    return [f"{a}|{b}" for a, b in combinations(sorted(skeletons), 2)]


def _distinct(name: PreparedName, max_tokens: int) -> list[str]:
    return sorted({s for s in name.skeletons[:max_tokens] if s})


def typo_keys(name: PreparedName, max_tokens: int) -> set[str]:
    """Typo keys of a name (listed or traveller's: the set is symmetric).

    For a mononym with skeleton ``s``: ``1~x`` for ``x`` in ``s`` and its deletion
    neighbours. For each pair of distinct skeletons ``a``, ``b``: the pair, and the pairs
    with one side replaced by one of its deletion neighbours. Two names with a skeleton one
    edit apart (and the other one equal) share a key.
    """
    distinct = _distinct(name, max_tokens)
    if len(distinct) == 1:
        s = distinct[0]
        return {f"1~{x}" for x in deletions(s) | {s}}
    keys: set[str] = set()
    for a, b in combinations(distinct, 2):
        keys.add("~" + _pair(a, b))
        keys.update("~" + _pair(a, d) for d in deletions(b, MIN_PAIR_TYPO_SKELETON))
        keys.update("~" + _pair(d, b) for d in deletions(a, MIN_PAIR_TYPO_SKELETON))
    return keys


def initial_keys(name: PreparedName, max_tokens: int) -> set[str]:
    """``i:x|b`` for the initial ``x`` (canonical or as written) of each token of a listed
    name of two letters or more and the skeleton ``b`` of each other token."""
    tokens, skeletons = name.tokens[:max_tokens], name.skeletons[:max_tokens]
    spellings = name.spellings[:max_tokens] or tokens
    keys: set[str] = set()
    for i, token in enumerate(tokens):
        if len(token) < 2:
            continue
        initials = {token[0], spellings[i][:1]}
        for j, other in enumerate(skeletons):
            if j != i and other and tokens[j] != token:
                keys.update(f"i:{x}|{other}" for x in initials if x)
    return keys


def traveller_initial_keys(name: PreparedName, max_tokens: int) -> list[str]:
    """``i:x|b`` for each initial (one-letter token) ``x`` of a traveller's name and the
    skeleton ``b`` of each longer token."""
    tokens, skeletons = name.tokens[:max_tokens], name.skeletons[:max_tokens]
    initials = [t for t in tokens if len(t) == 1]
    if not initials:
        return []
    return [
        f"i:{x}|{s}" for x in initials for t, s in zip(tokens, skeletons, strict=True) if len(t) > 1
    ]


class CandidateIndex:
    """Inverted index from name keys to name ids (ids are the caller's).

    Typo keys are filed with each year of birth of the entry (``k@YYYY``, looked up by
    travellers with a date of birth), under ``+k`` (looked up by travellers without one),
    and, for entries without any date of birth, as ``k`` (looked up by every traveller).
    """

    def __init__(self, max_tokens: int = 6, *, typo_keys: bool = True) -> None:
        self.max_tokens = max_tokens
        self.typo_keys = typo_keys
        self._keys: dict[str, list[int] | array[int]] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def postings(self) -> int:
        """Number of (key, name id) postings: the size of the index."""
        return sum(len(ids) for ids in self._keys.values())

    def add(self, name_id: int, name: PreparedName, years: Iterable[int]) -> None:
        """File a listed name under its keys and its (skeleton, year of birth) keys."""
        keys = set(name_keys(name, self.max_tokens))
        keys.update(initial_keys(name, self.max_tokens))
        distinct_years = set(years)
        for year in distinct_years:
            keys.update(f"{s}@{year}" for s in name.skeletons[: self.max_tokens] if s)
        if self.typo_keys:
            typos = typo_keys(name, self.max_tokens)
            if distinct_years:
                keys.update("+" + k for k in typos)
                keys.update(f"{k}@{year}" for k in typos for year in distinct_years)
            else:
                keys.update(typos)
        for key in keys:
            ids = self._keys.get(key)
            if ids is None:
                self._keys[key] = [name_id]
            elif isinstance(ids, list):
                ids.append(name_id)
            else:  # compacted, maybe shared with other keys: a list of its own
                self._keys[key] = [*ids, name_id]

    def compact(self) -> None:
        """Turn the posting lists into arrays of 32-bit ids once the list is indexed, one
        array per distinct posting list (the keys of one name, most of them, share it): the
        garbage collector does not track them (its full passes would otherwise walk millions
        of lists: seconds of pauses while screening), they take a fraction of the memory of
        lists of ints, and reading them does not touch (reference-count) one int object per
        posting. Worker processes forked with the index (``batch.ScreeningPool``) copy the
        page of each array whose reference count they change: shared arrays are fewer
        pages to copy. ``add`` still works afterwards (a shared array is never changed)."""
        shared: dict[tuple[int, ...], array[int]] = {}
        keys = self._keys
        for key, ids in keys.items():
            if isinstance(ids, list):
                content = tuple(ids)
                packed = shared.get(content)
                if packed is None:
                    packed = shared[content] = array("I", ids)
                keys[key] = packed

    def lookup_keys(self, name: PreparedName) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Keys a traveller's name looks up whatever its date of birth, and its typo keys
        (see ``dated_keys``); callers may cache them."""
        keys = set(name_keys(name, self.max_tokens))
        keys.update(traveller_initial_keys(name, self.max_tokens))
        typos: set[str] = set()
        if self.typo_keys:
            typos = typo_keys(name, self.max_tokens)
            keys.update(typos)
        return tuple(sorted(keys)), tuple(sorted(typos))

    def dated_keys(self, name: PreparedName, typos: tuple[str, ...], year: int | None) -> list[str]:
        """Keys of a traveller's name that depend on its year of birth (or its absence)."""
        if year is None:
            return ["+" + k for k in typos]
        keys = [f"{s}@{year}" for s in set(name.skeletons[: self.max_tokens]) if s]
        keys += [f"{k}@{year}" for k in typos]
        return keys

    def find(self, keys: Iterable[str], found: set[int]) -> set[int]:
        """Add to ``found`` the ids filed under any of ``keys``."""
        get = self._keys.get
        for key in keys:
            if ids := get(key):
                found.update(ids)
        return found

    def candidates(self, name: PreparedName, year: int | None) -> set[int]:
        """Ids of the listed names sharing a key with ``name`` (born in ``year`` if given)."""
        keys, typos = self.lookup_keys(name)
        found = self.find(keys, set())
        return self.find(self.dated_keys(name, typos, year), found)

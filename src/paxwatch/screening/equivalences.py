"""Romanisation equivalences learned from the aliases of real watch lists.

A listed person's aliases are, for the most part, the same name written by different
hands: MOHAMMED / MUHAMMAD, YOUSSEF / YUSUF, QADIR / KADIR. ``learn`` pairs up the tokens of
the names of one entry with a string similarity (Jaro-Winkler), and from those pairs keeps:

* ``silent``: letters that are inserted or deleted between spellings so often that they
  carry little identity (vowels, and typically H, W, Y); the consonant skeleton drops them;
* ``letters``: consonant substitutions seen often (Q -> K, Z -> S...), merged into classes;
* ``tokens``: whole-token spelling classes seen for at least ``min_support`` entries, each
  mapped to its most frequent spelling (every member must stay similar to it, which stops
  chains such as AHMED ~ AHMAD ~ HAMAD ~ HAMID).

The result is saved as ``data/equivalences.json`` in this package (``python -m
paxwatch.screening.learn ../shared/data/watchlists``), so that screening needs no list at
run time. It is data, reviewed and versioned with the code: nothing learns at run time.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein

DATA_FILE = "equivalences.json"
VOWELS = frozenset("AEIOU")


@dataclass(frozen=True, eq=False)
class Equivalences:
    """The learned table. Identity-hashed so that it can key caches."""

    tokens: dict[str, str] = field(default_factory=dict)
    letter_map: tuple[tuple[str, str], ...] = ()
    silent: frozenset[str] = VOWELS
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def letters(self) -> dict[str, str]:
        """Letter merges as a mapping (cached on first use)."""
        cached: dict[str, str] | None = self.meta.get("_letters")
        if cached is None:
            cached = dict(self.letter_map)
            self.meta["_letters"] = cached
        return cached

    def canonical(self, token: str) -> str:
        """The class representative of ``token`` (itself when it has no learned class)."""
        return self.tokens.get(token, token)

    def to_json(self) -> dict[str, Any]:
        return {
            "meta": {k: v for k, v in self.meta.items() if not k.startswith("_")},
            "silent": "".join(sorted(self.silent)),
            "letters": dict(self.letter_map),
            "tokens": dict(sorted(self.tokens.items())),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Equivalences:
        return cls(
            tokens={str(k): str(v) for k, v in data.get("tokens", {}).items()},
            letter_map=tuple(sorted((str(k), str(v)) for k, v in data.get("letters", {}).items())),
            silent=frozenset(str(data.get("silent", "AEIOU"))),
            meta=dict(data.get("meta", {})),
        )


@lru_cache(maxsize=1)
def default_equivalences() -> Equivalences:
    """The table shipped in the package (vowels-only skeletons if the file is missing)."""
    try:
        text = resources.files("paxwatch.screening").joinpath("data", DATA_FILE).read_text()
    except (FileNotFoundError, OSError):
        return Equivalences()
    return Equivalences.from_json(json.loads(text))


def save(eq: Equivalences, path: Path) -> None:
    path.write_text(json.dumps(eq.to_json(), indent=1, ensure_ascii=True) + "\n")


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def align_tokens(a: Sequence[str], b: Sequence[str], floor: float) -> list[tuple[str, str]]:
    """Greedy one-to-one pairing of the tokens of two names by Jaro-Winkler similarity."""
    scored = sorted(
        ((JaroWinkler.similarity(x, y), i, j) for i, x in enumerate(a) for j, y in enumerate(b)),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[str, str]] = []
    for sim, i, j in scored:
        if sim < floor:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((a[i], b[j]))
    return pairs


def _letter_stats(
    pairs: Iterable[tuple[str, str]],
) -> tuple[Counter[str], Counter[str], Counter[tuple[str, str]]]:
    occurrences: Counter[str] = Counter()
    indels: Counter[str] = Counter()
    subs: Counter[tuple[str, str]] = Counter()
    for x, y in pairs:
        occurrences.update(x)
        occurrences.update(y)
        for op in Levenshtein.editops(x, y):
            if op.tag == "replace":
                subs[tuple(sorted((x[op.src_pos], y[op.dest_pos])))] += 1  # type: ignore[index]
            elif op.tag == "delete":
                indels[x[op.src_pos]] += 1
            else:
                indels[y[op.dest_pos]] += 1
    return occurrences, indels, subs


def cv_pattern(token: str, letter_map: dict[str, str], silent: frozenset[str]) -> str:
    """Consonants (after letter merges) with ``*`` for each run of silent letters.

    MOHAMMED and MUHAMMAD give ``M*H*M*D``; MAHMUD gives ``M*HM*D``: two spellings are
    the same name only when their patterns agree, which a vowel-free skeleton cannot tell.
    Runs of one letter are collapsed first (SS -> S).
    """
    out: list[str] = []
    previous = ""
    for ch in token:
        mapped = "*" if ch in silent else letter_map.get(ch, ch)
        if mapped != previous:
            out.append(mapped)
        previous = mapped
    return "".join(out)


def learn(
    names_per_entry: Iterable[Sequence[Sequence[str]]],
    *,
    token_counts: Counter[str] | None = None,
    floor: float = 0.8,
    min_support: int = 2,
    semivowel_ratio: float = 0.05,
    min_letter_subs: int = 9,
    letter_sub_ratio: float = 0.03,
) -> Equivalences:
    """Learn the table from the token lists of the names of each entry (see module doc).

    ``names_per_entry`` yields, per listed person, the tokenised names (primary + aliases),
    tokenised by ``names.split_tokens``. ``token_counts`` (all tokens of the lists) chooses
    the representative spelling of a class; by default the aligned tokens are counted.

    * silent letters: the vowels, plus every consonant that other spellings write as a vowel
      in at least ``semivowel_ratio`` of its occurrences (typically Y ~ I and W ~ U);
    * letter merges: consonant substitutions seen at least ``min_letter_subs`` times and in
      at least ``letter_sub_ratio`` of the rarer letter's occurrences; merges are pairs
      only (no chains), the more frequent letter representing the pair;
    * token classes: aligned pairs seen for ``min_support`` entries whose ``cv_pattern``
      agree, the most frequent spelling representing the class.
    """
    pair_support: Counter[tuple[str, str]] = Counter()
    counts: Counter[str] = Counter()
    entries = 0
    for names in names_per_entry:
        entries += 1
        seen: set[tuple[str, str]] = set()
        for i, a in enumerate(names):
            counts.update(a)
            for b in names[i + 1 :]:
                for x, y in align_tokens(a, b, floor):
                    if x != y and len(x) > 1 and len(y) > 1:
                        seen.add((min(x, y), max(x, y)))
        pair_support.update(seen)
    token_counts = token_counts or counts
    occurrences, _indels, subs = _letter_stats(pair_support.elements())
    to_vowel: Counter[str] = Counter()
    for (x, y), n in subs.items():
        if (x in VOWELS) != (y in VOWELS):
            to_vowel[y if x in VOWELS else x] += n
    silent = VOWELS | frozenset(
        ch for ch, n in to_vowel.items() if ch.isalpha() and n / occurrences[ch] >= semivowel_ratio
    )
    letter_map: dict[str, str] = {}
    ranked = sorted(
        (
            (n / min(occurrences[x], occurrences[y]), n, x, y)
            for (x, y), n in subs.items()
            if x.isalpha() and y.isalpha() and x not in silent and y not in silent
        ),
        reverse=True,
    )
    for ratio, n, x, y in ranked:
        if n < min_letter_subs or ratio < letter_sub_ratio:
            continue
        taken = set(letter_map) | set(letter_map.values())
        if x in taken or y in taken:
            continue
        rep, other = (x, y) if occurrences[x] >= occurrences[y] else (y, x)
        letter_map[other] = rep
    tokens = _token_classes(pair_support, token_counts, letter_map, silent, min_support)
    return Equivalences(
        tokens=tokens,
        letter_map=tuple(sorted(letter_map.items())),
        silent=silent,
        meta={
            "entries": entries,
            "token_pairs": len(pair_support),
            "floor": floor,
            "min_support": min_support,
            "semivowel_ratio": semivowel_ratio,
            "min_letter_subs": min_letter_subs,
            "letter_sub_ratio": letter_sub_ratio,
        },
    )


def _token_classes(
    support: Counter[tuple[str, str]],
    counts: Counter[str],
    letter_map: dict[str, str],
    silent: frozenset[str],
    min_support: int,
) -> dict[str, str]:
    uf = _UnionFind()
    for (x, y), n in support.items():
        if n >= min_support and cv_pattern(x, letter_map, silent) == cv_pattern(
            y, letter_map, silent
        ):
            uf.union(x, y)
    classes: dict[str, list[str]] = defaultdict(list)
    for tok in list(uf.parent):
        classes[uf.find(tok)].append(tok)
    out: dict[str, str] = {}
    for members in classes.values():
        rep = max(members, key=lambda t: (counts[t], t))
        out.update({m: rep for m in members if m != rep})
    return out

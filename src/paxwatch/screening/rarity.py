"""Name rarity: how likely an innocent traveller is to match a listed name by chance.

A name match is evidence in proportion to how rare the name is. An exact TRI NGUYEN or
MOHAMED ALI says little (hundreds of travellers carry them every day), an exact BALQEES
TOUQAN says a lot. This is the term-frequency adjustment of record linkage (the
Fellegi-Sunter *u*-probability of agreeing on a value by chance), computed from data the
PIU holds, never typed in per name:

* ``NameFrequencies.count(names)`` counts, over a reference population of names (the
  travellers in the store over a recent window, ``assess.screen.name_frequencies``; or,
  lacking those, the names of the lists themselves), in how many names each canonical token
  occurs, each consonant skeleton, each initial letter and each pair of canonical tokens.
  It is data: cached by the caller, saved and loaded as JSON (``write`` / ``read``).
* ``share(x, y, s)``: the chance that *another* person (one occurrence may be the very
  person screened) carries a token aligning with listed token ``y`` as well as the
  traveller's ``x`` does: ``(names - 1, at least 0, + 0.5) / (population + 1)`` where
  ``names`` counts, for an exact token, the names carrying it; for a fuzzy pair, those
  carrying any token of ``y``'s neighbourhood at similarity ``s`` (``near``: MARGOT GIRARD
  ~ MARGOT GIRAUD, YONG ~ HONG are as common as all the GIRA?D, all the ?ONG); for an
  initial, those with a token of that initial; for a vowel-less abjad token, those with a
  token of its skeleton.
* ``chance``: the name agrees by chance with probability the product of the shares of its
  aligned pairs (independent tokens) or, where larger, the share of one listed token times
  the shares of the others among the names of its naming culture (``given``: names carrying
  a token named together with it; the tokens of THI DUONG or ZHANG WEI are common among
  Vietnamese or Chinese names, rare among all names).
* ``commonness``: ``digits = -log10(chance)`` (6 = one traveller in a million) plus the
  evidence of what corroborates the name: a date of birth (``cfg.dob_digits``: an exact
  date 4.5 digits, a listed year alone 1.9) or a matching document. The feature value is
  ``clamp((rare_name_digits - digits) / (rare_name_digits - common_name_digits), 0, 1)``,
  0 for a rare or corroborated name, 1 for a common name alone, and its contribution
  ``value x common_name_weight`` (negative): a common name without a date of birth is not
  a hit; with the listed date of birth, it is.

Only the aligned tokens count: a traveller matching two tokens of a listed four-token name
is as common as those two tokens.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from pathlib import Path
from typing import Any

from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.culture import MAX_CACHED, CultureWalk, _pair_key
from paxwatch.screening.equivalences import Equivalences, default_equivalences
from paxwatch.screening.names import prepare_name, skeleton
from paxwatch.screening.neighbourhood import neighbourhood
from paxwatch.screening.vocabulary import VocabularyIndex

_VOWELLESS = re.compile(r"^[^AEIOU]{2,}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class NameFrequencies(CultureWalk):
    """Token statistics of a reference population of names (see the module docstring)."""

    names: int
    tokens: Mapping[str, int] = field(default_factory=dict)
    skeletons: Mapping[str, int] = field(default_factory=dict)
    initials: Mapping[str, int] = field(default_factory=dict)
    pairs: Mapping[str, int] = field(default_factory=dict)
    source: str = ""
    """Where the names came from (shown in the explanation of each match)."""
    listed: Mapping[str, int] = field(default_factory=dict)
    """Per canonical token: the list entries carrying it (``with_list``; the screener sets
    it from its entries, it is not saved with the counts)."""
    listed_entries: int = 0
    """The person entries ``listed`` was counted over (0: no list floor)."""
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def count(
        cls, names: Iterable[str], eq: Equivalences | None = None, *, source: str = ""
    ) -> NameFrequencies:
        """Count the canonical tokens, skeletons, initials and token pairs of ``names``
        (each name once per person or trip, not per message or push)."""
        eq = eq or default_equivalences()
        tokens: Counter[str] = Counter()
        skeletons: Counter[str] = Counter()
        initials: Counter[str] = Counter()
        pairs: Counter[str] = Counter()
        total = 0
        for text in names:
            name = prepare_name(text, eq)
            if not name.tokens:
                continue
            total += 1
            distinct = set(name.tokens)
            tokens.update(distinct)
            skeletons.update(set(name.skeletons))
            initials.update({t[0] for t in distinct} | {t[0] for t in name.spellings if t})
            if len(distinct) > 1:
                pairs.update(_pair_key(a, b) for a, b in combinations(sorted(distinct), 2))
        return cls(
            names=total,
            tokens=dict(tokens),
            skeletons=dict(skeletons),
            initials=dict(initials),
            pairs=dict(pairs),
            source=source,
        )

    def with_list(self, listed: Mapping[str, int], entries: int) -> NameFrequencies:
        """These counts with the list's token counts (``listed_share``): the same object's
        memos (they depend on the population counts only)."""
        return replace(self, listed=listed, listed_entries=entries, _cache=self._cache)

    def listed_share(self, y: str) -> float:
        """Share of the *other* list entries that carry listed token ``y``: ``(k - 1) /
        entries``, ``k`` the entries carrying it (0 for a token of one entry, an initial, or
        without list counts). A token that several listed persons carry is a token of their
        naming culture, however seldom the reference population saw it: a floor of its
        share (``cfg.list_floor``, ``share``)."""
        k = self.listed.get(y, 0) if len(y) > 1 else 0
        return (k - 1) / self.listed_entries if k > 1 and self.listed_entries else 0.0

    def prepare(self, eq: Equivalences) -> None:
        """Build the look-up structures ``near`` and ``given`` use (else built on first use):
        the screener calls it when it is built, so that screening does not pay for them."""
        self._neighbours("")
        self._rule_index(eq)

    def _vocabulary(self) -> tuple[list[str], list[int]]:
        vocabulary: tuple[list[str], list[int]] | None = self._cache.get("vocabulary")
        if vocabulary is None:
            words = sorted(t for t in self.tokens if len(t) > 1)
            vocabulary = (words, [self.tokens[t] for t in words])
            self._cache["vocabulary"] = vocabulary
        return vocabulary

    def _rule_index(self, eq: Equivalences) -> VocabularyIndex:
        """The vocabulary indexed by the keys of the rules that raise ``token_similarity``
        above Jaro-Winkler (built once per equivalence table)."""
        index: VocabularyIndex | None = self._cache.get("rules")
        if index is None or index.eq is not eq:
            index = VocabularyIndex.build(self._vocabulary()[0], eq)
            self._cache["rules"] = index
        return index

    def near(self, token: str, similarity: float, cfg: ScreeningConfig, eq: Equivalences) -> int:
        """Names carrying a token that ``token_similarity`` puts at ``similarity`` or more
        from ``token``: its neighbourhood at that level (HONG at 0.95 takes in YONG, TONG,
        LONG...; a name with two such tokens counts twice). The neighbours of a token are
        found once (``neighbourhood.neighbourhood``, memoised) and summed for each level
        asked."""
        if similarity < cfg.token_floor:
            raise ValueError(f"near() at {similarity}: under token_floor {cfg.token_floor}")
        memo: dict[tuple[str, float], tuple[list[float], list[int]]] = self._cache.setdefault(
            "near", {}
        )
        key = (token, cfg.token_floor)
        found = memo.get(key)
        if found is None:
            words, counts = self._vocabulary()
            found = neighbourhood(token, words, counts, self._rule_index(eq), cfg, eq)
            if len(memo) >= MAX_CACHED:
                memo.clear()
            memo[key] = found
        negated, totals = found  # by similarity, highest first (negated, ascending)
        at = bisect_right(negated, -(similarity - 1e-9))
        return totals[at - 1] if at else 0

    def prewarm(self, tokens: Iterable[str], cfg: ScreeningConfig, eq: Equivalences) -> int:
        """Find (memoise) the neighbourhoods ``near`` needs for ``tokens``, the tokens of the
        listed names, and the order ``given`` sums the walk from each of them in
        (``_ranks``), when the screener is built: screening then never pays for them, and
        worker processes forked with the screener inherit them instead of each finding them
        again. The memo's content is what ``near`` would find on demand. Returns how many
        were found (those already memoised are not)."""
        memo = self._cache.get("near", {})
        found = 0
        for token in tokens:
            self._ranks(token)
            if len(token) > 1 and (token, cfg.token_floor) not in memo:
                self.near(token, cfg.token_floor, cfg, eq)
                memo = self._cache["near"]  # emptied when full: the current one
                found += 1
        return found

    def share(
        self, x: str, y: str, similarity: float, cfg: ScreeningConfig, eq: Equivalences
    ) -> float:
        """Chance that another person carries a token aligning with listed token ``y`` as
        well as traveller token ``x`` does (``similarity``); see the module docstring."""
        if len(x) == 1 or len(y) == 1:
            n = self.initials.get(x if len(x) == 1 else y, 0)
        elif x == y:
            vowelless = _VOWELLESS.match(y)
            n = self.skeletons.get(skeleton(y, eq), 0) if vowelless else self.tokens.get(y, 0)
        else:
            n = max(self.near(y, similarity, cfg, eq), self.tokens.get(x, 0), self.tokens.get(y, 0))
        found = (max(n - 1, 0) + 0.5) / (self.names + 1)
        return max(found, self.listed_share(y)) if cfg.list_floor else found

    def chance(
        self,
        aligned: Sequence[tuple[str, str, float]],
        cfg: ScreeningConfig,
        eq: Equivalences | None = None,
    ) -> tuple[float, str]:
        """Probability that a random traveller agrees with the aligned (traveller token,
        listed token, similarity) pairs, and why (module docstring)."""
        if not aligned:
            return 1.0, "no aligned token"
        eq = eq or default_equivalences()
        shares = [self.share(x, y, s, cfg, eq) for x, y, s in aligned]
        chance = math.prod(shares)
        why = ", ".join(
            f"{y if x == y else f'{x}~{y}'} 1/{1 / s:,.0f}"
            + (" (list)" if cfg.list_floor and s == self.listed_share(y) else "")
            for (x, y, _s), s in zip(aligned, shares, strict=True)
        )
        exclude = frozenset(t for x, y, _s in aligned for t in (x, y))
        culture = ""
        for i, (_x, a, _s) in enumerate(aligned if len(aligned) > 1 else ()):
            others = [(j, x, y) for j, (x, y, _s) in enumerate(aligned) if j != i]
            conditional = [
                max(
                    shares[j],
                    self.given(y, a, exclude, cfg.culture_prior, cfg.culture_steps, shares[j]),
                    self.given(x, a, exclude, cfg.culture_prior, cfg.culture_steps, shares[j])
                    if x != y
                    else 0.0,
                )
                for j, x, y in others
            ]
            estimate = shares[i] * math.prod(conditional)
            if estimate > chance:
                chance = estimate
                culture = f"; named with {a}: " + ", ".join(
                    f"{y} 1/{1 / c:,.0f}"
                    for (_j, _x, y), c in zip(others, conditional, strict=True)
                )
        return chance, why + culture

    def to_json(self) -> dict[str, Any]:
        return {
            "names": self.names,
            "source": self.source,
            "tokens": dict(self.tokens),
            "skeletons": dict(self.skeletons),
            "initials": dict(self.initials),
            "pairs": dict(self.pairs),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NameFrequencies:
        return cls(
            names=int(data["names"]),
            source=str(data.get("source", "")),
            tokens=dict(data.get("tokens", {})),
            skeletons=dict(data.get("skeletons", {})),
            initials=dict(data.get("initials", {})),
            pairs=dict(data.get("pairs", {})),
        )

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), sort_keys=True), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> NameFrequencies:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

"""The naming-culture walk of ``rarity.NameFrequencies`` (``given``): how common a token is
among the names of another token's naming culture, from the pairs of tokens named together
in the reference population (one step: the tokens named with both; three steps: ``a`` to
``c`` to ``d`` to ``b``). A mixin of ``NameFrequencies``, which holds the counts and the
memos (``_cache``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

MAX_CACHED = 200_000
"""Entries of one memo (neighbourhoods, walks, shares) before it is emptied."""


def _pair_key(a: str, b: str) -> str:
    return f"{a}|{b}" if a <= b else f"{b}|{a}"


class CultureWalk:
    """``given`` and its parts, over ``tokens`` and ``pairs`` (``NameFrequencies``)."""

    __slots__ = ()
    tokens: Mapping[str, int]
    pairs: Mapping[str, int]
    _cache: dict[str, Any]

    def _neighbours(self, token: str) -> Mapping[str, int]:
        """Tokens named together with ``token``, and in how many names."""
        adjacency: dict[str, dict[str, int]] | None = self._cache.get("adjacency")
        if adjacency is None:
            adjacency = {}
            for key, n in self.pairs.items():
                a, b = key.split("|", 1)
                adjacency.setdefault(a, {})[b] = n
                adjacency.setdefault(b, {})[a] = n
            self._cache["adjacency"] = adjacency
        return adjacency.get(token, {})

    def _ranks(self, token: str) -> Mapping[str, int]:
        """Position of each token named with ``token`` in ``_neighbours(token)`` (memoised
        per token): the walk of ``given`` visits only the tokens named with both of its
        tokens, found by a set intersection in C, in this order (the order of the sum)."""
        ranks: dict[str, dict[str, int]] = self._cache.setdefault("ranks", {})
        found = ranks.get(token)
        if found is None:
            found = ranks[token] = {c: i for i, c in enumerate(self._neighbours(token))}
        return found

    def _named_with(self, token: str) -> int:
        """Sum of the names of the tokens named with ``token`` (``_neighbours``)."""
        totals: dict[str, int] = self._cache.setdefault("named_with", {})
        total = totals.get(token)
        if total is None:
            total = totals[token] = sum(self._neighbours(token).values())
        return total

    def given(
        self,
        b: str,
        a: str,
        exclude: frozenset[str] = frozenset(),
        prior: float = 0.0,
        steps: int = 2,
        at_least: float = 0.0,
    ) -> float:
        """Share of the names of ``a``'s naming culture that carry ``b``: of the names
        carrying ``a``, those also carrying ``b`` (less the person in question); or, one step
        further, the sum over the tokens ``c`` named with ``a`` (not those of ``exclude``,
        the name in question) of P(c | a) P(b | c); with ``steps`` 3 (``cfg.culture_steps``),
        two steps further, the sum over ``c`` named with ``a`` and ``d`` named with ``c`` of
        P(c | a) P(d | c) P(b | d) (``_three_steps``); the largest. With a ``prior`` (a
        pseudo-count, ``cfg.culture_prior``) the direct share is ``(pairs - 1 + 0.5) / (na +
        prior)``: few names carrying ``a`` say little about what is rare among them.

        The three-step walk is at most the largest P(b | d): it is not taken when that cannot
        exceed the other estimates and ``at_least`` (the caller's own, ``chance``: the larger
        of the two is what it uses, unchanged)."""
        na = self.tokens.get(a, 0)
        pair = max(self.pairs.get(_pair_key(a, b), 0) - 1, 0)
        smoothed = (pair + 0.5) / (na + prior) if prior > 0 else 0.0
        direct = max(smoothed, pair / na if na > 1 else 0.0)
        around = self._neighbours(a)
        with_b = self._neighbours(b)  # pairs (b, c): a c named without b adds 0
        total = self._named_with(a) - sum(around.get(c, 0) for c in exclude)
        walk = 0.0
        tokens = self.tokens
        # the tokens named with both a and b, less the name's: a set intersection in C,
        # summed in the order of ``around`` (the same terms in the same order as a pass
        # over ``around``, which cost most of a hit's scoring for a common ``a``)
        common = around.keys() & with_b.keys()
        if common and exclude:
            common -= exclude
        if common:
            rank = self._ranks(a)
            for c in sorted(common, key=rank.__getitem__) if len(common) > 1 else common:
                nc = tokens.get(c, 0)
                if nc:
                    walk += around[c] / total * with_b[c] / nc
        if steps >= 3 and with_b and total > 0:
            best = max(direct, walk, at_least)
            if self._largest_share(b, exclude) > best:
                walk = max(walk, self._three_steps(b, a, exclude, total))
        return max(direct, walk)

    def _largest_share(self, b: str, exclude: frozenset[str]) -> float:
        """The largest P(b | d) over the tokens ``d`` named with ``b``, not in ``exclude``
        (infinite for a token without a count): the bound of the three-step walk. The
        shares of ``b`` are sorted once (memoised); ``exclude`` (a name's few tokens) only
        skips the first ones."""
        memo: dict[str, list[tuple[float, str]]] = self._cache.setdefault("shares_of", {})
        ranked = memo.get(b)
        if ranked is None:
            tokens = self.tokens
            ranked = sorted(
                (
                    (n / tokens[d] if tokens.get(d) else math.inf, d)
                    for d, n in self._neighbours(b).items()
                ),
                reverse=True,
            )
            if len(memo) >= MAX_CACHED:
                memo.clear()
            memo[b] = ranked
        for share, d in ranked:
            if d not in exclude:
                return share
        return 0.0

    def _three_steps(self, b: str, a: str, exclude: frozenset[str], total: int) -> float:
        """P(b | a) by a walk of three steps on the graph of tokens named together: from
        ``a`` to a token ``c`` named with it, from ``c`` to a token ``d`` named with ``c``,
        from ``d`` to ``b``: the sum of P(c | a) P(d | c) P(b | d) (``c``, ``d`` not in
        ``exclude``). A given name and a family name are never named together with a same
        third token in two-token names (the one-step walk finds nothing): ARAS and HEWARAMI
        share a culture when ARAS is named with family names (``d``) that are named with
        given names (``c``) named with HEWARAMI. Memoised per question."""
        memo: dict[tuple[str, str, frozenset[str]], float] = self._cache.setdefault("steps3", {})
        key = (b, a, exclude)
        found = memo.get(key)
        if found is not None:
            return found
        to_b = self._to(b)
        walk = 0.0
        around = self._neighbours(a)
        adjacency: dict[str, dict[str, int]] = self._cache["adjacency"]  # _neighbours'
        named_with: dict[str, int] = self._cache.setdefault("named_with", {})  # its memo
        for c, n in around.items():
            if c in exclude:
                continue
            near_c = adjacency.get(c)
            if near_c is None:
                continue
            # The tokens both named with c and leading to b, not in ``exclude``: a set
            # intersection in C (most of the walk's time went to testing each token of the
            # smaller side in Python); fsum: the same value whatever the order of the set.
            common = near_c.keys() & to_b.keys()
            if common and exclude:
                common -= exclude
            if not common:
                continue
            via = math.fsum([near_c[d] * to_b[d] for d in common])
            if via:
                weight = named_with.get(c)
                if weight is None:
                    weight = self._named_with(c)
                walk += n / total * via / weight
        if len(memo) >= MAX_CACHED:
            memo.clear()
        memo[key] = walk
        return walk

    def _to(self, b: str) -> dict[str, float]:
        """P(b | d) = n / names of ``d``, for the tokens ``d`` named with ``b`` (``n``
        times) that have a count: the last step of ``_three_steps``, whatever its
        ``exclude`` (memoised per token)."""
        memo: dict[str, dict[str, float]] = self._cache.setdefault("to", {})
        found = memo.get(b)
        if found is None:
            tokens = self.tokens
            found = {d: n / tokens[d] for d, n in self._neighbours(b).items() if tokens.get(d)}
            if len(memo) >= MAX_CACHED:
                memo.clear()
            memo[b] = found
        return found

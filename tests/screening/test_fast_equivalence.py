"""The fast paths of screening give exactly what the plain algorithms give.

Each test holds a plain, unmemoised version of an algorithm (as it was written before it was
made fast) and checks the fast one against it: name alignment with its glued readings,
normalisation of any script, the naming-culture share of ``rarity.given``.
"""

from __future__ import annotations

import math
import unicodedata
from itertools import combinations

from anyascii import anyascii
from hypothesis import given, settings
from hypothesis import strategies as st

from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.names import (
    _APOSTROPHES,
    _NON_ALNUM,
    PreparedName,
    _is_cjk,
    normalise,
    prepare_name,
)
from paxwatch.screening.namesim import (
    NameComparison,
    TokenSimilarity,
    merged,
    name_similarity,
    token_similarity,
)
from paxwatch.screening.rarity import NameFrequencies

CFG = ScreeningConfig()


def _written(key: str) -> str:
    return key[1:] if key.startswith("+") else key


def _plain_align(a: PreparedName, b: PreparedName) -> NameComparison:
    keys_a, keys_b = a.spellings or a.tokens, b.spellings or b.tokens
    scored = []
    for i, x in enumerate(a.tokens):
        for j, y in enumerate(b.tokens):
            s = token_similarity(
                x,
                a.patterns[i],
                a.skeletons[i],
                y,
                b.patterns[j],
                b.skeletons[j],
                CFG,
                _written(keys_a[i]),
                _written(keys_b[j]),
            )
            if s >= CFG.token_floor:
                scored.append((s, i, j))
    if not scored:
        return NameComparison(0.0, 0.0, ())
    short, long = sorted((len(a.tokens), len(b.tokens)))
    aligned: list[tuple[float, int, int]] = []
    for s, i, j in sorted(scored, reverse=True):
        if all(i != p and j != q for _s, p, q in aligned):
            aligned.append((s, i, j))
    span = CFG.token_full - CFG.token_floor
    credit = sum(
        1.0 if s >= CFG.token_full else (s - CFG.token_floor) / span for s, _, _ in aligned
    )
    phonetic = sum(a.phonetic[i] == b.phonetic[j] != "" for _s, i, j in aligned)
    if short == 1 and long > 1:
        value = credit * CFG.single_token_factor
    else:
        value = credit / short - CFG.extra_token_penalty * (long - len(aligned))
    pairs = tuple((a.tokens[i], b.tokens[j], round(s, 3)) for s, i, j in aligned)
    return NameComparison(max(0.0, value), phonetic / short, pairs)


def plain_name_similarity(a: PreparedName, b: PreparedName) -> NameComparison:
    """``name_similarity`` without memo nor shortcuts: every glued reading whose joined
    token aligns with a token of the other name is tried."""
    if not a.tokens or not b.tokens:
        return NameComparison(0.0, 0.0, ())
    if a.tokens == b.tokens:
        return NameComparison(1.0, 1.0, tuple((t, t, 1.0) for t in a.tokens))
    best = _plain_align(a, b)
    if best.similarity < 0.999 and len(a.tokens) != len(b.tokens):
        longer, shorter = (a, b) if len(a.tokens) > len(b.tokens) else (b, a)
        for at in range(len(longer.tokens) - 1):
            joined = merged(longer, at)
            x = joined.tokens[at]
            keys = shorter.spellings or shorter.tokens
            if not any(
                token_similarity(
                    x,
                    joined.patterns[at],
                    joined.skeletons[at],
                    y,
                    shorter.patterns[j],
                    shorter.skeletons[j],
                    CFG,
                    x,
                    keys[j],
                )
                >= CFG.token_floor
                for j, y in enumerate(shorter.tokens)
            ):
                continue
            other = _plain_align(joined, shorter) if longer is a else _plain_align(shorter, joined)
            if other.similarity > best.similarity:
                best = other
    return best


WORDS = [
    "MOHAMMED",
    "MUHAMAD",
    "MHMD",
    "ALI",
    "ALY",
    "ABDEL",
    "RAHMAN",
    "ABDELRAHMAN",
    "HASSAN",
    "HASAN",
    "ZE",
    "DONG",
    "ZEDONG",
    "MAO",
    "A",
    "M",
    "YUSUF",
    "YOUSSEF",
    "KHALIL",
    "KALIL",
    "IBRAHIM",
    "EBRAHIM",
    "SMITH",
    "SMYTH",
    "ANNA",
    "ANA",
    "MARIA",
    "MARIE",
    "LOPEZ",
]
NAMES = st.lists(
    st.sampled_from(WORDS) | st.text(alphabet="ABDEHIKLMNORSTUYZ", min_size=1, max_size=8),
    min_size=1,
    max_size=5,
).map(" ".join)


@settings(max_examples=500)
@given(NAMES, NAMES)
def test_name_similarity_is_the_plain_alignment(a: str, b: str) -> None:
    x, y = prepare_name(a), prepare_name(b)
    memo = TokenSimilarity(CFG)
    expected = plain_name_similarity(x, y)
    assert name_similarity(x, y, CFG) == expected
    assert name_similarity(x, y, CFG, memo) == expected == name_similarity(x, y, CFG, memo)
    assert name_similarity(y, x, CFG, memo) == plain_name_similarity(y, x)


def plain_normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        parts: list[str] = []
        for ch in text:
            if ch.isascii():
                parts.append(ch)
            elif _is_cjk(ch):
                parts.append(f" {anyascii(ch)} ")
            else:
                parts.append(anyascii(ch))
        text = "".join(parts)
    text = _APOSTROPHES.sub("", text.upper())
    return " ".join(_NON_ALNUM.sub(" ", text).split())


SCRIPTS = st.text(
    alphabet=st.sampled_from(
        list("abc XYZ-'.,é ñÅ")
        + list("Владимир Соколов")
        + list("محمد المصري")
        + list("毛泽东")
        + list("김정은")
        + list("Γιώργος")
        + ["\u2019", "\ufb01", "\u00a0"]
    ),
    max_size=20,
)


@given(SCRIPTS)
def test_normalise_is_character_by_character(text: str) -> None:
    assert normalise(text) == plain_normalise(text)


def plain_given(freq: NameFrequencies, b: str, a: str, exclude: frozenset[str]) -> float:
    def pair(x: str, y: str) -> int:
        return freq.pairs.get(f"{x}|{y}" if x <= y else f"{y}|{x}", 0)

    na = freq.tokens.get(a, 0)
    direct = max(pair(a, b) - 1, 0) / na if na > 1 else 0.0
    around = {}
    for key, n in freq.pairs.items():
        x, y = key.split("|")
        if a in (x, y):
            c = y if x == a else x
            if c not in exclude:
                around[c] = n
    total = sum(around.values())
    walk = 0.0
    for c, n in around.items():
        nc = freq.tokens.get(c, 0)
        if nc:
            walk += n / total * pair(b, c) / nc
    return max(direct, walk)


POPULATION = [
    "THI DUONG",
    "NGUYEN THI LAN",
    "TRAN THI DUONG",
    "ZHANG WEI",
    "WANG WEI",
    "ZHANG LI",
    "MOHAMED ALI",
    "ALI HASSAN",
    "MOHAMED HASSAN ALI",
    "ANNA SMITH",
    "JOHN SMITH",
    "ANNA LOPEZ",
]


def test_given_is_the_plain_walk() -> None:
    freq = NameFrequencies.count(POPULATION * 2 + POPULATION[:5])
    tokens = sorted(freq.tokens)
    for a in tokens:
        for b in tokens:
            for exclude in [
                frozenset(),
                frozenset({a, b}),
                *map(frozenset, combinations(tokens[::3], 2)),
            ]:
                assert freq.given(b, a, exclude) == plain_given(freq, b, a, exclude), (b, a)


def plain_three_steps(freq: NameFrequencies, b: str, a: str, exclude: frozenset[str]) -> float:
    """Sum over c named with a and d named with c (neither excluded) of P(c | a) P(d | c)
    P(b | d), every P from the pair counts, as written in ``rarity.given``."""

    def pair(x: str, y: str) -> int:
        return freq.pairs.get(f"{x}|{y}" if x <= y else f"{y}|{x}", 0)

    def around(x: str) -> dict[str, int]:
        out = {}
        for key, n in freq.pairs.items():
            p, q = key.split("|")
            if x in (p, q):
                out[q if p == x else p] = n
        return out

    near_a = around(a)
    total = sum(near_a.values()) - sum(n for c, n in near_a.items() if c in exclude)
    if not total:
        return 0.0
    walk = 0.0
    for c, n in near_a.items():
        if c in exclude:
            continue
        near_c = around(c)
        for d, m in near_c.items():
            if d not in exclude and freq.tokens.get(d) and pair(b, d):
                walk += n / total * m / sum(near_c.values()) * pair(b, d) / freq.tokens[d]
    return walk


def test_given_with_three_steps_is_the_plain_walk() -> None:
    freq = NameFrequencies.count(POPULATION * 2 + POPULATION[:5] + ["ANNA DUONG", "LI SMITH"])
    tokens = sorted(freq.tokens)
    for a in tokens:
        for b in tokens:
            for exclude in [frozenset(), frozenset({a, b}), frozenset(tokens[::4])]:
                two = freq.given(b, a, exclude)
                three = freq.given(b, a, exclude, steps=3)
                expected = max(two, plain_three_steps(freq, b, a, exclude))
                assert math.isclose(three, expected, rel_tol=1e-9, abs_tol=1e-12), (b, a)
                assert three >= two

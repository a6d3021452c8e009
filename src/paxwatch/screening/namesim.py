"""Name similarity: the ``name`` and ``phonetic`` features of a person match.

``name_similarity`` aligns the canonical tokens of two prepared names one to one. It is the
hot path of screening, so token similarities are memoised per pair of token strings in a
``TokenSimilarity`` (one per ``Screener``: the rules only read the tokens, their learned
patterns and skeletons, which are functions of the token for a given equivalence table), and
a glued reading of a name is only tried where the joined tokens resemble a token of the other
name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import OSA, JaroWinkler

from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.names import PreparedName

_VOWELLESS = re.compile(r"^[^AEIOU]+$")
"""A token written without vowels: an abjad (Arabic, Persian, Hebrew) transliteration."""

MAX_CACHED_PAIRS = 1_000_000
"""Token pairs memoised before the memo is emptied (bounded memory in a long-lived screener)."""


@dataclass(frozen=True, slots=True)
class NameComparison:
    """Outcome of ``name_similarity``: the similarity, the phonetic agreement and the
    aligned token pairs (traveller token, listed token, similarity)."""

    similarity: float
    phonetic: float
    pairs: tuple[tuple[str, str, float], ...]


def _one_edit(x: str, y: str, cfg: ScreeningConfig) -> bool:
    n, m = len(x), len(y)
    return (
        -1 <= n - m <= 1  # else at least two edits apart
        and min(n, m) >= cfg.typo_min_length
        and OSA.distance(x, y, score_cutoff=1) <= 1
    )


def _abjad_match(x: str, sx: str, y: str, sy: str) -> bool:
    if sx != sy or len(sx) < 2:
        return False
    if _VOWELLESS.match(x):
        abjad, other = x, y
    elif _VOWELLESS.match(y):
        abjad, other = y, x
    else:
        return False
    # a final Y is the long vowel of a nisba (MHMDY is MUHAMMADI, HMYDY is HAMIDI): the
    # other spelling must end in a vowel too (MHMDY is not MUHAMMAD, HMYDY not AHMAD)
    return not (abjad.endswith("Y") and other[-1] not in "AEIOUY")


def token_similarity(
    x: str,
    px: str,
    sx: str,
    y: str,
    py: str,
    sy: str,
    cfg: ScreeningConfig,
    wx: str = "",
    wy: str = "",
) -> float:
    """Similarity of two canonical tokens (``px``/``py`` patterns, ``sx``/``sy`` skeletons,
    ``wx``/``wy`` the tokens as written, if known).

    1 for the same token; ``initial_similarity`` for an initial (one letter) and a longer
    token it begins, as canonical or as written (A ~ ADEL), 0 for an initial and any other
    token; 0.98 for the same learned consonant/vowel pattern (longer than two characters);
    0.95 for a vowel-less abjad transliteration with the other token's consonant skeleton
    (MHMD ~ MUHAMMAD; a final Y, the nisba -I, must meet a final vowel); else
    Jaro-Winkler, raised to ``token_typo`` when both tokens have at least
    ``typo_min_length`` letters and are one edit apart as canonical tokens or as written
    (substitution, insertion, deletion or adjacent transposition: a typing error, which
    Jaro-Winkler punishes hard in short tokens: AYUD ~ AYID 0.87; MOHARMED is one edit from
    MOHAMMED as written, not from its representative MUHAMMAD).
    """
    if x == y:
        return 1.0
    if len(x) == 1 or len(y) == 1:
        initial, other, written = (x, y, wy) if len(x) == 1 else (y, x, wx)
        if other[:1] == initial or written[:1] == initial:
            return cfg.initial_similarity
        return 0.0
    if px == py and len(px) > 2:
        return 0.98
    if sx == sy and _abjad_match(x, sx, y, sy):
        return 0.95
    sim = JaroWinkler.similarity(x, y)
    if sim < cfg.token_typo and (
        _one_edit(x, y, cfg) or (wx and wy and (wx != x or wy != y) and _one_edit(wx, wy, cfg))
    ):
        return cfg.token_typo
    return sim


def _keys(name: PreparedName) -> tuple[str, ...]:
    """Memo keys of the tokens of a name: as written (they determine the canonical token);
    a glued reading's joined token is ``+`` and the joined canonical tokens."""
    return name.spellings or name.tokens


def _written(key: str) -> str:
    return key[1:] if key.startswith("+") else key


class TokenSimilarity:
    """Memoised ``token_similarity`` for one configuration and equivalence table: one row
    (listed token -> similarity) per traveller token, keyed by the tokens as written."""

    __slots__ = ("cfg", "rows", "size")

    def __init__(self, cfg: ScreeningConfig) -> None:
        self.cfg = cfg
        self.rows: dict[str, dict[str, float]] = {}
        self.size = 0

    def row(self, x: str) -> dict[str, float]:
        """The memo of key ``x`` (to read with ``.get`` before calling the memo)."""
        row = self.rows.get(x)
        if row is None:
            if self.size >= MAX_CACHED_PAIRS:
                self.rows.clear()
                self.size = 0
            row = self.rows[x] = {}
        return row

    def __call__(self, a: PreparedName, i: int, b: PreparedName, j: int) -> float:
        return self.pair(
            _keys(a)[i],
            a.tokens[i],
            a.patterns[i],
            a.skeletons[i],
            _keys(b)[j],
            b.tokens[j],
            b.patterns[j],
            b.skeletons[j],
        )

    def pair(self, kx: str, x: str, px: str, sx: str, ky: str, y: str, py: str, sy: str) -> float:
        """``token_similarity`` of canonical tokens ``x`` and ``y`` memoised under their keys
        (``_keys``: the tokens as written, or ``+`` and a glued reading's joined token)."""
        row = self.row(kx)
        sim = row.get(ky)
        if sim is None:
            sim = row[ky] = token_similarity(
                x, px, sx, y, py, sy, self.cfg, _written(kx), _written(ky)
            )
            self.size += 1
        return sim


def similarity_bound(n: int, m: int, cfg: ScreeningConfig) -> float:
    """Upper bound of ``name_similarity`` of names of ``n`` and ``m`` tokens (every token of
    the shorter name aligned at full credit, in the plain or the best glued reading)."""
    short, long = (n, m) if n <= m else (m, n)
    if short == 0:
        return 0.0
    bound = _full_credit(short, long, cfg)
    if long > short:
        bound = max(bound, _full_credit(short, long - 1, cfg))
    return max(0.0, bound)


def _full_credit(short: int, long: int, cfg: ScreeningConfig) -> float:
    """``name_similarity`` of names of ``short`` <= ``long`` tokens whose shorter one is
    aligned at full credit: ``single_token_factor`` for one token against several (the
    factor is the price of the missing tokens: no ``extra_token_penalty`` on top of it),
    else ``extra_token_penalty`` per unaligned token of the longer name."""
    if short == 1 and long > 1:
        return cfg.single_token_factor
    return 1.0 - cfg.extra_token_penalty * (long - short)


def _glued_bound(n: int, m: int, cfg: ScreeningConfig) -> float:
    """Upper bound of ``name_similarity`` over the glued readings (two adjacent tokens of
    the longer name joined) of names of ``n`` != ``m`` tokens."""
    short, long = (n, m) if n <= m else (m, n)
    return max(0.0, _full_credit(short, long - 1, cfg))


def _align(
    a: PreparedName, b: PreparedName, cfg: ScreeningConfig, sim: TokenSimilarity
) -> NameComparison:
    floor = cfg.token_floor
    scored: list[tuple[float, int, int]] = []
    keys_b = b.spellings or b.tokens
    rows = sim.rows
    for i, x in enumerate(a.spellings or a.tokens):
        row = rows.get(x)
        if row is None:
            row = sim.row(x)
        for j, y in enumerate(keys_b):
            s = row.get(y)
            if s is None:  # memo miss: computed and stored as ``TokenSimilarity.pair`` does
                s = row[y] = token_similarity(
                    a.tokens[i],
                    a.patterns[i],
                    a.skeletons[i],
                    b.tokens[j],
                    b.patterns[j],
                    b.skeletons[j],
                    cfg,
                    x[1:] if x[:1] == "+" else x,
                    y[1:] if y[:1] == "+" else y,
                )
                sim.size += 1
            if s >= floor:
                scored.append((s, i, j))
    if not scored:
        return NameComparison(0.0, 0.0, ())
    n, m = len(a.tokens), len(b.tokens)
    short, long = (n, m) if n <= m else (m, n)
    if len(scored) > 1:
        scored.sort(reverse=True)
    used_a = used_b = 0
    credit = 0.0
    phonetic = 0
    full, span = cfg.token_full, cfg.token_full - floor
    pa, pb, ta, tb = a.phonetic, b.phonetic, a.tokens, b.tokens
    pairs: list[tuple[str, str, float]] = []
    for s, i, j in scored:
        if used_a >> i & 1 or used_b >> j & 1:
            continue
        used_a |= 1 << i
        used_b |= 1 << j
        credit += 1.0 if s >= full else (s - floor) / span
        phonetic += pa[i] == pb[j] and pa[i] != ""
        pairs.append((ta[i], tb[j], round(s, 3)))
    if short == 1 and long > 1:  # the factor is the price of the missing tokens
        value = credit * cfg.single_token_factor
    else:
        value = credit / short - cfg.extra_token_penalty * (long - len(pairs))
    return NameComparison(max(0.0, value), phonetic / short, tuple(pairs))


def merged(name: PreparedName, at: int) -> PreparedName:
    """``name`` with tokens ``at`` and ``at + 1`` joined (a glued reading)."""

    def join(parts: tuple[str, ...], glue: str = "") -> tuple[str, ...]:
        return (*parts[:at], glue + parts[at] + parts[at + 1], *parts[at + 2 :])

    phonetic = (*name.phonetic[:at], "", *name.phonetic[at + 2 :])
    keys = _keys(name)
    spellings = (*keys[:at], "+" + name.tokens[at] + name.tokens[at + 1], *keys[at + 2 :])
    return PreparedName(
        name.text,
        join(name.tokens),
        join(name.patterns),
        join(name.skeletons),
        phonetic,
        spellings,
    )


def _resembles(
    longer: PreparedName,
    at: int,
    shorter: PreparedName,
    longer_first: bool,
    cfg: ScreeningConfig,
    sim: TokenSimilarity,
) -> bool:
    """Whether tokens ``at`` and ``at + 1`` of ``longer`` joined align with a token of
    ``shorter`` (else the glued reading cannot add an aligned pair)."""
    x = longer.tokens[at] + longer.tokens[at + 1]
    kx = "+" + x
    px = longer.patterns[at] + longer.patterns[at + 1]
    sx = longer.skeletons[at] + longer.skeletons[at + 1]
    floor = cfg.token_floor
    keys = shorter.spellings or shorter.tokens
    if longer_first:
        row = sim.row(kx)
        for j, ky in enumerate(keys):
            s = row.get(ky)
            if s is None:
                s = sim.pair(
                    kx, x, px, sx, ky, shorter.tokens[j], shorter.patterns[j], shorter.skeletons[j]
                )
            if s >= floor:
                return True
        return False
    rows = sim.rows
    for j, ky in enumerate(keys):
        memo = rows.get(ky)
        s = None if memo is None else memo.get(kx)
        if s is None:
            s = sim.pair(
                ky, shorter.tokens[j], shorter.patterns[j], shorter.skeletons[j], kx, x, px, sx
            )
        if s >= floor:
            return True
    return False


def name_similarity(
    a: PreparedName,
    b: PreparedName,
    cfg: ScreeningConfig,
    sim: TokenSimilarity | None = None,
    need: float = -1.0,
) -> NameComparison:
    """How alike two names are, from 0 to 1, whatever the order of their tokens.

    Tokens are the canonical tokens of ``names.prepare_name`` (script, case, titles,
    particles and learned spelling variants already removed). They are aligned one to one,
    most similar pairs first, by ``token_similarity`` (Jaro-Winkler; same learned pattern
    0.98; abjad skeleton 0.95; one typing error ``token_typo``). A pair under
    ``token_floor`` is not aligned; a pair from ``token_full`` counts 1, in between
    proportionally (a typo costs a little, a different name everything). The similarity is
    the credit over the tokens of the shorter name, minus ``extra_token_penalty`` per
    unaligned token of the longer one (a dropped middle name costs a little); a one-token
    name compared with a longer one gets its token's credit times ``single_token_factor``
    instead (the factor is the price of the missing tokens). Glued names
    (ABDELRAHMAN, ZEDONG) are also compared with adjacent tokens of the other name joined,
    where the joined token aligns with some token of the glued name, and the best reading is
    kept.

    ``need`` (screening's fast path): the glued readings are not tried when their bound
    (``similarity_bound``) is under ``need`` or cannot beat the plain alignment; the result
    differs from the full one only when both are under ``need``.
    """
    if not a.tokens or not b.tokens:
        return NameComparison(0.0, 0.0, ())
    if a.tokens == b.tokens:
        return NameComparison(1.0, 1.0, tuple((t, t, 1.0) for t in a.tokens))
    sim = sim or TokenSimilarity(cfg)
    best = _align(a, b, cfg, sim)
    n, m = len(a.tokens), len(b.tokens)
    if best.similarity < 0.999 and n != m:
        glued = _glued_bound(n, m, cfg)
        if glued < need or glued <= best.similarity:
            return best
        longer, shorter = (a, b) if n > m else (b, a)
        first = longer is a
        for at in range(len(longer.tokens) - 1):
            if not _resembles(longer, at, shorter, first, cfg, sim):
                continue
            joined = merged(longer, at)
            other = (
                _align(joined, shorter, cfg, sim) if first else _align(shorter, joined, cfg, sim)
            )
            if other.similarity > best.similarity:
                best = other
    return best

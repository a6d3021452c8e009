"""Names: normalise any script to comparable tokens, and derive the keys used to find them.

The pipeline for one name (``prepare_name``):

1. ``normalise``: Unicode NFKC, transliteration of every script to ASCII with ``anyascii``
   (Arabic, Persian, Cyrillic, Greek, Chinese, Ge'ez...; Chinese syllables are separated),
   upper case, apostrophes and ayn/hamza marks removed, every other non-letter a space.
2. ``tokens``: titles and honorifics (MR, DR, SHEIKH, HAJJI...) dropped; particles (AL, EL,
   BIN, IBN, ABU, BEN, VAN, DE, DER, DI, LA...) dropped whether they stand alone or are glued
   to the front of a longer token (ALZAWAHIRI -> ZAWAHIRI), except in the learned names of
   their own (``whole_names``: ALBERT, DENISE stay whole); the Arabic ``ABD``-compound
   (ABDEL RAHMAN, ABDELRAHMAN, ABDURRAHMAN, ABD AL-RAHMAN) split to ``ABD`` + the rest.
3. ``canonical``: the learned romanisation table (``equivalences``) maps each token to the
   representative of its class (MOHAMMED, MUHAMMAD, MOHAMAD -> one spelling).
4. keys: ``skeleton`` (consonant skeleton with learned letter merges, silent letters and
   doubled letters removed) for candidate generation; ``metaphone`` for phonetic agreement.

Every step is applied identically to the list names and to the travellers' names, so a
rule that is wrong for some name (a glued cut too eager or too shy) costs precision, and
recall only where one person's name is written both ways (ABUBAKR / ABU BAKR: the learned
whole names exclude the names the lists write both ways).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import jellyfish
from anyascii import anyascii

from paxwatch.screening.equivalences import Equivalences, cv_pattern, default_equivalences
from paxwatch.screening.memo import Memo
from paxwatch.screening.particles import GLUED_PREFIXES, PARTICLES, TITLES

GLUED_DATA_FILE = "glued.json"
"""The learned whole names (``learn_glued``), in this package's ``data/``."""

_ABD = re.compile(r"^ABD(?:U|E|A|O|OU)?(?:L|R|S|SH|N|Z|D|T)?(?=[B-DF-HJ-NP-TV-Z])")
_VOWELLESS = re.compile(r"^[^AEIOU]{3,}$")
"""A token written without vowels: an abjad (Arabic, Persian) transliteration, where the
article AL- is a glued L (LMSRY) and ABD- a glued BD (BDLKHLQ)."""
_ABD_ALONE = re.compile(r"^ABD(?:U|E|A|O|OU)?(?:L|R|S|SH|N|Z|D|T)?$")
_APOSTROPHES = re.compile(r"['`\u2018\u2019\u02bc\u02bb\u02be\u02bf\u00b4]")
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
_VOWELS = frozenset("AEIOU")


_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")
"""The characters of ``_is_cjk``."""


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return 0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF


def normalise(text: str) -> str:
    """Any-script text -> upper-case ASCII words separated by single spaces.

    Idempotent: ``normalise(normalise(x)) == normalise(x)``. Never raises. Memoised
    (``memo.Memo``).
    """
    return _NORMALISED[text]


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii() and _CJK.search(text) is None:
        text = anyascii(text)  # code point by code point, as the loop below
    elif not text.isascii():
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


_NORMALISED: Memo[str, str] = Memo(_normalise, 262_144)
_GLUED = re.compile("^(?:" + "|".join(GLUED_PREFIXES) + ")")


@lru_cache(maxsize=1)
def whole_names() -> frozenset[str]:
    """Tokens that begin with a glued particle but are names of their own (ALBERT, DENISE,
    ULLRICH, ALMEIDA, BENJAMIN): learned data (``learn_glued``), empty if the file is
    missing. A token is one when the name vocabularies of more naming cultures carry it
    than carry the rest after the cut (ALBERT in 30 of Faker's locales, BERT in 4; HASSAN in
    8, ALHASSAN in none), and no listed person is written both ways (ABUBAKR / ABU BAKR)."""
    try:
        text = resources.files("paxwatch.screening").joinpath("data", GLUED_DATA_FILE).read_text()
    except (FileNotFoundError, OSError):
        return frozenset()
    return frozenset(str(t) for t in json.loads(text).get("whole", {}))


def glued_rest(token: str) -> str:
    """``token`` without its first glued particle (one cut, whole names not consulted), or
    ``token`` itself when no prefix of ``GLUED_PREFIXES`` can be cut."""
    if _GLUED.match(token):
        for prefix in GLUED_PREFIXES:
            rest = token[len(prefix) :]
            if token.startswith(prefix) and len(rest) >= 4 and rest[0] not in _VOWELS:
                return rest
    return token


def _strip_glued(token: str) -> str:
    """Glued particles cut one after the other, up to a learned whole name."""
    whole = whole_names()
    while token not in whole:
        rest = glued_rest(token)
        if rest == token:
            break
        token = rest
    return token


_STRIPPED: Memo[str, str] = Memo(_strip_glued, 65_536)


def _abjad(token: str, out: list[str]) -> str:
    """Vowel-less token: cut a glued article L and a glued BD (= ABD), as in Arabic script."""
    if token.startswith("BD"):
        out.append("ABD")
        token = token[2:]
        if token.startswith("L") and len(token) >= 4:
            token = token[1:]
        return token if len(token) >= 2 else ""
    if token.startswith("L") and len(token) >= 4:
        return token[1:]
    return token


def split_tokens(normalised: str, *, cut_glued: bool = True) -> list[str]:
    """Name tokens without titles and particles, ABD-compounds split, glued particles cut
    (``cut_glued=False``: left on, for learning which tokens are names of their own)."""
    out: list[str] = []
    for raw in normalised.split():
        if raw in TITLES or raw.isdigit():
            continue
        if raw in PARTICLES and (out or len(raw) > 1):
            continue  # a one-letter first token (Y, E) is an initial, not a conjunction
        if raw == "BD":
            raw = "ABD"
        if _VOWELLESS.match(raw):
            raw = _abjad(raw, out)
            if not raw:
                continue
        if _ABD_ALONE.match(raw):
            out.append("ABD")
            continue
        match = _ABD.match(raw)
        if match and len(raw) - match.end() >= 4:
            out.append("ABD")
            raw = raw[match.end() :]
        token = _STRIPPED[raw] if cut_glued else raw
        if token:
            out.append(token)
    return out


def skeleton(token: str, eq: Equivalences | None = None) -> str:
    """Consonant skeleton of a canonical token: the main candidate-generation key.

    The learned ``cv_pattern`` without its silent-letter marks: letters the table calls
    silent (vowels, Y, W) removed, learned letter merges applied (Q -> K, C -> S...), runs
    of one letter collapsed. A token made only of silent letters keeps its first letter.
    """
    eq = eq or default_equivalences()
    return _skeleton(pattern(token, eq), token)


def pattern(token: str, eq: Equivalences | None = None) -> str:
    """The learned consonant/vowel-slot pattern of a token (see ``equivalences.cv_pattern``)."""
    eq = eq or default_equivalences()
    return _pattern(token, eq)


def _pattern(token: str, eq: Equivalences) -> str:
    return _patterns(eq)[token]


def _patterns(eq: Equivalences) -> Memo[str, str]:
    """The memo of the patterns of ``eq``'s tokens (kept with the table)."""
    memo: Memo[str, str] | None = eq.meta.get("_patterns")
    if memo is None:
        letters, silent = eq.letters, eq.silent
        memo = eq.meta["_patterns"] = Memo(lambda t: cv_pattern(t, letters, silent), 262_144)
    return memo


def _skeleton(pat: str, token: str) -> str:
    bare = pat.replace("*", "")
    return bare or token[:1]


def metaphone(token: str) -> str:
    """Phonetic key (jellyfish metaphone) of a token; digits and empty tokens give ''."""
    return _METAPHONES[token]


def _metaphone(token: str) -> str:
    return jellyfish.metaphone(token) if token.isalpha() else ""


_METAPHONES: Memo[str, str] = Memo(_metaphone, 262_144)


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name ready for comparison: canonical tokens and their keys, in name order."""

    text: str
    tokens: tuple[str, ...]
    patterns: tuple[str, ...]
    skeletons: tuple[str, ...]
    phonetic: tuple[str, ...]
    spellings: tuple[str, ...] = ()
    """The tokens as written, before the learned table (a typing error is one edit from
    the written token, not from its class representative); empty: same as ``tokens``."""

    @property
    def glued(self) -> str:
        """All canonical tokens joined, for comparing names written with or without spaces."""
        return "".join(self.tokens)


def prepare_name(text: str, eq: Equivalences | None = None) -> PreparedName:
    """Normalise ``text`` and compute its canonical tokens, skeletons and phonetic keys."""
    eq = eq or default_equivalences()
    return _prepare(text, eq)


def fresh_name(text: str, eq: Equivalences) -> PreparedName:
    """``prepare_name`` not memoised as a whole (its steps are): for a caller with a memo
    of its own (the screener's traveller names), so that a name is not filed twice."""
    spellings = tuple(split_tokens(_normalise(text)))
    get = eq.tokens.get
    tokens = tuple([get(t, t) for t in spellings])
    memo = _patterns(eq)
    patterns = tuple([memo[t] for t in tokens])
    return PreparedName(
        text=text,
        tokens=tokens,
        patterns=patterns,
        skeletons=tuple([_skeleton(p, t) for p, t in zip(patterns, tokens, strict=True)]),
        phonetic=tuple([_METAPHONES[t] for t in tokens]),
        spellings=spellings,
    )


_prepare = lru_cache(maxsize=131_072)(fresh_name)


def name_key(text: str) -> str:
    """A stable comparison key of a whole name: sorted canonical skeletons joined by spaces.

    Case, script (via anyascii), particles, titles, token order and learned spelling
    variants do not change it.
    """
    return " ".join(sorted(prepare_name(text).skeletons))

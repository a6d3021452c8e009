"""Feature functions: each compares one aspect of a traveller with a listed person.

These docstrings are the documentation of the algorithm (``docs/screening.md`` quotes
them). Each function returns a plain value; ``score.py`` multiplies it by the weight from
``ScreeningConfig`` and records name, value, weight and contribution on the ``Match``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import OSA, JaroWinkler

from paxwatch.model.watchlist import ListedDocument, PartialDate
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.names import PreparedName
from paxwatch.screening.subject import SubjectDocument

_DOC_CLEAN = re.compile(r"[^A-Z0-9]")
_VOWELLESS = re.compile(r"^[^AEIOU]+$")
"""A token written without vowels: an abjad (Arabic, Persian, Hebrew) transliteration."""


@dataclass(frozen=True, slots=True)
class NameComparison:
    """Outcome of ``name_similarity``: the similarity, the phonetic agreement and the
    aligned token pairs (traveller token, listed token, similarity)."""

    similarity: float
    phonetic: float
    pairs: tuple[tuple[str, str, float], ...]


def _token_credit(sim: float, cfg: ScreeningConfig) -> float:
    if sim >= cfg.token_full:
        return 1.0
    if sim < cfg.token_floor:
        return 0.0
    return (sim - cfg.token_floor) / (cfg.token_full - cfg.token_floor)


def _token_sim(a: PreparedName, i: int, b: PreparedName, j: int) -> float:
    if a.tokens[i] == b.tokens[j]:
        return 1.0
    if a.patterns[i] == b.patterns[j] and len(a.patterns[i]) > 2:
        return 0.98
    if (
        a.skeletons[i] == b.skeletons[j]
        and len(a.skeletons[i]) > 1
        and (_VOWELLESS.match(a.tokens[i]) or _VOWELLESS.match(b.tokens[j]))
    ):
        return 0.95
    return JaroWinkler.similarity(a.tokens[i], b.tokens[j])


def _align(a: PreparedName, b: PreparedName, cfg: ScreeningConfig) -> NameComparison:
    scored = sorted(
        (
            (_token_sim(a, i, b, j), i, j)
            for i in range(len(a.tokens))
            for j in range(len(b.tokens))
        ),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[str, str, float]] = []
    credit = 0.0
    phonetic = 0
    for sim, i, j in scored:
        if sim < cfg.token_floor:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        credit += _token_credit(sim, cfg)
        phonetic += a.phonetic[i] == b.phonetic[j] and a.phonetic[i] != ""
        pairs.append((a.tokens[i], b.tokens[j], round(sim, 3)))
    short, long = sorted((len(a.tokens), len(b.tokens)))
    value = credit / short - cfg.extra_token_penalty * (long - len(pairs))
    if short == 1 and long > 1:
        value *= cfg.single_token_factor
    return NameComparison(max(0.0, value), phonetic / short, tuple(pairs))


def _merged(name: PreparedName, at: int) -> PreparedName:
    tokens = (*name.tokens[:at], name.tokens[at] + name.tokens[at + 1], *name.tokens[at + 2 :])
    patterns = (
        *name.patterns[:at],
        name.patterns[at] + name.patterns[at + 1],
        *name.patterns[at + 2 :],
    )
    skeletons = (
        *name.skeletons[:at],
        name.skeletons[at] + name.skeletons[at + 1],
        *name.skeletons[at + 2 :],
    )
    phonetic = (*name.phonetic[:at], "", *name.phonetic[at + 2 :])
    return PreparedName(name.text, tokens, patterns, skeletons, phonetic)


def name_similarity(a: PreparedName, b: PreparedName, cfg: ScreeningConfig) -> NameComparison:
    """How alike two names are, from 0 to 1, whatever the order of their tokens.

    Tokens are the canonical tokens of ``names.prepare_name`` (script, case, titles,
    particles and learned spelling variants already removed). They are aligned one to one,
    most similar pairs first, by Jaro-Winkler similarity (tokens with the same learned
    consonant/vowel pattern count as 0.98; a vowel-less abjad transliteration with the
    same consonant skeleton as the other token, MHMD ~ MUHAMMAD, counts as 0.95). A pair
    under ``token_floor`` is not aligned; a
    pair from ``token_full`` counts 1, in between proportionally (a typo costs a little, a
    different name everything). The similarity is the credit over the tokens of the shorter
    name, minus ``extra_token_penalty`` per unaligned token of the longer one (a dropped
    middle name costs a little), times ``single_token_factor`` when a one-token name is
    compared with a longer one. Glued names (ABDELRAHMAN, ZEDONG) are also compared with
    adjacent tokens of the other name joined, and the best reading is kept.
    """
    if not a.tokens or not b.tokens:
        return NameComparison(0.0, 0.0, ())
    if a.tokens == b.tokens:
        return NameComparison(1.0, 1.0, tuple((t, t, 1.0) for t in a.tokens))
    best = _align(a, b, cfg)
    if best.similarity < 0.999 and len(a.tokens) != len(b.tokens):
        longer, shorter = (a, b) if len(a.tokens) > len(b.tokens) else (b, a)
        for at in range(len(longer.tokens) - 1):
            merged = _merged(longer, at)
            other = _align(merged, shorter, cfg) if longer is a else _align(shorter, merged, cfg)
            if other.similarity > best.similarity:
                best = other
    return best


def dob_agreement(dob: date | None, listed: Sequence[PartialDate]) -> str:
    """Date of birth of the traveller against the listed ones; the best outcome wins.

    ``exact`` same full date; ``month`` listed year and month only, both equal; ``year``
    listed year only, equal; ``transposed`` day and month swapped (03/06 vs 06/03);
    ``one_digit`` full dates one digit apart in ``YYYYMMDD`` (a typing error);
    ``near_year`` listed year only (often "circa"), one year off; ``unknown`` either side
    has no date; ``mismatch`` everything else (a full date that differs, or years more
    than one apart). A mismatch weighs strongly against the match.
    """
    if dob is None or not listed:
        return "unknown"
    order = ("exact", "month", "year", "transposed", "one_digit", "near_year", "mismatch")
    best = len(order) - 1
    for item in listed:
        best = min(best, order.index(_one_dob(dob, item)))
    return order[best]


def _one_dob(dob: date, item: PartialDate) -> str:
    if item.year is None:
        return "mismatch"
    if item.month is None:
        if item.year == dob.year:
            return "year"
        return "near_year" if abs(item.year - dob.year) == 1 else "mismatch"
    if item.day is None:
        if (item.year, item.month) == (dob.year, dob.month):
            return "month"
        return "mismatch"
    if (item.year, item.month, item.day) == (dob.year, dob.month, dob.day):
        return "exact"
    if item.year == dob.year and (item.month, item.day) == (dob.day, dob.month):
        return "transposed"
    a = f"{item.year:04d}{item.month:02d}{item.day:02d}"
    b = dob.strftime("%Y%m%d")
    if sum(x != y for x, y in zip(a, b, strict=True)) == 1:
        return "one_digit"
    return "mismatch"


def nationality_agreement(nationality: str | None, listed: Sequence[str]) -> float:
    """1 if the traveller's nationality is among the listed ones, -1 if both are known and
    it is not (people change and hold several nationalities: a weak signal), else 0."""
    if not nationality or not listed:
        return 0.0
    return 1.0 if nationality in listed else -1.0


def gender_agreement(gender: str | None, listed: str | None) -> float:
    """-1 when both genders are known (M/F) and differ, else 0: agreement proves little,
    disagreement is a strong sign of a namesake."""
    if gender in ("M", "F") and listed in ("M", "F") and gender != listed:
        return -1.0
    return 0.0


def document_number(number: str) -> str:
    """A document number for comparison: upper-case letters and digits only."""
    return _DOC_CLEAN.sub("", number.upper())


def document_agreement(
    documents: Sequence[SubjectDocument], listed: Sequence[ListedDocument], cfg: ScreeningConfig
) -> tuple[float, str]:
    """Best agreement of the traveller's document numbers with the listed ones.

    1.0 for the same number (letters and digits only), ``document_typo_value`` for one
    edit (substitution, insertion, deletion or adjacent swap; numbers of at least
    ``min_typo_document_length`` characters), times ``document_country_mismatch`` when
    both issuing countries are known and differ. Returns the value and an explanation.
    """
    best, detail = 0.0, ""
    for doc in documents:
        mine = document_number(doc.number)
        if not mine:
            continue
        for item in listed:
            theirs = document_number(item.number)
            if not theirs:
                continue
            if mine == theirs:
                value, why = 1.0, f"number {theirs} exact"
            elif (
                min(len(mine), len(theirs)) >= cfg.min_typo_document_length
                and OSA.distance(mine, theirs, score_cutoff=1) <= 1
            ):
                value, why = cfg.document_typo_value, f"number {theirs} at one edit from {mine}"
            else:
                continue
            if doc.issuing_country and item.issuing_country:
                if doc.issuing_country != item.issuing_country:
                    value *= cfg.document_country_mismatch
                    why += f", issued by {doc.issuing_country} not {item.issuing_country}"
                else:
                    why += f", issued by {item.issuing_country}"
            if value > best:
                best, detail = value, why
    return best, detail

"""Feature functions: each compares one aspect of a traveller with a listed person.

These docstrings are the documentation of the algorithm (``docs/screening.md`` quotes
them); the name features (``name_similarity``, ``token_similarity``) live in ``namesim``.
Each function returns a plain value; ``score.py`` multiplies it by the weight from
``ScreeningConfig`` and records name, value, weight and contribution on the ``Match``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from rapidfuzz.distance import OSA

from paxwatch.model.watchlist import ListedDocument, PartialDate
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.namesim import NameComparison, name_similarity, token_similarity
from paxwatch.screening.subject import SubjectDocument

__all__ = [
    "DOB_OUTCOMES",
    "NameComparison",
    "digits_apart",
    "dob_agreement",
    "document_agreement",
    "document_number",
    "gender_agreement",
    "name_similarity",
    "nationality_agreement",
    "token_similarity",
]

_DOC_CLEAN = re.compile(r"[^A-Z0-9]")


DOB_OUTCOMES: tuple[str, ...] = (
    "exact",
    "month",
    "year",
    "transposed",
    "one_digit",
    "near_date",
    "near_year",
    "near_month",
    "mismatch",
)
"""Outcomes of ``dob_agreement``, best first (the best over the listed dates wins)."""


def dob_agreement(dob: date | None, listed: Sequence[PartialDate]) -> str:
    """Date of birth of the traveller against the listed ones; the best outcome wins.

    ``exact`` same full date; ``month`` listed year and month only, both equal; ``year``
    listed year only, equal; ``transposed`` day and month swapped (03/06 vs 06/03);
    ``one_digit`` full dates one digit apart in ``YYYYMMDD`` (a typing error);
    ``near_date`` full dates one day apart, or the same day one month or one year apart (a
    clerk's slip, a time-zone or calendar conversion); ``near_year`` listed year only
    (often "circa"), one year off or one digit apart (1985 / 1995); ``near_month`` listed
    year and month only, one month off or one digit apart in ``YYYYMM``; ``unknown`` either
    side has no date; ``mismatch`` everything else (a full date that differs, or years more
    than one apart). A mismatch weighs strongly against the match.
    """
    if dob is None or not listed:
        return "unknown"
    order = DOB_OUTCOMES
    best = len(order) - 1
    for item in listed:
        best = min(best, order.index(_one_dob(dob, item)))
    return order[best]


def digits_apart(a: str, b: str) -> int:
    """Positions at which two digit strings of the same length differ."""
    return sum(x != y for x, y in zip(a, b, strict=True))


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _one_dob(dob: date, item: PartialDate) -> str:
    if item.year is None:
        return "mismatch"
    if item.month is None:
        if item.year == dob.year:
            return "year"
        near = (
            abs(item.year - dob.year) == 1
            or digits_apart(f"{item.year:04d}", f"{dob.year:04d}") == 1
        )
        return "near_year" if near else "mismatch"
    if item.day is None:
        if (item.year, item.month) == (dob.year, dob.month):
            return "month"
        apart = abs(_month_index(item.year, item.month) - _month_index(dob.year, dob.month))
        near = apart == 1 or (
            digits_apart(f"{item.year:04d}{item.month:02d}", dob.strftime("%Y%m")) == 1
        )
        return "near_month" if near else "mismatch"
    if (item.year, item.month, item.day) == (dob.year, dob.month, dob.day):
        return "exact"
    if item.year == dob.year and (item.month, item.day) == (dob.day, dob.month):
        return "transposed"
    a = f"{item.year:04d}{item.month:02d}{item.day:02d}"
    if digits_apart(a, dob.strftime("%Y%m%d")) == 1:
        return "one_digit"
    if _near_date(item.year, item.month, item.day, dob):
        return "near_date"
    return "mismatch"


def _near_date(year: int, month: int, day: int, dob: date) -> bool:
    """One day apart, or the same day one month apart, or the same day and month one year
    apart."""
    if day == dob.day:
        if month == dob.month:
            return abs(year - dob.year) == 1
        return abs(_month_index(year, month) - _month_index(dob.year, dob.month)) == 1
    try:
        listed = date(year, month, day)
    except ValueError:
        return False
    return abs((listed - dob).days) == 1


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

"""Fast bounds for screening: what the features other than the name add, without a Match.

``score.context_features`` builds explained ``Feature`` objects; screening a traveller
against a dozen candidates only needs their sum to decide whether the name can still lift
the candidate over the threshold. ``EntryContext`` is precomputed per list entry when the
screener is built, and ``context_sum`` returns exactly the sum of the contributions of
``context_features`` (same outcomes, same rounding) in a fraction of the time: a traveller
whose date of birth is years away from every listed one is a ``mismatch`` at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.features import (
    document_agreement,
    gender_agreement,
    nationality_agreement,
)
from paxwatch.screening.subject import Subject

EPSILON = 1e-6
"""Margin of the bounds: a candidate is dropped only when it is surely under the threshold."""


_OUTCOMES = ("exact", "month", "year", "transposed", "one_digit", "near_year", "mismatch")
_MISMATCH = len(_OUTCOMES) - 1


@dataclass(frozen=True, slots=True)
class EntryContext:
    """Per-entry look-up data for ``context_sum``.

    ``dobs``: the listed dates of birth with a year, as (year, month or 0, day or 0);
    ``near_years``: their years and neighbours (every outcome but a
    ``mismatch`` needs the traveller's year among them or, for ``one_digit``, the month and
    day of a full listed date: ``month_days``)."""

    listed: bool
    dobs: tuple[tuple[int, int, int], ...]
    near_years: frozenset[int]
    month_days: frozenset[tuple[int, int]]


def entry_context(entry: WatchlistEntry) -> EntryContext:
    """Precompute the date-of-birth look-up data of an entry."""
    dobs: list[tuple[int, int, int]] = []
    years: set[int] = set()
    month_days: set[tuple[int, int]] = set()
    for item in entry.dates_of_birth:
        if item.year is None:
            continue
        years.update((item.year - 1, item.year, item.year + 1))
        month, day = item.month or 0, 0
        if item.month is not None and item.day is not None:
            day = item.day
            month_days.add((item.month, item.day))
        dobs.append((item.year, month, day))
    return EntryContext(
        bool(entry.dates_of_birth), tuple(dobs), frozenset(years), frozenset(month_days)
    )


def _digits_apart(a: int, b: int) -> int:
    """Differing digits of two two-digit numbers."""
    return (a // 10 != b // 10) + (a % 10 != b % 10)


def _one_digit(iy: int, im: int, iday: int, y: int, m: int, d: int) -> bool:
    """Full dates one digit apart in ``YYYYMMDD``."""
    if iy == y:
        if im == m:
            return _digits_apart(iday, d) == 1
        return iday == d and _digits_apart(im, m) == 1
    return (
        im == m
        and iday == d
        and _digits_apart(iy // 100, y // 100) + _digits_apart(iy % 100, y % 100) == 1
    )


def dob_outcome(dob: date | None, ctx: EntryContext) -> str:
    """``features.dob_agreement(dob, entry.dates_of_birth)`` from the precomputed
    ``EntryContext``; far-away dates are a ``mismatch`` at once."""
    if dob is None or not ctx.listed:
        return "unknown"
    y, m, d = dob.year, dob.month, dob.day
    if y not in ctx.near_years and (m, d) not in ctx.month_days:
        return "mismatch"
    best = _MISMATCH
    for iy, im, iday in ctx.dobs:
        if not im:
            rank = 2 if iy == y else (5 if abs(iy - y) == 1 else _MISMATCH)
        elif not iday:
            rank = 1 if iy == y and im == m else _MISMATCH
        elif iy == y and im == m and iday == d:
            return "exact"
        elif iy == y and im == d and iday == m:
            rank = 3
        elif _one_digit(iy, im, iday, y, m, d):
            rank = 4
        else:
            rank = _MISMATCH
        best = min(best, rank)
    return _OUTCOMES[best]


def context_sum(
    subject: Subject, entry: WatchlistEntry, ctx: EntryContext, cfg: ScreeningConfig
) -> float:
    """Sum of the contributions of ``score.context_features(subject, entry, cfg)``."""
    total = round(cfg.dob_weights[dob_outcome(subject.date_of_birth, ctx)], 4)
    nat = nationality_agreement(subject.nationality, entry.nationalities)
    if nat:
        weight = cfg.nationality_match if nat > 0 else -cfg.nationality_mismatch
        total += round(nat * weight, 4)
    if gender_agreement(subject.gender, entry.gender):
        total += round(cfg.gender_mismatch, 4)
    if subject.documents and entry.documents:
        value, _detail = document_agreement(subject.documents, entry.documents, cfg)
        if value:
            total += round(value * cfg.document_exact, 4)
    return total

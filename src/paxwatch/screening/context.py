"""Fast bounds for screening: what the features other than the name add, without a Match.

``score.context_features`` builds explained ``Feature`` objects; screening a traveller
against a dozen candidates only needs their sum to decide whether the name can still lift
the candidate over the threshold. ``EntryContext`` is precomputed per list entry when the
screener is built, and ``context_sum`` returns exactly the sum of the contributions of
``context_features`` (same outcomes, same rounding) in a fraction of the time: a traveller
whose date of birth is years away from every listed one is a ``mismatch`` at once.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from datetime import date

from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.features import (
    DOB_OUTCOMES,
    document_agreement,
    gender_agreement,
    nationality_agreement,
)
from paxwatch.screening.subject import Subject

EPSILON = 1e-6
"""Margin of the bounds: a candidate is dropped only when it is surely under the threshold."""


_OUTCOMES = DOB_OUTCOMES
_RANK = {name: i for i, name in enumerate(_OUTCOMES)}
_MONTH, _YEAR, _TRANSPOSED = _RANK["month"], _RANK["year"], _RANK["transposed"]
_ONE_DIGIT, _NEAR_DATE = _RANK["one_digit"], _RANK["near_date"]
_NEAR_YEAR, _NEAR_MONTH, _MISMATCH = _RANK["near_year"], _RANK["near_month"], _RANK["mismatch"]


@dataclass(frozen=True, slots=True)
class EntryContext:
    """Per-entry look-up data for ``context_sum``.

    ``dobs``: the listed dates of birth with a year, as (year, month or 0, day or 0);
    ``near_years``: their years and neighbours, and for partial dates the years one digit
    apart (every outcome but a ``mismatch`` needs the traveller's year among them or, for
    ``one_digit``, the month and day of a full listed date: ``month_days``)."""

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
        if item.month is None or item.day is None:
            years.update(_one_digit_years(item.year))
        month, day = item.month or 0, 0
        if item.month is not None and item.day is not None:
            day = item.day
            month_days.add((item.month, item.day))
        dobs.append((item.year, month, day))
    return EntryContext(
        bool(entry.dates_of_birth), tuple(dobs), frozenset(years), frozenset(month_days)
    )


def single_full_date(entry: WatchlistEntry) -> int:
    """The entry's date of birth packed as ``YYYYMMDD`` when it lists exactly one, a full
    date; else 0. Kept in an array by the screener for ``may_agree``: most listed persons
    have one full date, and a traveller born another day is rejected with no object read."""
    dobs = entry.dates_of_birth
    if len(dobs) != 1:
        return 0
    item = dobs[0]
    if item.year is None or item.month is None or item.day is None:
        return 0
    return item.year * 10_000 + item.month * 100 + item.day


def may_agree(listed: int, year: int, month: int, day: int) -> bool:
    """Whether a traveller born ``year-month-day`` may have a ``dob_outcome`` other than a
    ``mismatch`` with the single full date ``listed`` (``single_full_date``). False only when
    it surely is a mismatch: in the same year, no outcome but with the same month, the same
    day, an adjacent month (one day across a month's end) or day and month swapped; in
    another year, none but on the same month and day, or in January or December one year
    apart (one day or one month across the new year)."""
    ly, lmd = divmod(listed, 10_000)
    if lmd == month * 100 + day:
        return True
    if ly != year:
        return (month == 1 or month == 12) and (ly - year == 1 or year - ly == 1)
    lm, ld = divmod(lmd, 100)
    return lm == month or ld == day or lm - month in (1, -1) or (lm == day and ld == month)


def admit(
    found: set[int],
    name_entry: array[int],
    listed_dates: array[int],
    contexts: list[EntryContext],
    by_entry: dict[int, set[int]],
    mismatch: date | None,
) -> None:
    """Add the candidate names ``found`` to their entries in ``by_entry`` (entry index ->
    candidate name ids), leaving out, when ``mismatch`` is the traveller's date of birth
    (a ``mismatch`` surely keeps the candidate under the threshold), the entries whose
    listed dates of birth surely mismatch it: a listed single full date (``listed_dates``,
    ``may_agree``: no object read) or, for other entries, years away from every listed
    year (``EntryContext``). ``Screener._gather``'s inner loop, here to be compiled."""
    y, m, d = (mismatch.year, mismatch.month, mismatch.day) if mismatch else (0, 0, 0)
    low, high, md = y * 10_000 - 10_000, y * 10_000 + 20_000, m * 100 + d
    for name_id in found:
        idx = name_entry[name_id]
        ids = by_entry.get(idx)
        if ids is not None:
            ids.add(name_id)
            continue
        if mismatch is not None:
            listed = listed_dates[idx]
            if listed:
                # born two years or more apart on another day: surely a mismatch
                # (``may_agree`` says so too), without a call
                if (listed < low or listed >= high) and listed % 10_000 != md:
                    continue
                if not may_agree(listed, y, m, d):
                    continue
            else:
                ctx = contexts[idx]
                if ctx.listed and y not in ctx.near_years and (m, d) not in ctx.month_days:
                    continue
        by_entry[idx] = {name_id}


def _one_digit_years(year: int) -> set[int]:
    """Years written one digit apart from ``year`` (four digits)."""
    text = f"{year:04d}"
    return {
        int(text[:i] + digit + text[i + 1 :])
        for i in range(len(text))
        for digit in "0123456789"
        if digit != text[i]
    }


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


def _year_one_digit(a: int, b: int) -> bool:
    return _digits_apart(a // 100, b // 100) + _digits_apart(a % 100, b % 100) == 1


def _near_date(iy: int, im: int, iday: int, dob: date) -> bool:
    """``features._near_date``: one day, or the same day one month or one year, apart."""
    if iday == dob.day:
        if im == dob.month:
            return abs(iy - dob.year) == 1
        return abs(iy * 12 + im - dob.year * 12 - dob.month) == 1
    if abs(iy * 12 + im - dob.year * 12 - dob.month) > 1:
        return False  # one day apart: the same or adjacent months
    try:
        return abs((date(iy, im, iday) - dob).days) == 1
    except ValueError:
        return False


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
            if iy == y:
                rank = _YEAR
            elif abs(iy - y) == 1 or _year_one_digit(iy, y):
                rank = _NEAR_YEAR
            else:
                rank = _MISMATCH
        elif not iday:
            if iy == y and im == m:
                rank = _MONTH
            elif abs(iy * 12 + im - y * 12 - m) == 1 or (
                (iy == y and _digits_apart(im, m) == 1) or (im == m and _year_one_digit(iy, y))
            ):
                rank = _NEAR_MONTH
            else:
                rank = _MISMATCH
        elif iy == y and im == m and iday == d:
            return "exact"
        elif iy == y and im == d and iday == m:
            rank = _TRANSPOSED
        elif _one_digit(iy, im, iday, y, m, d):
            rank = _ONE_DIGIT
        elif _near_date(iy, im, iday, dob):
            rank = _NEAR_DATE
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

"""Measuring screening: recall on the real aliases of a list, and per variant kind.

``alias_recall`` is the real-variant test: for every person entry that has aliases, a
subject named as each of its "strong" aliases (with the entry's first date of birth) must
hit that entry. ``recall_by_kind`` is the hook for synthetic traffic with planted persons:
given subjects and the truth (subject ref -> (entry id, variant kind)) it returns recall
per kind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from paxwatch.model.watchlist import PartialDate, WatchlistEntry
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject


@dataclass(slots=True)
class Recall:
    found: int = 0
    total: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)

    @property
    def value(self) -> float:
        return self.found / self.total if self.total else 1.0


def as_date(item: PartialDate) -> date | None:
    """A full date standing for a partial one (missing month or day -> 1)."""
    if item.year is None:
        return None
    try:
        return date(item.year, item.month or 1, item.day or 1)
    except ValueError:
        return None


def alias_subjects(entries: Iterable[WatchlistEntry]) -> list[tuple[Subject, WatchlistEntry]]:
    """One subject per strong alias of every person entry, with the entry's first DOB."""
    out = []
    for entry in entries:
        if entry.kind != "person":
            continue
        dob = as_date(entry.dates_of_birth[0]) if entry.dates_of_birth else None
        for name in entry.names:
            if name.kind == "alias" and name.quality == "strong":
                out.append(
                    (Subject(ref=entry.entry_id, names=(name.full_name,), date_of_birth=dob), entry)
                )
    return out


def alias_recall(screener: Screener, entries: Iterable[WatchlistEntry]) -> Recall:
    """Share of strong-alias subjects whose hits include their own entry."""
    recall = Recall()
    for subject, entry in alias_subjects(entries):
        recall.total += 1
        hits = screener.screen(subject)
        if any(m.entry_id == entry.entry_id and m.source == entry.source for m in hits):
            recall.found += 1
        else:
            recall.misses.append((entry.entry_id, subject.names[0]))
    return recall


def recall_by_kind(
    screener: Screener, subjects: Iterable[Subject], truth: Mapping[str, tuple[str, str]]
) -> dict[str, Recall]:
    """Recall per variant kind. ``truth`` maps ``Subject.ref`` to (entry id, kind) for the
    planted subjects; other subjects are innocent and counted under ``"false_hits"``
    (``found`` = innocent subjects with at least one hit)."""
    out: dict[str, Recall] = {}
    innocent = Recall()
    for subject in subjects:
        hits = screener.screen(subject)
        planted = truth.get(subject.ref or "")
        if planted is None:
            innocent.total += 1
            innocent.found += bool(hits)
            continue
        entry_id, kind = planted
        recall = out.setdefault(kind, Recall())
        recall.total += 1
        if any(m.entry_id == entry_id for m in hits):
            recall.found += 1
        else:
            recall.misses.append((entry_id, subject.names[0] if subject.names else ""))
    out["false_hits"] = innocent
    return out


def counts(recalls: Mapping[str, Recall]) -> Counter[str]:
    return Counter({k: r.found for k, r in recalls.items()})

"""The screener: build once from list entries and configuration, then screen travellers.

    screener = Screener(entries, ScreeningConfig())
    hits = screener.screen(Subject.from_traveller(traveller))

``screen`` returns the hits (score >= threshold), best first, one per entry; with
``all_scores=True`` it returns every candidate it scored (for review tools and tuning).
The store integration (screening at ingest, re-screening, suppression of dismissed hits)
calls exactly this, plus ``suppression.is_suppressed``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.equivalences import Equivalences, default_equivalences
from paxwatch.screening.features import NameComparison, document_number, name_similarity
from paxwatch.screening.index import CandidateIndex
from paxwatch.screening.names import PreparedName, prepare_name
from paxwatch.screening.score import (
    Match,
    context_features,
    document_match,
    entry_digest,
    person_match,
)
from paxwatch.screening.subject import Subject


def _deletions(number: str) -> set[str]:
    return {number[:i] + number[i + 1 :] for i in range(len(number))}


class Screener:
    """Screens subjects against a fixed set of entries (persons and documents)."""

    def __init__(
        self,
        entries: Iterable[WatchlistEntry],
        config: ScreeningConfig | None = None,
        equivalences: Equivalences | None = None,
    ) -> None:
        self.config = config or ScreeningConfig()
        self.equivalences = equivalences or default_equivalences()
        self.entries: list[WatchlistEntry] = []
        self.names: list[PreparedName] = []
        self.name_entry: list[int] = []
        self.entry_names: list[list[int]] = []
        self.index = CandidateIndex(self.config.max_name_tokens)
        self._documents: dict[str, set[int]] = defaultdict(set)
        self._digests: dict[int, str] = {}
        for entry in entries:
            self._add(entry)

    def _add(self, entry: WatchlistEntry) -> None:
        if entry.kind not in ("person", "document"):
            return
        idx = len(self.entries)
        self.entries.append(entry)
        ids: list[int] = []
        if entry.kind == "person":
            years = [d.year for d in entry.dates_of_birth if d.year]
            for listed in entry.names:
                prepared = prepare_name(listed.full_name, self.equivalences)
                if not prepared.tokens:
                    continue
                name_id = len(self.names)
                self.names.append(prepared)
                self.name_entry.append(idx)
                self.index.add(name_id, prepared, years)
                ids.append(name_id)
        self.entry_names.append(ids)
        for doc in entry.documents:
            number = document_number(doc.number)
            if not number:
                continue
            self._documents[number].add(idx)
            if len(number) >= self.config.min_typo_document_length:
                for deleted in _deletions(number):
                    self._documents["~" + deleted].add(idx)

    def __len__(self) -> int:
        return len(self.entries)

    def digest(self, idx: int) -> str:
        if idx not in self._digests:
            self._digests[idx] = entry_digest(self.entries[idx])
        return self._digests[idx]

    def _document_candidates(self, subject: Subject) -> set[int]:
        found: set[int] = set()
        get = self._documents.get
        for doc in subject.documents:
            number = document_number(doc.number)
            if not number:
                continue
            keys = [number]
            if len(number) >= self.config.min_typo_document_length - 1:
                keys.append("~" + number)
                for deleted in _deletions(number):
                    keys += [deleted, "~" + deleted]
            for key in keys:
                if hits := get(key):
                    found.update(hits)
        return found

    def candidates(self, subject: Subject) -> tuple[dict[int, set[int]], list[PreparedName]]:
        """Candidate entries (index -> candidate name ids) and the prepared subject names."""
        prepared = [prepare_name(n, self.equivalences) for n in subject.names]
        year = subject.date_of_birth.year if subject.date_of_birth else None
        by_entry: dict[int, set[int]] = defaultdict(set)
        for name in prepared:
            if name.tokens:
                for name_id in self.index.candidates(name, year):
                    by_entry[self.name_entry[name_id]].add(name_id)
        for idx in self._document_candidates(subject):
            by_entry[idx].update(self.entry_names[idx])
        return by_entry, prepared

    def screen(self, subject: Subject, *, all_scores: bool = False) -> list[Match]:
        """Matches of ``subject``: hits only unless ``all_scores``; best first."""
        cfg = self.config
        by_entry, prepared = self.candidates(subject)
        if not by_entry:
            return []
        subject_digest = subject.digest()
        name_max = cfg.name_weight + cfg.phonetic_weight
        out: list[Match] = []
        for idx, name_ids in by_entry.items():
            entry = self.entries[idx]
            if entry.kind == "document":
                doc = document_match(subject, entry, cfg, subject_digest, self.digest(idx))
                if doc and (doc.is_hit or all_scores):
                    out.append(doc)
                continue
            context = context_features(subject, entry, cfg)
            if not all_scores and name_max + sum(f.contribution for f in context) < cfg.threshold:
                continue
            best: tuple[NameComparison, int, int] | None = None
            for s, name in enumerate(prepared):
                for name_id in name_ids:
                    comparison = name_similarity(name, self.names[name_id], cfg)
                    if best is None or comparison.similarity > best[0].similarity:
                        best = (comparison, s, name_id)
            if best is None:
                continue
            comparison, s, name_id = best
            match = person_match(
                subject,
                entry,
                comparison,
                self.names[name_id].text,
                subject.names[s],
                context,
                cfg,
                subject_digest,
                self.digest(idx),
            )
            if match.is_hit or all_scores:
                out.append(match)
        out.sort(key=lambda m: -m.score)
        return out

    def screen_many(self, subjects: Iterable[Subject]) -> list[list[Match]]:
        """``screen`` for each subject, in order."""
        return [self.screen(s) for s in subjects]

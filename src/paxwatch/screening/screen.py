"""The screener: build once from list entries and configuration, then screen travellers.

    screener = Screener(entries, ScreeningConfig())
    hits = screener.screen(Subject.from_traveller(traveller))

``screen`` returns the hits (score >= threshold), best first, one per entry; with
``all_scores=True`` it returns every candidate it scored (for review tools and tuning).
The store integration (screening at ingest, re-screening, suppression of dismissed hits)
calls exactly this, plus ``suppression.is_suppressed``.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.screening.commonness import commonness_floor
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.context import (
    EPSILON,
    EntryContext,
    admit,
    context_sum,
    entry_context,
    single_full_date,
)
from paxwatch.screening.equivalences import Equivalences, default_equivalences
from paxwatch.screening.features import document_number
from paxwatch.screening.index import CandidateIndex
from paxwatch.screening.names import PreparedName, fresh_name, prepare_name
from paxwatch.screening.namesim import (
    NameComparison,
    TokenSimilarity,
    name_similarity,
    similarity_bound,
)
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.score import (
    Feature,
    Match,
    common_name_feature,
    context_features,
    document_match,
    entry_digest,
    name_gender_feature,
    person_match,
    surname_feature,
)
from paxwatch.screening.subject import Subject

COMMON_MARGIN = 1e-3
"""Margin of the ``common_name`` bound (the features are rounded to four decimals)."""
MAX_CACHED_NAMES = 200_000
"""Traveller names whose prepared form and look-up keys are memoised (many travellers
share a name); the memo is emptied when full."""


def _deletions(number: str) -> set[str]:
    return {number[:i] + number[i + 1 :] for i in range(len(number))}


class Screener:
    """Screens subjects against a fixed set of entries (persons and documents).

    Built once per set of entries: the candidate index, and what depends on the list alone
    (each entry's digest and single full date of birth; with ``frequencies``, unless
    ``prewarm`` is false, each listed token's neighbourhood in the name statistics,
    ``NameFrequencies.prewarm``), so that screening, and the workers of a
    ``batch.ScreeningPool`` forked afterwards, do not compute them.
    """

    def __init__(
        self,
        entries: Iterable[WatchlistEntry],
        config: ScreeningConfig | None = None,
        equivalences: Equivalences | None = None,
        *,
        typo_keys: bool = True,
        frequencies: NameFrequencies | None = None,
        prewarm: bool = True,
    ) -> None:
        self.config = config or ScreeningConfig()
        self.equivalences = equivalences or default_equivalences()
        self._frequencies: NameFrequencies | None = None
        self._listed_tokens: Counter[str] = Counter()
        """Per canonical token: the person entries carrying it (``NameFrequencies.with_list``)."""
        self._listed_entries = 0
        self.entries: list[WatchlistEntry] = []
        self.contexts: list[EntryContext] = []
        self.listed_dates: array[int] = array("I")
        """Per entry: its single full date of birth as ``YYYYMMDD``, else 0
        (``context.single_full_date``)."""
        self.names: list[PreparedName] = []
        self.surnames: list[frozenset[str]] = []
        """Per listed name: the canonical tokens of its surname, when the list gives one."""
        self.name_entry: array[int] = array("I")
        """Per listed name: its entry (an array: reading it touches no int object)."""
        self.entry_names: list[list[int]] = []
        self.index = CandidateIndex(self.config.max_name_tokens, typo_keys=typo_keys)
        self.similarity = TokenSimilarity(self.config)
        self._documents: dict[str, set[int]] = defaultdict(set)
        self._digests: list[str] = []
        self._lookup: dict[str, tuple[PreparedName, tuple[str, ...], tuple[str, ...]]] = {}
        for entry in entries:
            self._add(entry)
        self.index.compact()
        self.config = self.config.for_list(len(self.names))
        """The configuration with the rare-name level of this list's size (``for_list``)."""
        self.frequencies = frequencies
        if prewarm and self.frequencies is not None:
            tokens = {t for name in self.names for t in name.tokens}
            self.frequencies.prewarm(sorted(tokens), self.config, self.equivalences)

    @property
    def frequencies(self) -> NameFrequencies | None:
        """Name statistics for the ``common_name`` feature (none: the feature is left out),
        with the token counts of this screener's list (``NameFrequencies.with_list``)."""
        return self._frequencies

    @frequencies.setter
    def frequencies(self, value: NameFrequencies | None) -> None:
        if value is not None:
            value = value.with_list(dict(self._listed_tokens), self._listed_entries)
            value.prepare(self.equivalences)
        self._frequencies = value

    def _add(self, entry: WatchlistEntry) -> None:
        if entry.kind not in ("person", "document"):
            return
        idx = len(self.entries)
        self.entries.append(entry)
        self._digests.append(entry_digest(entry))
        self.contexts.append(entry_context(entry))
        self.listed_dates.append(single_full_date(entry))
        ids: list[int] = []
        if entry.kind == "person":
            years = [d.year for d in entry.dates_of_birth if d.year]
            carried: set[str] = set()
            self._listed_entries += 1
            for listed in entry.names:
                prepared = prepare_name(listed.full_name, self.equivalences)
                if not prepared.tokens:
                    continue
                carried.update(prepared.tokens)
                name_id = len(self.names)
                self.names.append(prepared)
                self.surnames.append(
                    frozenset(prepare_name(listed.surname, self.equivalences).tokens)
                    if listed.surname
                    else frozenset()
                )
                self.name_entry.append(idx)
                self.index.add(name_id, prepared, years)
                ids.append(name_id)
            self._listed_tokens.update(carried)
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
        """``score.entry_digest`` of entry ``idx`` (computed when the screener is built)."""
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

    def _prepare(self, text: str) -> tuple[PreparedName, tuple[str, ...], tuple[str, ...]]:
        """A traveller's name prepared, with its look-up and typo keys (memoised per name)."""
        cached = self._lookup.get(text)
        if cached is None:
            if len(self._lookup) >= MAX_CACHED_NAMES:
                self._lookup.clear()
            name = fresh_name(text, self.equivalences)  # this memo is the name's
            keys, typos = self.index.lookup_keys(name) if name.tokens else ((), ())
            cached = (name, keys, typos)
            self._lookup[text] = cached
        return cached

    def candidates(self, subject: Subject) -> tuple[dict[int, set[int]], list[PreparedName]]:
        """Candidate entries (index -> candidate name ids) and the prepared subject names."""
        return self._gather(subject, None)

    def _gather(
        self, subject: Subject, mismatch: date | None
    ) -> tuple[dict[int, set[int]], list[PreparedName]]:
        """``candidates``; with ``mismatch`` (the subject's date of birth, when a date of
        birth ``mismatch`` surely keeps a candidate under the threshold), without the
        entries whose listed dates of birth surely mismatch it: a listed single full date
        (``listed_dates``, ``context.may_agree``: no object read) or, for other entries,
        years away from every listed year (``EntryContext``)."""
        year = subject.date_of_birth.year if subject.date_of_birth else None
        by_entry: dict[int, set[int]] = {}
        prepared: list[PreparedName] = []
        name_entry, listed_dates, contexts = self.name_entry, self.listed_dates, self.contexts
        for text in subject.names:
            name, keys, typos = self._prepare(text)
            prepared.append(name)
            if not name.tokens:
                continue
            found = self.index.find(keys, set())
            self.index.find(self.index.dated_keys(name, typos, year), found)
            admit(found, name_entry, listed_dates, contexts, by_entry, mismatch)
        for idx in self._document_candidates(subject):
            by_entry.setdefault(idx, set()).update(self.entry_names[idx])
        return by_entry, prepared

    def _best_name(
        self, prepared: list[PreparedName], name_ids: set[int], need: float
    ) -> tuple[NameComparison, int, int] | None:
        """The best comparison of the traveller's names with the candidate names of an
        entry; names whose length alone keeps them under ``need`` are not compared."""
        best: tuple[NameComparison, int, int] | None = None
        cfg, names, sim = self.config, self.names, self.similarity
        for s, name in enumerate(prepared):
            n = len(name.tokens)
            for name_id in name_ids:
                listed = names[name_id]
                bound = similarity_bound(n, len(listed.tokens), cfg)
                if bound < need or (best is not None and bound <= best[0].similarity):
                    continue  # cannot reach ``need``, or cannot beat the best (first kept)
                comparison = name_similarity(name, listed, cfg, sim, need)
                if best is None or comparison.similarity > best[0].similarity:
                    best = (comparison, s, name_id)
                    if comparison.similarity >= 1.0:
                        return best  # nothing can beat it (the first of equals is kept)
        return best

    def _surely_common(
        self, comparison: NameComparison, context: list[Feature], name_id: int
    ) -> bool:
        """Whether the candidate stays under the threshold whatever the ``common_name``
        feature adds, by its lower bound (``commonness.commonness_floor``): no ``Match`` is
        built and the name statistics' costly parts are not consulted."""
        cfg, frequencies = self.config, self.frequencies
        score = (
            comparison.similarity * cfg.name_weight
            + comparison.phonetic * cfg.phonetic_weight
            + sum(f.contribution for f in context)
        )
        if frequencies is None or score < cfg.threshold - COMMON_MARGIN:
            return frequencies is None and score < cfg.threshold - COMMON_MARGIN
        dob = next((f.detail.split(" ", 1)[0] for f in context if f.name == "dob"), "unknown")
        floor = commonness_floor(
            comparison.pairs,
            frequencies,
            cfg,
            self.equivalences,
            dob=dob,
            document=any(f.name == "document" for f in context),
            listed_tokens=len(self.names[name_id].tokens),
        )
        return score + floor * cfg.common_name_weight < cfg.threshold - COMMON_MARGIN

    def screen(self, subject: Subject, *, all_scores: bool = False) -> list[Match]:
        """Matches of ``subject``: hits only unless ``all_scores``; best first.

        A candidate is scored in full (explained features, a ``Match``) only when a bound
        says it can reach the threshold: first the best possible name plus the exact
        contribution of the other features, then the actual name similarity.
        """
        cfg = self.config
        subject_digest = ""
        name_max = cfg.name_weight + cfg.phonetic_weight
        floor = cfg.threshold - EPSILON
        # a date of birth surely a mismatch, no document: surely no hit (not a candidate)
        dob = subject.date_of_birth
        quick_mismatch = (
            not all_scores
            and dob is not None
            and not subject.documents
            and name_max + cfg.dob_weights["mismatch"] + max(cfg.nationality_match, 0.0) < floor
        )
        by_entry, prepared = self._gather(subject, dob if quick_mismatch else None)
        if not by_entry:
            return []
        out: list[Match] = []
        contexts = self.contexts
        for idx, name_ids in by_entry.items():
            entry = self.entries[idx]
            if entry.kind == "document":
                subject_digest = subject_digest or subject.digest()
                doc = document_match(subject, entry, cfg, subject_digest, self.digest(idx))
                if doc and (doc.is_hit or all_scores):
                    out.append(doc)
                continue
            context = context_sum(subject, entry, contexts[idx], cfg)
            if not all_scores and name_max + context < floor:
                continue
            need = -1.0 if all_scores else (floor - context - cfg.phonetic_weight) / cfg.name_weight
            best = self._best_name(prepared, name_ids, need)
            if best is None:
                continue
            comparison, s, name_id = best
            if not all_scores and (
                comparison.similarity * cfg.name_weight
                + comparison.phonetic * cfg.phonetic_weight
                + context
                < floor
            ):
                continue
            explained = context_features(subject, entry, cfg)
            unaligned = surname_feature(comparison, self.surnames[name_id], cfg)
            if unaligned is not None and not any(f.name == "document" for f in explained):
                explained.append(unaligned)
            two_names = name_gender_feature(comparison, cfg)
            if two_names is not None:
                explained.append(two_names)
            if not all_scores and self._surely_common(comparison, explained, name_id):
                continue
            subject_digest = subject_digest or subject.digest()
            match = person_match(
                subject,
                entry,
                comparison,
                self.names[name_id].text,
                subject.names[s],
                explained,
                cfg,
                subject_digest,
                self.digest(idx),
                None
                if self.frequencies is None
                else common_name_feature(
                    comparison,
                    self.frequencies,
                    cfg,
                    self.equivalences,
                    context=explained,
                    listed_tokens=len(self.names[name_id].tokens),
                ),
            )
            if match.is_hit or all_scores:
                out.append(match)
        out.sort(key=lambda m: (-m.score, m.source, m.entry_id))
        return out

    def screen_many(self, subjects: Iterable[Subject], *, workers: int = 1) -> list[list[Match]]:
        """``screen`` for each subject, in order; ``workers`` > 1 screens in this process and
        ``workers - 1`` forked ones sharing this screener (``batch.screen_many``), with the
        same results."""
        from paxwatch.screening.batch import screen_many

        return screen_many(self, subjects, workers=workers)

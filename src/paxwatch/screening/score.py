"""Explainable score: feature values times documented weights, summed.

A ``Match`` carries every feature (name, value, weight, contribution, detail), the listed
name that matched, the total, whether it is a hit, and ``ALGORITHM_VERSION``; with the
subject and entry digests it also identifies itself for dismissed-hit suppression.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from paxwatch.model.jsonable import to_jsonable
from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.screening.commonness import commonness
from paxwatch.screening.config import ALGORITHM_VERSION, ScreeningConfig
from paxwatch.screening.equivalences import Equivalences
from paxwatch.screening.features import (
    NameComparison,
    dob_agreement,
    document_agreement,
    gender_agreement,
    nationality_agreement,
)
from paxwatch.screening.gender_names import opposite_names
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.subject import Subject


@dataclass(frozen=True, slots=True)
class Feature:
    """One scored aspect: ``contribution = value * weight``; ``detail`` says why."""

    name: str
    value: float
    weight: float
    contribution: float
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    """A traveller against one list entry."""

    source: str
    entry_id: str
    entry_kind: str
    score: float
    is_hit: bool
    listed_name: str | None
    subject_name: str | None
    features: tuple[Feature, ...]
    subject_digest: str
    entry_digest: str
    algorithm_version: str = ALGORITHM_VERSION

    def explain(self) -> str:
        """One line per feature, for a reviewer."""
        lines = [f"{self.source}:{self.entry_id} score {self.score:.3f} ({self.algorithm_version})"]
        lines += [
            f"  {f.name:<12} {f.value:+.3f} x {f.weight:+.2f} = {f.contribution:+.3f}  {f.detail}"
            for f in self.features
        ]
        return "\n".join(lines)


def entry_digest(entry: WatchlistEntry) -> str:
    """SHA-256 of the whole entry as JSON: changes when the list changes the entry."""
    return hashlib.sha256(json.dumps(to_jsonable(entry), sort_keys=True).encode()).hexdigest()


def _feature(name: str, value: float, weight: float, detail: str = "") -> Feature:
    return Feature(name, round(value, 4), weight, round(value * weight, 4), detail)


def context_features(
    subject: Subject, entry: WatchlistEntry, cfg: ScreeningConfig
) -> list[Feature]:
    """Date of birth, nationality, gender and documents: everything but the name."""
    outcome = dob_agreement(subject.date_of_birth, entry.dates_of_birth)
    listed = ", ".join(str(d) for d in entry.dates_of_birth[:4])
    features = [_feature("dob", 1.0, cfg.dob_weights[outcome], f"{outcome} ({listed or '-'})")]
    nat = nationality_agreement(subject.nationality, entry.nationalities)
    if nat:
        weight = cfg.nationality_match if nat > 0 else -cfg.nationality_mismatch
        features.append(
            _feature("nationality", nat, weight, f"{subject.nationality} vs {entry.nationalities}")
        )
    if gender_agreement(subject.gender, entry.gender):
        features.append(
            _feature("gender", -1.0, -cfg.gender_mismatch, f"{subject.gender} vs {entry.gender}")
        )
    if subject.documents and entry.documents:
        value, detail = document_agreement(subject.documents, entry.documents, cfg)
        if value:
            features.append(_feature("document", value, cfg.document_exact, detail))
    return features


def surname_feature(
    comparison: NameComparison, surname: frozenset[str], cfg: ScreeningConfig
) -> Feature | None:
    """The ``surname`` feature: present (``cfg.surname_unaligned``, negative) when the list
    gives the listed name's surname and no token of it is aligned with the traveller's name
    (LEONARD BRUCE against LEONARD BRYCE SNYDER: two given names agree, the family name, the
    part of a name a person keeps, does not). A glued token containing it counts as
    aligned. The screener leaves it out when a listed document number matches."""
    if not surname or not cfg.surname_unaligned:
        return None
    listed = [y for _x, y, _s in comparison.pairs]
    if any(t == y or t in y for t in surname for y in listed):
        return None
    return _feature(
        "surname",
        1.0,
        cfg.surname_unaligned,
        f"listed surname {' '.join(sorted(surname))} not among the aligned tokens",
    )


def name_gender_feature(comparison: NameComparison, cfg: ScreeningConfig) -> Feature | None:
    """The ``name_gender`` feature: present (``cfg.name_gender_mismatch``, negative) when two
    *different* tokens aligned with each other, at a similarity under ``token_typo`` (not a
    typing error, a learned spelling or an initial), are given names of opposite usual
    gender (``gender_names``: BRUNHILDE, a woman's name, ~ BRUNO, a man's, Jaro-Winkler
    0.85): two given names, not one written two ways. The genders of the *names* in
    census vocabularies, not of the persons (their recorded genders are ``gender``)."""
    if not cfg.name_gender_mismatch:
        return None
    for x, y, similarity in comparison.pairs:
        if similarity >= cfg.token_typo or min(len(x), len(y)) < 2:
            continue
        genders = opposite_names(x, y)
        if genders is not None:
            return _feature(
                "name_gender",
                1.0,
                cfg.name_gender_mismatch,
                f"{x} (usually {genders[0]}) ~ {y} (usually {genders[1]}): two given names",
            )
    return None


def common_name_feature(
    comparison: NameComparison,
    frequencies: NameFrequencies,
    cfg: ScreeningConfig,
    eq: Equivalences | None = None,
    *,
    context: Sequence[Feature] = (),
    listed_tokens: int = 0,
) -> Feature:
    """The ``common_name`` feature: ``rarity.commonness`` of the aligned tokens, with the
    date-of-birth outcome and document of ``context`` (``context_features``) as evidence."""
    dob = next((f.detail.split(" ", 1)[0] for f in context if f.name == "dob"), "unknown")
    document = any(f.name == "document" for f in context)
    value, detail = commonness(
        comparison.pairs,
        frequencies,
        cfg,
        eq,
        dob=dob,
        document=document,
        listed_tokens=listed_tokens,
    )
    return _feature("common_name", value, cfg.common_name_weight, detail)


def person_match(
    subject: Subject,
    entry: WatchlistEntry,
    comparison: NameComparison,
    listed_name: str | None,
    subject_name: str | None,
    context: list[Feature],
    cfg: ScreeningConfig,
    subject_digest: str,
    digest: str,
    rarity: Feature | None = None,
) -> Match:
    """Assemble the match of a person entry from its name comparison and context (and the
    ``common_name`` feature when the screener has name statistics)."""
    pairs = ", ".join(f"{a}~{b} {s:.2f}" for a, b, s in comparison.pairs)
    features = (
        _feature("name", comparison.similarity, cfg.name_weight, pairs),
        _feature("phonetic", comparison.phonetic, cfg.phonetic_weight, "metaphone agreement"),
        *context,
        *((rarity,) if rarity is not None else ()),
    )
    score = round(sum(f.contribution for f in features), 4)
    return Match(
        source=entry.source,
        entry_id=entry.entry_id,
        entry_kind=entry.kind,
        score=score,
        is_hit=score >= cfg.threshold,
        listed_name=listed_name,
        subject_name=subject_name,
        features=features,
        subject_digest=subject_digest,
        entry_digest=digest,
    )


def document_match(
    subject: Subject, entry: WatchlistEntry, cfg: ScreeningConfig, subject_digest: str, digest: str
) -> Match | None:
    """A document-only entry (lost, stolen or sought document): the number decides."""
    value, detail = document_agreement(subject.documents, entry.documents, cfg)
    if not value:
        return None
    feature = _feature("document", value, cfg.document_entry_weight, detail)
    return Match(
        source=entry.source,
        entry_id=entry.entry_id,
        entry_kind=entry.kind,
        score=feature.contribution,
        is_hit=feature.contribution >= cfg.threshold,
        listed_name=None,
        subject_name=None,
        features=(feature,),
        subject_digest=subject_digest,
        entry_digest=digest,
    )

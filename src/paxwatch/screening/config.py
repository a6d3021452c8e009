"""Thresholds and weights of screening: documented configuration, not code.

Every number the score uses is here, with what it means; ``docs/screening.md`` explains
them. Change ``ALGORITHM_VERSION`` whenever a default or a feature function changes: every
``Match`` carries it, so that a reviewer knows which algorithm produced a hit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ALGORITHM_VERSION = "paxwatch-screening-1.1"


def _dob_weights() -> dict[str, float]:
    return {
        "exact": 0.15,
        "transposed": 0.08,
        "one_digit": 0.05,
        "month": 0.05,
        "year": 0.03,
        "near_year": 0.0,
        "unknown": 0.0,
        "mismatch": -0.50,
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class ScreeningConfig:
    """Weights (score contributions) and thresholds. The total score of a person match is
    the sum of the feature contributions; a match at or above ``threshold`` is a hit.

    An exact name alone scores ``name_weight + phonetic_weight`` = 0.90: a hit without
    date of birth. A full date of birth that differs subtracts 0.50: the same name is then
    not a hit (this is what keeps innocent namesakes out of the review queue).
    """

    threshold: float = 0.70
    """Score at or above which a match is a hit to review."""
    name_weight: float = 0.80
    """Contribution of a perfect name match (name similarity 1.0)."""
    phonetic_weight: float = 0.10
    """Contribution when every aligned token pair also agrees in metaphone."""
    token_floor: float = 0.78
    """Jaro-Winkler similarity under which two tokens are not aligned at all."""
    token_full: float = 0.97
    """Jaro-Winkler similarity from which an aligned token counts fully."""
    token_typo: float = 0.95
    """Token similarity of two tokens one edit apart (a typing error), when Jaro-Winkler says
    less: AYUD ~ AYID is 0.87 by Jaro-Winkler, a third of a token's credit (0.95: 90 %)."""
    typo_min_length: int = 4
    """Both tokens need this many letters for ``token_typo`` (ALI ~ ALY is not a typo)."""
    extra_token_penalty: float = 0.07
    """Subtracted from the name similarity per unmatched token of the longer name."""
    single_token_factor: float = 0.60
    """Name similarity factor when one name has a single token and the other several."""
    dob_weights: dict[str, float] = field(default_factory=_dob_weights)
    """Contribution of each date-of-birth outcome (see ``features.dob_agreement``)."""
    nationality_match: float = 0.05
    nationality_mismatch: float = -0.05
    gender_mismatch: float = -0.15
    document_exact: float = 0.50
    """Contribution of a listed document number found among the traveller's documents."""
    document_typo_value: float = 0.75
    """Value of a number at one edit (substitution, insertion, deletion or adjacent
    transposition) relative to an exact one (1.0)."""
    document_entry_weight: float = 1.00
    """Score of a lost/stolen/sought document entry whose number matches exactly (same or
    unknown issuing country); one edit scores ``document_typo_value`` times this."""
    document_country_mismatch: float = 0.40
    """Factor applied to a document match whose issuing countries are both known and differ."""
    min_typo_document_length: int = 6
    """Shorter document numbers are only matched exactly."""
    max_name_tokens: int = 6
    """Tokens of a name used for candidate keys (the rest still count in the score)."""

    @property
    def best_non_name(self) -> float:
        """Upper bound of what features other than the name can add."""
        return (
            max(self.dob_weights.values()) + self.nationality_match + max(self.document_exact, 0.0)
        )

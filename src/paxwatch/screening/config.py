"""Thresholds and weights of screening: documented configuration, not code.

Every number the score uses is here, with what it means; ``docs/screening.md`` explains
them. Change ``ALGORITHM_VERSION`` whenever a default or a feature function changes: every
``Match`` carries it, so that a reviewer knows which algorithm produced a hit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

ALGORITHM_VERSION = "paxwatch-screening-1.7"


def _dob_weights() -> dict[str, float]:
    return {
        "exact": 0.15,
        "transposed": 0.08,
        "one_digit": 0.05,
        "near_date": 0.05,
        "month": 0.05,
        "year": 0.03,
        "near_year": -0.15,
        "near_month": 0.0,
        "unknown": 0.0,
        "mismatch": -0.50,
    }


BIRTH_SPAN_DAYS = 80 * 365.25
"""Dates of birth an innocent traveller's date is drawn from, for ``dob_digits``."""
DOB_NEIGHBOURS: dict[str, tuple[float, float]] = {
    "exact": (1, BIRTH_SPAN_DAYS),
    "transposed": (1, BIRTH_SPAN_DAYS),
    "one_digit": (27, BIRTH_SPAN_DAYS),
    "near_date": (6, BIRTH_SPAN_DAYS),
    "month": (1, 80 * 12),
    "near_month": (14, 80 * 12),
    "year": (1, 80),
    "near_year": (12, 80),
}
"""Per outcome of ``features.dob_agreement``: (dates that give it for one listed date,
dates possible). One full date has ~27 valid dates one digit apart in ``YYYYMMDD`` and 6
``near_date`` neighbours (two days, two months, two years); a year-month has
~14 ``near_month`` neighbours, a year ~12 ``near_year`` ones (+-1, one digit)."""


DOB_MATCH_RATES: dict[str, float] = {
    "exact": 1.0,
    "month": 1.0,
    "year": 1.0,
    "transposed": 0.02,
    "one_digit": 0.05,
    "near_date": 0.05,
    "near_month": 0.10,
    "near_year": 0.10,
}
"""Per outcome of ``features.dob_agreement``: the chance that the listed person's own
recorded date of birth agrees so with the listed one (1 for an agreeing date; a few per cent
for a clerk's slip: a typing error, a day or month off, day and month swapped; one in ten for
a listed year only, often a "circa", one year or one digit off)."""


def _dob_digits() -> dict[str, float]:
    """Evidence of each date-of-birth outcome in decimal digits: the log10 likelihood ratio
    of the outcome, ``log10(P(outcome | same person) / P(outcome | innocent))``, the second
    from ``DOB_NEIGHBOURS`` (the chance that an innocent traveller's date agrees so with a
    listed date), the first ``DOB_MATCH_RATES``. A date one year off a listed "circa" year is
    (slightly) evidence *against*: an innocent traveller's year is as likely to be one off."""
    digits = {
        k: round(-math.log10(n / span) + math.log10(DOB_MATCH_RATES[k]), 2)
        for k, (n, span) in DOB_NEIGHBOURS.items()
    }
    return {**digits, "unknown": 0.0, "mismatch": 0.0}


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
    surname_unaligned: float = -0.15
    """Contribution when the listed name's surname is known and none of its tokens is
    aligned (``score.surname_feature``): a namesake on given names only."""
    name_gender_mismatch: float = -0.15
    """Contribution when two different tokens aligned with each other (under
    ``token_typo``: not a typing error or a learned spelling) are given names of opposite
    usual gender (``score.name_gender_feature``: BRUNHILDE ~ BRUNO): two names, not one.
    0 leaves the feature out (algorithm 1.6)."""
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
    initial_similarity: float = 0.90
    """Token similarity of an initial (a one-letter token: A SADIKI) and a token it begins
    (ADEL): an initial is a given name written short, worth less than the name itself."""
    common_name_weight: float = -0.30
    """Contribution of the ``common_name`` feature at commonness 1: a common name that
    nothing else corroborates (0.90 - 0.30) is not a hit. Used only when the screener has
    name statistics (``rarity.NameFrequencies``)."""
    rare_name_digits: float = 7.0
    """Evidence (decimal digits: -log10 of the chance that an innocent traveller agrees so by
    chance) from which a match is rare enough: commonness 0, no penalty. For a name judged
    without a date of birth, the screener may raise it (``name_only_digits``)."""
    common_name_digits: float = 4.0
    """Evidence at or under which a match is common: commonness 1 (one traveller in 10,000
    agrees so). In between, commonness falls linearly with the digits. It moves with the rare
    level (the span ``rare_name_digits - common_name_digits`` stays)."""
    false_hit_rate: float = 1e-4
    """Chance agreements per innocent traveller that a name judged *without date-of-birth
    evidence* (``rare_digits``) is held to over the whole list (issue 5: at most one false
    hit per 10,000 travellers). Such a traveller can agree by chance with any of the
    ``listed_names`` names: the expected chance agreements are about ``listed_names x
    10^-digits``, so the rare level of name-only evidence is ``-log10(false_hit_rate) +
    log10(listed_names)`` digits (7.3 for 2,000 names, 9 for 100,000), never under
    ``rare_name_digits`` (``name_only_digits``). With an agreeing date of birth, the date (a
    random one agrees with a listed full date once in ~29,000, and a different one subtracts
    0.50) carries that burden and the configured levels apply. 0 turns the correction off."""
    listed_names: int = 0
    """Names of the list screened against: set by the screener (``for_list``), 0 in a
    configuration that no screener holds yet."""
    dob_digits: dict[str, float] = field(default_factory=_dob_digits)
    """Evidence a date-of-birth outcome adds to the name's (``_dob_digits``)."""
    document_digits: float = 6.0
    """Evidence a matching document number adds to the name's."""
    subset_chance: bool = True
    """A traveller who agrees with ``k`` of the ``m`` tokens of a listed name could have
    agreed with any ``k`` of them: the name's chance is multiplied by ``C(m, k)``."""
    culture_prior: float = 0.0
    """Pseudo-count of the conditional share of a token among the names carrying another
    (``rarity.NameFrequencies.given``): with few names carrying the anchor token, a token
    never seen with it is not thereby rare in its naming culture: at least ``0.5 / (n +
    prior)``. 0 (the default) leaves it out; 20 trades recall of plants without a date of
    birth for fewer namesake hits on a small reference population (``docs/screening.md``)."""

    culture_steps: int = 3
    """Steps of the walk on the graph of tokens named together by which the naming-culture
    share ``rarity.NameFrequencies.given`` is estimated: 2 (1.4) reaches a token named with
    a token named with the anchor; 3 (1.5) one step further, which links a given name and a
    family name of two-token names through the other given and family names of their
    culture (``docs/screening.md``, algorithm 1.5)."""

    list_floor: bool = False
    """With it, a listed token carried by ``k`` > 1 entries of the list has a share of at
    least ``(k - 1) / entries`` (``rarity.NameFrequencies.listed_share``): the list is itself
    a sample of the naming cultures of the persons it lists, and a token several of them
    carry is not rare among its culture's names, even when the reference population (a short
    history) never saw that culture. Off by default (1.5): on the synthetic days it removes
    about two thirds of the remaining name-only false hits but loses plants travelling
    without a date of birth (typo and romanisation recall under 0.95 on the held-out days,
    ``docs/screening.md``); a PIU whose history is short may turn it on."""

    def for_list(self, listed_names: int) -> ScreeningConfig:
        """This configuration for a list of ``listed_names`` names (the screener calls it
        once it holds its names)."""
        return replace(self, listed_names=listed_names)

    @property
    def name_only_digits(self) -> float:
        """The rare level of name-only evidence (no date of birth compared):
        ``-log10(false_hit_rate) + log10(listed_names)``, at least ``rare_name_digits``
        (see ``false_hit_rate``)."""
        if self.listed_names < 1 or self.false_hit_rate <= 0:
            return self.rare_name_digits
        needed = -math.log10(self.false_hit_rate) + math.log10(self.listed_names)
        return round(max(self.rare_name_digits, needed), 2)

    def rare_digits(self, dob: str) -> float:
        """The rare level for a date-of-birth outcome of ``features.dob_agreement``:
        ``name_only_digits`` when the date adds no evidence for the match (``dob_digits``
        <= 0: ``unknown``, either side has no date; ``near_year``, a year one off a listed
        circa year, as likely for anyone; ``mismatch``), else ``rare_name_digits``."""
        if self.dob_digits.get(dob, 0.0) <= 0:
            return self.name_only_digits
        return self.rare_name_digits

    def commonness_of(self, digits: float, dob: str) -> float:
        """Commonness (0 rare .. 1 common) of ``digits`` of evidence: linear between the rare
        level (``rare_digits``) and that level less the span ``rare_name_digits -
        common_name_digits``."""
        rare = self.rare_digits(dob)
        span = self.rare_name_digits - self.common_name_digits
        return min(1.0, max(0.0, (rare - digits) / span))

    @property
    def best_non_name(self) -> float:
        """Upper bound of what features other than the name can add."""
        return (
            max(self.dob_weights.values()) + self.nationality_match + max(self.document_exact, 0.0)
        )

"""The ``common_name`` feature's value: how common a name match is, with what corroborates
it (``rarity`` holds the name statistics and the chance of a name; this module turns the
chance and the date-of-birth and document evidence into the feature's value, and gives the
cheap lower bound screening uses to skip candidates).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.equivalences import Equivalences, default_equivalences
from paxwatch.screening.rarity import NameFrequencies


def commonness_floor(
    aligned: Sequence[tuple[str, str, float]],
    frequencies: NameFrequencies,
    cfg: ScreeningConfig,
    eq: Equivalences | None = None,
    *,
    dob: str = "unknown",
    document: bool = False,
    listed_tokens: int = 0,
) -> float:
    """A lower bound of ``commonness(...)[0]`` without its costly parts: each fuzzy pair
    counted as its own tokens only (``near`` counts at least those) and the product of the
    shares (the naming-culture estimates of ``chance`` can only raise it). Screening skips
    the full feature when even this bound keeps a candidate under the threshold."""
    if not aligned:
        return commonness(aligned, frequencies, cfg, eq, dob=dob, document=document)[0]
    eq = eq or default_equivalences()
    tokens, total = frequencies.tokens, frequencies.names + 1
    chance = 1.0
    for x, y, similarity in aligned:
        if len(x) == 1 or len(y) == 1 or x == y:
            chance *= frequencies.share(x, y, similarity, cfg, eq)
        else:
            n = max(tokens.get(x, 0), tokens.get(y, 0))
            chance *= (max(n - 1, 0) + 0.5) / total
    chance = min(1.0, chance * _subset_ways(cfg, len(aligned), listed_tokens))
    return cfg.commonness_of(_digits(_name_digits(chance), cfg, dob, document), dob)


def _subset_ways(cfg: ScreeningConfig, aligned: int, listed_tokens: int) -> int:
    """How many ways ``aligned`` tokens could be a part of a listed name of
    ``listed_tokens`` (``subset_chance``): the chance of a partial match is multiplied by
    it; 1 for a whole one."""
    if cfg.subset_chance and 0 < aligned < listed_tokens:
        return math.comb(listed_tokens, aligned)
    return 1


def _name_digits(chance: float) -> float:
    return -math.log10(chance) if chance > 0 else 99.0


def _digits(name_digits: float, cfg: ScreeningConfig, dob: str, document: bool) -> float:
    """The name's digits plus those of the date-of-birth outcome and a matching document."""
    return name_digits + cfg.dob_digits.get(dob, 0.0) + (cfg.document_digits if document else 0.0)


def commonness(
    aligned: Sequence[tuple[str, str, float]],
    frequencies: NameFrequencies,
    cfg: ScreeningConfig,
    eq: Equivalences | None = None,
    *,
    dob: str = "unknown",
    document: bool = False,
    listed_tokens: int = 0,
) -> tuple[float, str]:
    """Value of the ``common_name`` feature (0 rare .. 1 common) and its explanation.

    The evidence is the name's digits plus what corroborates it: the date-of-birth outcome
    ``dob`` (``cfg.dob_digits``) and a matching document (``cfg.document_digits``).
    """
    chance, why = frequencies.chance(aligned, cfg, eq)
    ways = _subset_ways(cfg, len(aligned), listed_tokens)
    if ways > 1:
        chance = min(1.0, chance * ways)
        why += f"; any {len(aligned)} of {listed_tokens} listed tokens x{ways}"
    name_digits = _name_digits(chance)
    dob_digits = cfg.dob_digits.get(dob, 0.0)
    digits = _digits(name_digits, cfg, dob, document)
    value = cfg.commonness_of(digits, dob)
    corroborated = []
    if dob_digits:
        corroborated.append(f"dob {dob} +{dob_digits:.1f}")
    if document:
        corroborated.append(f"document +{cfg.document_digits:.1f}")
    name_only = (
        f", name only against {cfg.listed_names:,} names"
        if cfg.rare_digits(dob) != cfg.rare_name_digits
        else ""
    )
    detail = (
        f"name 1 in {1 / chance:,.0f} travellers ({name_digits:.1f} digits"
        f"{'; ' + ', '.join(corroborated) if corroborated else ''}; {digits:.1f} of "
        f"{cfg.rare_digits(dob):g} needed{name_only}): {why} [{frequencies.names:,} names"
        f"{', ' + frequencies.source if frequencies.source else ''}]"
    )
    return value, detail

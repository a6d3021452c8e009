"""Name-only evidence held to the list's size (algorithm 1.4, ``false_hit_rate``)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paxwatch.screening.commonness import commonness
from paxwatch.screening.config import ALGORITHM_VERSION, ScreeningConfig
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject

from .test_rarity import LIST, population

CFG = ScreeningConfig()
TOUQAN = (("BALQEES", "BALQEES", 1.0), ("TOUQAN", "TOUQAN", 1.0))


@pytest.mark.parametrize(
    ("names", "level", "reason"),
    [
        (0, 7.0, "no screener yet: the configured level"),
        (3, 7.0, "a short list keeps the configured level (never under it)"),
        (2_000, 7.3, "2,000 names: 1e-4 per traveller over 2,000 chances"),
        (100_000, 9.0, "100,000 names"),
    ],
)
def test_name_only_level_grows_with_the_list(names: int, level: float, reason: str) -> None:
    cfg = CFG.for_list(names)
    assert cfg.name_only_digits == level, reason
    for outcome in ("unknown", "near_year", "mismatch"):
        assert cfg.rare_digits(outcome) == level, "no evidence from the date: name only"
    for outcome in ("exact", "year", "month", "one_digit", "near_month", "transposed"):
        assert cfg.rare_digits(outcome) == CFG.rare_name_digits, "date evidence: as configured"


def test_correction_can_be_turned_off() -> None:
    cfg = ScreeningConfig(false_hit_rate=0).for_list(100_000)
    assert cfg.name_only_digits == cfg.rare_name_digits


@given(
    st.floats(min_value=0, max_value=20, allow_nan=False),
    st.integers(min_value=0, max_value=10**7),
)
def test_commonness_of_is_bounded_and_monotone(digits: float, names: int) -> None:
    cfg = CFG.for_list(names)
    value = cfg.commonness_of(digits, "unknown")
    assert 0.0 <= value <= 1.0
    assert value >= cfg.commonness_of(digits, "exact"), "name only never rarer than dated"
    assert cfg.commonness_of(digits + 0.5, "unknown") <= value, "more digits, less common"
    if names > 1:
        expected = 4 + math.log10(names)
        if digits >= max(expected, 7.0) + 1e-6:
            assert value == 0.0


def test_rare_name_alone_is_judged_against_the_list_size() -> None:
    """BALQEES TOUQAN, never seen among 2,500 names, is 7.4 digits: rare enough alone
    against a short list, not against 100,000 names; with the listed date of birth it is
    rare against any list."""
    freq = NameFrequencies.count(population(), source="test")
    short, _ = commonness(TOUQAN, freq, CFG.for_list(3))
    long_value, detail = commonness(TOUQAN, freq, CFG.for_list(100_000))
    dated, _ = commonness(TOUQAN, freq, CFG.for_list(100_000), dob="exact")
    assert short == 0.0
    assert long_value == pytest.approx((9.0 - 7.4) / 3, abs=0.02)
    assert "9 needed, name only against 100,000 names" in detail
    assert dated == 0.0


def test_screener_knows_its_list_size() -> None:
    screener = Screener(LIST, frequencies=NameFrequencies.count(population(), source="test"))
    assert screener.config.listed_names == len(screener.names) == 3
    [rare] = screener.screen(Subject(names=("BALQEES TOUQAN",)))
    assert rare.algorithm_version == ALGORITHM_VERSION == "paxwatch-screening-1.7"
    assert {f.name: f for f in rare.features}["common_name"].value == 0.0

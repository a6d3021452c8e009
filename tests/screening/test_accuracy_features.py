"""The evidence added for issue 5: surname alignment, any-k-of-m name agreement, the
likelihood of near dates of birth, and the culture prior of sparse name statistics."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

from paxwatch.model.watchlist import ListedName, PartialDate, WatchlistEntry
from paxwatch.screening.commonness import commonness
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject

CFG = ScreeningConfig()


def listed(
    entry_id: str, given: str, surname: str, dob: PartialDate | None = None
) -> WatchlistEntry:
    return WatchlistEntry(
        source="test",
        entry_id=entry_id,
        names=(ListedName(full_name=f"{given} {surname}", given_names=given, surname=surname),),
        dates_of_birth=(dob,) if dob else (),
    )


def features(screener: Screener, name: str, born: date | None = None) -> dict[str, float]:
    matches = screener.screen(Subject(names=(name,), date_of_birth=born), all_scores=True)
    assert matches, name
    return {f.name: f.contribution for f in matches[0].features}


def test_given_names_alone_do_not_make_a_hit_when_the_surname_is_listed() -> None:
    entry = listed("S1", "LEONARD BRYCE", "SNYDER", PartialDate(year=1966))
    screener = Screener([entry])
    given_only = features(screener, "LEONARD BRYCE")
    assert given_only["surname"] == CFG.surname_unaligned < 0
    assert not screener.screen(Subject(names=("LEONARD BRYCE",)))
    # the same number of tokens with the surname among them: no surname feature, a hit
    with_surname = features(screener, "LEONARD SNYDER")
    assert "surname" not in with_surname
    assert [m.entry_id for m in screener.screen(Subject(names=("LEONARD SNYDER",)))] == ["S1"]


def test_surname_feature_is_left_out_without_a_listed_surname() -> None:
    entry = WatchlistEntry(
        source="test", entry_id="F1", names=(ListedName(full_name="LEONARD BRYCE SNYDER"),)
    )
    assert "surname" not in features(Screener([entry]), "LEONARD BRYCE")


def test_agreeing_with_some_of_the_listed_tokens_is_as_common_as_any_such_subset() -> None:
    names = ["JEAN MARTIN"] * 20_000 + ["ANNE DUPONT"] * 30 + ["CLAIRE DURAND"] * 30
    freq = NameFrequencies.count(names)
    aligned = [("ANNE", "ANNE", 1.0), ("CLAIRE", "CLAIRE", 1.0)]
    alone, _ = commonness(aligned, freq, CFG, listed_tokens=2)
    subset, why = commonness(aligned, freq, CFG, listed_tokens=3)
    assert "any 2 of 3 listed tokens x3" in why
    assert 0 < alone < subset < 1  # rarer than a common name, less rare as a subset
    off, _ = commonness(aligned, freq, ScreeningConfig(subset_chance=False), listed_tokens=3)
    assert off == alone


def test_near_dates_of_birth_weigh_what_they_are_likely_to_mean() -> None:
    digits = CFG.dob_digits
    # a typing error is a little evidence, much less than the same date
    assert 0 < digits["one_digit"] < digits["exact"]
    assert 0 < digits["near_date"] < digits["exact"]
    # a year one off a listed "circa" year is as likely for an innocent traveller
    assert digits["near_year"] < 0
    assert CFG.dob_weights["near_year"] < CFG.dob_weights["unknown"]
    entry = listed("Y1", "ANISH KAPIL", "ARORA", PartialDate(year=1970))
    screener = Screener([entry])
    near = features(screener, "ANISH KAPIL ARORA", date(1971, 5, 3))
    same = features(screener, "ANISH KAPIL ARORA", date(1970, 5, 3))
    assert near["dob"] < 0 < same["dob"]


def test_culture_prior_makes_sparse_anchors_less_telling() -> None:
    # KIDANE is carried by six names, never with FIYORI, which nobody carries
    names = [f"ABEBE{i} KIDANE" for i in range(6)] + [f"JEAN DUPONT{i}" for i in range(3000)]
    freq = NameFrequencies.count(names)
    aligned = [("FIYORI", "FIYORI", 1.0), ("KIDANE", "KIDANE", 1.0)]
    plain, _ = freq.chance(aligned, CFG)
    prior, why = freq.chance(aligned, ScreeningConfig(culture_prior=20.0))
    assert prior > plain
    assert "named with KIDANE" in why
    # at least half a name in (names carrying KIDANE + prior)
    assert math.isclose(
        freq.given("FIYORI", "KIDANE", frozenset({"FIYORI", "KIDANE"}), 20.0), 0.5 / 26
    )


def test_three_step_walk_links_given_and_family_names_of_one_culture() -> None:
    # a small naming culture: 6 given names x 6 family names, two-token names only, and
    # ARAS never named with HEWARAMI; a large other culture around it
    given_names = ["ARAS", "HEMIN", "KAWA", "SHERKO", "DILSHAD", "REBWAR"]
    family = ["HEWARAMI", "KARIM", "QADIR", "SALIM", "RASUL", "BARZANI"]
    names = [
        f"{g} {f}"
        for i, g in enumerate(given_names)
        for j, f in enumerate(family)
        if (i, j) != (0, 0)
    ]
    names += [f"JEAN{i} DUPONT{i % 300}" for i in range(5000)]
    freq = NameFrequencies.count(names)
    aligned = [("ARAS", "ARAS", 1.0), ("HEWARAMI", "HEWARAMI", 1.0)]
    two, why_two = freq.chance(aligned, ScreeningConfig(culture_steps=2))
    three, why = freq.chance(aligned, CFG)
    assert CFG.culture_steps == 3
    # two steps: ARAS and HEWARAMI have no token named with both: independent tokens
    assert "named with" not in why_two
    # three steps: ARAS is one of the 6 given names of HEWARAMI's culture
    assert "named with" in why
    assert three > 20 * two
    assert 0.1 < three / (6 / 5035) < 0.5
    # a token of another culture gains nothing
    other, _ = freq.chance([("JEAN1", "JEAN1", 1.0), ("HEWARAMI", "HEWARAMI", 1.0)], CFG)
    assert math.isclose(
        other,
        freq.chance(
            [("JEAN1", "JEAN1", 1.0), ("HEWARAMI", "HEWARAMI", 1.0)],
            ScreeningConfig(culture_steps=2),
        )[0],
    )


def test_tokens_several_listed_persons_carry_are_not_rare() -> None:
    # the reference population never saw the Afghan names; the list carries KARIM in four
    # entries and AHMADZAI in three, BALQEES and TOUQAN in one each
    entries = [listed(f"K{i}", "KARIM", f"FAMILY{i}") for i in range(4)]
    entries += [listed(f"A{i}", f"GIVEN{i}", "AHMADZAI") for i in range(3)]
    entries += [listed("T", "BALQEES", "TOUQAN")]
    population = [f"JEAN{i % 97} DUPONT{i % 89}" for i in range(5000)]
    screener = Screener(
        entries, ScreeningConfig(list_floor=True), frequencies=NameFrequencies.count(population)
    )
    freq = screener.frequencies
    assert freq is not None and freq.listed_entries == 8
    assert freq.listed_share("KARIM") == 3 / 8
    assert freq.listed_share("AHMADZAI") == 2 / 8
    assert freq.listed_share("TOUQAN") == freq.listed_share("K") == 0.0
    cfg = screener.config
    pair = [("KARIM", "KARIM", 1.0), ("AHMADZAI", "AHMADZAI", 1.0)]
    with_list, why = freq.chance(pair, cfg)
    without, _ = freq.chance(pair, replace(cfg, list_floor=False))
    assert math.isclose(with_list, 3 / 8 * 2 / 8) and "KARIM 1/3 (list)" in why
    assert math.isclose(without, (0.5 / 5001) ** 2)
    # a name no other listed person shares is judged on the population alone
    rare = [("BALQEES", "BALQEES", 1.0), ("TOUQAN", "TOUQAN", 1.0)]
    assert freq.chance(rare, cfg)[0] == freq.chance(rare, replace(cfg, list_floor=False))[0]
    # an exact KARIM AHMADZAI (not a listed name: a namesake of two cultures' tokens) is
    # common; BALQEES TOUQAN alone is a hit
    assert not any(m.is_hit for m in screener.screen(Subject(names=("KARIM AHMADZAI",))))
    assert screener.screen(Subject(names=("BALQEES TOUQAN",)))
    # the statistics recounted later (assess.screen replaces them) get the list counts too
    screener.frequencies = NameFrequencies.count(population)
    assert screener.frequencies is not None and screener.frequencies.listed_entries == 8

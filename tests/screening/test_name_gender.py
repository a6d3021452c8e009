"""Two aligned given names of opposite usual gender are two names (algorithm 1.7,
``score.name_gender_feature``): BRUNHILDE ~ BRUNO shares four letters (Jaro-Winkler 0.85)
but one is a woman's name, the other a man's. Golden cases with the reason; the feature
never touches a typing error, a learned spelling, an initial or a name without usual
gender."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date
from importlib import resources

import faker
import pytest

from paxwatch.model.watchlist import ListedName, PartialDate, WatchlistEntry
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.gender_names import GENDER_DATA_FILE, opposite_names, usual_gender
from paxwatch.screening.learn_gender import locale_given_names, usual_genders
from paxwatch.screening.namesim import NameComparison
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.score import name_gender_feature
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject
from tests.screening.golden import check_golden

CFG = ScreeningConfig()
BORN = date(1970, 7, 6)


def _entry(entry_id: str, name: str) -> WatchlistEntry:
    return WatchlistEntry(
        source="test",
        entry_id=entry_id,
        names=(ListedName(full_name=name),),
        dates_of_birth=(PartialDate.of(BORN),),
    )


LIST = [
    _entry("BRUNO", "Bruno Vaillant"),
    _entry("MARIO", "Mario Castellano"),
    _entry("JEAN", "Jean Obrecht"),
]


def _population() -> list[str]:
    first = ["PIERRE", "ANNE", "LUC", "PAUL", "CLAIRE", "NINA", "SARA", "HUGO", "EMMA"]
    last = ["MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND"]
    return [f"{f} {x}{i}" for i in range(40) for f in first for x in last]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(LIST, frequencies=NameFrequencies.count(_population(), source="test"))


CASES = [
    # (traveller name, date of birth, expected entry or None, reason)
    ("Bruno Vaillant", BORN, "BRUNO", "the listed name and date"),
    ("Brunhilde Vaillant", BORN, None, "a woman's name against a man's: two given names"),
    ("Brunoo Vaillant", BORN, "BRUNO", "a typing error of a man's name stays a typing error"),
    ("Maria Castellano", BORN, "MARIO", "one edit (a typo the feature leaves alone)"),
    ("Jeanne Obrecht", BORN, "JEAN", "JEAN has no usual gender (both ways): no feature"),
    ("B Vaillant", BORN, "BRUNO", "an initial has no gender"),
]


@pytest.mark.parametrize(
    ("name", "born", "expected", "reason"), CASES, ids=[c[3] + ":" + c[0] for c in CASES]
)
def test_golden(
    screener: Screener, name: str, born: date | None, expected: str | None, reason: str
) -> None:
    check_golden(screener, name, born, expected, reason)


def test_brunhilde_scores_the_feature_and_1_6_would_hit(screener: Screener) -> None:
    subject = Subject(names=("Brunhilde Vaillant",), date_of_birth=BORN)
    (match,) = [m for m in screener.screen(subject, all_scores=True) if m.entry_id == "BRUNO"]
    feature = next(f for f in match.features if f.name == "name_gender")
    assert feature.contribution == CFG.name_gender_mismatch
    assert "BRUNHILDE (usually F) ~ BRUNO (usually M)" in feature.detail
    off = Screener(
        LIST,
        replace(CFG, name_gender_mismatch=0.0),
        frequencies=NameFrequencies.count(_population(), source="test"),
    )
    assert [m.entry_id for m in off.screen(subject)] == ["BRUNO"]  # the 1.6 false hit


def test_usual_genders_from_vocabulary_counts() -> None:
    male = {"BRUNO": 23, "JEAN": 15, "MOHAMED": 11, "ANDREA": 2, "A": 5}
    female = {"BRUNHILDE": 1, "JEAN": 6, "MOHAMED": 1, "ANDREA": 24}
    out = usual_genders(Counter(male), Counter(female))
    assert out["BRUNO"][0] == "M" and out["MOHAMED"][0] == "M"
    assert out["BRUNHILDE"][0] == "F" and out["ANDREA"][0] == "F"
    assert "JEAN" not in out and "A" not in out  # both ways; an initial


def test_shipped_data_and_pairs() -> None:
    assert usual_gender("BRUNO") == "M" and usual_gender("BRUNHILDE") == "F"
    assert usual_gender("MUHAMMAD") == "M" and usual_gender("FATIMA") == "F"
    assert usual_gender("VAILLANT") is None
    assert opposite_names("BRUNHILDE", "BRUNO") == ("F", "M")
    assert opposite_names("BRUNO", "BRUNO") is None
    assert opposite_names("SEMAT", "SERMA") is None  # both usually women's names


def test_feature_skips_close_pairs_and_can_be_turned_off() -> None:
    far = NameComparison(0.68, 0.5, (("VAILLANT", "VAILLANT", 1.0), ("BRUNHILDE", "BRUNO", 0.85)))
    close = NameComparison(0.97, 1.0, (("MARIA", "MARIO", 0.98),))
    assert name_gender_feature(far, CFG) is not None
    assert name_gender_feature(close, CFG) is None
    assert name_gender_feature(far, replace(CFG, name_gender_mismatch=0.0)) is None


def test_shipped_data_is_what_learn_gender_gives() -> None:
    shipped = json.loads(
        resources.files("paxwatch.screening").joinpath("data", GENDER_DATA_FILE).read_text()
    )
    if shipped["meta"]["faker"] != faker.VERSION:
        pytest.skip(f"data learned with Faker {shipped['meta']['faker']}, not {faker.VERSION}")
    male, female, read = locale_given_names()
    assert read == shipped["meta"]["locales"]
    assert usual_genders(male, female) == shipped["usual"]

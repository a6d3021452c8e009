"""Name rarity (``common_name``), initials, near dates of birth, titles: golden cases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from paxwatch.model.booking import Traveller
from paxwatch.model.watchlist import ListedName, PartialDate, WatchlistEntry
from paxwatch.screening.commonness import commonness
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.equivalences import default_equivalences
from paxwatch.screening.features import dob_agreement
from paxwatch.screening.names import prepare_name
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject

CFG = ScreeningConfig()
BORN = date(1980, 5, 17)


def person(entry_id: str, name: str, dob: PartialDate | None = None) -> WatchlistEntry:
    return WatchlistEntry(
        source="test",
        entry_id=entry_id,
        names=(ListedName(full_name=name),),
        dates_of_birth=(dob,) if dob else (),
    )


def population() -> list[str]:
    """2,500 travellers: MOHAMED ALI and their neighbours are common, BALQEES TOUQAN is
    not there at all; many other names around."""
    names = ["MOHAMED ALI"] * 60 + ["MOHAMMED ALI HASSAN"] * 20 + ["ALI MOHAMED SAID"] * 20
    names += ["MOHAMED KARIM"] * 40 + ["AHMED ALI"] * 40
    names += ["TRI VAN NGUYEN", "THI DUONG NGUYEN", "VAN TRI NGUYEN"] * 30
    first = ["JEAN", "MARIE", "PIERRE", "ANNE", "LUC", "PAUL", "CLAIRE", "NINA", "OMAR", "SARA"]
    last = ["MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND"]
    names += [f"{f} {x} {i}" for i in range(29) for f in first for x in last]
    return names[:2500]


LIST = [
    person("COMMON", "Mohamed Ali", PartialDate(year=1980, month=5, day=17)),
    person("RARE", "Balqees Touqan", PartialDate(year=1983, month=4, day=25)),
    person("VIET", "Tri Van Nguyen", PartialDate(year=1990)),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(LIST, frequencies=NameFrequencies.count(population(), source="test"))


def hit_ids(screener: Screener, name: str, dob: date | None = None) -> list[str]:
    return [m.entry_id for m in screener.screen(Subject(names=(name,), date_of_birth=dob))]


@pytest.mark.parametrize(
    ("name", "dob", "expected", "reason"),
    [
        ("MOHAMED ALI", None, [], "common name, no date of birth: not a hit"),
        ("MUHAMMAD ALI", None, [], "common name in another spelling, no date of birth"),
        ("MOHAMED ALI", BORN, ["COMMON"], "common name with the listed date of birth"),
        ("MOHAMED ALI", date(1971, 2, 3), [], "common name, another date of birth (namesake)"),
        ("BALQEES TOUQAN", None, ["RARE"], "distinctive name alone"),
        ("BALKIS TOUQAN", None, ["RARE"], "distinctive name, another romanisation"),
        ("BALQEES TOUQAN", date(1960, 1, 1), [], "decoy: close name, another date of birth"),
        ("TRI NGUYEN", None, [], "common Vietnamese name: tokens common together"),
    ],
)
def test_rarity_golden(
    screener: Screener, name: str, dob: date | None, expected: list[str], reason: str
) -> None:
    found = hit_ids(screener, name, dob)
    scored = screener.screen(Subject(names=(name,), date_of_birth=dob), all_scores=True)
    assert found == expected, reason + "\n" + "\n".join(m.explain() for m in scored)


def test_common_name_is_explained(screener: Screener) -> None:
    [match] = [
        m
        for m in screener.screen(Subject(names=("MOHAMED ALI",)), all_scores=True)
        if m.entry_id == "COMMON"
    ]
    feature = {f.name: f for f in match.features}["common_name"]
    assert feature.value == 1.0 and feature.weight == CFG.common_name_weight
    assert feature.contribution == CFG.common_name_weight
    assert "MUHAMMAD" in feature.detail and "travellers" in feature.detail
    assert abs(sum(f.contribution for f in match.features) - match.score) < 1e-3
    [rare] = screener.screen(Subject(names=("BALQEES TOUQAN",)))
    assert {f.name: f for f in rare.features}["common_name"].value == 0.0


def test_without_statistics_the_feature_is_left_out() -> None:
    [match] = Screener(LIST).screen(Subject(names=("MOHAMED ALI",)))
    assert "common_name" not in {f.name for f in match.features}


def test_fuzzy_pairs_count_the_neighbourhood() -> None:
    eq = default_equivalences()
    freq = NameFrequencies.count(["HONG LI"] * 40 + ["YONG LI"] * 40 + ["PAUL DURAND"] * 2000)
    exact = freq.share("HONG", "HONG", 1.0, CFG, eq)
    fuzzy = freq.share("TONG", "HONG", 0.95, CFG, eq)
    assert fuzzy > 1.9 * exact  # HONG ~ YONG ~ TONG: all the ?ONG count


def test_dob_corroborates_and_json_round_trip(tmp_path: Path) -> None:
    freq = NameFrequencies.count(population(), source="test")
    aligned = [("MUHAMMAD", "MUHAMMAD", 1.0), ("ALI", "ALI", 1.0)]
    alone, _ = commonness(aligned, freq, CFG)
    dated, detail = commonness(aligned, freq, CFG, dob="exact")
    assert alone == 1.0 and dated < alone and "dob exact" in detail
    path = tmp_path / "names.json"
    freq.write(path)
    again = NameFrequencies.read(path)
    assert again.to_json() == freq.to_json()
    assert again.chance(aligned, CFG) == freq.chance(aligned, CFG)


@pytest.mark.parametrize(
    ("dob", "listed", "outcome"),
    [
        (date(1980, 5, 20), PartialDate.of(date(1980, 5, 19)), "near_date"),  # one day off
        (date(1980, 6, 17), PartialDate.of(BORN), "one_digit"),  # 05 -> 06
        (date(1980, 10, 17), PartialDate.of(date(1980, 9, 17)), "near_date"),  # month off
        (date(1981, 5, 17), PartialDate.of(BORN), "one_digit"),  # 1980 -> 1981
        (date(1979, 5, 17), PartialDate.of(BORN), "near_date"),  # a year off, two digits
        (date(1995, 9, 15), PartialDate(year=1985), "near_year"),  # one digit of the year
        (date(2004, 8, 9), PartialDate(year=2004, month=7), "near_month"),  # month off
        (date(1995, 7, 1), PartialDate(year=1985, month=7), "near_month"),  # year digit
        (date(1990, 1, 1), PartialDate(year=1985, month=7), "mismatch"),
    ],
)
def test_near_dates_of_birth(dob: date, listed: PartialDate, outcome: str) -> None:
    assert dob_agreement(dob, [listed]) == outcome


def test_initials_and_maghrebi_la() -> None:
    entries = [
        person("ADEL", "Adel Sadiki", PartialDate.of(date(1984, 5, 31))),
        person("OUFA", "Oufa Balkassem", PartialDate.of(date(1994, 7, 24))),
        person("LATIF", "Abd el Latif el Dawidi", PartialDate.of(date(1978, 3, 18))),
        person("QU", "Yongbin Qu", PartialDate(year=2005)),
    ]
    screener = Screener(entries)
    assert hit_ids(screener, "A SADIKI", date(1984, 5, 31)) == ["ADEL"]  # initial + DOB
    assert hit_ids(screener, "O BALKASSEM") == ["OUFA"]  # found through the initial keys
    assert hit_ids(screener, "ABDULLATEEF AL DAWIDI", date(1978, 3, 18)) == ["LATIF"]
    assert hit_ids(screener, "Y QU", date(2005, 7, 9)) == ["QU"]  # Y first: an initial
    assert prepare_name("LATEEF").tokens == ("LATEEF",)  # LA not cut (LATIF, LAKHDAR)
    assert hit_ids(screener, "B SADIKI", date(1984, 5, 31)) == []  # another initial


def test_title_gives_the_gender() -> None:
    mr = Traveller(surname="DOE", given_names="JANE", title="MR")
    mrs = Traveller(surname="DOE", given_names="JANE", title="MRS")
    assert Subject.from_traveller(mr).gender == "M"
    assert Subject.from_traveller(mrs).gender == "F"
    assert Subject.from_traveller(Traveller(surname="DOE", title="DR")).gender is None


def test_prewarmed_neighbourhoods_give_the_same_matches() -> None:
    """The screener finds the neighbourhoods of its listed tokens when it is built
    (``NameFrequencies.prewarm``): the matches, scores and explanations are those of
    neighbourhoods found on demand."""
    entries = [
        *LIST,
        person("FUZZY", "Mohamad Karim Saleh", PartialDate(year=1975, month=3, day=9)),
        person("PIERRE", "Pierre Durant", None),
    ]
    cold_freq = NameFrequencies.count(population(), source="test")
    warm_freq = NameFrequencies.count(population(), source="test")
    cold = Screener(entries, frequencies=cold_freq, prewarm=False)
    warm = Screener(entries, frequencies=warm_freq)
    assert not cold_freq._cache.get("near")
    assert ("TOUQAN", CFG.token_floor) in warm_freq._cache["near"]
    names = ["MUHAMMAD ALI", "BALKIS TOUQAN", "MOHAMAD ALY", "TRI NGUYEN", "MOHAMED KARIN"]
    names += ["MOHAMMAD KARIM SALEH", "PIERRE DURAND", "PIER DURANT", "BALQEES TUQAN"]
    for name in names:
        for dob in (None, BORN, date(1975, 3, 9), date(1990, 1, 1)):
            subject = Subject(names=(name,), date_of_birth=dob)
            assert warm.screen(subject) == cold.screen(subject)
            assert warm.screen(subject, all_scores=True) == cold.screen(subject, all_scores=True)
    assert len(cold_freq._cache["near"]) < len(warm_freq._cache["near"])

"""One token against a longer name (a kunya such as ABU AL-AMRIKI, a mononym, a traveller
booked under a single name): ``single_token_factor`` is the whole price of the missing
tokens, not a per-token penalty on top of it (algorithm 1.6). Golden cases with the reason,
on name statistics where MOHAMED is common and AMRIKI never seen."""

from __future__ import annotations

from datetime import date

import pytest

from paxwatch.model.watchlist import ListedName, PartialDate, WatchlistEntry
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.names import prepare_name
from paxwatch.screening.namesim import name_similarity, similarity_bound
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.screen import Screener
from tests.screening.golden import check_golden

CFG = ScreeningConfig()
BORN = date(1986, 5, 6)


def _entry(entry_id: str, *names: str) -> WatchlistEntry:
    return WatchlistEntry(
        source="test",
        entry_id=entry_id,
        names=tuple(ListedName(full_name=n) for n in names),
        dates_of_birth=(PartialDate.of(BORN),),
    )


LIST = [
    _entry("KUNYA", "Omar Hammami", "Abu Maansuur Al-Amriki"),
    _entry("COMMON", "Mohamed Salah Eddine Karoui"),
    _entry("THREE", "Jendoubi Tarek Habib"),
]


def _population() -> list[str]:
    names = ["MOHAMED ALI"] * 300 + ["MOHAMED KARIM"] * 200
    first = ["JEAN", "MARIE", "PIERRE", "ANNE", "LUC", "PAUL", "CLAIRE", "NINA", "SARA"]
    last = ["MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND"]
    names += [f"{f} {x}{i}" for i in range(40) for f in first for x in last]
    return names


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(LIST, frequencies=NameFrequencies.count(_population(), source="test"))


CASES = [
    # (traveller name, date of birth, expected entry or None, reason)
    ("Abu Al-Amriki", BORN, "KUNYA", "kunya of a listed alias, rare token, listed DOB"),
    ("AMRIKI", BORN, "KUNYA", "the same without its particles"),
    ("Abu Jendoubi", BORN, "THREE", "one token of a three-token name, rare, listed DOB"),
    ("Abu Al-Amriki", None, None, "one rare token alone: name-only evidence too weak"),
    ("Abu Al-Amriki", date(1979, 2, 3), None, "one token, another full DOB"),
    ("Mohamed", BORN, None, "one common token, even with the listed DOB"),
    ("Amriki Maansuur", BORN, "KUNYA", "the full alias, reordered"),
]


@pytest.mark.parametrize(
    ("name", "born", "expected", "reason"), CASES, ids=[c[3] + ":" + c[0] for c in CASES]
)
def test_golden(
    screener: Screener, name: str, born: date | None, expected: str | None, reason: str
) -> None:
    check_golden(screener, name, born, expected, reason)


def test_one_token_against_several_costs_the_factor_alone() -> None:
    one = prepare_name("AMRIKI")
    for listed in ("MAANSUUR AMRIKI", "TAREK HABIB AMRIKI", "A B C AMRIKI"):
        other = prepare_name(listed)
        comparison = name_similarity(one, other, CFG)
        assert comparison.similarity == CFG.single_token_factor, listed
        assert comparison.similarity <= similarity_bound(1, len(other.tokens), CFG)
    # several tokens on both sides: the per-token penalty as before
    two = name_similarity(prepare_name("TAREK AMRIKI"), prepare_name("TAREK HABIB AMRIKI"), CFG)
    assert two.similarity == pytest.approx(1.0 - CFG.extra_token_penalty)
    # a one-token name that aligns with nothing still scores nothing
    assert name_similarity(one, prepare_name("JEAN MARTIN"), CFG).similarity == 0.0

"""The indexed neighbourhood look-up and the screening bounds give what the plain versions
give.

``NameFrequencies.near`` no longer compares a listed token with every population token in
Python (``vocabulary.VocabularyIndex``); ``plain_near`` below is that scan, as it was
written, and the fast one must equal it at every level screening asks (aligned pairs, from
``token_floor``). The ``common_name`` lower bound must be a lower bound, and screening with
name statistics must give the hits it gives with every bound switched off.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from paxwatch.model.watchlist import ListedName, PartialDate, WatchlistEntry
from paxwatch.screening.commonness import commonness, commonness_floor
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.equivalences import Equivalences, default_equivalences
from paxwatch.screening.names import pattern, prepare_name, skeleton
from paxwatch.screening.namesim import name_similarity, token_similarity
from paxwatch.screening.neighbourhood import PREFILTER
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject
from paxwatch.screening.vocabulary import VocabularyIndex

CFG = ScreeningConfig()
EQ = default_equivalences()
LEVELS = (CFG.token_floor, 0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 1.0)

POPULATION = [
    "MOHAMED ALI",
    "MOHAMMED ALI HASSAN",
    "MHMD ALSHAMI",
    "HSN MHMD",
    "AHMED KARIM",
    "AHMAD KAREEM",
    "YONG HONG",
    "TONG LONG",
    "GIRARD MARGOT",
    "GIRAUD MARGOT",
    "GERARD MARGAUX",
    "KHALIL IBRAHIM",
    "KHALIR IBRAHIM",
    "IBRAHIM KHALEEL",
    "JOHN SMITH",
    "JON SMYTH",
    "SCHMIDT JOHANNES",
    "ALEXANDER ALEKSANDR",
    "ALEXANDRE ALEXANDRA",
    "TRI VAN NGUYEN",
    "NGUYEN THI",
    "ZAWAHIRI AYMAN",
    "YUSUF YOUSSEF",
    "ANNA ANA",
    "MARIA MARIE",
    "LOPEZ LOPES",
    "AB AL",
] * 3
FREQ = NameFrequencies.count(POPULATION, EQ, source="test")

TOKENS = st.sampled_from(sorted(FREQ.tokens)) | st.text(
    alphabet="ABDEGHIKLMNORSTUYZ", min_size=2, max_size=10
)


def plain_near(freq: NameFrequencies, token: str, similarity: float, eq: Equivalences) -> int:
    """``near`` as written before the vocabulary index: every population token of
    Jaro-Winkler at least ``PREFILTER`` compared in Python."""
    words = sorted(t for t in freq.tokens if len(t) > 1)
    pt, st_ = pattern(token, eq), skeleton(token, eq)
    n = 0
    for word, _score, _i in process.extract(
        token, words, scorer=JaroWinkler.similarity, score_cutoff=PREFILTER, limit=None
    ):
        close = (
            1.0
            if word == token
            else token_similarity(word, pattern(word, eq), skeleton(word, eq), token, pt, st_, CFG)
        )
        if close >= similarity - 1e-9:
            n += freq.tokens[word]
    return n


@settings(max_examples=300)
@given(TOKENS)
def test_near_is_the_plain_scan(token: str) -> None:
    for level in LEVELS:
        assert FREQ.near(token, level, CFG, EQ) == plain_near(FREQ, token, level, EQ), level


@pytest.mark.parametrize(
    ("token", "neighbours"),
    [
        ("HONG", {"YONG", "TONG", "LONG"}),  # first letter differs: Jaro-Winkler alone
        ("MUHAMMAD", {"MHMD"}),  # abjad skeleton (0.95), Jaro-Winkler under the floor
        ("KHALIL", {"KHALIR"}),  # one edit
        ("GIRARD", {"GIRAUD", "GERARD"}),
    ],
)
def test_near_finds_the_neighbours(token: str, neighbours: set[str]) -> None:
    words, _counts = FREQ._vocabulary()
    found = {words[i] for i in FREQ._rule_index(EQ).jaro_winkler_candidates(token, 0.0)}
    assert set(words) == found  # at cutoff 0 every token is a candidate
    alone = FREQ.near(token, 1.0, CFG, EQ)
    wider = FREQ.near(token, CFG.token_floor, CFG, EQ)
    assert wider >= alone + sum(FREQ.tokens[t] for t in neighbours)


def test_near_refuses_levels_under_the_floor() -> None:
    with pytest.raises(ValueError, match="token_floor"):
        FREQ.near("HONG", 0.5, CFG, EQ)


WORDS = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=12)


@settings(max_examples=200)
@given(st.lists(WORDS, min_size=1, max_size=40, unique=True), WORDS, st.floats(0.5, 1.0))
def test_jaro_winkler_candidates_are_a_superset(
    words: list[str], token: str, cutoff: float
) -> None:
    words = sorted(words)
    index = VocabularyIndex.build(words, EQ)
    found = set(index.jaro_winkler_candidates(token, cutoff).tolist())
    for i, word in enumerate(words):
        if JaroWinkler.similarity(token, word) >= cutoff:
            assert i in found, (token, word, JaroWinkler.similarity(token, word))


NAMES = st.lists(
    st.sampled_from(sorted({t for n in POPULATION for t in n.split()}))
    | st.text(alphabet="ABDEHIKLMNORSTUYZ", min_size=1, max_size=8),
    min_size=1,
    max_size=4,
).map(" ".join)
DOB_OUTCOMES = st.sampled_from(["unknown", "exact", "year", "near_year", "one_digit"])


@settings(max_examples=300)
@given(NAMES, NAMES, DOB_OUTCOMES, st.booleans())
def test_commonness_floor_is_a_lower_bound(a: str, b: str, dob: str, document: bool) -> None:
    x, y = prepare_name(a, EQ), prepare_name(b, EQ)
    pairs = name_similarity(x, y, CFG).pairs
    kwargs = {"dob": dob, "document": document, "listed_tokens": len(y.tokens)}
    floor = commonness_floor(pairs, FREQ, CFG, EQ, **kwargs)  # type: ignore[arg-type]
    value, _detail = commonness(pairs, FREQ, CFG, EQ, **kwargs)  # type: ignore[arg-type]
    assert 0.0 <= floor <= value + 1e-12


def test_glued_readings_are_skipped_only_under_need() -> None:
    x, y = prepare_name("ABDEL RAHMAN OMAR", EQ), prepare_name("ABDELRAHMAN OMAR SAID", EQ)
    full = name_similarity(x, y, CFG)
    assert name_similarity(x, y, CFG, need=full.similarity) == full
    assert name_similarity(x, y, CFG, need=-1.0) == full


LISTED = [
    WatchlistEntry(
        source="test",
        entry_id=f"E{i}",
        names=(ListedName(full_name=name),),
        dates_of_birth=(PartialDate(year=1975 + i % 5, month=1 + i % 12, day=1 + i % 28),)
        if i % 3
        else (),
    )
    for i, name in enumerate(sorted(set(POPULATION)))
]
SCREENER = Screener(LISTED, frequencies=FREQ)


@settings(max_examples=300)
@given(NAMES, st.sampled_from([None, date(1975, 1, 1), date(1976, 2, 2), date(1990, 6, 6)]))
def test_hits_with_name_statistics_do_not_depend_on_the_bounds(name: str, dob: date | None) -> None:
    subject = Subject(names=(name,), date_of_birth=dob)
    every = [m for m in SCREENER.screen(subject, all_scores=True) if m.is_hit]
    assert SCREENER.screen(subject) == every


def test_ties_are_ordered_by_entry() -> None:
    listed = [
        WatchlistEntry(source="test", entry_id=i, names=(ListedName(full_name="Balqees Touqan"),))
        for i in ("B", "C", "A")
    ]
    hits = Screener(listed).screen(Subject(names=("BALQEES TOUQAN",)))
    assert [m.entry_id for m in hits] == ["A", "B", "C"]

"""Screening fast paths: bounds equal the explained features, typo keys."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from paxwatch.model.watchlist import ListedDocument, ListedName, PartialDate, WatchlistEntry
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.context import (
    context_sum,
    dob_outcome,
    entry_context,
    may_agree,
    single_full_date,
)
from paxwatch.screening.features import dob_agreement
from paxwatch.screening.index import CandidateIndex, deletions, typo_keys
from paxwatch.screening.names import prepare_name
from paxwatch.screening.namesim import (
    TokenSimilarity,
    name_similarity,
    similarity_bound,
    token_similarity,
)
from paxwatch.screening.score import context_features
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject, SubjectDocument

CFG = ScreeningConfig()

PARTIAL = st.builds(
    PartialDate,
    year=st.one_of(st.none(), st.integers(1930, 2010)),
    month=st.one_of(st.none(), st.integers(1, 12)),
    day=st.one_of(st.none(), st.integers(1, 28)),
)
DATES = st.one_of(st.none(), st.dates(date(1930, 1, 1), date(2010, 12, 31)))


@given(DATES, st.lists(PARTIAL, max_size=4))
def test_fast_dob_outcome_is_dob_agreement(dob: date | None, listed: list[PartialDate]) -> None:
    entry = WatchlistEntry(source="t", entry_id="1", dates_of_birth=tuple(listed))
    assert dob_outcome(dob, entry_context(entry)) == dob_agreement(dob, listed)


FULL_DATES = st.dates(date(1930, 1, 1), date(2010, 12, 31))


@given(FULL_DATES, FULL_DATES)
def test_may_agree_is_false_only_for_a_mismatch(dob: date, listed: date) -> None:
    entry = WatchlistEntry(source="t", entry_id="1", dates_of_birth=(PartialDate.of(listed),))
    packed = single_full_date(entry)
    assert packed == listed.year * 10_000 + listed.month * 100 + listed.day
    outcome = dob_agreement(dob, entry.dates_of_birth)
    if not may_agree(packed, dob.year, dob.month, dob.day):
        assert outcome == "mismatch"


def test_may_agree_keeps_every_neighbour_of_a_listed_date() -> None:
    """Every traveller's date within two years of a listed date (both ways round a new
    year, a month's end, a leap day) that is not a mismatch is kept."""
    for listed in (date(1980, 1, 1), date(1979, 12, 31), date(1984, 2, 29), date(1975, 10, 12)):
        entry = WatchlistEntry(source="t", entry_id="1", dates_of_birth=(PartialDate.of(listed),))
        packed = single_full_date(entry)
        kept = mismatches = 0
        for offset in range(-800, 801):
            dob = date.fromordinal(listed.toordinal() + offset)
            agree = may_agree(packed, dob.year, dob.month, dob.day)
            if dob_agreement(dob, entry.dates_of_birth) != "mismatch":
                assert agree, (listed, dob)
            kept += agree
            mismatches += not agree
        assert mismatches > 1000 and kept > 40  # the filter does reject most dates


def test_single_full_date_is_zero_unless_one_full_date() -> None:
    def packed(*dobs: PartialDate) -> int:
        return single_full_date(WatchlistEntry(source="t", entry_id="1", dates_of_birth=dobs))

    assert packed() == 0
    assert packed(PartialDate(year=1970)) == 0
    assert packed(PartialDate(year=1970, month=3)) == 0
    assert packed(PartialDate(year=1970, month=3, day=4), PartialDate(year=1971)) == 0
    assert packed(PartialDate(year=1970, month=3, day=4)) == 19700304


@given(
    DATES,
    st.lists(PARTIAL, max_size=3),
    st.sampled_from([None, "FRA", "DEU"]),
    st.lists(st.sampled_from(["FRA", "SYR", "DEU"]), max_size=2),
    st.sampled_from([None, "M", "F"]),
    st.sampled_from([None, "M", "F"]),
    st.sampled_from(["", "X1234567", "X1234568", "AB998877"]),
)
def test_context_sum_is_the_sum_of_the_explained_features(
    dob: date | None,
    listed: list[PartialDate],
    nationality: str | None,
    nationalities: list[str],
    gender: str | None,
    listed_gender: str | None,
    number: str,
) -> None:
    entry = WatchlistEntry(
        source="t",
        entry_id="1",
        names=(ListedName(full_name="A B"),),
        dates_of_birth=tuple(listed),
        nationalities=tuple(nationalities),
        gender=listed_gender,
        documents=(ListedDocument(number="X1234567", issuing_country="FRA"),),
    )
    subject = Subject(
        names=("A B",),
        date_of_birth=dob,
        nationality=nationality,
        gender=gender,
        documents=(SubjectDocument(number=number, issuing_country="FRA"),) if number else (),
    )
    expected = sum(f.contribution for f in context_features(subject, entry, CFG))
    assert abs(context_sum(subject, entry, entry_context(entry), CFG) - expected) < 1e-9


NAMES = st.lists(
    st.text(alphabet="ABDEHIKLMNORSTUYZ", min_size=1, max_size=9), min_size=1, max_size=5
).map(" ".join)


@settings(max_examples=300)
@given(NAMES, NAMES)
def test_similarity_bound_and_memo(a: str, b: str) -> None:
    x, y = prepare_name(a), prepare_name(b)
    memo = TokenSimilarity(CFG)
    fresh = name_similarity(x, y, CFG)
    assert name_similarity(x, y, CFG, memo) == fresh == name_similarity(x, y, CFG, memo)
    assert fresh.similarity <= similarity_bound(len(x.tokens), len(y.tokens), CFG) + 1e-9
    for i, t in enumerate(x.tokens):
        for j, u in enumerate(y.tokens):
            direct = token_similarity(
                t,
                x.patterns[i],
                x.skeletons[i],
                u,
                y.patterns[j],
                y.skeletons[j],
                CFG,
                x.spellings[i],
                y.spellings[j],
            )
            assert memo(x, i, y, j) == direct


def test_one_edit_is_a_typo_not_a_new_name() -> None:
    # Jaro-Winkler alone: AYUD ~ AYID 0.87, a third of a token; one edit: token_typo
    assert token_similarity("AYUD", "*Y*D", "D", "AYID", "*Y*D", "D", CFG) >= 0.98  # pattern
    assert token_similarity("AYUD", "", "", "AYID", "", "", CFG) == CFG.token_typo
    assert token_similarity("ALY", "", "", "ALI", "", "", CFG) < CFG.token_typo  # too short
    assert token_similarity("SMITH", "", "", "SMYTHE", "", "", CFG) < CFG.token_typo  # 2 edits
    # one edit from the written token, not from the class representative
    moharmed = prepare_name("Moharmed")
    mohammed = prepare_name("Mohammed")
    assert mohammed.tokens == ("MUHAMMAD",) and mohammed.spellings == ("MOHAMMED",)
    assert name_similarity(moharmed, mohammed, CFG).pairs[0][2] == round(CFG.token_typo, 3)
    # abjad skeletons: a final Y (nisba) is not dropped against a final consonant
    assert name_similarity(prepare_name("MHMDY"), prepare_name("MUHAMMADI"), CFG).similarity > 0.7
    assert name_similarity(prepare_name("HMYDY"), prepare_name("AHMAD"), CFG).similarity < 0.5


@st.composite
def one_consonant_edit(draw: st.DrawFn) -> tuple[str, str]:
    skeleton = draw(st.text(alphabet="BDFGKLMNRSTZ", min_size=2, max_size=7))
    at = draw(st.integers(0, len(skeleton) - 1))
    kind = draw(st.sampled_from(["insert", "delete", "substitute"]))
    letter = draw(st.sampled_from("BDFGKLMNRSTZ"))
    if kind == "insert":
        edited = skeleton[:at] + letter + skeleton[at:]
    elif kind == "delete":
        edited = skeleton[:at] + skeleton[at + 1 :]
    else:
        edited = skeleton[:at] + letter + skeleton[at + 1 :]
    return skeleton, edited


@given(one_consonant_edit(), st.booleans())
def test_typo_keys_meet_one_consonant_edit_away(edit: tuple[str, str], pair: bool) -> None:
    listed, typed = edit
    if len(listed) < 3 or len(typed) < 3 or listed == typed or "PRK" in (listed, typed):
        return
    # vowels are silent in skeletons: interleave them so the tokens are pronounceable
    token = "A".join(listed) + "O"
    typo = "A".join(typed) + "O"
    a = prepare_name(f"{token} PARKA" if pair else token)
    b = prepare_name(f"{typo} PARKA" if pair else typo)
    if a.skeletons[0] != listed or b.skeletons[0] != typed:
        return  # a learned letter merge changed the skeleton
    assert typo_keys(a, 6) & typo_keys(b, 6)


def test_deletions() -> None:
    assert deletions("NGR") == {"GR", "NR", "NG"}
    assert deletions("N") == set()


PEOPLE = [
    WatchlistEntry(
        source="t",
        entry_id="M1",
        names=(ListedName(full_name="Carlos Lobo"), ListedName(full_name="EL NEGRO", kind="alias")),
        dates_of_birth=(PartialDate(year=1974, month=5, day=28),),
    ),
    WatchlistEntry(
        source="t",
        entry_id="M2",
        names=(ListedName(full_name="Ibrahim Khalil"),),
        dates_of_birth=(PartialDate(year=1975, month=7, day=2),),
    ),
    WatchlistEntry(source="t", entry_id="M3", names=(ListedName(full_name="Rudi Slaiwah Tomas"),)),
    WatchlistEntry(
        source="t",
        entry_id="M4",
        names=(ListedName(full_name="Toyib Ibnu"),),
        dates_of_birth=(PartialDate(year=1958),),
    ),
]


def test_typo_variants_are_found() -> None:
    screener = Screener(PEOPLE)

    def hit(name: str, dob: date | None) -> list[str]:
        return [m.entry_id for m in screener.screen(Subject(names=(name,), date_of_birth=dob))]

    assert hit("NRGRO", date(1974, 5, 28)) == ["M1"]  # mononym, consonant inserted
    assert hit("Ibrahim Khalir", date(1975, 7, 2)) == ["M2"]  # skeleton changes
    assert hit("Ibrahim Khalir", None) == ["M2"]  # no DOB: the pair typo keys
    assert hit("Rudi Slaiwak Tomas", date(1980, 1, 1)) == ["M3"]  # list without DOB
    assert hit("Toyib Ihnu", date(1958, 3, 3)) == ["M4"]  # year-only list DOB
    assert hit("Ibrahim Khalir", date(1990, 7, 2)) == []  # other full DOB
    without = Screener(PEOPLE, typo_keys=False)
    assert without.screen(Subject(names=("NRGRO",), date_of_birth=date(1974, 5, 28))) == []


def test_index_typo_keys_follow_the_date_of_birth() -> None:
    index = CandidateIndex()
    index.add(0, prepare_name("Ibrahim Khalil"), [1975])
    index.add(1, prepare_name("Ibrahim Khalil"), [])
    typo = prepare_name("Ibrahim Khalir")
    assert index.candidates(typo, 1975) == {0, 1}
    assert index.candidates(typo, 1990) == {1}
    assert index.candidates(typo, None) == {0, 1}


NEAR_DATES = [
    date(1975, 2, 7),  # transposed
    date(1975, 7, 12),  # one digit
    date(1985, 7, 2),
    date(1975, 7, 1),  # near date
    date(1975, 6, 2),
    date(1976, 7, 2),
    date(1974, 5, 27),
    date(1974, 6, 1),
    date(1973, 5, 28),
    date(1974, 12, 28),  # other dates: surely a mismatch
    date(1975, 1, 2),
]
"""Dates of birth around the listed ones of ``PEOPLE`` (the ``context.may_agree`` filter)."""


def test_hits_do_not_depend_on_the_bounds() -> None:
    screener = Screener(PEOPLE)
    for name in ["Ibrahim Khalir", "NEGRO", "Carlos Lobo", "Rudi Tomas", "Toyib Ihnu", "Ibnu"]:
        for dob in [None, date(1974, 5, 28), date(1958, 1, 1), date(1975, 7, 2), *NEAR_DATES]:
            subject = Subject(names=(name,), date_of_birth=dob)
            every = [m for m in screener.screen(subject, all_scores=True) if m.is_hit]
            assert screener.screen(subject) == every

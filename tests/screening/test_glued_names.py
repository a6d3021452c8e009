"""Glued particles: cut from Arabic names (ALHASSAN -> HASSAN), never from the learned
names of their own (ALBERT, DENISE, ULLRICH stay whole)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from paxwatch.model.watchlist import PartialDate
from paxwatch.screening.learn_glued import ListEvidence, learn_whole_names
from paxwatch.screening.names import glued_rest, name_key, prepare_name, split_tokens, whole_names
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject
from tests.screening.test_screening import person


@pytest.mark.parametrize(
    "token",
    ["ALBERT", "ALFRED", "DENISE", "ULLRICH", "ULRICH", "BENJAMIN", "ALMEIDA", "ALBERTO"],
)
def test_names_of_their_own_stay_whole(token: str) -> None:
    assert glued_rest(token) != token  # the old rule cut them
    assert split_tokens(token) == [token]


@pytest.mark.parametrize(
    ("token", "cut"),
    [
        ("ALHASSAN", "HASSAN"),
        ("ELHASSAN", "HASSAN"),
        ("ALRASHID", "RASHID"),
        ("ALZAWAHIRI", "ZAWAHIRI"),
        ("ALQAHTANI", "QAHTANI"),  # no vocabulary knows it: cut as before
        ("ABUBAKR", "BAKR"),  # the lists write ABU BAKR
        ("ABUBAKAR", "BAKAR"),  # one listed person written ABUBAKAR and ABU BAKAR
        ("ALBERTA", "BERTA"),  # BERTA is the more widespread name
        ("VANDERBERGH", "BERGH"),
    ],
)
def test_glued_particles_are_cut_as_before(token: str, cut: str) -> None:
    assert split_tokens(token) == [cut]


def test_glued_and_separate_particles_give_one_key() -> None:
    assert name_key("Al-Hassan Omar") == name_key("ALHASSAN OMAR") == name_key("Hassan Omar")
    assert prepare_name("Albert Lamont").tokens != prepare_name("Bert Lamont").tokens


def test_the_shipped_whole_names_are_glued_tokens() -> None:
    whole = whole_names()
    assert len(whole) > 100
    assert all(glued_rest(t) != t for t in whole)
    assert not {"ALHASSAN", "ABUBAKR", "ABUBAKAR", "ALZAWAHIRI"} & whole


def test_denise_is_one_edit_from_dinise_and_not_bert_from_albert() -> None:
    dob = PartialDate(year=1984, month=3, day=7)
    screener = Screener([person("L1", "Denise Lee", dob=dob), person("L2", "Bert Lamont", dob=dob)])
    born = date(1984, 3, 7)
    assert [
        m.entry_id for m in screener.screen(Subject(names=("Dinise Lee",), date_of_birth=born))
    ] == ["L1"]
    albert = Subject(names=("Albert Lamont",))  # was BERT LAMONT exactly: a hit without a date
    assert not screener.screen(albert)
    (match,) = [m for m in screener.screen(albert, all_scores=True) if m.entry_id == "L2"]
    assert match.score < screener.screen(Subject(names=("Bert Lamont",)))[0].score


def test_learning_weighs_vocabularies_against_the_lists() -> None:
    vocabularies = {
        "a": frozenset({"ALBERT", "BERT", "ABUBAKR", "ALFOO", "DENISE"}),
        "b": frozenset({"ALBERT", "ABUBAKR", "ALFOO", "ALHASSAN", "HASSAN"}),
        "c": frozenset({"ALBERT", "HASSAN"}),
    }
    lists = ListEvidence(
        names=Counter({"BAKR": 5, "ALFOO": 1, "FOO": 1}), both_ways=frozenset({"ALFOO"})
    )
    assert learn_whole_names(vocabularies, lists) == {"ALBERT": [3, 1], "DENISE": [1, 0]}


def test_list_evidence_counts_names_and_both_ways() -> None:
    lists = ListEvidence.of(
        [person("1", "ABUBAKAR Ali", "ABU BAKAR Ali"), person("2", "Albert Roux", "AL-BAKR Omar")]
    )
    assert lists.both_ways == {"ABUBAKAR"}
    assert lists.names["ALBERT"] == 1 and lists.names["BAKR"] == 1
    assert lists.particle("ABUBAKAR", "BAKAR") and not lists.particle("ALBERT", "BERT")

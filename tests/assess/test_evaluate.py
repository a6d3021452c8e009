"""Accounting of screening accuracy on synthetic days (``assess.evaluate.accuracy_of``):
decoys screened without any date of birth are counted apart, not as false hits."""

from __future__ import annotations

from paxwatch.assess.evaluate import accuracy_of, combine
from paxwatch.assess.rules import TruthIndex

TRUTH = TruthIndex(
    roles={
        ("P1", "1"): "plant",
        ("P2", "1"): "plant",
        ("D1", "1"): "decoy",
        ("D2", "1"): "decoy",
        ("D3", "1"): "decoy",
        ("N1", "1"): "normal",
        ("N2", "1"): "normal",
    },
    entries={
        ("P1", "1"): "E1",
        ("P2", "1"): "E2",
        ("D1", "1"): "E3",
        ("D2", "1"): "E4",
        ("D3", "1"): "E5",
    },
    variants={("P1", "1"): ("dob_missing",), ("P2", "1"): ("typo",)},
)
STORED = set(TRUTH.roles)
HITS = {
    ("P1", "1"): {"E1"},  # found
    ("P2", "1"): {"E9"},  # another entry: missed
    ("D1", "1"): {"E3"},  # decoy screened with its date of birth: a false hit
    ("D2", "1"): {"E4"},  # decoy without any date of birth: counted apart
    ("N1", "1"): {"E7"},  # namesake: a false hit
}


def test_undated_decoys_are_counted_apart() -> None:
    dated = {("D1", "1"), ("D3", "1"), ("N1", "1"), ("N2", "1"), ("P2", "1")}
    acc = accuracy_of(TRUTH, STORED, HITS, dated=dated)
    assert (acc.planted, acc.found) == (2, 1)
    assert acc.missed == (("P2/1", "E2", "typo"),)
    assert (acc.innocent, acc.false_hits) == (4, 2)  # D1, D3, N1, N2; D1 and N1 hit
    assert (acc.decoys, acc.decoy_hits) == (2, 1)
    assert (acc.undated_decoys, acc.undated_decoy_hits) == (1, 1)
    assert {f[0] for f in acc.false} == {"D1/1", "N1/1"}
    both = combine([acc, acc])
    assert (both.undated_decoys, both.undated_decoy_hits, both.false_hits) == (2, 2, 4)


def test_without_dated_every_decoy_is_innocent() -> None:
    acc = accuracy_of(TRUTH, STORED, HITS)
    assert (acc.innocent, acc.false_hits) == (5, 3)
    assert (acc.decoys, acc.decoy_hits) == (3, 2)
    assert acc.undated_decoys == 0

"""Naming of the synthetic population: pools, long-tailed frequencies, romanisable seeds."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date

import pytest

from paxwatch.synth.arabic import _ALIF, _CONS, _HARAKAT, _TA_MARBUTA, _VOWEL_LETTERS, _WAW, _YA
from paxwatch.synth.config import SynthConfig
from paxwatch.synth.frequency import ranked, zipf_weights
from paxwatch.synth.names import romanise
from paxwatch.synth.planting import plan_specials
from paxwatch.synth.population import ORIGIN_BY_KEY, ORIGINS, draw_person, name_pool
from paxwatch.synth.schedule import build_schedule
from paxwatch.synth.watchlist import generate_watchlist

DAY = date(2026, 3, 1)
SEEDED = ("af", "ku", "er", "et", "so", "vn")
_ARABIC_KNOWN = (
    set(_CONS) | _WAW | _YA | _ALIF | set(_VOWEL_LETTERS) | _TA_MARBUTA | _HARAKAT | {" "}
)


def _all_names(key: str) -> set[str]:
    p = name_pool(key)
    out: set[str] = set()
    for names in (p.male, p.female, p.surnames, p.surnames_female, p.family):
        out |= set(names.names)
    for names in (p.middle_male, p.middle_female, p.patronymics_male, p.patronymics_female):
        out |= set(names.names)
    return out


@pytest.mark.parametrize("key", SEEDED)
def test_seeded_origins_have_the_long_tail_of_real_naming(key: str) -> None:
    p = name_pool(key)
    assert len(p.male) >= 100 and len(p.female) >= 80
    assert len(p.surnames) >= 60


@pytest.mark.parametrize("key", SEEDED)
def test_every_seed_name_romanises_under_every_scheme_of_its_origin(key: str) -> None:
    origin = ORIGIN_BY_KEY[key]
    for name in _all_names(key):
        if origin.script == "Arab":
            assert set(name) <= _ARABIC_KNOWN, (name, set(name) - _ARABIC_KNOWN)
        if origin.script == "Ethi":
            assert all(0x1200 <= ord(c) <= 0x137F for c in name), name
        for scheme, _ in origin.schemes:
            out = romanise(name, origin.script, scheme)
            assert re.fullmatch(r"[A-Z]{2,}( [A-Z]+)*", out), (name, scheme, out)


def test_zipf_weights_follow_the_fitted_head_and_spread_the_unnamed_tail() -> None:
    w = zipf_weights(3400, 1.0, 3400, 6.5)
    assert sum(w) == pytest.approx(1.0)
    assert w[0] / w[9] == pytest.approx(2.2, abs=0.05)  # SSA given names: 2.0-2.5
    short = zipf_weights(100, 1.0, 3400, 6.5)
    assert sum(short) == pytest.approx(1.0)
    # the 100 names carry the shares of the whole population's tail, evenly
    assert short[0] - w[0] == pytest.approx(short[99] - w[99])
    assert short[0] < 0.05


def test_ranked_pools_keep_their_order_and_unordered_ones_a_fixed_hash_order() -> None:
    names = [f"N{i:03d}" for i in range(200)]
    ordered = ranked(names, "given", ordered=True)
    shares = [ordered.share(n) for n in names]
    assert shares == sorted(shares, reverse=True) and shares[0] > 3 * shares[-1]
    hashed = ranked(names, "given", ordered=False)
    assert hashed.names != tuple(names)
    assert hashed == ranked(list(reversed(names)), "given", ordered=False)


def test_draws_follow_the_weights() -> None:
    rng = random.Random(1)
    counts = Counter(draw_person(rng, "vn", "", DAY).surname[0] for _ in range(8000))
    assert 0.35 < counts["Nguyễn"] / 8000 < 0.42  # ~38 % of the Vietnamese
    assert 0.10 < counts["Trần"] / 8000 < 0.14
    rng = random.Random(2)
    fr = Counter(draw_person(rng, "fr", "", DAY).surname[0] for _ in range(8000))
    top, n = fr.most_common(1)[0]
    assert top == "Martin" and n / 8000 < 0.03  # ranked source, head not inflated
    assert len(fr) > 350  # the tail is drawn too


def test_father_name_cultures_draw_surnames_from_mens_given_names() -> None:
    rng = random.Random(3)
    male = set(name_pool("so").male.names)
    for _ in range(200):
        p = draw_person(rng, "so", "", DAY)
        assert len(p.surname) == 2 and set(p.surname) <= male
    ku = name_pool("ku")
    family = [draw_person(rng, "ku", "", DAY).surname[0] in ku.family.names for _ in range(2000)]
    assert 0.2 < sum(family) / 2000 < 0.3  # family_share 0.25


def test_decoys_have_their_own_birthday() -> None:
    config = SynthConfig(day=DAY, scale=0.01, seed=5, watchlist_size=300, decoys_at_full_scale=3000)
    listed = generate_watchlist(config)
    births = {entry.entry_id: person.birth for entry, person in listed}
    specials, _ = plan_specials(config, build_schedule(config), listed)
    decoys = [
        t for bookings in specials.values() for b in bookings for t in b.travellers
        if t.role == "decoy"
    ]  # fmt: skip
    assert len(decoys) >= 20
    same_day = [
        d for d in decoys
        if (d.person.birth.month, d.person.birth.day)
        == (births[d.entry_id].month, births[d.entry_id].day)
    ]  # fmt: skip
    assert len(same_day) <= 2


def test_every_origin_draws_from_a_weighted_pool() -> None:
    for origin in ORIGINS:
        p = name_pool(origin.key)
        for names in (p.male, p.female, p.surnames):
            assert len(names.cumulative) == len(names.names) > 0
            first, last = names.share(names.names[0]), min(names.share(n) for n in names.names)
            assert first > last, origin.key

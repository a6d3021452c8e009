"""Name pools: each origin's names with their frequencies, read once.

Pools come from Faker's locale tables (``first_names_male``, ``last_names``…) or, for the
origins Faker lacks or covers too thinly, from the seed tables (``paxwatch.synth.seeds``);
``paxwatch.synth.frequency`` gives every name its weight, so drawing a name is one random
number and a bisection, not a Faker call.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from paxwatch.synth.frequency import (
    EMPTY,
    SURNAME_EXPONENT,
    SURNAME_OFFSET,
    Names,
    ranked,
    weighted,
    zipf_weights,
)
from paxwatch.synth.origins import ORIGIN_BY_KEY, Origin
from paxwatch.synth.seeds import SEEDS
from paxwatch.synth.seeds_latin import (
    VN_FAMILY,
    VN_FAMILY_RARE,
    VN_FAMILY_RARE_SHARE,
    VN_FEMALE,
    VN_MALE,
    VN_MIDDLE_FEMALE,
    VN_MIDDLE_MALE,
)


@dataclass(frozen=True, slots=True)
class NamePool:
    """An origin's names with their frequencies (``paxwatch.synth.frequency``)."""

    male: Names
    female: Names
    surnames: Names
    surnames_female: Names
    patronymics_male: Names = EMPTY
    patronymics_female: Names = EMPTY
    middle_male: Names = EMPTY
    middle_female: Names = EMPTY
    family: Names = EMPTY  # inherited family names where most documents carry the father's


_SUFFIXES = (" I", " II", " III", " IV", " Jr.", " Sr.")
# Faker lists whose order is the source's frequency rank (common first); the other lists
# without weights are alphabetical or arbitrary and are ranked by a fixed hash of the name.
RANKED_SOURCES: frozenset[tuple[str, str]] = frozenset(
    {
        ("fr_FR", "last_names"),
        ("en_GB", "first_names_male"),
        ("en_GB", "first_names_female"),
        ("pl_PL", "first_names_male"),
        ("ru_RU", "last_names_male"),
        ("ru_RU", "last_names_female"),
        ("tr_TR", "last_names"),
        ("fa_IR", "first_names_male"),
        ("fa_IR", "first_names_female"),
        ("fa_IR", "last_names"),
        ("zh_CN", "first_names_male"),
        ("zh_CN", "first_names_female"),
        ("hi_IN", "last_names"),
        *((loc, a) for loc in ("ig_NG", "ha_NG", "en_NG") for a in (
            "first_names_male", "first_names_female", "last_names")),
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Source:
    """One Faker list: its names, the attribute read, measured weights if any."""

    locale: str
    attr: str
    names: tuple[str, ...]
    weights: tuple[float, ...] | None


def _source(locale: str, *attrs: str) -> _Source | None:
    """A Faker name list (generational suffixes such as ``Koch II`` left out)."""
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    for attr in attrs:
        value = getattr(provider, attr, None)
        if not value:
            continue
        keep = [str(v) for v in value if not str(v).endswith(_SUFFIXES)]
        weights = tuple(float(value[k]) for k in keep) if isinstance(value, Mapping) else None
        return _Source(locale, attr, tuple(keep), weights)
    return None


def _merge(sources: list[_Source | None], kind: str) -> Names:
    """One pool from one or more locales' lists, each with its frequencies.

    Lists with measured weights keep them; the others get Zipf weights over their rank
    (their own order if it is by frequency, else a fixed hash order), and several locales
    are interleaved by rank within their own list (their first names are all common).
    """
    present = [s for s in sources if s is not None and s.names]
    if not present:
        return EMPTY
    if len(present) == 1 and present[0].weights is not None:
        return weighted(list(zip(present[0].names, present[0].weights, strict=True)))
    ordered: list[list[str]] = []
    for src in present:
        names = list(dict.fromkeys(src.names))
        if src.weights is not None:
            w = dict(zip(src.names, src.weights, strict=True))
            names.sort(key=lambda n: -w[n])
        elif (src.locale, src.attr) not in RANKED_SOURCES:
            names = list(ranked(names, kind, ordered=False).names)
        ordered.append(names)
    merged = [lst[i] for i in range(max(map(len, ordered))) for lst in ordered if i < len(lst)]
    return ranked(merged, kind, ordered=True)


def _seed_pool(origin: Origin) -> NamePool:
    """A pool from ``paxwatch.synth.seeds`` (the origins Faker lacks)."""
    if origin.key == "vn":
        return vietnamese_pool()
    seed = SEEDS[origin.key]
    male = ranked(_with_tail(seed["male"], origin, "first_names_male"), "given", ordered=True)
    female = ranked(_with_tail(seed["female"], origin, "first_names_female"), "given", ordered=True)
    if seed["surname"]:
        family = ranked(_with_tail(seed["surname"], origin, "last_names"), "surname", ordered=True)
        return NamePool(male, female, family, family)
    # No inherited family names: the surname is the father's given name, as frequent as men's
    # given names are; a share of documents carry a tribal or regional family name.
    family_names = seed.get("family", ())
    fam = ranked(family_names, "surname", ordered=True) if family_names else EMPTY
    return NamePool(male, female, male, male, family=fam)


def _with_tail(names: tuple[str, ...], origin: Origin, attr: str) -> list[str]:
    """The seed list, then the names of ``origin.tail_locale`` (a shared vocabulary)."""
    if not origin.tail_locale:
        return list(names)
    src = _source(origin.tail_locale, attr)
    return [*names, *(src.names if src else ())]


def vietnamese_pool() -> NamePool:
    """Vietnamese: measured family-name shares, gendered middle names, ranked given names."""
    rare = zipf_weights(len(VN_FAMILY_RARE), SURNAME_EXPONENT, len(VN_FAMILY_RARE), SURNAME_OFFSET)
    family = weighted(
        [
            *VN_FAMILY,
            *((n, VN_FAMILY_RARE_SHARE * w) for n, w in zip(VN_FAMILY_RARE, rare, strict=True)),
        ]
    )
    return NamePool(
        ranked(VN_MALE, "given", ordered=True),
        ranked(VN_FEMALE, "given", ordered=True),
        family,
        family,
        middle_male=ranked(VN_MIDDLE_MALE, "given", ordered=True),
        middle_female=ranked(VN_MIDDLE_FEMALE, "given", ordered=True),
    )


@lru_cache(maxsize=64)
def name_pool(origin_key: str) -> NamePool:
    """The origin's name lists (from Faker's locale tables or the documented seeds)."""
    origin = ORIGIN_BY_KEY[origin_key]
    if not origin.locales:
        return _seed_pool(origin)
    locs = origin.locales
    male = _merge([_source(x, "first_names_male", "first_names") for x in locs], "given")
    female = _merge([_source(x, "first_names_female", "first_names") for x in locs], "given")
    m_src = [_source(x, "last_names_male", "male_last_names", "last_names") for x in locs]
    f_src = [_source(x, "last_names_female", "last_names") for x in locs]
    sur = _merge(m_src, "surname")
    sur_f = _merge(f_src, "surname") or sur
    if origin_key == "pl":
        src = _source("pl_PL", "unisex_last_names")
        assert src is not None
        sur = _merge([replace(src, names=src.names[:600])], "surname")
        sur_f = sur
    return NamePool(
        male,
        female,
        sur,
        sur_f,
        _merge([_source(x, "middle_names_male") for x in locs], "given"),
        _merge([_source(x, "middle_names_female") for x in locs], "given"),
    )

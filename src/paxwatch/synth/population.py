"""Who travels: name origins, name pools in each origin's script, and persons.

Name pools are read once from Faker's locale tables (``first_names_male``, ``last_names``…)
or, for origins Faker lacks, from ``paxwatch.synth.seeds``; drawing a name is then a list
index, not a Faker call. A ``Person`` keeps its name in its own script; ``booked_name`` and
``document_name`` romanise it with the person's booking scheme and the issuing country's
passport scheme (usually the same; not always, as in real traffic).
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from paxwatch.model.common import Gender
from paxwatch.synth.frequency import (
    EMPTY,
    SURNAME_EXPONENT,
    SURNAME_OFFSET,
    Names,
    ranked,
    weighted,
    zipf_weights,
)
from paxwatch.synth.names import romanise
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
class Origin:
    """Where a traveller's name comes from: nationality, script, name source, schemes.

    ``structure``: western (given + surname), two_surnames (Spanish), patronymic (Russian,
    Ukrainian: the patronymic may be booked as a given name), father (Tigrinya, Amharic:
    the surname is the father's given name), somali (father + grandfather), chinese
    (surname first, no space), vietnamese (family + middle + given).
    ``schemes``: romanisation schemes and weights; the first is the passport scheme.
    ``tail_locale``: a Faker locale whose names extend a seed table's tail (a shared
    vocabulary); ``family_share``: for father-name cultures, the share of documents whose
    surname is an inherited (tribal, regional) family name instead.
    """

    key: str
    label: str
    nationality: str
    country: str
    script: str
    locales: tuple[str, ...]
    schemes: tuple[tuple[str, float], ...]
    structure: str = "western"
    weight: float = 1.0
    homes: tuple[str, ...] = ()
    second_given: float = 0.1
    tail_locale: str = ""
    family_share: float = 0.0


ORIGINS: tuple[Origin, ...] = (
    Origin("fr", "French", "FRA", "FR", "Latn", ("fr_FR",), (("plain", 0.7), ("joined", 0.3)),
           weight=44.0, homes=("FR", "RE", "GP", "MQ", "GF"), second_given=0.25),
    Origin("gb", "British", "GBR", "GB", "Latn", ("en_GB",), (("plain", 1.0),), weight=6.0,
           homes=("GB",), second_given=0.3),
    Origin("es", "Spanish", "ESP", "ES", "Latn", ("es_ES",), (("plain", 1.0),), "two_surnames",
           4.0, ("ES",)),
    Origin("it", "Italian", "ITA", "IT", "Latn", ("it_IT",), (("plain", 1.0),), weight=4.0,
           homes=("IT",)),
    Origin("de", "German", "DEU", "DE", "Latn", ("de_DE",), (("umlaut", 0.6), ("plain", 0.4)),
           weight=4.5, homes=("DE", "AT", "CH")),
    Origin("pl", "Polish", "POL", "PL", "Latn", ("pl_PL",), (("plain", 1.0),), weight=1.5,
           homes=("PL",)),
    Origin("ru", "Russian", "RUS", "RU", "Cyrl", ("ru_RU",),
           (("icao", 0.5), ("bgn", 0.25), ("fr", 0.15), ("de", 0.1)), "patronymic", 1.0),
    Origin("ua", "Ukrainian", "UKR", "UA", "Cyrl", ("uk_UA",),
           (("ua", 0.6), ("icao", 0.25), ("bgn", 0.15)), "patronymic", 1.5),
    Origin("tr", "Turkish", "TUR", "TR", "Latn", ("tr_TR",), (("plain", 0.8), ("umlaut", 0.2)),
           weight=2.0, homes=("TR",)),
    Origin("dz", "Algerian (Arabic)", "DZA", "DZ", "Arab", ("ar_DZ",),
           (("fr", 0.7), ("en2", 0.15), ("icao", 0.15)), weight=3.5, homes=("DZ",)),
    Origin("ma", "Moroccan (Arabic)", "MAR", "MA", "Arab", ("ar_AA",),
           (("fr", 0.75), ("en2", 0.15), ("icao", 0.1)), weight=2.5, homes=("MA",)),
    Origin("tn", "Tunisian (Arabic)", "TUN", "TN", "Arab", ("ar_AA",),
           (("fr", 0.7), ("en2", 0.2), ("icao", 0.1)), weight=1.5, homes=("TN",)),
    Origin("eg", "Egyptian (Arabic)", "EGY", "EG", "Arab", ("ar_AA",),
           (("eg", 0.6), ("en2", 0.3), ("en", 0.1)), weight=0.8, homes=("EG",)),
    Origin("sa", "Saudi / Gulf (Arabic)", "SAU", "SA", "Arab", ("ar_SA",),
           (("gulf", 0.5), ("en", 0.3), ("en2", 0.2)), weight=0.8,
           homes=("SA", "AE", "QA", "KW", "BH", "OM")),
    Origin("jo", "Levantine (Arabic)", "JOR", "JO", "Arab", ("ar_PS",),
           (("en2", 0.4), ("en", 0.3), ("fr", 0.2), ("icao", 0.1)), weight=1.0,
           homes=("JO", "LB", "PS", "SY", "IL")),
    Origin("ir", "Iranian (Persian)", "IRN", "IR", "Arab", ("fa_IR",),
           (("fa", 0.7), ("en", 0.2), ("icao", 0.1)), weight=0.8, homes=("IR",)),
    Origin("af", "Afghan (Pashto/Dari)", "AFG", "AF", "Arab", (),
           (("fa", 0.6), ("en", 0.3), ("icao", 0.1)), weight=0.5, homes=("AF",),
           tail_locale="fa_IR"),
    Origin("ku", "Kurdish (Sorani)", "IRQ", "IQ", "Arab", (),
           (("en", 0.5), ("fa", 0.2), ("icao", 0.3)), "father", 0.4, ("IQ",),
           family_share=0.25),
    Origin("er", "Eritrean (Tigrinya)", "ERI", "ER", "Ethi", (), (("e", 0.6), ("a", 0.4)),
           "father", 0.4, ("ER",)),
    Origin("et", "Ethiopian (Amharic)", "ETH", "ET", "Ethi", (), (("e", 0.8), ("a", 0.2)),
           "father", 0.4, ("ET",)),
    Origin("so", "Somali", "SOM", "SO", "Latn", (), (("en", 0.6), ("plain", 0.4)), "somali",
           0.4, ("SO", "DJ")),
    Origin("cn", "Chinese", "CHN", "CN", "Hani", ("zh_CN",), (("joined", 0.8), ("spaced", 0.2)),
           "chinese", 2.0, ("CN", "HK", "TW", "SG")),
    Origin("in", "Indian (Hindi)", "IND", "IN", "Deva", ("hi_IN",),
           (("plain", 0.6), ("long", 0.25), ("s", 0.15)), weight=1.5, homes=("IN",)),
    Origin("vn", "Vietnamese", "VNM", "VN", "Latn", (), (("plain", 1.0),), "vietnamese",
           1.0, ("VN",)),
    Origin("ng", "Nigerian", "NGA", "NG", "Latn", ("yo_NG", "ig_NG", "ha_NG", "en_NG"),
           (("plain", 1.0),), weight=1.0, homes=("NG",)),
    Origin("us", "American", "USA", "US", "Latn", ("en_US",), (("plain", 1.0),), weight=4.5,
           homes=("US", "CA"), second_given=0.4),
)  # fmt: skip
ORIGIN_BY_KEY: dict[str, Origin] = {o.key: o for o in ORIGINS}

# Phone patterns per country (X = a digit): national mobile formats with country code.
PHONES: dict[str, str] = {
    "FR": "+33 6 XX XX XX XX", "GB": "+44 7XXX XXXXXX", "ES": "+34 6XX XXX XXX",
    "IT": "+39 3XX XXX XXXX", "DE": "+49 15X XXXXXXXX", "PL": "+48 5XX XXX XXX",
    "RU": "+7 9XX XXX-XX-XX", "UA": "+380 6X XXX XX XX", "TR": "+90 5XX XXX XX XX",
    "DZ": "+213 5XX XX XX XX", "MA": "+212 6XX-XXXXXX", "TN": "+216 2X XXX XXX",
    "EG": "+20 10 XXXX XXXX", "SA": "+966 5X XXX XXXX", "JO": "+962 7X XXX XXXX",
    "IR": "+98 912 XXX XXXX", "AF": "+93 7X XXX XXXX", "IQ": "+964 750 XXX XXXX",
    "ER": "+291 7 XXX XXX", "ET": "+251 9X XXX XXXX", "SO": "+252 61 XXX XXXX",
    "CN": "+86 13X XXXX XXXX", "IN": "+91 9XXXX XXXXX", "VN": "+84 9X XXX XX XX",
    "NG": "+234 80X XXX XXXX", "US": "+1 XXX XXX XXXX",
}  # fmt: skip
MAIL_DOMAINS: dict[str, tuple[str, ...]] = {
    "FR": ("orange.fr", "gmail.com", "free.fr", "yahoo.fr", "laposte.net"),
    "GB": ("gmail.com", "btinternet.com", "outlook.com"),
    "DE": ("web.de", "gmx.de", "gmail.com"), "RU": ("mail.ru", "yandex.ru"),
    "UA": ("ukr.net", "gmail.com"), "CN": ("qq.com", "163.com"),
    "IN": ("gmail.com", "rediffmail.com"),
    "DZ": ("gmail.com", "yahoo.fr"), "MA": ("gmail.com", "menara.ma"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Person:
    """A traveller's identity: names in their own script, birth, document.

    ``given`` and ``surname`` are tuples of name parts in the origin's script;
    ``patronymic`` is kept apart. ``scheme`` is how the person's bookings romanise the name;
    ``passport_scheme`` how the passport does.
    """

    pid: str
    origin: str
    gender: Gender
    given: tuple[str, ...]
    surname: tuple[str, ...]
    birth: date
    nationality: str
    scheme: str
    passport_scheme: str
    passport: str
    passport_expiry: date
    patronymic: str = ""
    book_patronymic: bool = False
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def script(self) -> str:
        return ORIGIN_BY_KEY[self.origin].script

    @property
    def native_name(self) -> str:
        """The full name as written in the person's own script and order."""
        o = ORIGIN_BY_KEY[self.origin]
        if o.structure == "chinese":
            return "".join(self.surname) + "".join(self.given)
        if o.structure == "vietnamese":
            return " ".join((*self.surname, *self.given))
        parts = [*self.given, self.patronymic] if self.patronymic else [*self.given]
        return " ".join((*parts, *self.surname))

    def romanised(self, scheme: str) -> tuple[str, str]:
        """(surname, given names) in upper-case ASCII under ``scheme``."""
        script = self.script
        sur = " ".join(romanise(s, script, scheme) for s in self.surname)
        givens = [romanise(g, script, scheme) for g in self.given]
        if ORIGIN_BY_KEY[self.origin].structure == "chinese":
            givens = [romanise("".join(self.given), script, scheme)]
        if self.book_patronymic and self.patronymic:
            givens.append(romanise(self.patronymic, script, scheme))
        return sur, " ".join(givens)

    def booked_name(self) -> tuple[str, str]:
        return self.romanised(self.scheme)

    def document_name(self) -> tuple[str, str]:
        sur, given = self.romanised(self.passport_scheme)
        if self.book_patronymic and self.patronymic:
            given = given.rsplit(" ", 1)[0]
        return sur, given

    def with_(self, **changes: object) -> Person:
        return replace(self, **changes)  # type: ignore[arg-type]


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
    fam = ranked(seed.get("family", ()), "surname", ordered=True) if seed.get("family") else EMPTY
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


def _digits(rng: random.Random, pattern: str) -> str:
    return "".join(str(rng.randrange(10)) if c == "X" else c for c in pattern)


def phone_for(country: str, rng: random.Random) -> str:
    """A mobile number in the country's national format (``+33 6 12 34 56 78``)."""
    return _digits(rng, PHONES.get(country, "+33 6 XX XX XX XX"))


def passport_number(nationality: str, rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    if nationality == "FRA":
        return f"{rng.randrange(100):02d}{rng.choice(letters)}{rng.choice(letters)}" + _digits(
            rng, "XXXXX"
        )
    if nationality in ("GBR", "USA", "ITA", "ESP"):
        return rng.choice(letters) + _digits(rng, "XXXXXXXX")
    return rng.choice(letters) + rng.choice(letters) + _digits(rng, "XXXXXXX")


def _age(rng: random.Random, kind: str) -> int:
    if kind == "infant":
        return rng.randrange(0, 2)
    if kind == "child":
        return rng.randrange(2, 12)
    return min(88, max(18, int(rng.gauss(42, 14))))


def draw_person(
    rng: random.Random,
    origin_key: str,
    pid: str,
    day: date,
    *,
    gender: Gender | None = None,
    kind: str = "adult",
    surname: tuple[str, ...] | None = None,
    scheme: str | None = None,
) -> Person:
    """A new person of ``origin_key``; ``surname`` forces a family name (families)."""
    origin = ORIGIN_BY_KEY[origin_key]
    pool = name_pool(origin_key)
    g = gender or (Gender.MALE if rng.random() < 0.52 else Gender.FEMALE)
    female = g == Gender.FEMALE
    firsts = pool.female if female else pool.male
    given = [firsts.draw(rng)]
    if rng.random() < origin.second_given:
        second = firsts.draw(rng)
        if second != given[0]:
            given.append(second)
    patronymic = ""
    st = origin.structure
    if surname is None:
        if st in ("father", "somali"):
            if pool.family and rng.random() < origin.family_share:
                sur: tuple[str, ...] = (pool.family.draw(rng),)
            else:
                sur = (pool.male.draw(rng),)
                if st == "somali" or rng.random() < 0.3:
                    sur = (*sur, pool.male.draw(rng))
        elif st == "two_surnames":
            sur = (pool.surnames.draw(rng), pool.surnames.draw(rng))
        else:
            sur = ((pool.surnames_female if female else pool.surnames).draw(rng),)
    else:
        sur = surname
    if st == "patronymic" and pool.patronymics_male:
        patronymic = (pool.patronymics_female if female else pool.patronymics_male).draw(rng)
    middle = pool.middle_female if female else pool.middle_male
    if st == "vietnamese" and middle:
        given = [middle.draw(rng), given[0]]
    age = _age(rng, kind)
    birth = day - timedelta(days=365 * age + rng.randrange(365))
    weights = [w for _, w in origin.schemes]
    names = [s for s, _ in origin.schemes]
    return Person(
        pid=pid,
        origin=origin_key,
        gender=g,
        given=tuple(given),
        surname=sur,
        birth=birth,
        nationality=origin.nationality,
        scheme=scheme or rng.choices(names, weights)[0],
        passport_scheme=names[0],
        passport=passport_number(origin.nationality, rng),
        passport_expiry=day + timedelta(days=rng.randrange(60, 3650)),
        patronymic=patronymic,
        book_patronymic=bool(patronymic) and rng.random() < 0.15,
    )

"""Who travels: persons, drawn from the name pools of their origin.

Origins are in ``paxwatch.synth.origins``, name pools and their frequencies in
``paxwatch.synth.pools``. A ``Person`` keeps its name in its own script; ``booked_name`` and
``document_name`` romanise it with the person's booking scheme and the issuing country's
passport scheme (usually the same; not always, as in real traffic).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from paxwatch.model.common import Gender
from paxwatch.synth.names import romanise
from paxwatch.synth.origins import ORIGIN_BY_KEY, ORIGINS, Origin
from paxwatch.synth.pools import NamePool, name_pool

__all__ = [
    "MAIL_DOMAINS",
    "ORIGINS",
    "ORIGIN_BY_KEY",
    "PHONES",
    "NamePool",
    "Origin",
    "Person",
    "draw_person",
    "name_pool",
    "passport_number",
    "phone_for",
]

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

"""The watch list and the persons planted from it: variants, decoys, networks, regulars.

``generate_watchlist`` builds listed persons from the same name pools as travellers (names
in their own script plus a Latin romanisation, partial dates of birth, passports).
``plan_specials`` decides, before any flight is generated, who travels on which flight:

- *plants*: listed persons travelling under a realistic variant of their listed identity,
  each labelled with its variant kinds (``VARIANT_KINDS``), some with a co-traveller;
- *decoys*: innocent travellers whose booked name equals or nearly equals a listed name,
  with their own date of birth and passport (drawn like any traveller's);
- *networks*: a facilitator's phone, card or address shared by bookings of otherwise
  unrelated travellers on several flights;
- *regulars*: business travellers from a pool fixed by the seed alone, so the same people
  (same names, documents, cards, frequent-flyer numbers) fly on several days.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from paxwatch.model.common import Gender
from paxwatch.model.watchlist import ListedDocument, ListedName, PartialDate, WatchlistEntry
from paxwatch.synth.config import SynthConfig
from paxwatch.synth.flightgen import typo
from paxwatch.synth.names import romanise
from paxwatch.synth.population import ORIGIN_BY_KEY, ORIGINS, Person, draw_person
from paxwatch.synth.specials import SpecialTraveller

VARIANT_KINDS: tuple[str, ...] = (
    "exact",
    "romanisation",
    "typo",
    "given_reordered",
    "given_dropped",
    "second_surname",
    "dob_missing",
    "dob_off_day",
    "dob_off_month",
    "dob_year_digit",
    "other_passport",
)


def listed_person(rng: random.Random, i: int, day: date) -> tuple[WatchlistEntry, Person]:
    """A generated list entry and the person behind it."""
    origin = rng.choice(ORIGINS).key
    person = draw_person(rng, origin, f"W{i:05d}", day)
    if rng.random() < 0.5 and len(person.given) == 1:  # listed persons often have two
        person = replace(
            person,
            given=(*person.given, draw_person(rng, origin, "", day, gender=person.gender).given[0]),
        )
    sur, given = person.document_name()
    names = [ListedName(full_name=f"{given} {sur}", surname=sur, given_names=given, script="Latn")]
    if person.script != "Latn":
        names.append(
            ListedName(
                full_name=person.native_name,
                surname=" ".join(person.surname),
                given_names=" ".join(person.given),
                script=person.script,
            )
        )
    r = rng.random()
    b = person.birth
    dob = (
        PartialDate.of(b)
        if r < 0.7
        else PartialDate(year=b.year, month=b.month)
        if r < 0.8
        else PartialDate(year=b.year)
    )
    docs = (
        (ListedDocument(type="P", number=person.passport, issuing_country=person.nationality),)
        if rng.random() < 0.5
        else ()
    )
    entry = WatchlistEntry(
        source="SYNTH",
        entry_id=f"SYN-{i:05d}",
        names=tuple(names),
        gender="M" if person.gender == Gender.MALE else "F",
        dates_of_birth=(dob,) if rng.random() < 0.95 else (),
        nationalities=(person.nationality,),
        documents=docs,
        listed_on=day - timedelta(days=rng.randrange(30, 3000)),
        reason=rng.choice(
            (
                "terrorism",
                "trafficking in human beings",
                "drugs",
                "fraud",
                "facilitation of unauthorised entry",
            )
        ),
    )
    return entry, person


def generate_watchlist(config: SynthConfig) -> list[tuple[WatchlistEntry, Person]]:
    rng = random.Random(f"{config.seed}|watchlist")
    return [listed_person(rng, i, config.day) for i in range(config.watchlist_size)]


def write_watchlist(entries: Iterable[WatchlistEntry], path: Path) -> None:
    from paxwatch.model.jsonable import to_jsonable

    with path.open("w", encoding="utf-8", newline="\n") as out:
        for e in entries:
            out.write(json.dumps(to_jsonable(e), ensure_ascii=False, sort_keys=False) + "\n")


def _partial(text: str) -> PartialDate:
    parts: list[int | None] = [int(p) for p in text.split("-") if p]
    parts += [None, None, None]
    return PartialDate(year=parts[0], month=parts[1], day=parts[2])


def read_watchlist(path: Path, day: date) -> list[tuple[WatchlistEntry, Person]]:
    """Entries of a ``watchlist.jsonl`` file, each with a Latin-script person to plant."""
    out: list[tuple[WatchlistEntry, Person]] = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        d = json.loads(line)
        names = tuple(ListedName(**n) for n in d.get("names", ()))
        entry = WatchlistEntry(
            source=d.get("source", "?"),
            entry_id=d.get("entry_id", str(i)),
            kind=d.get("kind", "person"),
            names=names,
            gender=d.get("gender"),
            dates_of_birth=tuple(_partial(x) for x in d.get("dates_of_birth", ())),
            nationalities=tuple(d.get("nationalities", ())),
            documents=tuple(ListedDocument(**x) for x in d.get("documents", ())),
        )
        latin = next((n for n in names if (n.script or "Latn") == "Latn"), None)
        if entry.kind != "person" or latin is None:
            continue
        dob = entry.dates_of_birth[0] if entry.dates_of_birth else PartialDate()
        birth = date(dob.year or 1980, dob.month or 1, dob.day or 1)
        sur = latin.surname or latin.full_name.split(" ")[-1]
        given = latin.given_names or " ".join(latin.full_name.split(" ")[:-1])
        nat = entry.nationalities[0] if entry.nationalities else "FRA"
        person = Person(
            pid=f"W{i:05d}",
            origin="fr",
            gender=Gender.FEMALE if entry.gender == "F" else Gender.MALE,
            given=tuple(given.upper().split()) or ("X",),
            surname=(sur.upper(),),
            birth=birth,
            nationality=nat,
            scheme="plain",
            passport_scheme="plain",
            passport=entry.documents[0].number if entry.documents else f"X{i:07d}",
            passport_expiry=day + timedelta(days=900),
        )
        out.append((entry, person))
    return out


def _variant(
    kinds: tuple[str, ...], person: Person, rng: random.Random, day: date, entry: WatchlistEntry
) -> SpecialTraveller:
    sur, given = person.document_name()
    birth: date | None = None
    no_birth = False
    passport: str | None = None
    done: list[str] = []
    for kind in kinds:
        if kind == "romanisation":
            others = [
                s for s, _ in ORIGIN_BY_KEY[person.origin].schemes if s != person.passport_scheme
            ]
            alt = [s for s in others if person.romanised(s) != (sur, given)]
            if not alt:
                kind = "typo"
            else:
                sur, given = person.romanised(rng.choice(alt))
        if kind == "typo":
            if rng.random() < 0.5:
                sur = typo(sur, rng)
            else:
                given = typo(given, rng)
        elif kind == "given_reordered" and len(given.split()) >= 2:
            parts = given.split()
            given = " ".join(parts[1:] + parts[:1])
        elif kind == "given_dropped" and len(given.split()) >= 2:
            given = given.split()[0] if rng.random() < 0.6 else " ".join(given.split()[1:])
        elif kind in ("given_reordered", "given_dropped"):
            kind = "given_dropped"
            given = given[0]  # initial only
        elif kind == "second_surname":
            extra = draw_person(rng, person.origin, "", day).surname[0]
            sur = f"{sur} {romanise(extra, person.script, person.passport_scheme)}"
        elif kind == "dob_missing":
            no_birth = True
        elif kind == "dob_off_day":
            birth = person.birth + timedelta(days=rng.choice((-1, 1)))
        elif kind == "dob_off_month":
            birth = _shift_month(person.birth, rng.choice((-1, 1)))
        elif kind == "dob_year_digit":
            birth = _year_digit(person.birth, rng, day)
        elif kind == "other_passport":
            passport = "Y" + "".join(str(rng.randrange(10)) for _ in range(8))
        done.append(kind)
    return SpecialTraveller(
        person=person,
        role="plant",
        labels=tuple(done),
        surname=sur,
        given=given,
        birth=birth,
        no_birth=no_birth,
        passport=passport,
        entry_id=entry.entry_id,
    )


def _shift_month(d: date, delta: int) -> date:
    m = d.month - 1 + delta
    y, m = d.year + m // 12, m % 12 + 1
    return date(y, m, min(d.day, 28))


def _year_digit(d: date, rng: random.Random, today: date) -> date:
    """``d`` with exactly one digit of its year mistyped (1991 -> 1981, 1997, 1951...): a
    digit of the decade or the year, so that the year stays plausible (a traveller of 0 to 95
    years on ``today``: a two-digit year of a DOCS reads back unambiguously)."""
    text = f"{d.year:04d}"
    years = [
        int(text[:i] + digit + text[i + 1 :])
        for i in (2, 3)
        for digit in "0123456789"
        if digit != text[i]
    ]
    plausible = [y for y in years if today.year - 95 <= y <= today.year]
    return date(rng.choice(plausible or years), d.month, min(d.day, 28))

"""Learn the usual gender of given names from the name vocabularies of Faker's locales.

    python -m paxwatch.screening.learn_gender [-o path/to/given_gender.json]

Faker's person providers carry, per locale (the census and registry names of one naming
culture, 86 locales), ``first_names_male`` and ``first_names_female``. A token is *usually
male* when the locales listing it as a man's given name outnumber those listing it as a
woman's by ``RATIO`` to one or more (BRUNO 23 / 0, MOHAMED 11 / 1), *usually female* the
other way round (BRUNHILDE 0 / 1, MARIA 3 / 43); a token listed both ways more evenly (JEAN
15 / 6, ALEX 25 / 5, ANDREA 2 / 24 is female) has no usual gender. The screener uses it for
one thing only (``score.name_gender_feature``): two *different* given names aligned with
each other whose usual genders differ are two names, not one name written two ways
(BRUNHILDE / BRUNO). The output (``data/given_gender.json``) lists each token with its two
counts, one a line: review the diff before committing it (``ALGORITHM_VERSION``-relevant).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import pkgutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import faker.providers.person

from paxwatch.screening.gender_names import GENDER_DATA_FILE
from paxwatch.screening.names import normalise

log = logging.getLogger(__name__)
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "data" / GENDER_DATA_FILE
RATIO = 10
"""Locales listing a token as one gender's given name, per locale listing it as the other's,
for the token to have that usual gender."""


def locale_given_names() -> tuple[Counter[str], Counter[str], int]:
    """Per normalised token, the locales listing it among men's and among women's given
    names; and the number of locales read."""
    male: Counter[str] = Counter()
    female: Counter[str] = Counter()
    read = 0
    for module in pkgutil.iter_modules(faker.providers.person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        found = False
        for attribute, counter in (("first_names_male", male), ("first_names_female", female)):
            names = getattr(provider, attribute, None)
            if isinstance(names, tuple | list | dict):
                tokens: set[str] = set()
                for name in names:
                    tokens.update(normalise(str(name)).split())
                counter.update(tokens)
                found = True
        read += found
    return male, female, read


def usual_genders(male: Counter[str], female: Counter[str]) -> dict[str, list[object]]:
    """Tokens with a usual gender: ``token -> ["M" or "F", locales male, locales female]``
    (one-letter tokens left out: an initial is no name)."""
    out: dict[str, list[object]] = {}
    for token in sorted(set(male) | set(female)):
        m, f = male[token], female[token]
        if len(token) < 2:
            continue
        if m >= RATIO * f and m > 0:
            out[token] = ["M", m, f]
        elif f >= RATIO * m and f > 0:
            out[token] = ["F", m, f]
    return out


def dumps(meta: dict[str, object], genders: dict[str, list[object]]) -> str:
    """The JSON of ``data/given_gender.json``: one token a line (a reviewable diff)."""
    lines = [f"  {json.dumps(t)}: {json.dumps(e)}" for t, e in genders.items()]
    head = json.dumps({"meta": meta}, indent=1, ensure_ascii=True)[:-2]
    return head + ',\n "usual": {\n' + ",\n".join(lines) + "\n }\n}\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    male, female, read = locale_given_names()
    genders = usual_genders(male, female)
    meta = {"locales": read, "faker": faker.VERSION, "ratio": RATIO}
    args.output.write_text(dumps(meta, genders))
    log.info("%s: %d given names with a usual gender", args.output, len(genders))


if __name__ == "__main__":
    main()

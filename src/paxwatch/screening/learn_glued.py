"""Learn which tokens that begin with a glued particle are names of their own.

    python -m paxwatch.screening.learn_glued ../shared/data/watchlists [-o path/to/glued.json]

``names._strip_glued`` cuts a particle glued to the front of a token (ALZAWAHIRI ->
ZAWAHIRI, ALHASSAN -> HASSAN), and so cut Western names too (ALBERT -> BERT, DENISE -> NISE,
ULLRICH -> LRICH). The evidence of which is which:

* the name vocabularies of Faker's locales (the census and registry names Faker ships, one
  set per naming culture, 86 locales): a token is a name of its own when **more locales carry
  it than carry its rest** after the cut (ALBERT 30 locales, BERT 4; DENISE 19, NISE 1;
  HASSAN 8, ALHASSAN 0: cut; ALBERTA 3, BERTA 10: cut, as before). A token no vocabulary
  knows is cut as before (ALZAWAHIRI, ALQAHTANI);
* the real lists, where the glued particles are Arabic articles and kunyas: a token is
  **not** whole when the listed names carry its rest more often than the token (ABUBAKR 0,
  BAKR 28, written ABU BAKR), nor when a listed person is written both ways (ABUBAKAR and
  ABU BAKAR among the names of one entry): the particle is a particle there, and keeping
  the glued spelling whole would separate two writings of one person.

The output (``data/glued.json``) lists each whole name with its evidence (locales carrying
it, locales carrying the rest). Review the diff before committing it: it changes the tokens
of names, on both sides (``ALGORITHM_VERSION``-relevant).
"""

from __future__ import annotations

import importlib
import json
import logging
import pkgutil
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import faker.providers.person

from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.screening.learn import learn_arguments, list_files, real_entries
from paxwatch.screening.names import GLUED_DATA_FILE, glued_rest, normalise, split_tokens

log = logging.getLogger(__name__)
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "data" / GLUED_DATA_FILE
NAME_ATTRIBUTES = (
    "first_names",
    "first_names_male",
    "first_names_female",
    "last_names",
    "last_names_male",
    "last_names_female",
)
"""The class attributes of a Faker person provider holding names (tuples or weighted dicts;
some locales compute them in properties, which are skipped)."""


def locale_vocabularies() -> dict[str, frozenset[str]]:
    """Per Faker locale, the normalised name tokens of its person provider."""
    out: dict[str, frozenset[str]] = {}
    for module in pkgutil.iter_modules(faker.providers.person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        tokens: set[str] = set()
        for attribute in NAME_ATTRIBUTES:
            names = getattr(provider, attribute, None)
            if isinstance(names, tuple | list | dict):
                for name in names:
                    tokens.update(normalise(str(name)).split())
        if tokens:
            out[module.name] = frozenset(tokens)
    return out


@dataclass(frozen=True, slots=True)
class ListEvidence:
    """What the lists say of glued tokens (tokens as written, glued particles left on)."""

    names: Counter[str]
    """Per token, the listed names carrying it."""
    both_ways: frozenset[str]
    """Glued tokens whose rest is a token of another name of the same listed person."""

    @classmethod
    def of(cls, entries: Iterable[WatchlistEntry]) -> ListEvidence:
        names: Counter[str] = Counter()
        both: set[str] = set()
        for entry in entries:
            tokens: set[str] = set()
            for name in entry.names:
                written = set(split_tokens(normalise(name.full_name), cut_glued=False))
                names.update(written)
                tokens |= written
            both.update(t for t in tokens if (rest := glued_rest(t)) != t and rest in tokens)
        return cls(names, frozenset(both))

    def particle(self, token: str, rest: str) -> bool:
        """The lists write ``rest`` alone more often than ``token``, or one person both ways."""
        return self.names[rest] > self.names[token] or token in self.both_ways


def learn_whole_names(
    vocabularies: dict[str, frozenset[str]], lists: ListEvidence
) -> dict[str, list[int]]:
    """Whole names and their evidence ``[locales carrying it, locales carrying the rest]``."""
    locales: Counter[str] = Counter(t for tokens in vocabularies.values() for t in tokens)
    whole: dict[str, list[int]] = {}
    for token, n in sorted(locales.items()):
        rest = glued_rest(token)
        if rest != token and n > locales[rest] and not lists.particle(token, rest):
            whole[token] = [n, locales[rest]]
    return whole


def main(argv: Sequence[str] | None = None) -> None:
    args = learn_arguments(argv, __doc__, DEFAULT_OUTPUT)
    vocabularies = locale_vocabularies()
    lists = ListEvidence.of(real_entries(args.folder))
    whole = learn_whole_names(vocabularies, lists)
    meta = {
        "locales": len(vocabularies),
        "faker": faker.VERSION,
        "lists": list_files(args.folder),
        "written_both_ways": sorted(lists.both_ways),
    }
    args.output.write_text(dumps(meta, whole))
    log.info("%s: %d whole names", args.output, len(whole))


def dumps(meta: dict[str, object], whole: dict[str, list[int]]) -> str:
    """The JSON of ``data/glued.json``: one whole name a line (a reviewable diff)."""
    lines = [f" {json.dumps(t)}: {json.dumps(e)}" for t, e in whole.items()]
    head = json.dumps({"meta": meta}, indent=1, ensure_ascii=True)[:-2]
    return head + ',\n "whole": {\n' + ",\n".join(" " + line for line in lines) + "\n }\n}\n"


if __name__ == "__main__":
    main()

"""The mypyc-compiled screening modules give what their Python sources give.

The normal install compiles ``paxwatch.screening.COMPILED_MODULES`` (the name comparison,
``namesim``; the name preparation, ``names``, ``particles``, ``equivalences``; the candidate
keys, ``index``; the date-of-birth and context sums, ``context``; the name statistics and
their culture walk, ``rarity``, ``culture``, ``commonness``); the rest of the
suite then runs against the compiled code. Here one process with the compiled modules and
one with ``PAXWATCH_PURE_PYTHON=1`` run the same script and must print the same lines:

- the name comparison: golden spellings of one person (scripts, particles, glued,
  reordered, dropped and mistyped names) crossed with each other, and 3,000 pairs drawn
  from a fixed seed out of their tokens -- every score, every aligned pair and every bound
  the same float;
- each other module on its own (``PIPELINE``): every prepared name, its look-up, typo and
  initial keys, the date-of-birth outcomes and context sums of drawn dates against drawn
  entries, the name statistics' shares, culture walks (one and three steps) and
  commonness of drawn alignments, the learned patterns and a table learned from the golden
  names (``equivalences.learn``); and a screener over the golden
  names screening drawn travellers with ``all_scores`` (every candidate's ``Match`` and
  explanation).

A module cannot be imported twice, compiled and not, in one interpreter: hence the
processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import paxwatch.screening
from paxwatch.screening import COMPILED_MODULES
from tests.formats.test_compiled import setup_compiled_modules

# fmt: off
GOLDEN = [
    "Abdelrahman Al-Hashimi", "ABDEL RAHMAN HASHIMI", "Абдель Рахман аль-Хашими",
    "عبد الرحمن الهاشمي", "Mohammed bin Salman", "MUHAMMAD IBN SALMAN AL SAUD",
    "Van der Berg, Jan", "JAN VANDERBERG", "Mao Zedong", "MAO ZE DONG", "毛泽东",
    "Nguyen Van Duc", "DUC NGUYEN", "Ali Mohammad Reza Karimi", "KARIMI ALI",
    "Osama bin Laden", "USAMA BIN LADIN", "Ousama Ben Laden", "Ahmad Shah Massoud",
    "AHMED SHA MASUD", "Ioannis Papadopoulos", "Ιωάννης Παπαδόπουλος", "Tadesse Abebe",
    "ታደሰ አበበ", "Jose Maria de la Cruz", "JOSEMARIA CRUZ", "Brunhilde Vaillant",
    "Bruno Vaillant", "Millet", "Maillot", "Abu Bakr al-Baghdadi", "ABUBAKR BAGHDADI",
    "H Aoulad Bououziz", "Hassan Aoulad", "Xuan Bui", "Y Qu", "Mhmd Hmydy",
]
# fmt: on
"""Golden spellings of a few persons: scripts, particles, glued, reordered, dropped and
mistyped names."""

SCRIPT = r"""
import random
from paxwatch.screening import namesim
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.names import prepare_name

golden = GOLDEN
cfg = ScreeningConfig()
names = [prepare_name(text) for text in golden]
tokens = sorted({t for n in names for t in n.tokens})
rng = random.Random(20261128)
pairs = [(a, b) for a in names for b in names]
for _ in range(3000):
    a = prepare_name(" ".join(rng.sample(tokens, rng.randint(1, 4))))
    b = prepare_name(" ".join(rng.sample(tokens, rng.randint(1, 4))))
    pairs.append((a, b))
print("compiled" if not namesim.__file__.endswith(".py") else "sources", len(pairs))
sim = namesim.TokenSimilarity(cfg)
for a, b in pairs:
    print(repr(namesim.name_similarity(a, b, cfg)))
    print(repr(namesim.name_similarity(a, b, cfg, sim, need=0.7)))
    print(repr(namesim.similarity_bound(len(a.tokens), len(b.tokens), cfg)))
"""


PIPELINE = r"""
import importlib
import random
from array import array
from datetime import date
from paxwatch.model.watchlist import ListedDocument, ListedName, PartialDate, WatchlistEntry
from paxwatch.screening import COMPILED_MODULES, commonness, context, features, index, names
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.equivalences import (
    align_tokens, cv_pattern, default_equivalences, learn,
)
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject, SubjectDocument

kinds = {
    m: importlib.import_module(f"paxwatch.screening.{m}").__file__.endswith(".py")
    for m in COMPILED_MODULES
}
print("sources" if all(kinds.values()) else "compiled" if not any(kinds.values()) else kinds)
rng = random.Random(20261128)
cfg = ScreeningConfig()
eq = default_equivalences()
texts = GOLDEN + [
    "Mr Omar al-Bashir", "SHEIKH ABDULLAH AZZAM", "Y Qu", "Lmsry Bdlkhlq", "BD ALLAH",
    "Jean-Luc Picard", "O'Brien Sean", "José María Aznar", "Zhang Wei 张伟", "  ", "123",
]
prepared = [names.prepare_name(t) for t in texts]
tokens = sorted({t for n in prepared for t in n.tokens})
for _ in range(300):
    texts.append(" ".join(rng.sample(tokens, rng.randint(1, 5))))
for text in texts:
    name = names.prepare_name(text)
    print(repr(name), repr(names.fresh_name(text, eq)), names.name_key(text))
    print(names.split_tokens(names.normalise(text), cut_glued=False))
    print([names.glued_rest(t) for t in name.tokens], [names.metaphone(t) for t in name.tokens])
    print([cv_pattern(t, eq.letters, eq.silent) for t in name.tokens])
    print(index.name_keys(name, 6), sorted(index.typo_keys(name, 6)))
    print(sorted(index.initial_keys(name, 6)), index.traveller_initial_keys(name, 6))
print(align_tokens(tokens[:40], tokens[20:60], 0.8))
learned = learn([[n.spellings for n in prepared[i : i + 3]] for i in range(0, len(prepared), 2)])
print(learned.to_json())

def draw_date() -> PartialDate:
    y = rng.choice([1949, 1950, 1951, 1970, 1975, 1980, 1999, 2000])
    return PartialDate(
        year=y, month=rng.choice([None, 1, 3, 6, 12]), day=rng.choice([None, 1, 14, 26, 31])
    ) if rng.random() < 0.5 else PartialDate(year=y)

entries = [
    WatchlistEntry(
        source=rng.choice(["UN", "OFAC"]),
        entry_id=f"E{i}",
        names=tuple(ListedName(full_name=t, kind="alias") for t in rng.sample(GOLDEN, 2)),
        dates_of_birth=tuple(draw_date() for _ in range(rng.randint(0, 2))),
        nationalities=tuple(rng.sample(["FRA", "IRQ", "SYR", "DEU"], rng.randint(0, 2))),
        gender=rng.choice([None, "M", "F"]),
        documents=(ListedDocument(number=f"X{i:07d}", issuing_country="FRA"),) if i % 5 else (),
    )
    for i in range(60)
]
contexts = [context.entry_context(e) for e in entries]
subjects = [
    Subject(
        names=(rng.choice(texts),),
        date_of_birth=rng.choice([None, date(1975, 3, 14), date(1950, 12, 26), date(1980, 1, 1),
                                  date(1951, 6, 19), date(1999, 12, 31), date(1970, 5, 1)]),
        gender=rng.choice([None, "M", "F"]),
        nationality=rng.choice([None, "FRA", "IRQ"]),
        documents=(SubjectDocument(number=f"X{rng.randrange(60):07d}"),) if rng.random() < 0.2
        else (),
    )
    for _ in range(400)
]
for s in subjects[:100]:
    dob = s.date_of_birth
    for e, ctx in zip(entries, contexts):
        listed = context.single_full_date(e)
        print(repr(ctx), listed, context.dob_outcome(dob, ctx), context.context_sum(s, e, ctx, cfg))
        if dob and listed:
            print(context.may_agree(listed, dob.year, dob.month, dob.day))
        print(features.dob_agreement(dob, e.dates_of_birth),
              features.nationality_agreement(s.nationality, e.nationalities))
name_entry = array("I", [i // 2 for i in range(2 * len(entries))])
listed_dates = array("I", [context.single_full_date(e) for e in entries])
for s in subjects[:200]:
    found = set(rng.sample(range(len(name_entry)), rng.randint(0, 30)))
    by_entry = {rng.randrange(len(entries)): {0}} if rng.random() < 0.3 else {}
    context.admit(found, name_entry, listed_dates, contexts, by_entry, s.date_of_birth)
    print(sorted((k, sorted(v)) for k, v in by_entry.items()))
population = [" ".join(rng.sample(tokens, rng.randint(2, 3))) for _ in range(2000)]
freq = NameFrequencies.count(population, source="drawn")
print(repr(cfg), repr(cfg.for_list(100_000)))
for _ in range(300):
    aligned = [(x, y, rng.choice([1.0, 0.97, 0.92, 0.88])) for x, y in
               zip(rng.sample(tokens, 3), rng.sample(tokens, 3))][: rng.randint(1, 3)]
    print(freq.chance(aligned, cfg, eq))
    a, b = rng.sample(tokens, 2)
    exclude = frozenset(rng.sample(tokens, 2))
    print(freq.given(b, a, exclude, cfg.culture_prior, 3), freq.given(b, a, exclude, 0.0, 2))
    for dob in ("unknown", "exact", "year", "mismatch"):
        print(commonness.commonness(aligned, freq, cfg, eq, dob=dob, listed_tokens=3),
              commonness.commonness_floor(aligned, freq, cfg, eq, dob=dob, listed_tokens=3))
screener = Screener(entries, frequencies=freq)
for s in subjects:
    matches = screener.screen(s, all_scores=True)
    print(repr(matches), repr(screener.screen(s)))
    print([m.explain() for m in matches])
"""


def compare_all(pure: bool, script: str = SCRIPT) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PAXWATCH_PURE_PYTHON", None)
    if pure:
        env["PAXWATCH_PURE_PYTHON"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", f"GOLDEN = {GOLDEN!r}\n{script}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()


@pytest.mark.skipif(
    not paxwatch.screening.COMPILED,
    reason="the name comparison is not compiled here (or older than its source): "
    "pip install -e . compiles it",
)
def test_compiled_name_comparison_gives_what_the_source_gives() -> None:
    compiled = compare_all(pure=False)
    sources = compare_all(pure=True)
    assert compiled[0].split()[0] == "compiled"
    assert sources[0].split()[0] == "sources"
    assert int(compiled[0].split()[1]) > 3000
    assert len(compiled) == len(sources)
    for i, (a, b) in enumerate(zip(compiled[1:], sources[1:], strict=True)):
        assert a == b, f"pair {i // 3}: compiled and source name comparison differ"


@pytest.mark.skipif(
    not paxwatch.screening.COMPILED,
    reason="the screening modules are not compiled here (or older than their sources): "
    "pip install -e . compiles them",
)
def test_compiled_screening_modules_give_what_their_sources_give() -> None:
    compiled = compare_all(pure=False, script=PIPELINE)
    sources = compare_all(pure=True, script=PIPELINE)
    assert compiled[0] == "compiled"  # every module of COMPILED_MODULES, not some
    assert sources[0] == "sources"
    assert len(compiled) > 15_000
    assert len(compiled) == len(sources)
    for i, (a, b) in enumerate(zip(compiled[1:], sources[1:], strict=True)):
        assert a == b, f"line {i + 1}: compiled and source modules differ:\n{a}\n{b}"


def test_pure_python_environment_imports_the_sources() -> None:
    code = (
        "import importlib, paxwatch.screening as s; "
        "print(s.COMPILED, *(importlib.import_module(f'paxwatch.screening.{m}')"
        ".__file__.endswith('.py') for m in s.COMPILED_MODULES))"
    )
    env = {**os.environ, "PAXWATCH_PURE_PYTHON": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.stdout.split() == ["False"] + ["True"] * len(COMPILED_MODULES), done.stderr


def test_the_compiled_modules_are_listed_once_exist_and_are_built_by_setup() -> None:
    here = Path(paxwatch.screening.__file__).parent
    assert len(set(COMPILED_MODULES)) == len(COMPILED_MODULES)
    assert all((here / f"{name}.py").is_file() for name in COMPILED_MODULES)
    assert setup_compiled_modules("screening") == list(COMPILED_MODULES)

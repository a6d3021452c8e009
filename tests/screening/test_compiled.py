"""The mypyc-compiled name comparison gives what its Python source gives.

The normal install compiles ``paxwatch.screening.COMPILED_MODULES`` (the name comparison,
``namesim``); the rest of the suite then runs against the compiled code. Here one process
with the compiled module and one with ``PAXWATCH_PURE_PYTHON=1`` compare the same pairs of
names -- golden spellings of one person (scripts, particles, glued, reordered, dropped and
mistyped names) crossed with each other, and 3,000 pairs drawn from a fixed seed out of
their tokens -- and every score, every aligned pair and every bound must be the same float.
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

SCRIPT = r"""
import random
from paxwatch.screening import namesim
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.names import prepare_name

golden = [
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


def compare_all(pure: bool) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PAXWATCH_PURE_PYTHON", None)
    if pure:
        env["PAXWATCH_PURE_PYTHON"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=False
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


def test_pure_python_environment_imports_the_source() -> None:
    code = (
        "import paxwatch.screening, paxwatch.screening.namesim as n; "
        "print(paxwatch.screening.COMPILED, n.__file__.endswith('.py'))"
    )
    env = {**os.environ, "PAXWATCH_PURE_PYTHON": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.stdout.split() == ["False", "True"], done.stderr


def test_the_compiled_modules_are_listed_once_exist_and_are_built_by_setup() -> None:
    here = Path(paxwatch.screening.__file__).parent
    assert len(set(COMPILED_MODULES)) == len(COMPILED_MODULES)
    assert all((here / f"{name}.py").is_file() for name in COMPILED_MODULES)
    assert setup_compiled_modules("screening") == list(COMPILED_MODULES)

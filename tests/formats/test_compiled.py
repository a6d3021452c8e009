"""The mypyc-compiled reading modules read what their Python sources read.

The normal install compiles the EDIFACT readers (``paxwatch.formats.COMPILED_MODULES``); the
rest of the suite then runs against the compiled code. Here the same inputs -- every real
sample, 400 mutations of them and 200 strings of random bytes and EDIFACT-like noise, drawn
from a fixed seed -- are read by two processes, one with the compiled modules and one with
``PAXWATCH_PURE_PYTHON=1`` (sources only), and every result (tokens, findings, the typed
model) must be the same. Compiled modules run in their own process: a module cannot be
imported twice, compiled and not, in one interpreter.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import paxwatch.formats
from paxwatch.formats import COMPILED_MODULES

SCRIPT = r"""
import random, sys
from pathlib import Path
import paxwatch.formats
if sys.argv[2] == "sources-with-c":  # the reading modules from source, the C parts in use
    from paxwatch.compiled import SourceFinder
    sys.meta_path.insert(0, SourceFinder("paxwatch.formats", Path(paxwatch.formats.__file__).parent,
                                         paxwatch.formats.COMPILED_MODULES))
from paxwatch.formats.edifact import tokenize
from paxwatch.formats.pnrgov import PROFILE
from paxwatch.formats.reader import read_message

folder = Path(sys.argv[1])
real = [p.read_bytes() for p in sorted(folder.glob("*/*")) if p.suffix != ".md"]
rng = random.Random(20261127)
chunks = [b"'", b"+", b":", b"?", b"\n", b"\r\n", b" ", b"\xe2\x80\x99", b"\xc3\xa9", b"\xff",
          b"UNZ+1'", b"tif+", b"X", b"?'", b"''", b"UNA:+.? '"]
inputs = list(real)
for _ in range(400):
    data = bytearray(rng.choice(real))
    for _ in range(rng.randint(1, 8)):
        at, chunk = rng.randint(0, len(data)), rng.choice(chunks)
        action = rng.choice(["insert", "delete", "replace"])
        if action == "insert":
            data[at:at] = chunk
        elif action == "delete":
            del data[at : at + rng.randint(1, 20)]
        else:
            data[at : at + len(chunk)] = chunk
    inputs.append(bytes(data))
alphabet = "UNABZHTIFSR+:'?* \r\n\u2019\u00e9ABC019.-"
for _ in range(100):
    inputs.append(bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 600))))
    noise = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 600)))
    inputs.append(("UNB+IATA:1'UNH+1+PNRGOV:13:1:IA'" + noise).encode())
from paxwatch.formats import edifact_segment, edifact_regular
from paxwatch.model import fast
compiled = not edifact_segment.__file__.endswith(".py")
print("compiled" if compiled else "sources", len(inputs), edifact_regular.ACCELERATED,
      fast.ACCELERATED)
for data in inputs:
    tokens = tokenize(data, PROFILE)
    segments = [(s.tag, s.elements, s.index, s.text, s.line) for s in tokens.segments]
    print(repr((segments, tokens.findings, tokens.chars)))
    print(repr(read_message(data)))
"""


def read_all(samples: Path, pure: bool, mode: str = "as-built") -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PAXWATCH_PURE_PYTHON", None)
    if pure:
        env["PAXWATCH_PURE_PYTHON"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(samples), mode],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()


@pytest.mark.shared_data
@pytest.mark.skipif(
    not paxwatch.formats.COMPILED,
    reason="the reading modules are not compiled here (or older than their sources): "
    "pip install -e . compiles them",
)
def test_compiled_readers_give_what_the_sources_give(shared_data: Path) -> None:
    samples = shared_data / "samples" / "gtas"
    compiled = read_all(samples, pure=False)
    sources = read_all(samples, pure=True)
    assert compiled[0].split()[0] == "compiled"
    assert sources[0].split()[0] == "sources"
    assert int(compiled[0].split()[1]) > 600
    assert len(compiled) == len(sources)
    for i, (a, b) in enumerate(zip(compiled[1:], sources[1:], strict=True)):
        assert a == b, f"input {i // 2}: compiled and source readers differ"


@pytest.mark.shared_data
@pytest.mark.skipif(
    not paxwatch.formats.COMPILED,
    reason="the reading modules are not compiled here (or older than their sources)",
)
def test_sources_with_the_c_parts_give_what_pure_python_gives(shared_data: Path) -> None:
    # What runs where the compiled modules are stale or not built (PAXWATCH_NO_MYPYC) but the
    # C extensions are: the C loop fills the slots of the Python Segment and replaces its
    # ``get`` and ``element``; the model is built by the C constructor.
    samples = shared_data / "samples" / "gtas"
    mixed = read_all(samples, pure=False, mode="sources-with-c")
    sources = read_all(samples, pure=True)
    assert mixed[0].split()[0] == "sources" and mixed[0].split()[2:] == ["True", "True"]
    assert sources[0].split()[2:] == ["False", "False"]
    assert len(mixed) == len(sources)
    for i, (a, b) in enumerate(zip(mixed[1:], sources[1:], strict=True)):
        assert a == b, f"input {i // 2}: the C parts and pure Python differ"


def test_pure_python_environment_imports_the_sources() -> None:
    code = (
        "import paxwatch.formats, paxwatch.formats.pnrgov as p; "
        "print(paxwatch.formats.COMPILED, p.__file__.endswith('.py'))"
    )
    env = {**os.environ, "PAXWATCH_PURE_PYTHON": "1"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout.split() == ["False", "True"], done.stderr


def setup_compiled_modules(package: str) -> list[str]:
    """What setup.py compiles of ``paxwatch.<package>``: its ``compiled_modules``, run here
    alone, without building anything."""
    setup_py = Path(paxwatch.formats.__file__).parent.parent.parent.parent / "setup.py"
    tree = ast.parse(setup_py.read_text(encoding="utf-8"))
    keep = [
        n
        for n in tree.body
        if (isinstance(n, ast.FunctionDef) and n.name == "compiled_modules")
        or (isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "COMPILED_PACKAGES")
    ]
    namespace: dict[str, Any] = {"ast": ast, "Path": Path, "HERE": setup_py.parent}
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(setup_py), "exec"), namespace)
    assert package in namespace["COMPILED_PACKAGES"]
    return list(namespace["compiled_modules"](package))


def test_the_compiled_modules_are_listed_once_and_exist() -> None:
    here = Path(paxwatch.formats.__file__).parent
    assert len(set(COMPILED_MODULES)) == len(COMPILED_MODULES)
    assert all((here / f"{name}.py").is_file() for name in COMPILED_MODULES)
    # setup.py compiles this very list: it reads it from paxwatch/formats/__init__.py.
    assert setup_compiled_modules("formats") == list(COMPILED_MODULES)

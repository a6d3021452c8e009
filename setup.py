"""Compiled parts of paxwatch (everything else about the package is in pyproject.toml).

1. ``paxwatch.formats._edifact_fast``: the C twin of the EDIFACT tokenizer's regular-segment
   loop (``paxwatch/formats/edifact_regular.py`` is its pure-Python reference).
2. The EDIFACT reading modules (``COMPILED_MODULES`` of ``paxwatch.formats``) and the hot
   path of screening (``COMPILED_MODULES`` of ``paxwatch.screening``: name comparison, name
   preparation and keys, context features, name statistics), compiled with mypyc as black
   is.
3. ``paxwatch.model._construct``: a C constructor for the model's dataclasses
   (``paxwatch/model/fast.py`` is its pure-Python reference).

Both are optional at run time: without them (or with ``PAXWATCH_PURE_PYTHON=1`` in the
environment) the package runs its pure-Python sources, which give the same results. The
normal install builds them; it needs gcc and the Python headers. ``PAXWATCH_NO_MYPYC=1`` at
install time builds only the C extension.
"""

import ast
import os
from pathlib import Path

from setuptools import Extension, setup

HERE = Path(__file__).resolve().parent


#: The packages with modules compiled by mypyc (each lists them in ``COMPILED_MODULES``).
COMPILED_PACKAGES = ("formats", "screening")


def compiled_modules(package: str) -> list[str]:
    """The modules of ``paxwatch.<package>`` compiled by mypyc: ``COMPILED_MODULES`` of its
    ``__init__.py`` (read, not imported: the package is not built yet). The model
    (paxwatch.model) stays pure Python (with its C constructor, ``model._construct``)."""
    init = HERE / "src/paxwatch" / package / "__init__.py"
    tree = ast.parse(init.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "COMPILED_MODULES" for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    raise SystemExit(f"COMPILED_MODULES not found in {init}")


ext_modules = [
    Extension(
        "paxwatch.formats._edifact_fast",
        sources=[
            "src/paxwatch/formats/_edifact_fast.c",
            "src/paxwatch/formats/_edifact_elements.c",
            "src/paxwatch/formats/_edifact_pieces.c",
        ],
        depends=["src/paxwatch/formats/_edifact_fast.h"],
        extra_compile_args=["-O3"],
    ),
    Extension(
        "paxwatch.model._construct",
        sources=["src/paxwatch/model/_construct.c"],
        extra_compile_args=["-O3"],
    ),
]
if not os.environ.get("PAXWATCH_NO_MYPYC"):
    from mypyc.build import mypycify

    ext_modules += mypycify(
        [
            f"src/paxwatch/{package}/{name}.py"
            for package in COMPILED_PACKAGES
            for name in compiled_modules(package)
        ],
        opt_level="3",
    )

setup(ext_modules=ext_modules)

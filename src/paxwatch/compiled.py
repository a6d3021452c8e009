"""Modules the install compiles with mypyc, and the choice between them and their sources.

A package whose hot modules are compiled (``paxwatch.formats``: the EDIFACT readers;
``paxwatch.screening``: its hot path) lists them in ``COMPILED_MODULES`` (``setup.py``
reads that tuple and compiles those files) and calls ``choose`` once, in its ``__init__``.
The Python sources stay the reference and give the same results; they are what gets
imported instead of a package's compiled modules when

- ``PAXWATCH_PURE_PYTHON=1`` is in the environment, or
- one of them is missing or older than its source (a source edited, or checked out, after
  the install): compiled modules of a package call each other directly, so then *all* of
  that package's are read from source. Re-installing compiles them again.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec
from importlib.util import spec_from_file_location
from pathlib import Path
from types import ModuleType


def built(folder: Path, name: str) -> Path | None:
    """The compiled form of module ``name`` in ``folder``, if the install built it."""
    for suffix in EXTENSION_SUFFIXES:
        path = folder / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def compiled_state(folder: Path, modules: Sequence[str]) -> tuple[bool, bool]:
    """(whether any of ``modules`` is compiled, whether all are and are up to date)."""
    any_built = False
    current = True
    for name in modules:
        path = built(folder, name)
        if path is None:
            current = False
            continue
        any_built = True
        source = folder / f"{name}.py"
        if source.exists() and source.stat().st_mtime > path.stat().st_mtime:
            current = False
    return any_built, current


class SourceFinder(MetaPathFinder):
    """Imports a package's compiled modules from their ``.py`` sources instead."""

    def __init__(self, package: str, folder: Path, modules: Sequence[str]) -> None:
        self.package = package
        self.folder = folder
        self.modules = frozenset(modules)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package == self.package and name in self.modules:
            return spec_from_file_location(fullname, self.folder / f"{name}.py")
        return None


def choose(package: str, folder: Path, modules: Sequence[str]) -> bool:
    """Whether ``package`` runs its compiled modules; if not (and any was built), a
    ``SourceFinder`` is installed so that their sources are imported."""
    any_built, current = compiled_state(folder, modules)
    if not any_built:
        return False  # nothing compiled: the sources are imported anyway
    if current and not os.environ.get("PAXWATCH_PURE_PYTHON"):
        return True
    if not any(isinstance(f, SourceFinder) and f.package == package for f in sys.meta_path):
        sys.meta_path.insert(0, SourceFinder(package, folder, modules))
    return False

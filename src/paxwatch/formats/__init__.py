"""Readers and writers of PNRGOV (EDIFACT and XML) and PAXLST messages.

The normal install (``pip install -e .``, see ``setup.py``) compiles the EDIFACT reading
modules (``COMPILED_MODULES``) with mypyc and builds the C tokenizer loop
(``_edifact_fast``). The Python sources stay the reference and give the same results.

They are what gets imported instead of the compiled modules when
- ``PAXWATCH_PURE_PYTHON=1`` is in the environment, or
- a compiled module is missing or older than its source (a source edited, or checked out,
  after the install): compiled modules call each other directly, so then *all* of them are
  read from source, and ``COMPILED`` is False. Re-installing compiles them again.

``COMPILED`` says whether the compiled modules are in use.
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

# setup.py compiles these (it reads this tuple).
COMPILED_MODULES = (
    "edifact_segment",
    "edifact",
    "edifact_repair",
    "edifact_regular",
    "values",
    "people",
    "reader",
    "pnrgov",
    "pnrgov_groups",
    "pnrgov_booking",
    "pnrgov_builders",
    "pnrgov_leg_builders",
    "pnrgov_traveller_builders",
    "pnrgov_elements",
    "pnrgov_traveller",
    "pnrgov_itinerary",
    "pnrgov_history",
    "paxlst",
    "paxlst_message",
    "paxlst_flights",
    "paxlst_parts",
    "paxlst_state",
    "paxlst_travellers",
)

_HERE = Path(__file__).resolve().parent


def _built(name: str) -> Path | None:
    for suffix in EXTENSION_SUFFIXES:
        path = _HERE / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def _compiled_state() -> tuple[bool, bool]:
    """(whether any compiled module is there, whether all are there and up to date)."""
    any_built = False
    current = True
    for name in COMPILED_MODULES:
        built = _built(name)
        if built is None:
            current = False
            continue
        any_built = True
        source = _HERE / f"{name}.py"
        if source.exists() and source.stat().st_mtime > built.stat().st_mtime:
            current = False
    return any_built, current


class _SourceFinder(MetaPathFinder):
    """Imports the reading modules from their ``.py`` sources, not their compiled form."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package == __name__ and name in COMPILED_MODULES:
            return spec_from_file_location(fullname, _HERE / f"{name}.py")
        return None


def _choose() -> bool:
    any_built, current = _compiled_state()
    if not any_built:
        return False  # nothing compiled: the sources are imported anyway
    if current and not os.environ.get("PAXWATCH_PURE_PYTHON"):
        return True
    if not any(isinstance(f, _SourceFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFinder())
    return False


COMPILED = _choose()

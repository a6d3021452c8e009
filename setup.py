"""Compiled parts of paxwatch (everything else about the package is in pyproject.toml).

1. ``paxwatch.formats._edifact_fast``: the C twin of the EDIFACT tokenizer's regular-segment
   loop (``paxwatch/formats/edifact_regular.py`` is its pure-Python reference).
2. The EDIFACT reading modules (``READING_MODULES``), compiled with mypyc as black is.

Both are optional at run time: without them (or with ``PAXWATCH_PURE_PYTHON=1`` in the
environment) the package runs its pure-Python sources, which give the same results. The
normal install builds them; it needs gcc and the Python headers. ``PAXWATCH_NO_MYPYC=1`` at
install time builds only the C extension.
"""

import os

from setuptools import Extension, setup

# The modules that read PNRGOV and PAXLST EDIFACT, compiled by mypyc. The model
# (paxwatch.model) and ``edifact_segment`` (whose slots the C loop fills) stay pure Python.
# Kept in step with paxwatch/formats/compiled.py (COMPILED_MODULES).
READING_MODULES = [
    "edifact",
    "edifact_repair",
    "edifact_regular",
    "values",
    "people",
    "reader",
    "pnrgov",
    "pnrgov_groups",
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
]

ext_modules = [
    Extension(
        "paxwatch.formats._edifact_fast",
        sources=["src/paxwatch/formats/_edifact_fast.c"],
        extra_compile_args=["-O2"],
    )
]
if not os.environ.get("PAXWATCH_NO_MYPYC"):
    from mypyc.build import mypycify

    ext_modules += mypycify(
        [f"src/paxwatch/formats/{name}.py" for name in READING_MODULES],
        opt_level="3",
    )

setup(ext_modules=ext_modules)

"""Watch-list screening: names in any script, explainable scores, list importers.

The normal install compiles the hot path of screening (``COMPILED_MODULES``) with mypyc,
as it does the EDIFACT readers: the name comparison (every candidate of a traveller goes
through it), the preparation of a traveller's name and its look-up keys (every traveller),
the context features, and the name statistics with their culture walk (every hit's
``common_name`` feature). The Python sources stay the reference and give the same results
(``paxwatch.compiled`` says when they are imported instead;
``tests/screening/test_compiled.py`` compares the two).
"""

from __future__ import annotations

from pathlib import Path

from paxwatch.compiled import choose

# setup.py compiles these (it reads this tuple). Only modules no interpreted class inherits
# from: ``culture.CultureWalk`` is the base of ``rarity.NameFrequencies``, so both are
# compiled or neither; ``screen.Screener`` is subclassed (tests) and ``subject``/``score``
# travel between the processes of a pool (pickled): they stay interpreted.
COMPILED_MODULES = (
    "namesim",
    "names",
    "particles",
    "equivalences",
    "index",
    "context",
    "culture",
    "rarity",
    "commonness",
)

COMPILED = choose(__name__, Path(__file__).resolve().parent, COMPILED_MODULES)
"""Whether the compiled modules are in use (``paxwatch.compiled``)."""

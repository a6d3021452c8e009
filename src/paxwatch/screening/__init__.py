"""Watch-list screening: names in any script, explainable scores, list importers.

The normal install compiles the name comparison (``COMPILED_MODULES``) with mypyc, as it
does the EDIFACT readers: every alias variant and every candidate of a traveller goes
through it. The Python source stays the reference and gives the same results
(``paxwatch.compiled`` says when it is imported instead; ``tests/screening/test_compiled.py``
compares the two).
"""

from __future__ import annotations

from pathlib import Path

from paxwatch.compiled import choose

# setup.py compiles these (it reads this tuple). Only modules no interpreted class inherits
# from (``culture.CultureWalk`` is a mixin of ``rarity``'s class: neither can be compiled).
COMPILED_MODULES = ("namesim",)

COMPILED = choose(__name__, Path(__file__).resolve().parent, COMPILED_MODULES)
"""Whether the compiled name comparison is in use (``paxwatch.compiled``)."""

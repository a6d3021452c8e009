"""Readers and writers of PNRGOV (EDIFACT and XML) and PAXLST messages.

The normal install (``pip install -e .``, see ``setup.py``) compiles the EDIFACT reading
modules (``COMPILED_MODULES``) with mypyc and builds the C tokenizer loop
(``_edifact_fast``). The Python sources stay the reference and give the same results; when
they are imported instead (``PAXWATCH_PURE_PYTHON=1``, or a compiled module missing or older
than its source) is said in ``paxwatch.compiled``.

``COMPILED`` says whether the compiled modules are in use.
"""

from __future__ import annotations

from pathlib import Path

from paxwatch.compiled import choose

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

COMPILED = choose(__name__, _HERE, COMPILED_MODULES)
"""Whether the compiled reading modules are in use (``paxwatch.compiled``)."""

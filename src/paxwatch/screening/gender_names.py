"""The usual gender of given names (learned data, ``learn_gender``), and what it tells.

Used for one question: are two different tokens aligned with each other one given name
written two ways, or two given names? BRUNHILDE and BRUNO share four letters (Jaro-Winkler
0.85, a third of a token's credit) but one is a woman's name in the vocabularies that list
it, the other a man's in 23: two names. Nothing is inferred about a person: the genders
compared are those of the two *names*, as census vocabularies list them.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

GENDER_DATA_FILE = "given_gender.json"


@lru_cache(maxsize=1)
def usual_genders() -> dict[str, str]:
    """``token -> "M" | "F"`` for the given names with a usual gender (empty if the data
    file is missing)."""
    try:
        text = resources.files("paxwatch.screening").joinpath("data", GENDER_DATA_FILE).read_text()
    except (FileNotFoundError, OSError):
        return {}
    return {str(t): str(v[0]) for t, v in json.loads(text).get("usual", {}).items()}


def usual_gender(token: str) -> str | None:
    """``"M"`` or ``"F"`` when ``token`` is usually a man's or a woman's given name, else
    ``None`` (unknown, both, or not a given name)."""
    return usual_genders().get(token)


def opposite_names(x: str, y: str) -> tuple[str, str] | None:
    """The usual genders of ``x`` and ``y`` when they are different tokens, each usually a
    given name of one gender, and the genders differ; else ``None``."""
    if x == y:
        return None
    gx, gy = usual_gender(x), usual_gender(y)
    if gx is None or gy is None or gx == gy:
        return None
    return gx, gy

"""The writing system of a name (ISO 15924 code), for ``ListedName.script``."""

from __future__ import annotations

import unicodedata
from collections import Counter

_PREFIXES: tuple[tuple[str, str], ...] = (
    ("LATIN", "Latn"),
    ("ARABIC", "Arab"),
    ("CYRILLIC", "Cyrl"),
    ("GREEK", "Grek"),
    ("CJK", "Hani"),
    ("HANGUL", "Hang"),
    ("HEBREW", "Hebr"),
    ("ETHIOPIC", "Ethi"),
    ("DEVANAGARI", "Deva"),
    ("THAI", "Thai"),
    ("GEORGIAN", "Geor"),
    ("ARMENIAN", "Armn"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
)


def script_of(text: str) -> str | None:
    """The most frequent script among the letters of ``text`` (None without letters)."""
    counts: Counter[str] = Counter()
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        for prefix, code in _PREFIXES:
            if name.startswith(prefix):
                counts[code] += 1
                break
        else:
            counts["Zyyy"] += 1
    return counts.most_common(1)[0][0] if counts else None

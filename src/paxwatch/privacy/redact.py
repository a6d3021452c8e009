"""The archived copy of a raw message, redacted: what minimisation deleted, and every
sensitive code or term standing as a word, blanked in place (offsets kept)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from paxwatch.privacy.minimise import MinimiseConfig, load_config, words_regex


def _bytes_words_regex(words: Iterable[str]) -> re.Pattern[bytes] | None:
    regex = words_regex(words)
    if regex is None:
        return None
    return re.compile(regex.pattern.encode("utf-8"), re.IGNORECASE)


@lru_cache(maxsize=8)
def _scrub_regexes(
    config: MinimiseConfig,
) -> tuple[re.Pattern[bytes] | None, re.Pattern[bytes] | None]:
    terms = [t for ts in config.sensitive_terms.values() for t in ts]
    return _bytes_words_regex(config.all_sensitive_codes), _bytes_words_regex(terms)


#: ``data.translate(_TOKENS).split()`` is ``re.findall(rb"[A-Za-z0-9]+", data.upper())``
#: (ASCII letters upper-cased, every other byte a separator), without a regex or a copy.
_TOKENS = bytes(
    (c & 0xDF if 97 <= c <= 122 else c) if chr(c).isascii() and chr(c).isalnum() else 32
    for c in range(256)
)


def _first_words(words: Iterable[str]) -> frozenset[bytes]:
    return frozenset(w.split()[0].upper().encode("utf-8") for w in words if w.strip())


@lru_cache(maxsize=8)
def _scrub_plan(
    config: MinimiseConfig,
) -> tuple[tuple[frozenset[bytes], re.Pattern[bytes]], ...]:
    """(first words, regex) of the codes and of the terms.

    A code or term can only match where its first word stands as a whole token (the regex
    requires no letter or digit around it, and words are separated by spaces), so a message
    none of whose tokens is such a first word is left alone without running the regex.
    """
    terms = [t for ts in config.sensitive_terms.values() for t in ts]
    codes_re, terms_re = _scrub_regexes(config)
    plan = []
    if codes_re is not None:
        plan.append((_first_words(config.all_sensitive_codes), codes_re))
    if terms_re is not None:
        plan.append((_first_words(terms), terms_re))
    return tuple(plan)


_NAME_SEGMENT = re.compile(rb"\s*(?:TIF|NAD|SSR\+DOC[SAO])\b", re.IGNORECASE)


def _in_name_segment(data: bytes, position: int) -> bool:
    """Whether ``position`` lies in an EDIFACT segment that carries names (TIF, NAD, DOCS)."""
    start = max(data.rfind(b"'", 0, position), data.rfind(b"\n", 0, position)) + 1
    return _NAME_SEGMENT.match(data, start) is not None


def _scrub(regex: re.Pattern[bytes], data: bytes) -> tuple[bytes, int]:
    count = 0

    def blank(match: re.Match[bytes]) -> bytes:
        nonlocal count
        if _in_name_segment(data, match.start()):
            return match.group(0)
        count += 1
        return b"X" * len(match.group(0))

    return regex.sub(blank, data), count


def redact_raw(
    data: bytes, texts: Iterable[str] = (), config: MinimiseConfig | None = None
) -> tuple[bytes, int]:
    """Blank deleted and sensitive data in the archived copy of a raw message.

    Returns the copy and the number of spans blanked. Every deleted text (``texts``, from
    ``minimise_message``) found verbatim is overwritten with ``X`` of the same length, so
    segment structure and offsets are kept. Then every sensitive SSR code and every
    sensitive term standing as a word is blanked wherever it is, read or not (a part of the
    message the reader could not read may hold it), except inside the segments that carry
    names (TIF, NAD, SSR DOCS/DOCA/DOCO): names are never filtered.
    """
    config = config or load_config()
    out = data
    count = 0
    for text in sorted(set(texts), key=len, reverse=True):
        needle = text.strip().encode("utf-8", errors="surrogateescape")
        if len(needle) < 3:
            continue
        found = out.count(needle)
        if found:
            out = out.replace(needle, b"X" * len(needle))
            count += found
    plan = _scrub_plan(config)
    if plan:
        tokens = out.translate(_TOKENS).split()
        for first_words, regex in plan:
            if first_words.isdisjoint(tokens):
                continue
            out, n = _scrub(regex, out)
            if n:
                count += n
                tokens = out.translate(_TOKENS).split()
    return out, count

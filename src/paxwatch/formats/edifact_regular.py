"""The tokenizer's loop over regular segments, and its C twin.

Almost every segment of real traffic is regular: no line break, no leading blank, a tag
already seen to be valid (and not UNZ), no released character, no more elements than the
message profile allows. ``run_regular`` reads such pieces (segment texts split on the
terminator) from ``start`` and stops at the first irregular one, which the tokenizer then
reads with its repairs and findings (``edifact._split_segments``).

When the C extension ``paxwatch.formats._edifact_fast`` is built (the normal install builds
it), ``run_regular`` is its ``run``, which does exactly what ``run_regular_py`` below does
(tests check both on arbitrary input). Without it, or with ``PAXWATCH_PURE_PYTHON=1`` in the
environment, ``run_regular_py`` is used. ``ACCELERATED`` says which one is in use.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from paxwatch.formats.edifact_segment import Lines, Segment, new_segment


def run_regular_py(
    pieces: list[str],
    start: int,
    stop: int,
    segments: list[Segment],
    index: int,
    valid: set[str],
    limits: Mapping[str, int],
    elem_sep: str,
    comp_sep: str,
    escaped: bool,
    lines: Lines,
) -> tuple[int, int]:
    """Read the regular pieces ``pieces[start:stop]`` into ``segments``.

    Returns ``(piece_no, index)``: the first piece not read (``stop`` when all were) and the
    index of the last segment appended. Empty pieces are skipped.
    """
    piece_no = start
    while piece_no < stop:
        raw = pieces[piece_no]
        if not raw:
            piece_no += 1
            continue
        if "\n" in raw or "\r" in raw or raw[0] in " \t" or (escaped and not raw.isascii()):
            break
        tag, has_elements, rest = raw.partition(elem_sep)
        if tag not in valid or tag == "UNZ":
            break
        elements = [p.split(comp_sep) for p in rest.split(elem_sep)] if has_elements else []
        if len(elements) > limits.get(tag, 99):
            break
        index += 1
        segments.append(Segment(tag, elements, index, raw, piece_no, lines))
        piece_no += 1
    return piece_no, index


RunRegular = Callable[
    [list[str], int, int, list[Segment], int, set[str], Mapping[str, int], str, str, bool, Lines],
    tuple[int, int],
]


def _load() -> tuple[RunRegular, bool]:
    if os.environ.get("PAXWATCH_PURE_PYTHON"):
        return run_regular_py, False
    try:
        from paxwatch.formats import _edifact_fast  # type: ignore[attr-defined]

        _edifact_fast.configure(Segment, new_segment)
    except (ImportError, TypeError, AttributeError):
        return run_regular_py, False  # not built (or Segment compiled): pure Python
    run: RunRegular = _edifact_fast.run
    return run, True


run_regular, ACCELERATED = _load()

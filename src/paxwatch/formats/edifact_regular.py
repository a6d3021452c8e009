"""The tokenizer's loop over regular segments, and its C twin.

Almost every segment of real traffic is regular: no line break (leading blanks are
removed, and a piece of blanks only is skipped, as the tokenizer does), a tag
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
        if "\n" in raw or "\r" in raw or (escaped and not raw.isascii()):
            break
        if raw[0] in " \t":
            raw = raw.lstrip(" \t")  # a blank after the terminator
            if not raw:
                piece_no += 1
                continue
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


def split_pieces_py(body: str, term: str) -> tuple[list[str], bytes, bool]:
    """Split ``body`` on the terminator, removing the usual layout (one segment per line):
    (pieces, how many characters each piece lost, whether line breaks remain in them).

    A piece (other than the first) loses the line break it starts with -- one CR LF, then one
    LF, then one CR, which is what replacing terminator + CR LF, then terminator + LF, then
    terminator + CR by the terminator in the text would do (``tests/formats/test_edifact.py``
    checks that). No terminator is added or removed. The lost counts (``Lines`` finds the
    pieces in the text with them) are empty when no piece lost anything.
    """
    pieces = body.split(term)
    breaks = body.count("\n") + body.count("\r")
    if not breaks or term in "\r\n":
        return pieces, b"", breaks > 0
    removed = 0
    cuts = bytearray(len(pieces))
    for k in range(1, len(pieces)):
        piece = pieces[k]
        if not piece:
            continue
        first = piece[0]
        if first != "\r" and first != "\n":
            continue
        size = len(piece)
        cut = 2 if first == "\r" and size > 1 and piece[1] == "\n" else 0
        if cut < size and piece[cut] == "\n":
            cut += 1
        if cut < size and piece[cut] == "\r":
            cut += 1
        if cut:
            pieces[k] = piece[cut:]
            cuts[k] = cut
            removed += cut
    return pieces, bytes(cuts) if removed else b"", breaks > removed


RunRegular = Callable[
    [list[str], int, int, list[Segment], int, set[str], Mapping[str, int], str, str, bool, Lines],
    tuple[int, int],
]


SplitPieces = Callable[[str, str], tuple[list[str], bytes, bool]]


def _load() -> tuple[RunRegular, SplitPieces, bool]:
    if os.environ.get("PAXWATCH_PURE_PYTHON"):
        return run_regular_py, split_pieces_py, False
    try:
        from paxwatch.formats import _edifact_fast  # type: ignore[attr-defined]

        _edifact_fast.configure(Segment, new_segment)
    except (ImportError, TypeError, AttributeError):
        return run_regular_py, split_pieces_py, False  # not built: pure Python
    run: RunRegular = _edifact_fast.run
    split: SplitPieces = _edifact_fast.split_pieces
    return run, split, True


run_regular, split_pieces, ACCELERATED = _load()

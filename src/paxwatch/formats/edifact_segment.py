"""The segment of the EDIFACT tokenizer (``edifact.tokenize``) and its service characters.

``Segment`` is what readers dispatch on: a tag, data elements (lists of components), and
where the segment was (index, line). The normal install compiles this module with mypyc
(``COMPILED_MODULES``): the readers then read a segment's attributes and call ``get`` as
native code, and the C twin of the tokenizer's regular-segment loop (``edifact_regular``)
calls the class. Run from source, its attributes are plain slots: the C loop fills them
directly, and replaces ``get`` and ``element`` (what readers call most) by C methods.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ServiceChars:
    """The six service characters of an interchange (UNA)."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    repetition: str = "*"
    terminator: str = "'"


DEFAULT_CHARS = ServiceChars()


class Lines:
    """Line numbers of segments, computed only when somebody asks (a finding).

    ``text`` is the text split on the terminator, ``pieces`` its pieces after the layout
    removal and ``cuts`` how many characters each lost then (``split_pieces_py``; empty when
    none lost any). The line of piece ``k`` is the number of line breaks before it, plus
    those leading it as sent; its offset in ``text`` is the sum of the lengths, terminators
    and cuts of the pieces before it.
    """

    __slots__ = ("base", "count", "cuts", "nl", "pieces", "term_is_nl", "term_len", "text")

    def __init__(
        self,
        pieces: list[str],
        base: int,
        nl: str,
        text: str = "",
        term: str = "'",
        cuts: bytes = b"",
    ):
        self.pieces = pieces
        self.count = len(pieces)  # (the tokenizer may append a piece)
        self.base = base
        self.nl = nl
        self.text = text
        self.term_len = len(term)
        self.term_is_nl = term == nl
        self.cuts = cuts

    def line_of(self, piece_no: int) -> int:
        pieces = self.pieces
        if not self.text or self.term_is_nl:
            return self.base  # line breaks that are terminators are not counted
        if piece_no >= self.count:
            return self.base + self.text.count(self.nl)
        offset = piece_no * self.term_len
        for k in range(piece_no):  # (a plain loop: compiled, it is native)
            offset += len(pieces[k])
        length = len(pieces[piece_no])
        cuts = self.cuts
        if cuts:
            offset += sum(cuts[:piece_no])
            length += cuts[piece_no]
        raw = self.text[offset : offset + length]
        lead = len(raw) - len(raw.lstrip(" \t\r\n"))
        return self.base + self.text.count(self.nl, 0, offset + lead)


NO_LINES = Lines([], 1, "\n")


class Segment:
    """One segment: its tag, its data elements (each a list of components), and where it was.

    ``index`` is the 1-based position in the interchange, ``line`` the 1-based line of the
    raw text where it starts (computed on first use), ``text`` the segment as read (after
    layout repairs).
    """

    __slots__ = ("_lines", "_pos", "elements", "index", "tag", "text")

    def __init__(
        self,
        tag: str,
        elements: list[list[str]],
        index: int,
        text: str,
        pos: int = 0,
        lines: Lines = NO_LINES,
    ):
        self.tag = tag
        self.elements = elements
        self.index = index
        self.text = text
        self._pos = pos
        self._lines = lines

    @property
    def line(self) -> int:
        return self._lines.line_of(self._pos)

    def get(self, element: int, component: int = 0) -> str:
        """Component ``component`` of element ``element`` (both 0-based), or ``""``."""
        elements = self.elements
        if element < len(elements):
            comps = elements[element]
            if component < len(comps):
                return comps[component]
        return ""

    def element(self, element: int) -> list[str]:
        """All components of element ``element`` (0-based), or an empty list."""
        return self.elements[element] if element < len(self.elements) else []

    def repeats(self, element: int, chars: ServiceChars = DEFAULT_CHARS) -> list[list[str]]:
        """Element ``element`` split on the repetition separator, then on components."""
        comps = self.element(element)
        joined = chars.component.join(comps)
        return [part.split(chars.component) for part in joined.split(chars.repetition)]

    def __repr__(self) -> str:
        return f"Segment({self.index}:{self.text!r})"


def new_segment(
    tag: str, elements: list[list[str]], index: int, text: str, pos: int, lines: Lines
) -> Segment:
    """``Segment(...)``, for the C loop: compiled, a function is cheaper to call from C than
    the class (whose ``__init__`` takes its arguments as a tuple)."""
    return Segment(tag, elements, index, text, pos, lines)


# The methods as defined here. Where this module runs from source and the C loop is built,
# ``_edifact_fast.configure`` replaces ``get`` and ``element`` by C twins, which tests compare
# to these. (Compiled by mypyc, the normal install, the methods are native already.)
PYTHON_GET = Segment.get
PYTHON_ELEMENT = Segment.element

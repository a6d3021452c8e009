"""EDIFACT tokenizer that reads real traffic, not just the standard.

``tokenize(data)`` turns the bytes of an interchange into ``Segment`` objects and a list of
``Finding``. It never raises on bad input. It honours the UNA service string advice (and
works without it), the release character, and repairs the layouts listed in
``docs/formats.md`` (the repairs themselves are in ``edifact_repair``): lines wrapped at a
fixed width, CR/LF variants, spaces after terminators, typographic apostrophes (U+2019)
used as terminators, text after UNZ, and segments run together because a terminator is
missing (when the caller gives the maximum number of elements per tag, see ``Profile``).

Repetition separators are recognised in the UNA and their escapes are removed, but data
elements are not split on them: no PNRGOV or PAXLST element we read is repeated, and
several carriers put the repetition character (``*``, or a space) in free text.
``Segment.repeats`` splits one element on demand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from paxwatch.formats.edifact_regular import run_regular, split_pieces, split_pieces_py
from paxwatch.formats.edifact_repair import (
    after_unz,
    bad_tag,
    cut_tail,
    merge_broken,
    unglue,
    unterminated_tail,
)
from paxwatch.formats.edifact_segment import DEFAULT_CHARS, Lines, Segment, ServiceChars
from paxwatch.model.common import Finding, Severity

__all__ = [
    "DEFAULT_CHARS",
    "Profile",
    "Segment",
    "ServiceChars",
    "Tokens",
    "count_check",
    "decode",
    "tokenize",
]

_TAG = re.compile(r"[A-Z][A-Z0-9]{2}\Z")
# Tags already seen to be well formed: a set lookup instead of a regex per segment.
_VALID_TAGS: set[str] = set()
# Private-use code points stand in for released (escaped) service characters while the
# text is split; they are put back as the literal characters afterwards.
_PLACEHOLDER_BASE = 0xE000
_PLACEHOLDER_FIRST = chr(_PLACEHOLDER_BASE)
_NO_LIMITS: Mapping[str, int] = {}
# The escape tables of each set of service characters seen (a handful: the default and the
# few UNA variants carriers send), built once: compiling them cost more than hiding the
# released characters of a message. Bounded: cleared when an input invents too many.
_ESCAPES: dict[ServiceChars, _Escapes] = {}
_ESCAPES_MAX = 64


@dataclass(frozen=True, slots=True)
class Profile:
    """What the tokenizer may assume about a message type, to repair run-together segments.

    ``max_elements`` maps a tag to the most data elements it can have; a segment with more,
    one of whose elements ends with a tag in ``max_elements``, had its terminator lost and
    is split there.
    """

    max_elements: Mapping[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Tokens:
    """The result of tokenizing one input: segments, service characters, findings."""

    segments: list[Segment]
    chars: ServiceChars
    findings: list[Finding]
    una_present: bool


def decode(data: bytes | str, findings: list[Finding]) -> str:
    """Decode leniently: UTF-8, invalid bytes replaced by U+FFFD and reported."""
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        line = data.count(b"\n", 0, exc.start) + 1
        findings.append(
            Finding(
                severity=Severity.WARNING,
                code="encoding",
                message=(
                    f"{bad} byte(s) are not valid UTF-8 (first at byte {exc.start}, "
                    f"0x{data[exc.start]:02X}); replaced by U+FFFD. The raw bytes are "
                    "kept in the archive."
                ),
                line=line,
            )
        )
        return text


def _read_una(text: str, start: int) -> tuple[ServiceChars, int]:
    """Read the service string advice at ``start`` (text[start:start+3] == 'UNA')."""
    body = text[start + 3 : start + 9]
    # A 5-character UNA leaves out the repetition character: the sixth character is then
    # the start of UNB or a line break.
    if len(body) < 6 or body[5] in "\r\n" or text[start + 8 : start + 11] == "UNB":
        body5 = text[start + 3 : start + 8]
        if len(body5) == 5:
            return ServiceChars(body5[0], body5[1], body5[2], body5[3], "*", body5[4]), start + 8
    if len(body) == 6:
        return ServiceChars(body[0], body[1], body[2], body[3], body[4], body[5]), start + 9
    return DEFAULT_CHARS, start + 3 + len(body)


def _find_una(text: str) -> int:
    """Where the UNA starts, allowing a byte-order mark and leading whitespace."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:3].upper() == "UNA":
        return len(text) - len(stripped)
    return -1


class _Escapes:
    """Replaces released characters with placeholders and puts them back."""

    __slots__ = ("pattern", "restore_pairs", "to_placeholder")

    def __init__(self, chars: ServiceChars):
        specials = [
            chars.release,
            chars.terminator,
            chars.element,
            chars.component,
            chars.repetition,
        ]
        self.to_placeholder: dict[str, str] = {}
        # (placeholder, character) pairs: a few ``str.replace`` scans restore a text far
        # faster than ``str.translate`` with a mapping, which looks up every character.
        self.restore_pairs: list[tuple[str, str]] = []
        for i, ch in enumerate(dict.fromkeys(specials)):
            placeholder = chr(_PLACEHOLDER_BASE + i)
            self.to_placeholder[ch] = placeholder
            self.restore_pairs.append((placeholder, ch))
        self.pattern = re.compile(re.escape(chars.release) + r"(.)", re.DOTALL)

    def hide(self, text: str) -> str:
        table = self.to_placeholder

        def sub(m: re.Match[str]) -> str:
            ch = m.group(1)
            return table.get(ch, ch)

        return self.pattern.sub(sub, text)

    def restore(self, value: str) -> str:
        if value.isascii():
            return value  # (placeholders are not ASCII)
        for placeholder, ch in self.restore_pairs:
            if placeholder in value:
                value = value.replace(placeholder, ch)
        return value

    def split(self, text: str, elem_sep: str, comp_sep: str) -> tuple[str, list[list[str]], str]:
        """(tag, elements, text) of a segment holding placeholders, with them restored."""
        tag, has_elements, rest = text.partition(elem_sep)
        elements = [[self.restore(c) for c in p.split(comp_sep)] for p in rest.split(elem_sep)]
        return self.restore(tag), elements if has_elements else [], self.restore(text)


def tokenize(data: bytes | str, profile: Profile | None = None) -> Tokens:
    """Split an interchange into segments. Never raises; problems become findings."""
    findings: list[Finding] = []
    text = decode(data, findings)
    una_at = _find_una(text)
    if una_at >= 0:
        chars, body_start = _read_una(text, una_at)
        una_present = True
    else:
        chars, body_start = DEFAULT_CHARS, 0
        una_present = False
    head_lines = text.count("\n", 0, body_start)
    body = text[body_start:]
    term = chars.terminator
    if term == "'" and "\u2019" in body:
        n = body.count("\u2019")
        body = body.replace("\u2019", "'")
        findings.append(
            Finding(
                severity=Severity.WARNING,
                code="typographic-terminator",
                message=(
                    f"{n} typographic apostrophe(s) (U+2019) read as segment terminators; "
                    "the sender's software converts ' to ’."
                ),
            )
        )
    escapes: _Escapes | None = None
    if chars.release and chars.release in body and chars.release not in (term, chars.element):
        escapes = _ESCAPES.get(chars)
        if escapes is None:
            if len(_ESCAPES) >= _ESCAPES_MAX:
                _ESCAPES.clear()
            escapes = _ESCAPES[chars] = _Escapes(chars)
        body = escapes.hide(body)
    segments = _split_segments(body, chars, escapes, head_lines, findings, profile)
    return Tokens(segments=segments, chars=chars, findings=findings, una_present=una_present)


def _split_segments(
    body: str,
    chars: ServiceChars,
    escapes: _Escapes | None,
    line_offset: int,
    findings: list[Finding],
    profile: Profile | None,
) -> list[Segment]:
    elem_sep = chars.element
    comp_sep = chars.component
    pieces, lines, layout = _pieces(body, chars.terminator, line_offset)
    segments: list[Segment] = []
    wrapped = 0
    ended_at: int | None = None
    index = 0
    last_piece = len(pieces) - 1
    valid = _VALID_TAGS
    limits = profile.max_elements if profile is not None else _NO_LIMITS
    escaped = escapes is not None
    piece_no = 0
    while piece_no < len(pieces):  # (unterminated_tail may append a piece)
        if ended_at is None and piece_no < last_piece:
            # Ordinary segments are read by the regular loop (in C when built); it stops at
            # the first piece that needs a repair or a finding, which is read below.
            piece_no, index = run_regular(
                pieces, piece_no, last_piece, segments, index, valid, limits,
                elem_sep, comp_sep, escaped, lines,
            )  # fmt: skip
        cur = piece_no
        raw = pieces[cur]
        piece_no = cur + 1
        if cur == last_piece and raw.strip():
            raw = unterminated_tail(raw, pieces, findings, lines.line_of(cur))
        if layout and ("\n" in raw or "\r" in raw):
            seg_text, was_wrapped = _clean_piece(raw)
            wrapped += was_wrapped
        elif raw[:1] in (" ", "\t"):
            seg_text = raw.lstrip(" \t")
        else:
            seg_text = raw
        if not seg_text:
            continue
        if ended_at is not None:
            if seg_text.rstrip()[:3].upper() in ("UNA", "UNB"):
                ended_at = None
            else:
                after_unz(pieces[cur:], chars, escapes, lines.line_of(cur), findings)
                break
        tag, has_elements, rest = seg_text.partition(elem_sep)
        # Placeholders are not ASCII, and ``isascii`` costs nothing (a flag of the string).
        if escapes is not None and not seg_text.isascii() and max(seg_text) >= _PLACEHOLDER_FIRST:
            tag, elements, shown = escapes.split(seg_text, elem_sep, comp_sep)
        elif has_elements:
            elements = [p.split(comp_sep) for p in rest.split(elem_sep)]
            shown = seg_text
        else:
            elements = []
            shown = seg_text
        index, ended = _store(
            tag, elements, shown, cur, index, lines, segments, limits, chars, findings,
            tail=cur == last_piece,
        )  # fmt: skip
        if ended:
            ended_at = index
    if wrapped:
        findings.append(
            Finding(
                severity=Severity.WARNING,
                code="wrapped-lines",
                message=(
                    f"{wrapped} segment(s) were wrapped across lines; the line breaks were "
                    "removed without inserting a space."
                ),
            )
        )
    return segments


def _store(
    tag: str,
    elements: list[list[str]],
    shown: str,
    piece_no: int,
    index: int,
    lines: Lines,
    segments: list[Segment],
    limits: Mapping[str, int],
    chars: ServiceChars,
    findings: list[Finding],
    *,
    tail: bool = False,
) -> tuple[int, bool]:
    """Append the segment read from one piece, repaired; (last index, whether it was UNZ).

    ``tail``: the piece is the input's last, which no terminator ended. A fragment there
    without a valid tag is a segment cut short (a truncated input), not data split by an
    unescaped terminator: it is reported and skipped, not joined to the segment before it
    (which would append the cut-off text to that segment's last value)."""
    valid = _VALID_TAGS
    index += 1
    if tag not in valid:
        if len(tag) == 3:
            tag = tag.upper()
            if _TAG.match(tag):
                valid.add(tag)
        if tag not in valid:
            seg = Segment(tag, elements, index, shown, piece_no, lines)
            if tail:
                findings.append(cut_tail(seg, segments[-1] if segments else None))
            elif merge_broken(seg, segments, chars, findings):
                index -= 1
            else:
                findings.append(bad_tag(seg, segments[-1] if segments else None))
            return index, False
    seg = Segment(tag, elements, index, shown, piece_no, lines)
    if len(elements) > limits.get(tag, 99):
        index = unglue(seg, segments, limits, chars, findings, index)
    else:
        segments.append(seg)
    return index, tag == "UNZ"


def _pieces(body: str, term: str, line_offset: int) -> tuple[list[str], Lines, bool]:
    """Split on the terminator: (pieces, their line numbers, whether line breaks remain).

    The usual layout, one segment per line, is removed here (``split_pieces``): a piece
    (other than the first) loses the line break it starts with. Pieces stay aligned with those
    of the text as sent (``Lines``) because no terminator is added or removed.
    """
    if len(term) != 1:
        pieces, cuts, layout = split_pieces_py(body, term)
    else:
        pieces, cuts, layout = split_pieces(body, term)
    nl = "\n" if "\n" in body else "\r"
    return pieces, Lines(pieces, line_offset + 1, nl, body, term, cuts), layout


def _clean_piece(raw: str) -> tuple[str, bool]:
    """Remove line breaks from a segment: (text, whether it was wrapped, i.e. had a break
    inside its text rather than before it)."""
    stripped = raw.lstrip(" \t\r\n")
    inner = stripped.rstrip("\r\n")
    was_wrapped = "\n" in inner or "\r" in inner
    return stripped.replace("\r", "").replace("\n", ""), was_wrapped


def count_check(
    declared: str, actual: int, what: str, seg: Segment | None, findings: list[Finding]
) -> None:
    """Report a declared count (EQN, UNT, UNZ, CNT) that differs from what is there."""
    try:
        value = int(declared)
    except ValueError:
        return
    if value != actual:
        findings.append(
            Finding(
                severity=Severity.WARNING,
                code="count-mismatch",
                message=f"{what}: {value} declared, {actual} present; the count was ignored.",
                segment=seg.index if seg else None,
                segment_text=seg.text if seg else None,
                line=seg.line if seg else None,
            )
        )

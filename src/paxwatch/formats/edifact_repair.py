"""Layout repairs of the EDIFACT tokenizer (``edifact.tokenize``) for real traffic.

Each function repairs one deviation and reports it as a finding: a segment whose tag is not
a tag (``bad-tag``), text after UNZ (``after-unz``), a last segment without terminator
(``unterminated``), and without a tag either (``cut-short``: the input was cut), a segment
cut by an unescaped terminator inside data (``unescaped-terminator``) and segments run
together because a terminator is missing (``missing-terminator``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from paxwatch.model.common import Finding, Severity

if TYPE_CHECKING:
    from paxwatch.formats.edifact import Segment, ServiceChars, _Escapes


def bad_tag(seg: Segment, previous: Segment | None) -> Finding:
    tag = seg.tag[:20]
    after = f" Previous segment: {previous.text[:60]!r}." if previous is not None else ""
    return Finding(
        severity=Severity.ERROR,
        code="bad-tag",
        message=(
            f"{tag!r} is not a segment tag; the segment was skipped.{after} An unescaped "
            "separator in the data (e.g. O'NEAL) usually causes this."
        ),
        segment=seg.index,
        segment_text=seg.text,
        line=seg.line,
    )


def cut_tail(seg: Segment, previous: Segment | None) -> Finding:
    """The input's last piece, unterminated, has no valid tag: the input was cut short."""
    after = f" after {previous.text[:60]!r}" if previous is not None else ""
    return Finding(
        severity=Severity.ERROR,
        code="cut-short",
        message=(
            f"the input ends with {seg.text[:20]!r}{after}, which is not a segment: it looks "
            "cut short, and the fragment was skipped. Ask the sender to resend the message."
        ),
        segment=seg.index,
        segment_text=seg.text,
        line=seg.line,
    )


def after_unz(
    rest_pieces: list[str],
    chars: ServiceChars,
    escapes: _Escapes | None,
    line: int,
    findings: list[Finding],
) -> None:
    rest = chars.terminator.join(rest_pieces).strip()
    if escapes is not None:
        rest = escapes.restore(rest)
    findings.append(
        Finding(
            severity=Severity.WARNING,
            code="after-unz",
            message=(
                f"text after UNZ ignored ({len(rest)} characters): {rest[:80]!r}; "
                "the interchange ended at UNZ."
            ),
            line=line,
            segment_text=rest[:200],
        )
    )


def unterminated_tail(raw: str, pieces: list[str], findings: list[Finding], line: int) -> str:
    """The input ended without a terminator. A UNZ followed by a line break and text is
    the UNZ alone: the text is moved to its own piece, reported as text after UNZ."""
    stripped = raw.lstrip(" \t\r\n")
    if stripped[:3].upper() == "UNZ":
        head, sep, rest = stripped.replace("\r\n", "\n").replace("\r", "\n").partition("\n")
        if sep and rest.strip():
            pieces.append(rest)
            raw = raw[: len(raw) - len(stripped)] + head
    findings.append(
        Finding(
            severity=Severity.INFO,
            code="unterminated",
            message=f"the last segment has no terminator: {stripped.split(chr(10))[0][:60]!r}.",
            line=line + raw[: len(raw) - len(stripped)].count("\n"),
        )
    )
    return raw


def merge_broken(
    seg: Segment, segments: list[Segment], chars: ServiceChars, findings: list[Finding]
) -> bool:
    """Rejoin a fragment cut off by an unescaped terminator inside data (``O'NEAL``).

    The fragment has no valid tag; appending it, with the literal terminator, to the
    previous segment's last element restores the data. Only done when the fragment is
    short and has no element separators of its own beyond what one element holds.
    """
    if not segments or seg.tag[:1] in ("", " ") or len(seg.text) > 70:
        return False
    prev = segments[-1]
    if prev.tag in ("UNA", "UNB", "UNH", "UNT", "UNZ") or not prev.elements:
        return False
    head = seg.tag
    prev.elements[-1][-1] = (
        prev.elements[-1][-1] + chars.terminator + head.split(chars.component)[0]
    )
    rest = head.split(chars.component)[1:]
    prev.elements[-1].extend(rest)
    prev.elements.extend(seg.elements)
    prev.text = prev.text + chars.terminator + seg.text
    findings.append(
        Finding(
            severity=Severity.WARNING,
            code="unescaped-terminator",
            message=(
                "an unescaped segment terminator inside data split a segment; the two "
                f"parts were joined back: {prev.text[:80]!r}. Ask the sender to escape "
                f"{chars.terminator!r} with {chars.release!r}."
            ),
            segment=prev.index,
            segment_text=prev.text,
            line=prev.line,
        )
    )
    return True


def unglue(
    seg: Segment,
    segments: list[Segment],
    limits: Mapping[str, int],
    chars: ServiceChars,
    findings: list[Finding],
    index: int,
) -> int:
    """Split a segment that swallowed the next one because a terminator was missing."""
    while True:
        limit = limits.get(seg.tag)
        if limit is None or len(seg.elements) <= limit:
            break
        cut = find_glued_tag(seg, limit, limits)
        if cut is None:
            break
        pos, tag = cut
        last = seg.elements[pos]
        head_value = last[-1][: -len(tag)]
        first_elements = [*seg.elements[:pos], [*last[:-1], head_value]]
        second_elements = seg.elements[pos + 1 :]
        first_text = chars.element.join(
            [seg.tag, *(chars.component.join(e) for e in first_elements)]
        )
        second_text = chars.element.join([tag, *(chars.component.join(e) for e in second_elements)])
        findings.append(
            Finding(
                severity=Severity.WARNING,
                code="missing-terminator",
                message=(
                    f"segment terminator missing between {seg.tag} and {tag}; split into "
                    f"{first_text[:50]!r} and {second_text[:50]!r}."
                ),
                segment=seg.index,
                segment_text=seg.text,
                line=seg.line,
            )
        )
        make = type(seg)
        segments.append(make(seg.tag, first_elements, seg.index, first_text, seg._pos, seg._lines))
        index += 1
        seg = make(tag, second_elements, index, second_text, seg._pos, seg._lines)
    segments.append(seg)
    return index


def find_glued_tag(seg: Segment, limit: int, limits: Mapping[str, int]) -> tuple[int, str] | None:
    for pos in range(min(limit, len(seg.elements) - 1), -1, -1):
        comps = seg.elements[pos]
        if not comps:
            continue
        value = comps[-1]
        if len(value) > 3 and value[-3:] in limits and value[-3:].isupper():
            return pos, value[-3:]
    return None

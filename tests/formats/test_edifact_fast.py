"""The C twin of the tokenizer's regular-segment loop gives what the pure-Python loop gives.

``paxwatch.formats._edifact_fast`` is built by the normal install; these tests compare it with
``edifact_regular.run_regular_py`` on arbitrary bytes, EDIFACT-like noise and mutated real
messages: the same segments (tag, elements, index, text, line) and the same findings, and the
same typed model from ``read_message``. Where the extension is not built they skip and say so.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paxwatch.formats import edifact, edifact_regular, edifact_segment
from paxwatch.formats.edifact import Profile, Tokens, tokenize
from paxwatch.formats.edifact_regular import (
    RunRegular,
    SplitPieces,
    run_regular_py,
    split_pieces_py,
)
from paxwatch.formats.edifact_segment import PYTHON_ELEMENT, PYTHON_GET, Lines, Segment
from paxwatch.formats.pnrgov import PROFILE
from paxwatch.formats.reader import read_message
from paxwatch.model import ParseResult

try:
    from paxwatch.formats import _edifact_fast  # type: ignore[attr-defined]
except ImportError:  # not built: the comparisons skip
    _edifact_fast = None

needs_c = pytest.mark.skipif(
    _edifact_fast is None,
    reason="paxwatch.formats._edifact_fast is not built (pip install -e . builds it)",
)
# The comparisons need the extension configured (the package does it unless
# PAXWATCH_PURE_PYTHON is set, which leaves this process pure Python).
needs_c_loop = pytest.mark.skipif(
    not edifact_regular.ACCELERATED,
    reason="the C loop is not in use (not built, or PAXWATCH_PURE_PYTHON)",
)


@contextmanager
def loop(run: RunRegular) -> Iterator[None]:
    """The tokenizer with the Python reference loops (``run_regular_py``) or the C ones."""
    saved = edifact.run_regular, edifact.split_pieces
    edifact.run_regular = run
    edifact.split_pieces = split_pieces_py if run is run_regular_py else c_split()
    try:
        yield
    finally:
        edifact.run_regular, edifact.split_pieces = saved


def c_run() -> RunRegular:
    assert _edifact_fast is not None
    run: RunRegular = _edifact_fast.run
    return run


def c_split() -> SplitPieces:
    assert _edifact_fast is not None
    split: SplitPieces = _edifact_fast.split_pieces
    return split


def shape(tokens: Tokens) -> tuple[object, ...]:
    segments = [(s.tag, s.elements, s.index, s.text, s.line) for s in tokens.segments]
    return segments, tokens.findings, tokens.chars, tokens.una_present


def both(data: bytes | str, profile: Profile | None = None) -> tuple[object, object]:
    with loop(run_regular_py):
        pure = shape(tokenize(data, profile))
    with loop(c_run()):
        fast = shape(tokenize(data, profile))
    return pure, fast


def read_both(data: bytes) -> tuple[ParseResult, ParseResult]:
    with loop(run_regular_py):
        pure = read_message(data)
    with loop(c_run()):
        fast = read_message(data)
    return pure, fast


def samples(shared: Path) -> list[bytes]:
    folder = shared / "samples" / "gtas"
    return [p.read_bytes() for p in sorted(folder.glob("*/*")) if p.suffix != ".md"]


@pytest.fixture(scope="session")
def real(shared_data: Path) -> list[bytes]:
    return samples(shared_data)


@needs_c
def test_the_installed_package_uses_the_c_loop() -> None:
    # (unless PAXWATCH_PURE_PYTHON asks for the reference loop)
    expected = not os.environ.get("PAXWATCH_PURE_PYTHON")
    assert edifact_regular.ACCELERATED is expected
    assert (edifact.run_regular is c_run()) is expected


def test_pure_python_is_chosen_by_the_environment() -> None:
    code = "from paxwatch.formats import edifact_regular as r; print(r.ACCELERATED)"
    env = {**os.environ, "PAXWATCH_PURE_PYTHON": "1"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def outcome(method: object, *args: object, **kwargs: object) -> tuple[object, ...]:
    try:
        return ("returned", method(*args, **kwargs))  # type: ignore[operator]
    except Exception as exc:  # the same error, with the same message
        return ("raised", type(exc), str(exc))


# The C ``get`` and ``element`` replace the Python methods of the Python Segment only; compiled
# (the normal install), Segment's methods are native, and test_compiled compares them (and, in
# a process reading from source with the C parts, these C methods) with pure Python.
needs_python_segment = pytest.mark.skipif(
    not edifact_segment.__file__.endswith(".py") or not edifact_regular.ACCELERATED,
    reason="Segment is compiled (its methods are native), or the C loop is not in use",
)


@needs_python_segment
def test_segment_get_and_element_are_the_c_methods() -> None:
    assert type(Segment.__dict__["get"]).__name__ == "method_descriptor"
    assert type(Segment.__dict__["element"]).__name__ == "method_descriptor"
    seg = Segment("TIF", [["SMITH"], ["JOHN", "A"]], 1, "TIF+SMITH+JOHN:A")
    assert (seg.get(1, 1), seg.get(1), seg.get(2), seg.get(1, 5)) == ("A", "JOHN", "", "")
    assert (seg.element(0), seg.element(3)) == (["SMITH"], [])
    assert seg.element(0) is seg.elements[0]


@needs_python_segment
@settings(max_examples=400, deadline=None)
@given(
    elements=st.one_of(
        st.lists(st.lists(st.text(max_size=2), max_size=3), max_size=4),
        st.lists(st.one_of(st.text(max_size=2), st.tuples(st.text(max_size=1))), max_size=3),
    ),
    args=st.lists(
        st.one_of(st.integers(-6, 6), st.sampled_from([2**70, -(2**70), True, 1.0, "1"])),
        max_size=3,
    ),
    keyword=st.sampled_from([None, "element", "component", "other"]),
)
def test_c_get_and_element_answer_what_the_python_methods_answer(
    elements: list[object], args: list[object], keyword: str | None
) -> None:
    seg = Segment("TAG", elements, 1, "TAG")  # type: ignore[arg-type]
    kwargs = {} if keyword is None else {keyword: 0}
    assert outcome(seg.get, *args, **kwargs) == outcome(PYTHON_GET, seg, *args, **kwargs)
    assert outcome(seg.element, *args, **kwargs) == outcome(PYTHON_ELEMENT, seg, *args, **kwargs)


@needs_c_loop
def test_c_loop_reads_ordinary_segments_and_stops_where_python_does() -> None:
    pieces = ["UNB+IATA:1+DL", "", "TIF+SMITH+JOHN:A:1", "tif+x", "SSR+DOCS:HK", "UNZ+1", ""]
    pieces[4:4] = [" \tTIF+A", " \t ", "\tSSR", " UNZ+2"]  # (leading blanks are removed)
    valid = {"UNB", "TIF", "SSR", "UNZ"}
    lines = Lines(pieces, 1, "\n")
    for start in range(len(pieces)):
        results = []
        for run in (run_regular_py, c_run()):
            segments: list[Segment] = []
            end = run(pieces, start, len(pieces) - 1, segments, 7, valid, {"TIF": 2}, "+", ":",
                      False, lines)  # fmt: skip
            results.append((end, [(s.tag, s.elements, s.index, s.text, s._pos) for s in segments]))
        assert results[0] == results[1]
    segments = []
    assert c_run()(pieces, 4, 10, segments, 0, valid, {}, "+", ":", False, lines) == (7, 2)
    assert [(s.tag, s.text, s._pos) for s in segments] == [("TIF", "TIF+A", 4), ("SSR", "SSR", 6)]
    segments = []
    assert c_run()(pieces, 0, 6, segments, 0, valid, {}, "+", ":", False, lines) == (3, 2)
    assert [s.elements for s in segments] == [
        [["IATA", "1"], ["DL"]],
        [["SMITH"], ["JOHN", "A", "1"]],
    ]
    assert segments[1].line == 1 and segments[1]._lines is lines


@needs_c_loop
@pytest.mark.parametrize("count", [0, 1, 254, 255, 256, 257, 600])
def test_c_loop_reads_pieces_with_many_separators(count: int) -> None:
    # (the C loop finds up to 256 separators of an ASCII piece in one pass, more in several)
    body = "".join(("+" if k % 9 == 0 else ":") + str(k) for k in range(count))  # (< 99 elements)
    pieces = ["FTX" + body, "FTX" + body + "+\u00e9", "FTX+:+" + body + "::", ""]
    lines = Lines(pieces, 1, "\n")
    results = []
    for run in (run_regular_py, c_run()):
        segments: list[Segment] = []
        end = run(pieces, 0, 3, segments, 0, {"FTX"}, {}, "+", ":", False, lines)
        results.append((end, [(s.tag, s.elements, s.text) for s in segments]))
    assert results[0] == results[1] and results[0][0] == (3, 3)


@needs_c_loop
def test_c_loop_leaves_too_many_elements_and_unz_to_python() -> None:
    pieces = ["TIF+A+B+C", "UNZ+1", "X"]
    valid = {"TIF", "UNZ"}
    lines = Lines(pieces, 1, "\n")
    segments: list[Segment] = []
    assert c_run()(pieces, 0, 2, segments, 0, valid, {"TIF": 2}, "+", ":", False, lines) == (0, 0)
    assert c_run()(pieces, 1, 2, segments, 0, valid, {}, "+", ":", False, lines) == (1, 0)
    assert not segments


@needs_c
@settings(max_examples=500, deadline=None)
@given(
    st.text(st.sampled_from(list("'\r\n A+:\t\u2019\u00e9\u4e2d\U0001f600~")), max_size=60),
    st.sampled_from(["'", "\n", "\r", "~", "\u2019", "\U0001f600"]),
)
def test_c_split_pieces_is_the_python_one(body: str, term: str) -> None:
    assert c_split()(body, term) == split_pieces_py(body, term)


@needs_c
def test_c_split_pieces_removes_the_line_break_a_piece_starts_with() -> None:
    body = "UNB+1'\r\nTIF+A'\nTVL'\r\n\r\nSSR'\rRCI''\n"
    pieces = ["UNB+1", "TIF+A", "TVL", "\nSSR", "RCI", "", ""]
    assert c_split()(body, "'") == (pieces, bytes([0, 2, 1, 3, 1, 0, 1]), True)
    assert c_split()("A'B", "'") == (["A", "B"], b"", False)
    assert c_split()("A'B\n", "'") == (["A", "B\n"], b"", True)
    with pytest.raises(TypeError):
        c_split()("A'B", "''")


@needs_c_loop
@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_same_tokens_on_arbitrary_bytes(data: bytes) -> None:
    pure, fast = both(data)
    assert pure == fast


_EDI_ALPHABET = st.sampled_from(list("UNABZHTIFSR+:'?*\\ \t\r\n\u2019\ue000\u00e9\u4e2dABC019.-$"))


@needs_python_segment
@settings(max_examples=400, deadline=None)
@given(st.text(_EDI_ALPHABET, max_size=500), st.booleans())
def test_same_tokens_on_edifact_like_noise(text: str, una: bool) -> None:
    if una:
        text = "UNA:+.? '" + text
    pure, fast = both(text, Profile(max_elements={"TIF": 2, "RPI": 2, "UNB": 8, "IFT": 3}))
    assert pure == fast


@st.composite
def mutated(draw: st.DrawFn, messages: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(messages)))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(st.sampled_from([b"'", b"+", b":", b"?", b"\n", b"\r\n", b" ", b"\xe2\x80\x99",
                                      b"\xc3\xa9", b"\xff", b"UNZ+1'", b"tif+", b"X"]))  # fmt: skip
        if action == "insert":
            data[at:at] = chunk
        elif action == "delete":
            del data[at : at + len(chunk)]
        else:
            data[at : at + len(chunk)] = chunk
    return bytes(data)


@needs_c_loop
@pytest.mark.shared_data
def test_same_tokens_and_model_on_every_real_sample(real: list[bytes]) -> None:
    for data in real:
        tokens_pure, tokens_fast = both(data, PROFILE)
        assert tokens_pure == tokens_fast
        read_pure, read_fast = read_both(data)
        assert read_pure == read_fast
        assert read_pure.messages


@needs_c_loop
@pytest.mark.shared_data
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_same_tokens_and_findings_on_mutated_real_messages(
    real: list[bytes], data: st.DataObject
) -> None:
    message = data.draw(mutated(real))
    pure, fast = both(message, PROFILE)
    assert pure == fast
    read_pure, read_fast = read_both(message)
    assert read_pure == read_fast

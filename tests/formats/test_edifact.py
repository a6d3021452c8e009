"""The EDIFACT tokenizer on the layouts real traffic has (docs: ../shared/docs/formats.md)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from paxwatch.formats.edifact import DEFAULT_CHARS, Profile, Segment, _pieces, tokenize
from paxwatch.formats.edifact_regular import split_pieces_py


def texts(segments: list[Segment]) -> list[str]:
    return [s.text for s in segments]


def codes(data: bytes | str, profile: Profile | None = None) -> list[str]:
    return [f.code for f in tokenize(data, profile).findings]


def test_without_una_uses_default_service_characters() -> None:
    tokens = tokenize("UNB+IATA:1+DL'UNH+1+PNRGOV:13:1:IA'TIF+SMITH+JOHNMR:A:1'")
    assert not tokens.una_present
    assert tokens.chars == DEFAULT_CHARS
    tif = tokens.segments[2]
    assert tif.tag == "TIF"
    assert tif.elements == [["SMITH"], ["JOHNMR", "A", "1"]]
    assert (tif.get(1, 2), tif.get(5, 0), tif.get(1, 9)) == ("1", "", "")


def test_una_with_other_characters_and_glued_to_unb() -> None:
    tokens = tokenize("UNA:-.? *UNB-IATA:1-DL*TIF-SERIO-REUBEN:A:1*")
    assert tokens.una_present
    assert tokens.chars.element == "-"
    assert tokens.chars.terminator == "*"
    assert tokens.chars.repetition == " "
    assert texts(tokens.segments) == ["UNB-IATA:1-DL", "TIF-SERIO-REUBEN:A:1"]
    assert tokens.segments[1].elements == [["SERIO"], ["REUBEN", "A", "1"]]


def test_five_character_una() -> None:
    tokens = tokenize("UNA:+.?'UNB+IATA:1'UNZ+1'")
    assert tokens.chars.terminator == "'"
    assert [s.tag for s in tokens.segments] == ["UNB", "UNZ"]


def test_star_element_separator_and_dollar_terminator() -> None:
    tokens = tokenize("UNA:*.? $UNB*IATA:1*XX$TIF*DOE*JANE:A:1$")
    assert [s.tag for s in tokens.segments] == ["UNB", "TIF"]
    assert tokens.segments[1].get(1) == "JANE"


def test_release_character_escapes_every_separator() -> None:
    tokens = tokenize("NAD+FL+++O?'LEARY:KRIS?+ANN?:X??Y?*Z'")
    nad = tokens.segments[0]
    assert nad.elements[3] == ["O'LEARY", "KRIS+ANN:X?Y*Z"]
    assert tokens.findings == []


def test_backslash_release_from_una() -> None:
    tokens = tokenize("UNA:+.\\*'UNB+IATA:1'LTS+0/LK \\*1A/E\\*/KE'")
    assert tokens.segments[1].get(0) == "0/LK *1A/E*/KE"


def test_line_ending_variants_give_the_same_segments() -> None:
    base = ["UNB+IATA:1+UA", "UNH+1+PNRGOV:13:1:IA", "TIF+LOBB+MOLLYMRS:A:1", "UNZ+1+1"]
    one_line = "'".join(base) + "'"
    for text in (
        one_line,
        "'\n".join(base) + "'\n",
        "'\r\n".join(base) + "'\r\n",
        "'\r".join(base) + "'\r",
        "' \n  ".join(base) + "'",
        "'\n\n\n".join(base) + "'\n",
        "' ".join(base) + "'",
    ):
        assert texts(tokenize(text).segments) == base, repr(text)


def test_wrapped_line_is_joined_without_a_space_and_reported() -> None:
    tokens = tokenize(
        "UNB+IATA:1'\nSSR+DOCS:HK::DL:::::/P/GBR/1//12JUL64/M/23AUG19/SMITHJ\nR/JOHN'\n"
    )
    assert tokens.segments[1].text.endswith("/SMITHJR/JOHN")
    assert [f.code for f in tokens.findings] == ["wrapped-lines"]


def test_typographic_apostrophe_terminates_segments() -> None:
    tokens = tokenize("UNB+IATA:1\u2019RCI+1A:X49V9U\u2019\nDAT+700:270513:0726'")
    assert [s.tag for s in tokens.segments] == ["UNB", "RCI", "DAT"]
    assert "typographic-terminator" in [f.code for f in tokens.findings]


def test_text_after_unz_is_reported_not_read() -> None:
    tokens = tokenize("UNB+IATA:1'UNZ+1+1'\nModify above message to create bad message.")
    assert [s.tag for s in tokens.segments] == ["UNB", "UNZ"]
    (finding,) = [f for f in tokens.findings if f.code == "after-unz"]
    assert "Modify above message" in finding.message
    assert finding.line == 2


def test_unterminated_unz_followed_by_junk() -> None:
    tokens = tokenize("UNB+IATA:1'\nUNZ+1+0010\n\nsome junk text\n")
    assert texts(tokens.segments) == ["UNB+IATA:1", "UNZ+1+0010"]
    assert [f.code for f in tokens.findings] == ["unterminated", "after-unz"]


def test_second_interchange_after_unz_is_read() -> None:
    tokens = tokenize("UNB+A'UNZ+1+1'\nUNB+B'UNZ+1+2'")
    assert [s.tag for s in tokens.segments] == ["UNB", "UNZ", "UNB", "UNZ"]
    assert tokens.findings == []


def test_unescaped_apostrophe_in_a_name_is_joined_back_and_reported() -> None:
    tokens = tokenize("UNB+X'NAD+FL+++O'NEAL:JOHN'ATT+2++M'")
    assert [s.tag for s in tokens.segments] == ["UNB", "NAD", "ATT"]
    assert tokens.segments[1].elements[3] == ["O'NEAL", "JOHN"]
    assert tokens.segments[2].index == 3
    assert [f.code for f in tokens.findings] == ["unescaped-terminator"]


def test_an_input_cut_short_is_not_read_as_an_unescaped_apostrophe() -> None:
    # A real push of a France-scale synthetic day ended this way (a "broken" message): the
    # last piece, after the terminator, is the start of a segment cut off. Joined back as an
    # unescaped terminator it made "Y'R" of the booking class, which PostgreSQL refused.
    tokens = tokenize("UNB+X'TVL+140326:0840:140326:1015+BVA+TLS+AF+6888:Y'\nR")
    assert texts(tokens.segments) == ["UNB+X", "TVL+140326:0840:140326:1015+BVA+TLS+AF+6888:Y"]
    assert tokens.segments[1].elements[-1] == ["6888", "Y"]
    assert [f.code for f in tokens.findings] == ["unterminated", "cut-short"]
    cut = tokens.findings[1]
    assert (cut.segment, cut.segment_text, cut.line) == (3, "R", 2)
    assert "cut short" in cut.message and "6888:Y" in cut.message
    # The same fragment inside the input is still data cut by an unescaped apostrophe.
    joined = tokenize("UNB+X'TVL+140326:0840:140326:1015+BVA+TLS+AF+6888:Y'R'UNZ+1+1'")
    assert joined.segments[1].elements[-1] == ["6888", "Y'R"]
    assert [f.code for f in joined.findings] == ["unescaped-terminator"]


def test_nonsense_tag_is_an_error_naming_the_segment() -> None:
    text = "UNB+X'TIF+DOE+JOHN'" + "x" * 80 + "+1'RCI+AA:ABC'"
    tokens = tokenize(text)
    assert [s.tag for s in tokens.segments] == ["UNB", "TIF", "RCI"]
    (finding,) = tokens.findings
    assert finding.code == "bad-tag"
    assert finding.segment == 3
    assert "TIF+DOE+JOHN" in finding.message


def test_lower_case_tags_are_read() -> None:
    assert [s.tag for s in tokenize("unb+iata:1'tif+doe+john:a:1'").segments] == ["UNB", "TIF"]


def test_missing_terminator_is_repaired_with_a_profile() -> None:
    profile = Profile(max_elements={"RPI": 2, "IFT": 3, "TIF": 2})
    tokens = tokenize("RPI+1+HKIFT+4:19+GN FROM NONE'TIF+SIMON+JOHN:A:1'", profile)
    assert texts(tokens.segments) == ["RPI+1+HK", "IFT+4:19+GN FROM NONE", "TIF+SIMON+JOHN:A:1"]
    assert [s.index for s in tokens.segments] == [1, 2, 3]
    assert [f.code for f in tokens.findings] == ["missing-terminator"]
    # Without a profile nothing is guessed.
    assert len(tokenize("RPI+1+HKIFT+4:19+GN FROM NONE'").segments) == 1


def test_invalid_utf8_is_replaced_and_reported_with_its_position() -> None:
    tokens = tokenize(b"UNB+IATA:1'\nTIF+GAR\x87ON+LUC:A:1'")
    assert tokens.segments[1].get(0) == "GAR\ufffdON"
    (finding,) = tokens.findings
    assert finding.code == "encoding"
    assert finding.line == 2
    assert "0x87" in finding.message


def test_line_numbers_point_at_the_segment_start() -> None:
    tokens = tokenize("UNB+A'\nUNH+1'\n\nTIF+X+\nY:A:1'\nUNZ+1'")
    assert [(s.tag, s.line) for s in tokens.segments] == [
        ("UNB", 1),
        ("UNH", 2),
        ("TIF", 4),
        ("UNZ", 6),
    ]


def test_non_ascii_text_next_to_released_characters() -> None:
    # Restoring released characters is skipped for ASCII components only: a non-ASCII
    # component with no released character must come out unchanged, one with them restored.
    tokens = tokenize("TIF+MÜLLER+JOSÉ?+ANN:A:1'IFT+4:28+RUE D?'ÉTÉ'")
    tif, ift = tokens.segments
    assert tif.elements == [["MÜLLER"], ["JOSÉ+ANN", "A", "1"]]
    assert ift.elements == [["4", "28"], ["RUE D'ÉTÉ"]]
    assert tif.text == "TIF+MÜLLER+JOSÉ+ANN:A:1"
    assert tokens.findings == []


def test_line_numbers_with_crlf_spaces_and_text_after_unz() -> None:
    tokens = tokenize("UNB+A'\r\n  UNH+1' TIF+X'\r\n\r\nUNZ+1'\r\nJUNK\r\nMORE")
    assert [(s.tag, s.line) for s in tokens.segments] == [
        ("UNB", 1),
        ("UNH", 2),
        ("TIF", 2),
        ("UNZ", 4),
    ]
    after = [f for f in tokens.findings if f.code == "after-unz"]
    assert [f.line for f in after] == [5]


def test_repeats_splits_on_the_repetition_separator() -> None:
    seg = tokenize("TXD++0.57:::AY6*0.85:::YQ'").segments[0]
    assert seg.repeats(1) == [["0.57", "", "", "AY6"], ["0.85", "", "", "YQ"]]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    tokens = tokenize(data)
    for seg in tokens.segments:
        assert len(seg.tag) == 3


_EDI_ALPHABET = st.sampled_from(list("UNABZHTIF+:'?*\\ \r\n\u2019ABC019.-$"))


@settings(max_examples=300, deadline=None)
@given(st.text(_EDI_ALPHABET, max_size=400))
def test_edifact_like_noise_never_raises(text: str) -> None:
    profile = Profile(max_elements={"TIF": 2, "RPI": 2, "UNB": 8})
    tokens = tokenize(text, profile)
    indexes = [s.index for s in tokens.segments]
    assert indexes == sorted(indexes)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.text(st.characters(codec="utf-8"), max_size=12), min_size=1, max_size=4),
        min_size=1,
        max_size=5,
    )
)
def test_escaped_data_round_trips(elements: list[list[str]]) -> None:
    def esc(value: str) -> str:
        for ch in "?+:'":
            value = value.replace(ch, "?" + ch)
        return value

    body = "+".join(":".join(esc(c) for c in comps) for comps in elements)
    text = "UNB+IATA:1'ABC+" + body + "'UNZ+1'"
    tokens = tokenize(text)
    data = [s for s in tokens.segments if s.tag == "ABC"]
    if "\r" in body or "\n" in body or "\u2019" in body or "\ufeff" in body:
        return  # layout characters are removed by design
    assert len(data) == 1
    assert data[0].elements == [list(c) for c in elements]


def _pieces_by_replacing(body: str, term: str) -> tuple[list[str], bool]:
    """The layout removal as it was first written: replacements on the whole text."""
    layout = "\n" in body or "\r" in body
    if layout and term not in "\r\n":
        body = body.replace(term + "\r\n", term).replace(term + "\n", term)
        body = body.replace(term + "\r", term)
        layout = "\n" in body or "\r" in body
    return body.split(term), layout


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="'\r\n A+:\t", max_size=40), st.sampled_from(["'", "\n", "~"]))
def test_layout_removal_is_that_of_the_replacements(body: str, term: str) -> None:
    pieces, lines, layout = _pieces(body, term, 0)
    assert (pieces, layout) == _pieces_by_replacing(body, term)
    assert split_pieces_py(body, term)[::2] == (pieces, layout)
    original = body.split(term)
    nl = "\n" if "\n" in body else "\r"
    for k in range(len(original) + 2):
        assert lines.line_of(k) == _line_by_summing(original, k, nl, body, term)


def _line_by_summing(original: list[str], k: int, nl: str, body: str, term: str) -> int:
    """The line of piece ``k`` as it was first computed: the lengths of the pieces before it."""
    if not body or term == nl:
        return 1
    if k >= len(original):
        return 1 + body.count(nl)
    offset = sum(len(p) for p in original[:k]) + k * len(term)
    lead = len(original[k]) - len(original[k].lstrip(" \t\r\n"))
    return 1 + body.count(nl, 0, offset + lead)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="?'+:*AB\ue000\ue001\u00e9 ", max_size=30))
def test_released_characters_are_restored_as_translate_would(text: str) -> None:
    from paxwatch.formats.edifact import _Escapes

    escapes = _Escapes(DEFAULT_CHARS)
    hidden = escapes.hide(text)
    table = {ord(p): ch for p, ch in escapes.restore_pairs}
    assert escapes.restore(hidden) == hidden.translate(table)
    tag, elements, shown = escapes.split(hidden, "+", ":")
    assert shown == hidden.translate(table) and tag == hidden.partition("+")[0].translate(table)
    if "+" in hidden:
        expected = [
            [c.translate(table) for c in p.split(":")] for p in hidden.partition("+")[2].split("+")
        ]
        assert elements == expected

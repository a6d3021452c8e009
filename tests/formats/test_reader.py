"""Format detection and the single entry point."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paxwatch.formats.reader import _PAXLST_MARKS, _PNRGOV_MARKS, detect, read_message
from paxwatch.model import ApiMessage, PnrMessage

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"UNA:+.?*'UNB+IATA:1+DL'UNH+1+PNRGOV:10:1:IA'", "pnrgov"),
        (b"UNB+UNOA:4+AIR1+DHS'UNH+PAX001+PAXLST:D:05B:UN:IATA'", "paxlst"),
        (b"\xef\xbb\xbf  <?xml version='1.0'?><IATA_PNRGOV_NotifRQ/>", "pnrgov_xml"),
        (b"unb+iata:1+ua'unh+1+pnrgov:13:1:ia'", "pnrgov"),
        (b"UNB+IATA:1'SRC'TIF+DOE+JOHN:A:1'", "pnrgov"),
        (b"UNB+X'UNH+1'NAD+FL+++DOE:JOHN'", "paxlst"),
        (b"UNB+X'UNH+1'BGM+745'", "pnrgov"),
        # The earliest mark decides, wherever the message name is.
        (b"UNB+X'UNG+PAXLST'UNH+1+PNRGOV:11:1'", "paxlst"),
        (b"UNB+X'UNH+1'TIF+DOE'UNS+D'UNH+2+PAXLST'", "pnrgov"),
        (b"UNB+X'UNH+1'NAD+FL+++DOE'SRC'PNRGOV", "paxlst"),
        (b"hello world", None),
        (b"", None),
    ],
)
def test_detect(data: bytes, kind: str | None) -> None:
    assert detect(data) == kind


def test_unknown_input_is_an_error_finding_not_an_exception() -> None:
    result = read_message(b"%PDF-1.4 not a message")
    assert result.messages == ()
    (finding,) = result.findings
    assert finding.code == "unknown-format"
    assert "%PDF-1.4" in finding.message


def test_each_format_reaches_its_reader(shared_data: Path) -> None:
    pnr = read_message((shared_data / "samples/gtas/pnrgov/pnrMessage.txt").read_bytes())
    api = read_message((shared_data / "samples/gtas/paxlst/flight1.txt").read_bytes())
    xml = read_message((FIXTURES / "pnrgov_xml/lh400_full_push.xml").read_bytes())
    assert isinstance(pnr.messages[0], PnrMessage) and pnr.messages[0].syntax == "edifact"
    assert isinstance(api.messages[0], ApiMessage)
    assert isinstance(xml.messages[0], PnrMessage) and xml.messages[0].syntax == "xml"


def test_the_collector_is_paused_while_reading_and_restored_after(shared_data: Path) -> None:
    import gc

    data = (shared_data / "samples" / "gtas" / "pnrgov" / "bigMessagePnr.txt").read_bytes()
    starts: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            starts.append(info["generation"])

    threshold = gc.get_threshold()
    gc.callbacks.append(count)
    gc.set_threshold(1)  # a collection at (nearly) every allocation of a container
    try:
        assert gc.isenabled()
        assert read_message(data).messages
        assert gc.isenabled()
        assert len(starts) <= 1  # (the one the re-enabled collector may start at once)
        gc.disable()
        read_message(data)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*threshold)
        gc.enable()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [b"PAXLST", b"PNRGOV", b"'UNS+", b"'TIF+", b"NAD+FL", b"\nSRC'", b"UNH+1+", b"x" * 50]
        ),
        max_size=8,
    ),
    st.sampled_from([b"", b"UNB+", b"UNA:+.? '", b"\xef\xbb\xbf<"]),
)
def test_detect_takes_the_earliest_mark(parts: list[bytes], start: bytes) -> None:
    data = start + b"".join(parts)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    firsts = {
        kind: min((i for m in marks if (i := head.find(m)) >= 0), default=-1)
        for kind, marks in (("paxlst", _PAXLST_MARKS), ("pnrgov", _PNRGOV_MARKS))
    }
    got = detect(data)
    if head.startswith(b"<"):
        assert got == "pnrgov_xml"
    elif firsts["paxlst"] >= 0 and (firsts["pnrgov"] < 0 or firsts["paxlst"] < firsts["pnrgov"]):
        assert got == "paxlst"
    elif firsts["pnrgov"] >= 0:
        assert got == "pnrgov"
    else:
        assert got in (None, "paxlst", "pnrgov")  # no mark in the head: the whole input decides

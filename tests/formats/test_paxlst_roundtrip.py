"""PAXLST writer and reader together: what is written reads back; nothing makes them fail."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paxwatch.formats.paxlst import read_paxlst
from paxwatch.formats.paxlst_write import raw_name_for, write_paxlst
from paxwatch.model.common import Severity
from paxwatch.model.message import ApiMessage, ParseResult
from tests.strategies_api import api_messages

QUICK = settings(
    max_examples=200,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SAMPLES = Path("samples") / "gtas" / "paxlst"


def assert_clean(result: ParseResult) -> None:
    """No finding other than a declared count that differs (the generator picks any)."""
    assert [f for f in result.findings if f.severity is not Severity.INFO] == [
        f for f in result.findings if f.code == "count-mismatch"
    ], result.findings


@QUICK
@given(api_messages())
def test_un_round_trip(message: ApiMessage) -> None:
    text = write_paxlst(message)
    result = read_paxlst(text)
    assert result.messages == (message,), text
    assert_clean(result)


@QUICK
@given(api_messages(), st.booleans())
def test_un_round_trip_bytes_on_one_line(message: ApiMessage, as_bytes: bool) -> None:
    text = write_paxlst(message, line_breaks=False)
    assert "\n" not in text
    assert read_paxlst(text.encode() if as_bytes else text).messages == (message,)


@QUICK
@given(api_messages("US"))
def test_us_round_trip(message: ApiMessage) -> None:
    text = write_paxlst(message)
    result = read_paxlst(text)
    assert result.messages == (message,), text
    assert_clean(result)


def test_written_segment_count_and_escapes() -> None:
    message = ApiMessage(reference="R1", document="745")
    text = write_paxlst(message)
    assert text.splitlines() == [
        "UNA:+.?*'",
        "UNB+UNOA:4++++R1++PAXLST'",
        "UNH+R1+PAXLST:D:05B:UN:IATA'",
        "BGM+745'",
        "UNT+3+R1'",
        "UNZ+1+R1'",
    ]
    assert raw_name_for("O'LEARY", "ANN MARY") == "O'LEARY:ANN:MARY"


@pytest.mark.shared_data
def test_real_samples_round_trip(shared_data: Path) -> None:
    for path in sorted((shared_data / SAMPLES).iterdir()):
        for message in read_paxlst(path.read_bytes()).messages:
            assert isinstance(message, ApiMessage)
            again = read_paxlst(write_paxlst(message)).messages
            canonical = dataclasses.replace(
                message,
                travellers=tuple(
                    dataclasses.replace(
                        t, raw_name=raw_name_for(t.surname, t.given_names, message.variant)
                    )
                    for t in message.travellers
                ),
            )
            assert again == (canonical,), path.name


@QUICK
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    result = read_paxlst(data)
    assert all(f.code != "internal-error" for f in result.findings), result.findings


@QUICK
@given(st.text(alphabet="UNHTDLOCAFMBGPX+:'?*\n 0123456789", max_size=400))
def test_edifact_like_text_never_raises(data: str) -> None:
    result = read_paxlst("UNH+1+PAXLST:D:05B'" + data)
    assert all(f.code != "internal-error" for f in result.findings), result.findings


@QUICK
@given(
    st.sampled_from(
        [
            "apisMessage.txt",
            "flight1.txt",
            "testAPISParsingWithBagWeightAndCountInMEASegment.edi",
            "testProgressiveFlightDtm.edi",
            "testRandomApis.edi",
        ]
    ),
    st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 12), st.binary(max_size=6)),
        min_size=1,
        max_size=8,
    ),
)
def test_mutated_samples_never_raise(
    shared_data: Path, name: str, edits: list[tuple[float, int, bytes]]
) -> None:
    data = bytearray((shared_data / SAMPLES / name).read_bytes())
    for where, cut, insert in edits:
        at = int(where * len(data))
        data[at : at + cut] = insert
    result = read_paxlst(bytes(data))
    assert all(f.code != "internal-error" for f in result.findings), result.findings

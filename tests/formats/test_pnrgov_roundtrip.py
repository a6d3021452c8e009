"""Property tests: write then read gives the same message; no input makes the reader fail."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paxwatch.formats.edifact import ServiceChars
from paxwatch.formats.pnrgov import read_pnrgov
from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.model import PnrMessage
from tests.strategies import pnr_messages

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
OTHER_CHARS = ServiceChars(
    component="^", element="|", decimal=",", release="\\", repetition="#", terminator="~"
)


def _roundtrip(message: PnrMessage, **kwargs: object) -> None:
    text = write_pnrgov(message, **kwargs)  # type: ignore[arg-type]
    result = read_pnrgov(text)
    assert not [f for f in result.findings if f.severity.value == "error"], result.findings
    assert result.messages == (message,)


@SETTINGS
@given(pnr_messages())
def test_write_then_read_gives_the_message(message: PnrMessage) -> None:
    _roundtrip(message)


@settings(SETTINGS, max_examples=60)
@given(pnr_messages(max_bookings=2), st.booleans())
def test_roundtrip_with_other_service_characters(message: PnrMessage, breaks: bool) -> None:
    _roundtrip(message, chars=OTHER_CHARS, line_breaks=breaks)


def test_written_message_is_well_formed() -> None:
    text = write_pnrgov(PnrMessage(version="13.1", sender="UA", reference="7"))
    assert text.startswith("UNA:+.?*'\nUNB+IATA:1+UA")
    assert "UNH+7+PNRGOV:13:1:IA'" in text
    assert "UNT+3+7'" in text  # UNH, ORG, UNT
    assert text.rstrip().endswith("UNZ+1+7'")
    assert not [f for f in read_pnrgov(text).findings if f.severity.value != "info"]


#: CPU seconds no single read may take: a guard against runaway (super-linear) repair
#: loops on hostile input, not a speed figure (reads take milliseconds; speed is measured in
#: bench/parse.py). CPU time, so that a loaded machine does not fail it.
_RUNAWAY = 5.0


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    start = time.process_time()
    result = read_pnrgov(data)
    assert isinstance(result.messages, tuple)
    assert time.process_time() - start < _RUNAWAY


def _samples(shared: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted((shared / "samples/gtas/pnrgov").glob("*.txt"))]


@pytest.mark.shared_data
def test_mutated_samples_never_raise(shared_data: Path) -> None:
    samples = _samples(shared_data)

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.sampled_from(samples),
        st.lists(
            st.tuples(
                st.sampled_from(("delete", "duplicate", "flip", "insert")),
                st.integers(0, 10_000),
                st.integers(0, 255),
            ),
            min_size=1,
            max_size=8,
        ),
    )
    def check(sample: bytes, edits: list[tuple[str, int, int]]) -> None:
        data = bytearray(sample)
        for op, pos, byte in edits:
            if not data:
                break
            i = pos % len(data)
            if op == "delete":
                del data[i : i + 1 + byte % 20]
            elif op == "duplicate":
                data[i:i] = data[i : i + 1 + byte % 40]
            elif op == "flip":
                data[i] = byte
            else:
                data[i:i] = bytes([byte]) * (1 + byte % 3)
        start = time.process_time()
        result = read_pnrgov(bytes(data))
        assert isinstance(result.findings, tuple)
        assert time.process_time() - start < _RUNAWAY

    check()


def test_creation_time_of_a_booking_without_its_locator_list_is_written() -> None:
    """A booking built without ``record_locators`` (locator and creation time only) keeps
    its creation time: the RCI written for the locator carries it."""
    from tests.store.factory import booking, pnr, traveller

    message = pnr(booking("ABC123", traveller("ROE")))
    written = message.bookings[0]
    assert not written.record_locators and written.created_at is not None
    (read,) = read_pnrgov(write_pnrgov(message)).messages
    (back,) = read.bookings
    assert (back.locator, back.created_at) == ("ABC123", written.created_at)

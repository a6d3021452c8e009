"""PNRGOV EDIFACT reader: golden files for the real samples and unit tests for the quirks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paxwatch.formats.pnrgov import read_pnrgov
from paxwatch.model import Gender, PnrMessage, PushAction, TravellerType
from paxwatch.model.jsonable import to_jsonable
from tests.conftest import FIXTURES
from tests.golden import assert_matches, significant_findings

GOLDEN = FIXTURES / "pnrgov"
SAMPLE_NAMES = sorted(p.stem for p in GOLDEN.glob("*.json"))


@pytest.mark.shared_data
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_golden(name: str, shared_data: Path) -> None:
    data = (shared_data / "samples/gtas/pnrgov" / f"{name}.txt").read_bytes()
    golden = json.loads((GOLDEN / f"{name}.json").read_text())
    result = read_pnrgov(data)
    assert_matches(golden["messages"], to_jsonable(result.messages))
    found = significant_findings(to_jsonable(result.findings))  # type: ignore[arg-type]
    assert_matches(golden["findings"], found)


@pytest.mark.shared_data
def test_every_sample_has_a_golden_file(shared_data: Path) -> None:
    samples = sorted(p.stem for p in (shared_data / "samples/gtas/pnrgov").glob("*.txt"))
    assert samples == SAMPLE_NAMES


HEAD = (
    "UNB+IATA:1+XX++240101:1200+1'UNH+1+PNRGOV:13:1:IA+REF'MSG+:22'ORG+XX'"
    "TVL+050124:1000:050124:1300+LHR+JFK+XX+0100'EQN+1'"
)
TAIL = "UNT+99+1'UNZ+1+1'"


def read_one(body: str, head: str = HEAD):  # type: ignore[no-untyped-def]
    result = read_pnrgov(head + body + TAIL)
    assert len(result.messages) == 1, result.findings
    return result.messages[0], result.findings


def test_title_stripped_longest_first() -> None:
    m, _ = read_one("SRC'RCI+XX:ABC123'TIF+TAYLOR+ELIZABETHMRS:A:1'")
    t = m.bookings[0].travellers[0]
    assert (t.surname, t.given_names, t.title, t.raw_name) == (
        "TAYLOR",
        "ELIZABETH",
        "MRS",
        "TAYLOR/ELIZABETHMRS",
    )


def test_suffix_and_group_name() -> None:
    m, _ = read_one("SRC'RCI+XX:ABC123'TIF+ACME TEAM:G'TIF+SMITHJR+JOHNMR:A:1'")
    b = m.bookings[0]
    assert b.group_name == "ACME TEAM"
    assert [(t.surname, t.suffix) for t in b.travellers] == [("SMITH", "JR")]


def test_infant_docs_filed_under_adult_go_to_the_infant() -> None:
    m, _ = read_one(
        "SRC'RCI+XX:ABC123'TIF+BROWN+ANNAMRS:A:1:IN'"
        "SSR+DOCS:HK::XX:::::/P/GBR/111/GBR/01JAN80/F/01JAN30/BROWN/ANNA'"
        "SSR+DOCS:HK::XX:::::/P/GBR/222/GBR/01JUN23/FI/01JAN30/BROWN/BABY'"
        "TIF+BROWN+BABY:IN:2'"
    )
    adult, infant = m.bookings[0].travellers
    assert infant.type is TravellerType.INFANT and infant.accompanying_ref == "1"
    assert [d.number for d in adult.documents] == ["111"]
    assert [d.number for d in infant.documents] == ["222"]
    assert adult.gender is Gender.FEMALE and adult.date_of_birth is not None
    assert infant.date_of_birth is not None and infant.date_of_birth.year == 2023
    assert infant.gender is Gender.FEMALE


def test_codeshare_by_second_tvl_and_by_tra() -> None:
    m, _ = read_one(
        "SRC'RCI+XX:ABC123'TIF+A+B:A:1'"
        "TVL+010224:1000:010224:1200+FRA+KWI+UA:LH+8749:B'TVL+++++624:M'"
        "TVL+020224:1000:020224:1200+LHR+ARN+SQ:SK+5678:Q'TRA+SK+1524:W'"
    )
    first, second = m.bookings[0].legs
    assert (first.carrier, first.number, first.operating_carrier, first.operating_number) == (
        "UA",
        "8749",
        "LH",
        "624",
    )
    assert (second.operating_carrier, second.operating_number) == ("SK", "1524")
    assert first.is_codeshare and second.is_codeshare


def test_changes_push_and_flight_number_without_zeros() -> None:
    m, _ = read_one("", head=HEAD.replace("MSG+:22", "MSG+:141").replace("EQN+1", "EQN+0"))
    assert m.action is PushAction.CHANGES
    assert m.flight is not None and (m.flight.number, m.flight.raw_number) == ("100", "0100")
    assert m.version == "13.1"


def test_eqn_zero_is_valid() -> None:
    m, findings = read_one("", head=HEAD.replace("EQN+1", "EQN+0"))
    assert m.bookings == () and m.declared_count == 0
    assert not [f for f in findings if f.code == "count-mismatch" and "EQN" in f.message]


def test_multi_part_transmission() -> None:
    part = "UNH+{n}+PNRGOV:11:1:IA+REF+{seq}'MSG+:22'EQN+1'SRC'RCI+XX:LOC{n}'TIF+A+B:A:1'UNT+7+{n}'"
    text = (
        "UNB+IATA:1+XX++240101:1200+1'"
        + part.format(n=1, seq="01:C")
        + part.format(n=2, seq="02:F")
        + "UNZ+2+1'"
    )
    result = read_pnrgov(text)
    assert [(m.part.number, m.part.final) for m in result.messages if m.part] == [
        (1, False),
        (2, True),
    ]
    assert [m.bookings[0].locator for m in result.messages if isinstance(m, PnrMessage)] == [
        "LOC1",
        "LOC2",
    ]
    assert not [f for f in result.findings if f.severity.value != "info"]


def test_history_split_and_non_air_are_not_legs_or_travellers() -> None:
    m, _ = read_one(
        "SRC'RCI+XX:ABC123'TIF+A+B:A:1'TVL+010224:1000::1200+LHR+JFK+XX+100:Y'"
        "EQN+1'RCI+XX:SPLIT1'MSG+8'TVL+010224:1500:050224+JFK:GRAND HOTEL++HH+1:ROH'"
        "ABI+1+:AGENT+LON++XX'DAT+T:300124:1010'SAC+++X'TIF+C+D:A:2'"
        "TVL+300124:1000::1200+LHR+CDG+XX+200:Y'RPI+1+HK'LTS+0/O/NM/OLD NAME'"
    )
    b = m.bookings[0]
    assert [t.surname for t in b.travellers] == ["A"]
    assert [leg.destination for leg in b.legs] == ["JFK"]
    assert [(s.locator, s.number_of_travellers) for s in b.split_references] == [("SPLIT1", 1)]
    assert [(n.kind, n.location) for n in b.non_air] == [("8", "JFK")]
    assert [(h.action, h.element) for h in b.history] == [
        ("cancelled", "name"),
        ("cancelled", "leg"),
        (None, None),
    ]
    assert b.history[1].text == "TVL+300124:1000::1200+LHR+CDG+XX+200:Y'RPI+1+HK"
    assert b.history[0].by == "XX/LON/AGENT"


def test_email_decoding_in_osi() -> None:
    m, _ = read_one("SRC'RCI+XX:ABC123'TIF+A+B:A:1'IFT+4:28::YY+CTCE JOHN..DOE//EXAMPLE.COM'")
    contact = m.bookings[0].contacts[0]
    assert (contact.kind.value, contact.value, contact.traveller_ref) == (
        "email",
        "john_doe@example.com",
        "1",
    )


def test_traveller_without_surname_is_skipped_with_an_error() -> None:
    m, findings = read_one(
        "SRC'RCI+XX:ABC123'TIF++NOBODY:A:1'SSR+DOCS:HK::XX:::::/P/GBR/1'TIF+OK+ME:A:2'"
    )
    assert [t.surname for t in m.bookings[0].travellers] == ["OK"]
    assert m.bookings[0].travellers[0].documents == ()
    errors = [f for f in findings if f.severity.value == "error"]
    assert [f.code for f in errors] == ["traveller-skipped"]
    assert "no surname" in errors[0].message and errors[0].segment is not None


def test_run_together_segments_are_split() -> None:
    m, findings = read_one(
        "SRC'RCI+XX:ABC123'TIF+A+B:A:1'TVL+010224:1000::1200+LHR+JFK+XX+100:Y'RPI+1+HKAPD+777'"
    )
    leg = m.bookings[0].legs[0]
    assert (leg.status, leg.equipment) == ("HK", "777")
    assert "missing-terminator" in [f.code for f in findings]


def test_invalid_time_is_dropped_with_a_warning() -> None:
    m, findings = read_one(
        "SRC'RCI+XX:ABC123'TIF+A+B:A:1'TVL+310513:0900:310513:4321+OOL+SIN+TZ+0002:S'"
    )
    leg = m.bookings[0].legs[0]
    assert leg.arrival is not None and (leg.arrival.hour, leg.arrival.minute) == (0, 0)
    assert [f.code for f in findings if f.code == "bad-time"] == ["bad-time"]


def test_unknown_segment_is_reported_and_the_rest_read() -> None:
    m, findings = read_one("SRC'RCI+XX:ABC123'XYZ+1'TIF+A+B:A:1'")
    assert [t.surname for t in m.bookings[0].travellers] == ["A"]
    assert "unknown-segment" in [f.code for f in findings]


@pytest.mark.parametrize(
    "data", [b"", b"garbage", b"UNH+1+PAXLST:D:05B:UN:IATA'UNT+2+1'", b"UNA:+.?*'UNB'"]
)
def test_bad_input_never_raises(data: bytes) -> None:
    result = read_pnrgov(data)
    assert result.has_errors or result.messages

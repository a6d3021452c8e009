"""PAXLST reader: golden files for the real samples, and the deviations one by one."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from paxwatch.formats.paxlst import read_paxlst
from paxwatch.model.api import ApiTraveller
from paxwatch.model.common import ApiRole, Finding, Gender, Severity, WeightUnit
from paxwatch.model.jsonable import to_jsonable
from paxwatch.model.message import ApiMessage, MessagePart, ParseResult
from tests.conftest import FIXTURES
from tests.golden import assert_matches, significant_findings

SAMPLES = (
    "apisMessage.txt",
    "flight1.txt",
    "testAPISParsingWithBagWeightAndCountInMEASegment.edi",
    "testProgressiveFlightDtm.edi",
    "testRandomApis.edi",
)

HEAD = (
    "UNA:+.?*'",
    "UNB+UNOA:4+AIR1+DHS+200130:0300+1++PAXLST",
    "UNH+M1+PAXLST:D:05B:UN:IATA",
    "BGM+745",
    "TDT+20+AA123",
    "LOC+125+ATL",
    "DTM+189:2002011540:201",
    "LOC+87+ORD",
    "DTM+232:2002011740:201",
)


def interchange(*body: str, head: tuple[str, ...] = HEAD, unt: bool = True) -> str:
    """An interchange around ``body``: the header above, then UNT (counted) and UNZ."""
    segments = [*head, *body]
    if unt:
        segments.append(f"UNT+{len(segments) - 1}+M1")
    segments.append("UNZ+1+1")
    return segments[0] + "\n" + "'\n".join(segments[1:]) + "'\n"


def only_message(result: ParseResult) -> ApiMessage:
    assert len(result.messages) == 1, result.findings
    message = result.messages[0]
    assert isinstance(message, ApiMessage)
    return message


def codes(findings: tuple[Finding, ...]) -> list[tuple[str, str]]:
    return [(f.severity.value, f.code) for f in findings if f.severity is not Severity.INFO]


# -- golden files ----------------------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.parametrize("name", SAMPLES)
def test_golden(shared_data: Path, name: str) -> None:
    data = (shared_data / "samples" / "gtas" / "paxlst" / name).read_bytes()
    expected = json.loads((FIXTURES / "paxlst" / f"{Path(name).stem}.json").read_text())
    result = read_paxlst(data)
    findings: Any = to_jsonable(list(result.findings))
    actual = {
        "messages": to_jsonable(list(result.messages)),
        "findings": significant_findings(findings),
    }
    assert_matches(expected, actual)


@pytest.mark.shared_data
def test_every_sample_has_a_golden_file(shared_data: Path) -> None:
    samples = {p.stem for p in (shared_data / "samples" / "gtas" / "paxlst").iterdir()}
    goldens = {p.stem for p in (FIXTURES / "paxlst").glob("*.json")}
    assert samples == goldens == {Path(n).stem for n in SAMPLES}


# -- travellers ------------------------------------------------------------------------------


def test_crew_and_transit_roles_and_crew_count() -> None:
    text = interchange(
        "NAD+FM+++PILOT:ANNA",
        "NAD+DDT+++CABIN:BOB",
        "NAD+DDU+++TRANSFER:CARL",
        "NAD+FL+++PAX:DORA",
        "CNT+41:2",
        "CNT+42:3",
    )
    result = read_paxlst(text)
    message = only_message(result)
    assert [t.role for t in message.travellers] == [
        ApiRole.CREW,
        ApiRole.TRANSIT_CREW,
        ApiRole.TRANSIT_PASSENGER,
        ApiRole.PASSENGER,
    ]
    assert message.declared_count == 2
    # 2 crew declared and present; 3 passengers declared, 2 present (FL + DDU).
    assert codes(result.findings) == [("warning", "count-mismatch")]
    assert "CNT+42 at segment" in result.findings[0].message
    assert "3 declared, 2 present" in result.findings[0].message


def test_release_character_in_names() -> None:
    message = only_message(read_paxlst(interchange("NAD+FL+++O?'LEARY:JEAN?+PAUL:MARY ANN")))
    traveller = message.travellers[0]
    assert traveller.surname == "O'LEARY"
    assert traveller.given_names == "JEAN+PAUL MARY ANN"
    assert traveller.raw_name == "O'LEARY:JEAN+PAUL:MARY ANN"


def test_empty_document_type_and_empty_issuing_country() -> None:
    message = only_message(
        read_paxlst(
            interchange(
                "NAD+FL+++SMITH:JOHN",
                "DOC++433419360",
                "DTM+36:230920",
                "LOC+91+",
                "DOC+P:110:111+X123",
                "DTM+182:150101",
                "LOC+91+GBR",
            )
        )
    )
    first, second = message.travellers[0].documents
    assert (first.type, first.number, first.issuing_country) == (None, "433419360", None)
    assert first.expiry == date(2023, 9, 20)
    assert (second.type, second.number, second.issuing_country) == ("P", "X123", "GBR")
    assert second.issued_on == date(2015, 1, 1)


@pytest.mark.parametrize(
    ("raw", "born"),
    [
        ("720907", date(1972, 9, 7)),
        ("000520", date(2000, 5, 20)),
        ("191231", date(2019, 12, 31)),
        ("250101", date(1925, 1, 1)),  # after the message date (2020-01-30): the past century
        ("19250101", date(1925, 1, 1)),
    ],
)
def test_two_digit_birth_years_resolve_into_the_past(raw: str, born: date) -> None:
    message = only_message(read_paxlst(interchange("NAD+FL+++SMITH:JOHN", f"DTM+329:{raw}")))
    assert message.travellers[0].date_of_birth == born


def test_traveller_details() -> None:
    message = only_message(
        read_paxlst(
            interchange(
                "NAD+FL+++SMITH:JOHN:PAUL",
                "ATT+2++M",
                "MEA+CT++3",
                "MEA+WT++LBR:40.5",
                "FTX+BAG+++AB0098:3",
                "LOC+22+JFK",
                "LOC+178+CDG",
                "LOC+179+ORD",
                "LOC+174+FRA",
                "LOC+180+PARIS",
                "NAT+2+FRA",
                "RFF+AVF:ABC123",
                "RFF+ABO:U1",
                "RFF+SEA:12A",
                "RFF+CR:X9",
            )
        )
    )
    t = message.travellers[0]
    assert t == ApiTraveller(
        role=ApiRole.PASSENGER,
        surname="SMITH",
        given_names="JOHN PAUL",
        gender=Gender.MALE,
        nationality="FRA",
        residence_country="FRA",
        birth_place="PARIS",
        embarkation="CDG",
        debarkation="ORD",
        clearance="JFK",
        seat="12A",
        bags=t.bags,
        booking_locator="ABC123",
        unique_ref="U1",
        references=(("CR", "X9"),),
        raw_name="SMITH:JOHN:PAUL",
    )
    (bag,) = t.bags
    assert (bag.count, bag.weight, bag.weight_unit) == (3, Decimal("40.5"), WeightUnit.LB)
    assert bag.tags == ("AB0098", "AB0099", "AB0100")


def test_traveller_without_surname_is_reported_and_skipped() -> None:
    result = read_paxlst(
        interchange("NAD+FL+++:JOHN", "ATT+2++M", "NAD+FL+++SMITH:JANE", "CNT+42:2")
    )
    message = only_message(result)
    assert [t.surname for t in message.travellers] == ["SMITH"]
    assert codes(result.findings) == [("error", "no-surname"), ("warning", "count-mismatch")]
    assert result.findings[0].message.startswith("NAD+FL at segment 9 (line 10) has no surname")
    assert result.findings[0].segment_text == "NAD+FL+++:JOHN"


# -- flights and messages --------------------------------------------------------------------


def test_progressive_legs_with_loc_92() -> None:
    head = HEAD[:4]
    text = interchange(
        "TDT+20+LH0400+++LH",
        "LOC+92+FRA",
        "DTM+189:2002011000:201",
        "LOC+92+JFK",
        "DTM+232:2002011300:201",
        "DTM+189:2002011500:201",
        "LOC+92+MEX",
        "DTM+232:2002012000:201",
        head=head,
    )
    message = only_message(read_paxlst(text))
    (flight,) = message.flights
    assert (flight.carrier, flight.number, flight.raw_number) == ("LH", "400", "0400")
    assert [(leg.origin, leg.destination) for leg in flight.legs] == [
        ("FRA", "JFK"),
        ("JFK", "MEX"),
    ]
    assert flight.legs[1].departure == datetime(2020, 2, 1, 15, 0)
    assert flight.arrival == datetime(2020, 2, 1, 20, 0)


def test_multi_part_messages() -> None:
    first = interchange(head=(*HEAD[:2], "UNH+M1+PAXLST:D:05B:UN:IATA++01:C", *HEAD[3:]))
    last = interchange(head=(*HEAD[:2], "UNH+M1+PAXLST:D:05B:UN:IATA++02:F", *HEAD[3:]))
    assert only_message(read_paxlst(first)).part == MessagePart(number=1, final=False)
    assert only_message(read_paxlst(last)).part == MessagePart(number=2, final=True)


def test_several_messages_and_a_missing_unt() -> None:
    one = interchange("NAD+FL+++ONE:A").split("UNZ")[0]
    two = interchange("NAD+FL+++TWO:B", unt=False).split("'\n", 2)[2]
    result = read_paxlst(one + two.replace("UNZ+1", "UNZ+2"))
    assert [m.travellers[0].surname for m in result.messages if isinstance(m, ApiMessage)] == [
        "ONE",
        "TWO",
    ]
    assert codes(result.findings) == [("warning", "unterminated-message")]


def test_unknown_segment_and_bad_date_are_errors() -> None:
    result = read_paxlst(interchange("NAD+FL+++SMITH:JOHN", "XYZ+1", "DTM+329:721399"))
    assert only_message(result).travellers[0].date_of_birth is None
    assert codes(result.findings) == [("error", "unknown-segment"), ("error", "bad-date")]


def test_segments_outside_a_message_are_reported() -> None:
    result = read_paxlst("NAD+FL+++SMITH:JOHN'ATT+2++M'")
    assert result.messages == ()
    assert codes(result.findings) == [("error", "outside-message")]


def test_other_message_types_are_not_read() -> None:
    text = interchange(head=(*HEAD[:2], "UNH+M1+CUSRES:D:05B:UN:IATA"))
    result = read_paxlst(text)
    assert result.messages == ()
    assert codes(result.findings) == [("error", "not-paxlst")]


def test_us_variant_detected_without_version() -> None:
    text = interchange(
        "CTA+IC+:JANE DOE+123:TE",
        "TDT++SA812+40+SA",
        "LOC+5+NZAKL:50",
        "DTM+136+020131+2200+M10",
        "LOC+8+USLAX:50",
        "DTM+132+020131+2500+M05",
        "UNS+D",
        "PDT+P/1:990909:US+DOE:JOHN:Q:590429:X+CRW+NZAKL:USLAX",
        head=(*HEAD[:2], "UNH+M1+PAXLST"),
    )
    result = read_paxlst(text)
    message = only_message(result)
    assert message.variant == "US"
    assert message.reporting_party is not None and message.reporting_party.phone == "123"
    traveller = message.travellers[0]
    assert (traveller.role, traveller.gender, traveller.given_names) == (
        ApiRole.CREW,
        Gender.UNSPECIFIED,
        "JOHN Q",
    )
    assert message.flights[0].legs[0].arrival == datetime(2002, 1, 31, 0, 0)
    assert codes(result.findings) == [("warning", "bad-time")]


@pytest.mark.parametrize(
    "data",
    [b"", b"\xff\xfe\x00", "UNH'", "UNH+1+PAXLST:D:05B'NAD+FL'DTM'LOC'DOC'UNT", "'" * 50],
)
def test_garbage_never_raises(data: bytes | str) -> None:
    result = read_paxlst(data)
    assert all(f.code != "internal-error" for f in result.findings)
    assert result.findings or result.messages

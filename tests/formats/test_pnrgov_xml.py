"""PNRGOV XML reader: golden samples, names, code-share, infants, bad XML, missing fields."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from paxwatch.formats.pnrgov_xml import read_pnrgov_xml
from paxwatch.model.booking import Booking, Traveller
from paxwatch.model.common import ContactKind, Severity, TravellerType
from paxwatch.model.jsonable import to_jsonable
from paxwatch.model.message import ParseResult, PnrMessage
from tests.conftest import FIXTURES
from tests.golden import assert_matches, significant_findings

SAMPLES = FIXTURES / "pnrgov_xml"
SAMPLE_NAMES = sorted(p.stem for p in SAMPLES.glob("*.xml"))
NS = 'xmlns="http://www.iata.org/IATA/2007/00"'


def _doc(pnr_body: str, *, ns: str = NS, root_attrs: str = 'Version="13.1"') -> str:
    """A minimal message around one PNR body, flight LH400 FRA-JFK."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<IATA_PNRGOV_NotifRQ {ns} {root_attrs}>
  <MessageSource><Originator AirlineCode="LH"/></MessageSource>
  <FlightLeg FlightNumber="400" DepartureDateTime="2025-03-14T10:15:00">
    <DepartureAirport LocationCode="FRA"/><ArrivalAirport LocationCode="JFK"/>
    <MarketingAirline Code="LH"/>
  </FlightLeg>
  <PNRs><PNR><BookingRefID ID="ABC123" CompanyName="LH"/>{pnr_body}</PNR></PNRs>
</IATA_PNRGOV_NotifRQ>"""


def _message(result: ParseResult) -> PnrMessage:
    assert len(result.messages) == 1
    message = result.messages[0]
    assert isinstance(message, PnrMessage)
    return message


def _booking(result: ParseResult) -> Booking:
    message = _message(result)
    assert len(message.bookings) == 1
    return message.bookings[0]


def _pax(surname: str, given: str, extra: str = "", attrs: str = 'RPH="1"') -> str:
    return (
        f"<Passenger {attrs}><GivenName>{given}</GivenName><Surname>{surname}</Surname>"
        f"{extra}</Passenger>"
    )


def _codes(result: ParseResult) -> list[str]:
    return [f.code for f in result.findings]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_golden(name: str) -> None:
    expected = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    result = read_pnrgov_xml((SAMPLES / f"{name}.xml").read_bytes())
    actual: Any = to_jsonable(result)
    assert_matches(expected["messages"], actual["messages"], "$.messages")
    assert_matches(expected["findings"], significant_findings(actual["findings"]), "$.findings")


def test_every_sample_has_a_golden_file() -> None:
    assert len(SAMPLE_NAMES) >= 4
    for name in SAMPLE_NAMES:
        assert (SAMPLES / f"{name}.json").is_file(), name


def test_str_input_with_declaration_reads_like_bytes() -> None:
    path = SAMPLES / "lh400_full_push.xml"
    assert read_pnrgov_xml(path.read_text(encoding="utf-8")) == read_pnrgov_xml(path.read_bytes())


# -- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surname", "given", "extra", "expected"),
    [
        ("SMITH", "JOHNMR", "", ("SMITH", "JOHN", "MR", None, "SMITH/JOHNMR")),
        ("SMITH", "ELIZABETHMRS", "", ("SMITH", "ELIZABETH", "MRS", None, "SMITH/ELIZABETHMRS")),
        ("PATEL", "VAISHNAVI", "", ("PATEL", "VAISHNAVI", None, None, "PATEL/VAISHNAVI")),
        ("KONG", "CHUN MRS", "", ("KONG", "CHUN", "MRS", None, "KONG/CHUN MRS")),
        ("SMITHJR", "JOHN", "", ("SMITH", "JOHN", None, "JR", "SMITHJR/JOHN")),
        ("ADAMS", "WILLIAMS", "", ("ADAMS", "WILLIAMS", None, None, "ADAMS/WILLIAMS")),
        (
            "lee",
            "anna maria",
            "<NameTitle>ms</NameTitle>",
            ("LEE", "ANNA MARIA", "MS", None, "lee/anna maria"),
        ),
        (
            "KING",
            "JAMES",
            "<NameSuffix>III</NameSuffix>",
            ("KING", "JAMES", None, "III", "KING/JAMES"),
        ),
    ],
)
def test_name_split(
    surname: str, given: str, extra: str, expected: tuple[str, str, str | None, str | None, str]
) -> None:
    booking = _booking(read_pnrgov_xml(_doc(_pax(surname, given, extra))))
    t = booking.travellers[0]
    assert (t.surname, t.given_names, t.title, t.suffix, t.raw_name) == expected


def test_several_given_name_elements_and_person_name_wrapper() -> None:
    body = (
        '<Passenger RPH="1"><PersonName><GivenName>ANNA</GivenName><GivenName>MARIA</GivenName>'
        "<Surname>ROSSI</Surname></PersonName></Passenger>"
    )
    t = _booking(read_pnrgov_xml(_doc(body))).travellers[0]
    assert (t.surname, t.given_names, t.raw_name) == ("ROSSI", "ANNA MARIA", "ROSSI/ANNA MARIA")


def test_document_name_is_kept_beside_booked_name() -> None:
    docs = (
        '<DOC_SSR><DOCS DocType="P" DocID="X1" Surname="MULLER" GivenName="HANS" '
        'BirthDate="1971-05-02" Gender="M" Nationality="DE"/></DOC_SSR>'
    )
    t = _booking(read_pnrgov_xml(_doc(_pax("MUELLER", "HANSMR", docs)))).travellers[0]
    assert t.surname == "MUELLER"
    assert t.documents[0].surname == "MULLER"
    assert t.nationality == "DEU"
    assert str(t.date_of_birth) == "1971-05-02"


# -- code-share and infants ---------------------------------------------------------------


def _flight(marketing: str, number: str, operating: str = "") -> str:
    return (
        f'<Flight RPH="1" FlightNumber="{number}" DepartureDateTime="2025-03-14T10:15:00">'
        '<DepartureAirport LocationCode="FRA"/><ArrivalAirport LocationCode="JFK"/>'
        f'<MarketingAirline Code="{marketing}"/>{operating}</Flight>'
    )


def test_codeshare_marketing_leg_operated_by_other_carrier() -> None:
    body = _flight("UA", "8840", '<OperatingAirline Code="LH" FlightNumber="0400"/>')
    leg = _booking(read_pnrgov_xml(_doc(body))).legs[0]
    assert (leg.carrier, leg.number, leg.operating_carrier, leg.operating_number) == (
        "UA",
        "8840",
        "LH",
        "400",
    )
    assert leg.is_codeshare


def test_operating_airline_alone_is_not_a_codeshare() -> None:
    body = (
        '<Flight FlightNumber="400"><DepartureAirport LocationCode="FRA"/>'
        '<ArrivalAirport LocationCode="JFK"/><OperatingAirline Code="LH"/></Flight>'
    )
    leg = _booking(read_pnrgov_xml(_doc(body))).legs[0]
    assert (leg.carrier, leg.operating_carrier, leg.is_codeshare) == ("LH", None, False)


def test_infant_with_accompanying_adult() -> None:
    body = _pax("DUPONT", "MARIEMRS") + _pax(
        "DUPONT", "LUCAS", attrs='RPH="2" PassengerTypeCode="INF" AccompanyingPassengerRPH="1"'
    )
    travellers = _booking(read_pnrgov_xml(_doc(body))).travellers
    assert [t.type for t in travellers] == [TravellerType.ADULT, TravellerType.INFANT]
    assert travellers[1].accompanying_ref == "1"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("CHD", TravellerType.CHILD), ("CNN", TravellerType.CHILD), ("IN", TravellerType.INFANT)],
)
def test_passenger_type_codes(code: str, expected: TravellerType) -> None:
    body = _pax("DOE", "JANE", attrs=f'RPH="1" PassengerTypeCode="{code}"')
    assert _booking(read_pnrgov_xml(_doc(body))).travellers[0].type is expected


# -- items placed by reference -------------------------------------------------------------


def test_seat_bag_checkin_under_flight_and_under_passenger() -> None:
    flight = _flight(
        "LH",
        "400",
        '<SeatNumber PassengerRPH="1">12A</SeatNumber><CheckIn PassengerRPH="1" Status="NOSHOW"/>',
    )
    pax = _pax(
        "DOE",
        "JANE",
        '<CheckedBaggage FlightRPH="1" Quantity="1" Weight="50" UnitOfMeasure="LB"/>'
        '<SeatNumber FlightRPH="9">14C</SeatNumber>',
    )
    result = read_pnrgov_xml(_doc(pax + flight))
    t: Traveller = _booking(result).travellers[0]
    assert [(s.seat, s.leg is not None) for s in t.seats] == [("14C", False), ("12A", True)]
    assert t.bags[0].weight_unit is not None and t.bags[0].weight_unit.value == "lb"
    assert t.bags[0].leg is not None and t.bags[0].leg.number == "400"
    assert t.check_ins[0].status == "NOSHOW"
    assert _codes(result) == ["xml.unknown_flight_ref"]


def test_history_and_split_content_is_not_read_as_travellers_or_legs() -> None:
    body = (
        _pax("DOE", "JANE")
        + '<SplitPNR ID="XYZ789" NumberInParty="1">'
        + _pax("ROE", "RICHARD")
        + _flight("LH", "1")
        + '</SplitPNR><History><HistoryItem Action="A">'
        + _pax("POE", "EDGAR", '<SeatNumber>1A</SeatNumber><SSR SSRCode="WCHR"/>')
        + "</HistoryItem></History>"
    )
    booking = _booking(read_pnrgov_xml(_doc(body)))
    assert [t.surname for t in booking.travellers] == ["DOE"]
    assert booking.legs == ()
    assert booking.special_services == ()
    assert booking.travellers[0].seats == ()
    assert booking.split_references[0].locator == "XYZ789"
    assert booking.history[0].action == "added"


def test_contacts_are_normalised_and_card_numbers_kept_masked() -> None:
    body = (
        '<ContactInfo><Telephone PhoneNumber="0033 (1) 23-45-67-89"/>'
        "<Email>Jane..Doe//Example.COM</Email></ContactInfo>"
        '<Payments><Payment PaymentType="CC"><PaymentCard CardCode="CA" '
        'CardNumber="XXXXXXXXXXXX4444"/></Payment></Payments>'
    )
    booking = _booking(read_pnrgov_xml(_doc(body)))
    assert [(c.kind, c.value) for c in booking.contacts] == [
        (ContactKind.PHONE, "+33123456789"),
        (ContactKind.EMAIL, "jane_doe@example.com"),
    ]
    assert booking.payments[0].card_number == "XXXXXXXXXXXX4444"


def test_locator_prefers_the_senders_own_record() -> None:
    body = '<BookingRefID ID="1AAAAA" CompanyName="1A"/>'
    booking = _booking(read_pnrgov_xml(_doc(body)))
    assert booking.locator == "ABC123"
    assert [r.locator for r in booking.record_locators] == ["ABC123", "1AAAAA"]


# -- missing fields ------------------------------------------------------------------------


def test_passenger_without_surname_is_reported_and_skipped() -> None:
    body = _pax("DOE", "JANE") + '<Passenger RPH="2"><GivenName>JOHN</GivenName></Passenger>'
    result = read_pnrgov_xml(_doc(body))
    assert [t.surname for t in _booking(result).travellers] == ["DOE"]
    (finding,) = result.findings
    assert finding.severity is Severity.ERROR
    assert finding.code == "xml.passenger.no_surname"
    assert finding.message.startswith("Passenger element ")
    assert finding.message.endswith("has no Surname; passenger skipped")
    assert finding.segment is not None and finding.segment > 1
    assert finding.segment_text == '<Passenger RPH="2">'
    assert finding.line is not None


def test_incomplete_leg_and_missing_locator() -> None:
    xml = _doc('<Flight FlightNumber="1"><MarketingAirline Code="LH"/></Flight>').replace(
        '<BookingRefID ID="ABC123" CompanyName="LH"/>', "<BookingRefID/>"
    )
    result = read_pnrgov_xml(xml)
    booking = _booking(result)
    assert booking.locator == ""
    assert booking.legs == ()
    assert set(_codes(result)) == {
        "xml.pnr.empty_locator",
        "xml.pnr.no_locator",
        "xml.leg.incomplete",
    }


def test_bad_values_are_warnings_and_left_empty() -> None:
    pax = _pax(
        "DOE",
        "JANE",
        '<DOC_SSR><DOCS BirthDate="1985-02-30" ExpiryDate="soon" Gender="Q"/></DOC_SSR>',
        attrs='RPH="1" PassengerTypeCode="ZZZ"',
    )
    result = read_pnrgov_xml(_doc(pax))
    doc = _booking(result).travellers[0].documents[0]
    assert (doc.date_of_birth, doc.expiry, doc.gender) == (None, None, None)
    assert all(f.severity is Severity.WARNING for f in result.findings)
    assert _codes(result) == [
        "xml.passenger.bad_type",
        "xml.bad_date",
        "xml.bad_gender",
        "xml.bad_date",
    ]


def test_no_version_no_flight_no_pnrs() -> None:
    result = read_pnrgov_xml("<IATA_PNRGOV_NotifRQ/>")
    message = _message(result)
    assert (message.version, message.flight, message.bookings) == (None, None, ())
    assert _codes(result) == ["xml.no_version", "xml.no_pnrs", "xml.no_flight"]


def test_empty_pnrs_is_valid() -> None:
    result = read_pnrgov_xml(
        '<IATA_PNRGOV_NotifRQ Version="13.1"><PNRs NumberOfPNRs="0"/>'
        '<FlightLeg FlightNumber="1"><MarketingAirline Code="LH"/></FlightLeg>'
        "</IATA_PNRGOV_NotifRQ>"
    )
    assert _message(result).bookings == ()
    assert not result.has_errors


# -- bad XML -------------------------------------------------------------------------------


def test_wrong_root_reads_nothing() -> None:
    result = read_pnrgov_xml(f"<OTA_AirBookRQ {NS}><PNRs/></OTA_AirBookRQ>")
    assert result.messages == ()
    assert _codes(result) == ["xml.wrong_root"]
    assert result.has_errors


def test_message_wrapped_in_an_envelope_is_read() -> None:
    xml = _doc(_pax("DOE", "JANE")).replace('<?xml version="1.0" encoding="UTF-8"?>', "")
    result = read_pnrgov_xml(f"<Envelope><Body>{xml}</Body></Envelope>")
    assert _booking(result).travellers[0].surname == "DOE"
    assert _codes(result) == ["xml.wrapped"]


def test_without_namespace_and_with_other_namespace() -> None:
    plain = read_pnrgov_xml(_doc(_pax("DOE", "JANE"), ns=""))
    assert _booking(plain).travellers[0].surname == "DOE"
    assert plain.findings == ()
    other = read_pnrgov_xml(_doc(_pax("DOE", "JANE"), ns='xmlns="urn:example"'))
    assert _booking(other).travellers[0].surname == "DOE"
    assert _codes(other) == ["xml.namespace"]


def test_element_names_are_case_sensitive() -> None:
    result = read_pnrgov_xml(_doc('<passenger RPH="1"><Surname>DOE</Surname></passenger>'))
    assert _booking(result).travellers == ()


@pytest.mark.parametrize("data", [b"", b"   ", b"\x00\xff\xfe", "no xml here", b"<"])
def test_not_xml_at_all(data: bytes | str) -> None:
    result = read_pnrgov_xml(data)
    assert result.messages == ()
    assert result.has_errors


def test_truncated_document_yields_what_it_could() -> None:
    full = (SAMPLES / "lh400_full_push.xml").read_bytes()
    result = read_pnrgov_xml(full[: full.index(b'<Flight RPH="2"')])
    booking = _message(result).bookings[0]
    assert [t.surname for t in booking.travellers] == ["MUELLER", "MUELLER"]
    assert len(booking.legs) == 1
    assert "xml.not_well_formed" in _codes(result)


def test_billion_laughs_is_not_expanded() -> None:
    entities = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    for body in ("<Text>&lol9;</Text>", '<Text Code="&lol9;"/>'):
        xml = (
            f'<?xml version="1.0"?><!DOCTYPE IATA_PNRGOV_NotifRQ [{entities}]>'
            + _doc(
                f'<Remark Type="RMK">&lol9;</Remark><OtherServiceInfo>{body}</OtherServiceInfo>'
            ).split("?>", 1)[1]
        )
        started = time.monotonic()
        result = read_pnrgov_xml(xml)
        assert time.monotonic() - started < 2
        text = repr(result)
        assert "lollollol" not in text
        assert len(text) < 20_000


def test_external_entity_is_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        + _doc('<Remark Type="RMK">x&xxe;y</Remark>').split("?>", 1)[1]
    )
    result = read_pnrgov_xml(xml)
    assert "TOPSECRET" not in repr(result)
    assert "xml.doctype_ignored" in _codes(result)


def test_unicode_digits_and_out_of_range_zones_are_bad_values() -> None:
    xml = _doc("").replace(
        "<PNR>", '<PNR NumberInParty="²" CreateDateTime="0001-01-01T00:00:00+05:00">'
    )
    result = read_pnrgov_xml(xml)
    booking = _booking(result)
    assert (booking.number_in_party, booking.created_at) == (None, None)
    assert _codes(result) == ["xml.bad_datetime", "xml.bad_number"]

"""PNRGOV XML round trip and robustness (hypothesis).

The strategies build *canonical* messages: only values the XML format carries, in the form
the reader returns them (upper-case ASCII names with the title and suffix split off as
``people.split_title`` / ``split_suffix`` would, normalised contacts, alpha-3 countries,
naive date-times at minute precision, raw fields of documents and addresses empty, the
traveller's date of birth, gender and nationality filled from the first document as the
reader does, the booking's locator chosen as the reader chooses it, contacts in the canonical
order of ``people.contact_order``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paxwatch.formats.people import (
    SPACED_TITLES,
    contact_from_text,
    contact_order,
    normalise_email,
    normalise_phone,
    split_suffix,
    split_title,
)
from paxwatch.formats.pnrgov_xml import PAYMENT_CODES, address_line, read_pnrgov_xml
from paxwatch.formats.pnrgov_xml_write import write_pnrgov_xml
from paxwatch.formats.values import flight_number
from paxwatch.model.booking import (
    Address,
    Agency,
    Bag,
    Booking,
    CheckIn,
    Contact,
    Document,
    Fare,
    FrequentFlyer,
    HistoryEntry,
    Leg,
    LegKey,
    Payment,
    RecordLocator,
    Remark,
    Seat,
    SpecialService,
    SplitReference,
    Tax,
    Ticket,
    Traveller,
    Visa,
)
from paxwatch.model.common import (
    ContactKind,
    Gender,
    PaymentMethod,
    PushAction,
    TravellerType,
    WeightUnit,
)
from paxwatch.model.flight import Flight, FlightLeg
from paxwatch.model.message import MessagePart, PnrMessage
from tests.conftest import FIXTURES

FAST = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = UPPER + "0123456789"
COUNTRIES = ("FRA", "DEU", "GBR", "USA", "NLD", "CMR", "ISR", "BEL", "ESP", "ITA")


def token(alphabet: str = ALNUM, min_size: int = 1, max_size: int = 8) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=min_size, max_size=max_size)


# Strategies are built once (at import, or once per argument through ``cache``), never per
# example: Hypothesis validates every new strategy object and works out its properties the
# first time it is drawn from, which cost more than the drawing itself. A strategy built once
# draws the same values as one built anew, so the examples are the same.


@cache
def words(alphabet: str = ALNUM, max_words: int = 4) -> st.SearchStrategy[str]:
    """Single-spaced words, no leading or trailing space (what the reader collapses to)."""
    return st.lists(token(alphabet), min_size=1, max_size=max_words).map(" ".join)


@cache
def opt(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.none() | strategy


@cache
def sampled(values: tuple[object, ...]) -> st.SearchStrategy[Any]:
    """``st.sampled_from(values)``, built once per tuple of values."""
    return st.sampled_from(values)


codes2 = token(ALNUM, 2, 2)
airports = token(UPPER, 3, 3)
countries = st.sampled_from(COUNTRIES)
dates = st.dates(min_value=date(1920, 1, 1), max_value=date(2060, 12, 31))
datetimes = st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2040, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
amounts = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False)
raw_flight_numbers = st.integers(0, 9999).flatmap(lambda n: st.sampled_from([str(n), f"{n:04d}"]))


@cache
@st.composite
def addresses(draw: st.DrawFn, kinds: tuple[str | None, ...]) -> Address:
    return Address(
        kind=draw(sampled(tuple(kinds))),
        street=draw(opt(words())),  # type: ignore[arg-type]
        city=draw(opt(words(UPPER))),  # type: ignore[arg-type]
        region=draw(opt(token(UPPER, 2, 3))),  # type: ignore[arg-type]
        postal_code=draw(opt(token())),  # type: ignore[arg-type]
        country=draw(opt(countries)),  # type: ignore[arg-type]
    )


@cache
@st.composite
def legs(draw: st.DrawFn) -> Leg:
    raw = draw(raw_flight_numbers)
    codeshare = draw(st.booleans())
    return Leg(
        carrier=draw(codes2),
        number=flight_number(raw),
        origin=draw(airports),
        destination=draw(airports),
        departure=draw(opt(datetimes)),  # type: ignore[arg-type]
        arrival=draw(opt(datetimes)),  # type: ignore[arg-type]
        operating_carrier=draw(codes2) if codeshare else None,
        operating_number=str(draw(st.integers(1, 9999))) if codeshare else None,
        booking_class=draw(opt(token(UPPER, 1, 1))),  # type: ignore[arg-type]
        status=draw(
            opt(
                sampled(
                    (
                        "HK",
                        "HL",
                        "TK",
                        "UN",
                    )
                )
            )
        ),  # type: ignore[arg-type]
        number_in_party=draw(opt(st.integers(0, 99))),  # type: ignore[arg-type]
        equipment=draw(opt(token(ALNUM, 3, 3))),  # type: ignore[arg-type]
        raw_number=raw,
    )


@cache
@st.composite
def documents(draw: st.DrawFn) -> Document:
    return Document(
        type=draw(
            opt(
                sampled(
                    (
                        "P",
                        "I",
                        "A",
                        "C",
                    )
                )
            )
        ),  # type: ignore[arg-type]
        number=draw(opt(token(ALNUM, 5, 9))),  # type: ignore[arg-type]
        issuing_country=draw(opt(countries)),  # type: ignore[arg-type]
        nationality=draw(opt(countries)),  # type: ignore[arg-type]
        date_of_birth=draw(opt(dates)),  # type: ignore[arg-type]
        gender=draw(opt(sampled(tuple(Gender)))),  # type: ignore[arg-type]
        expiry=draw(opt(dates)),  # type: ignore[arg-type]
        issued_on=draw(opt(dates)),  # type: ignore[arg-type]
        surname=draw(opt(words(UPPER, 2))),  # type: ignore[arg-type]
        given_names=draw(opt(words(UPPER, 3))),  # type: ignore[arg-type]
    )


@cache
@st.composite
def tickets(draw: st.DrawFn) -> Ticket:
    taxes = draw(
        st.lists(
            st.builds(
                Tax,
                amount=opt(amounts),
                code=opt(token(UPPER, 2, 2)),
                currency=opt(token(UPPER, 3, 3)),
            ),
            max_size=2,
        )
    )
    return Ticket(
        number=draw(opt(token("0123456789", 13, 13))),  # type: ignore[arg-type]
        document_type=draw(
            opt(
                sampled(
                    (
                        "TKT",
                        "EMD",
                    )
                )
            )
        ),  # type: ignore[arg-type]
        issued_on=draw(opt(dates)),  # type: ignore[arg-type]
        base_amount=draw(opt(amounts)),  # type: ignore[arg-type]
        total_amount=draw(opt(amounts)),  # type: ignore[arg-type]
        currency=draw(opt(token(UPPER, 3, 3))),  # type: ignore[arg-type]
        taxes=tuple(taxes),
        country_of_sale=draw(opt(countries)),  # type: ignore[arg-type]
        fare_calculation=draw(opt(words())),  # type: ignore[arg-type]
        one_way=draw(opt(st.booleans())),  # type: ignore[arg-type]
    )


_NONE = st.none()
_OPT_ONE = opt(st.just("1"))
_OPT_V = opt(st.just("V"))
_EMPTY_OR_GIVEN = st.just("") | words(UPPER, 3)
_EMPTY_OR_WORDS = st.just("") | words()
_FREE_TEXT = words().filter(lambda t: contact_from_text(t) is None)
_ITINERARIES = st.lists(legs(), max_size=3, unique_by=lambda leg: leg.key)


@st.composite
def travellers(draw: st.DrawFn, ref: str, keys: list[LegKey]) -> Traveller:
    surname, suffix = split_suffix(draw(words(UPPER, 2)))
    given, title = split_title(draw(_EMPTY_OR_GIVEN))
    if title is None and draw(st.booleans()):
        title = draw(sampled(tuple(SPACED_TITLES)))
    if suffix is None and draw(st.booleans()):
        suffix = draw(
            sampled(
                (
                    "JR",
                    "SR",
                    "II",
                    "III",
                )
            )
        )
    docs = tuple(draw(st.lists(documents(), max_size=2)))
    leg_keys = opt(sampled(tuple(keys)) if keys else _NONE)
    seats = st.builds(Seat, seat=token(ALNUM, 2, 4), leg=leg_keys, cabin=opt(token(UPPER, 1, 1)))
    bags = st.builds(
        Bag,
        count=opt(st.integers(0, 9)),
        weight=opt(st.integers(0, 200).map(Decimal)),
        weight_unit=opt(sampled(tuple(WeightUnit))),
        tags=st.lists(token(ALNUM, 6, 10), max_size=2).map(tuple),
        head_of_pool=st.booleans(),
        destination=opt(airports),
        leg=leg_keys,
    )
    check_ins = st.builds(
        CheckIn,
        status=sampled(
            (
                "CHECKED-IN",
                "BOARDED",
                "NOSHOW",
                "GOSHOW",
            )
        ),
        leg=leg_keys,
        checked_in_at=opt(datetimes),
        sequence_number=opt(token("0123456789", 1, 3)),
        agent=opt(token()),
        cabin=opt(token(UPPER, 1, 1)),
    )
    return Traveller(
        ref=ref,
        surname=surname,
        given_names=given,
        title=title,
        suffix=suffix,
        raw_name=f"{surname}/{given}" if given else surname,
        type=draw(sampled(tuple(TravellerType))),
        date_of_birth=draw(opt(dates))  # type: ignore[arg-type]
        or next((d.date_of_birth for d in docs if d.date_of_birth), None),
        gender=draw(opt(sampled(tuple(Gender))))  # type: ignore[arg-type]
        or next((d.gender for d in docs if d.gender), None),
        nationality=draw(opt(countries))  # type: ignore[arg-type]
        or next((d.nationality for d in docs if d.nationality), None),
        accompanying_ref=draw(_OPT_ONE),  # type: ignore[arg-type]
        documents=docs,
        visas=tuple(
            draw(
                st.lists(
                    st.builds(
                        Visa,
                        type=_OPT_V,
                        number=opt(token()),
                        place_of_birth=opt(words(UPPER, 2)),
                        place_of_issue=opt(words(UPPER, 2)),
                        issued_on=opt(dates),
                        country=opt(countries),
                    ),
                    max_size=1,
                )
            )
        ),
        addresses=tuple(draw(st.lists(addresses(("residence", "destination", None)), max_size=2))),
        frequent_flyers=tuple(
            draw(
                st.lists(
                    st.builds(FrequentFlyer, airline=codes2, number=token(), tier=opt(token())),
                    max_size=2,
                )
            )
        ),
        tickets=tuple(draw(st.lists(tickets(), max_size=2))),
        fares=tuple(
            draw(
                st.lists(
                    st.builds(
                        Fare,
                        passenger_type=opt(
                            sampled(
                                (
                                    "ADT",
                                    "CHD",
                                    "INF",
                                )
                            )
                        ),
                        age=opt(st.integers(0, 99)),
                        fare_basis=opt(token()),
                    ),
                    max_size=1,
                )
            )
        ),
        seats=tuple(draw(st.lists(seats, max_size=2))),
        bags=tuple(draw(st.lists(bags, max_size=2))),
        check_ins=tuple(draw(st.lists(check_ins, max_size=2))),
        unique_ref=draw(opt(token())),  # type: ignore[arg-type]
    )


@cache
@st.composite
def contacts(draw: st.DrawFn, refs: tuple[str, ...]) -> Contact:
    ref = draw(opt(sampled(tuple(refs)))) if refs else None
    kind = draw(sampled(tuple(ContactKind)))
    if kind is ContactKind.PHONE:
        raw = draw(
            sampled(
                (
                    "+",
                    "00",
                    "",
                )
            )
        ) + " ".join(draw(st.lists(token("0123456789", 2, 4), min_size=2, max_size=4)))
        source = draw(
            sampled(
                (
                    "ContactInfo",
                    "SSR CTCM",
                )
            )
        )
        return Contact(
            kind=kind, value=normalise_phone(raw), raw=raw, source=source, traveller_ref=ref
        )
    if kind is ContactKind.EMAIL:
        raw = f"{draw(token(ALNUM + '.'))}{draw(sampled(('@', '//')))}{draw(token())}.COM"
        source = draw(
            sampled(
                (
                    "ContactInfo",
                    "SSR CTCE",
                )
            )
        )
        return Contact(
            kind=kind, value=normalise_email(raw), raw=raw, source=source, traveller_ref=ref
        )
    if kind is ContactKind.ADDRESS:
        address = draw(addresses(("home", "business", None)))
        line = address_line(address)
        if not line:
            address = Address(city="PARIS")
            line = address_line(address)
        return Contact(
            kind=kind,
            value=line,
            raw=line,
            source="ContactInfo",
            traveller_ref=ref,
            address=address,
        )
    text = draw(words())
    return Contact(kind=kind, value=text, raw=text, source="ContactInfo", traveller_ref=ref)


@cache
@st.composite
def payments(draw: st.DrawFn, refs: tuple[str, ...]) -> Payment:
    raw = draw(
        sampled(
            (
                "CC",
                "CA",
                "CK",
                "INV",
                "MS",
                "MILES",
                "MI",
            )
        )
    )
    card = raw == "CC"
    return Payment(
        method=PAYMENT_CODES.get(raw, PaymentMethod.OTHER),
        raw_method=raw,
        amount=draw(opt(amounts)),  # type: ignore[arg-type]
        currency=draw(opt(token(UPPER, 3, 3))),  # type: ignore[arg-type]
        card_vendor=draw(opt(token(UPPER, 2, 2))) if card else None,  # type: ignore[arg-type]
        card_number=("XXXXXXXXXXXX" + draw(token("0123456789", 4, 4))) if card else None,
        card_expiry=draw(opt(token("0123456789", 4, 4))) if card else None,  # type: ignore[arg-type]
        payer_name=draw(opt(words(UPPER, 3))),  # type: ignore[arg-type]
        payer_phone=draw(opt(token("0123456789", 6, 12))),  # type: ignore[arg-type]
        billing_address=draw(opt(addresses(("billing", None)))),  # type: ignore[arg-type]
        traveller_ref=draw(opt(sampled(tuple(refs)))) if refs else None,
    )


@cache
@st.composite
def remarks(draw: st.DrawFn, refs: tuple[str, ...]) -> Remark:
    kind = draw(
        sampled(
            (
                "OSI",
                "RMK",
            )
        )
    )
    text = draw(_FREE_TEXT)
    return Remark(
        kind=kind,
        text=text,
        traveller_ref=draw(opt(sampled(tuple(refs)))) if refs else None,
        code=draw(opt(codes2)),  # type: ignore[arg-type]
    )


@st.composite
def bookings(draw: st.DrawFn, sender: str | None, carrier: str | None = None) -> Booking:
    itinerary = draw(_ITINERARIES)
    keys = [leg.key for leg in itinerary]
    n = draw(st.integers(0, 3))
    refs = [str(i + 1) for i in range(n)]
    records = draw(
        st.lists(
            st.builds(
                RecordLocator,
                locator=token(ALNUM, 6, 6),
                system=opt(
                    sampled(
                        (
                            sender or "LH",
                            "1A",
                            "1S",
                        )
                    )
                ),
                created_at=opt(datetimes),
            ),
            min_size=1,
            max_size=2,
        )
    )
    preferred = tuple(x for x in (carrier, sender) if x)
    own = [r for r in records if r.system in preferred]
    ref_or_none = opt(sampled(tuple(refs))) if refs else _NONE
    services = st.builds(
        SpecialService,
        code=sampled(
            (
                "WCHR",
                "VGML",
                "DEAF",
                "UMNR",
                "PETC",
            )
        ),
        status=opt(
            sampled(
                (
                    "HK",
                    "NN",
                )
            )
        ),
        text=opt(words()),
        traveller_ref=ref_or_none,
        leg=opt(sampled(tuple(keys))) if keys else _NONE,
    )
    return Booking(
        locator=(own or records)[0].locator,
        record_locators=tuple(records),
        created_at=draw(opt(datetimes)),  # type: ignore[arg-type]
        last_changed_at=draw(opt(datetimes)),  # type: ignore[arg-type]
        number_in_party=draw(opt(st.integers(0, 99))),  # type: ignore[arg-type]
        group_name=draw(opt(words(UPPER))),  # type: ignore[arg-type]
        travellers=tuple(draw(travellers(ref, keys)) for ref in refs),
        legs=tuple(itinerary),
        contacts=tuple(
            contact_order(draw(st.lists(contacts(tuple(refs)), max_size=4)), list(refs))
        ),
        payments=tuple(draw(st.lists(payments(tuple(refs)), max_size=2))),
        agency=draw(
            opt(
                st.builds(
                    Agency,
                    system=opt(codes2),
                    location=opt(airports),
                    iata_number=opt(token("0123456789", 8, 8)),
                    pseudo_city=opt(token()),
                    agent_id=opt(token()),
                    country=opt(countries),
                    currency=opt(token(UPPER, 3, 3)),
                    type=opt(
                        sampled(
                            (
                                "5",
                                "AGENCY",
                            )
                        )
                    ),
                )
            )
        ),  # type: ignore[arg-type]
        split_references=tuple(
            draw(
                st.lists(
                    st.builds(
                        SplitReference,
                        locator=opt(token(ALNUM, 6, 6)),
                        system=opt(codes2),
                        number_of_travellers=opt(st.integers(0, 9)),
                    ),
                    max_size=1,
                )
            )
        ),
        history=tuple(
            draw(
                st.lists(
                    st.builds(
                        HistoryEntry,
                        at=opt(datetimes),
                        action=sampled(
                            (
                                "added",
                                "cancelled",
                                "changed",
                                None,
                            )
                        ),
                        element=opt(
                            sampled(
                                (
                                    "NAME",
                                    "SEAT",
                                    "SSR",
                                )
                            )
                        ),
                        text=_EMPTY_OR_WORDS,
                        by=opt(token()),
                    ),
                    max_size=2,
                )
            )
        ),
        remarks=tuple(draw(st.lists(remarks(tuple(refs)), max_size=2))),
        special_services=tuple(draw(st.lists(services, max_size=2))),
    )


@st.composite
def messages(draw: st.DrawFn) -> PnrMessage:
    sender = draw(opt(codes2))
    raw = draw(raw_flight_numbers)
    flight_legs = st.builds(
        FlightLeg,
        origin=airports,
        destination=airports,
        departure=opt(datetimes),
        arrival=opt(datetimes),
    )
    flight = Flight(
        carrier=draw(codes2),
        number=flight_number(raw),
        legs=tuple(draw(st.lists(flight_legs, max_size=3))),
        raw_number=raw,
    )
    booked = tuple(draw(st.lists(bookings(sender, flight.carrier), max_size=2)))  # type: ignore[arg-type]
    part = draw(opt(st.builds(MessagePart, number=st.integers(1, 99), final=st.booleans())))
    return PnrMessage(
        version=draw(
            sampled(
                (
                    "13.1",
                    "14.1",
                    "16.1",
                )
            )
        ),
        syntax="xml",
        sender=sender,  # type: ignore[arg-type]
        recipient=draw(opt(token())),  # type: ignore[arg-type]
        prepared_at=draw(opt(datetimes)),  # type: ignore[arg-type]
        reference=draw(opt(token(ALNUM + "-", 1, 20))),  # type: ignore[arg-type]
        part=part,  # type: ignore[arg-type]
        action=draw(opt(sampled(tuple(PushAction)))),  # type: ignore[arg-type]
        flight=flight,
        declared_count=draw(
            sampled(
                (
                    None,
                    len(booked),
                )
            )
        ),
        bookings=booked,
    )


@FAST
@given(messages())
def test_write_then_read_gives_the_same_message(message: PnrMessage) -> None:
    text = write_pnrgov_xml(message)
    result = read_pnrgov_xml(text)
    assert result.messages == (message,)
    assert not result.has_errors, result.findings


def test_writer_output_of_each_sample_reads_back_identically() -> None:
    """Samples are not canonical, but writing what was read and reading it again is stable."""
    for path in sorted((FIXTURES / "pnrgov_xml").glob("*.xml")):
        first = read_pnrgov_xml(path.read_bytes())
        for message in first.messages:
            assert isinstance(message, PnrMessage)
            again = read_pnrgov_xml(write_pnrgov_xml(message).encode("utf-8"))
            assert again.messages == (message,), path.name


SAMPLE_BYTES = [p.read_bytes() for p in sorted(Path(FIXTURES / "pnrgov_xml").glob("*.xml"))]


@FAST
@given(st.binary(max_size=2000) | st.text(max_size=2000))
def test_arbitrary_input_never_raises(data: bytes | str) -> None:
    result = read_pnrgov_xml(data)
    assert "xml.internal" not in [f.code for f in result.findings]


@st.composite
def mutated_samples(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLE_BYTES)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(
            sampled(
                (
                    "delete",
                    "insert",
                    "duplicate",
                    "truncate",
                    "flip",
                )
            )
        )
        at = draw(st.integers(0, len(data)))
        if op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "insert":
            insert = draw(
                st.binary(max_size=12)
                | sampled(
                    (
                        b"<",
                        b">",
                        b"&",
                        b'"',
                        b"</PNR>",
                        b"<Passenger>",
                        b"&lol;",
                    )
                )
            )
            data[at:at] = insert
        elif op == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        elif op == "truncate":
            del data[at:]
        elif data and at < len(data):
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


@FAST
@given(mutated_samples())
def test_mutated_samples_never_raise(data: bytes) -> None:
    result = read_pnrgov_xml(data)
    assert "xml.internal" not in [f.code for f in result.findings]

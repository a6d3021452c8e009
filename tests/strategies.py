"""Hypothesis strategies for the PNR model (``Booking``, ``Traveller``, ``PnrMessage``...).

Values are *canonical*: what a PNR format can carry and a reader gives back unchanged.
Names and free texts are upper-case ASCII, single-spaced, stripped; some contain the
EDIFACT separators ``' + : ? *`` to exercise escaping. Dates keep two-digit years readable
relative to ``pivot`` (the message date): body dates within 40 years of it, births up to
90 years before it, expiries from 15 years before to 30 after. Times have minute
precision. Derived fields are computed the way readers compute them:

* ``canonical_traveller`` composes ``raw_name`` from surname, suffix, given names and title
  (``SMITHJR/JOHNMR``) and lifts date of birth, gender and nationality from the documents;
* an infant's ``accompanying_ref`` is the nearest adult before it;
* seats, check-ins and bags sit on the booking's legs; a seat's cabin is that of the
  check-in on the same leg; a bag's destination is the fourth component of its first tag;
* ``Booking.locator`` / ``created_at`` come from the reporting carrier's record locator
  (``with_locator``); a payment without a currency of its own and with an amount has that
  of its traveller's last ticket;
* contacts are in the canonical order (``people.contact_order``), an address contact's
  ``value`` is ``people.address_value`` of its address.

``raw`` fields are filled with the EDIFACT writer's text (``paxwatch.formats.pnrgov_write``
helpers); a strategy for another format can map them with ``dataclasses.replace``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import TypeVar

from hypothesis import strategies as st

from paxwatch.formats.people import (
    address_value,
    contact_from_text,
    contact_order,
    normalise_email,
    normalise_phone,
    split_suffix,
    split_title,
)
from paxwatch.formats.pnrgov_elements import canonical
from paxwatch.formats.pnrgov_write import (
    add_raw,
    agency_raw,
    doca_text,
    doco_text,
    docs_text,
    fare_raw,
    non_air_raw,
)
from paxwatch.formats.values import flight_number
from paxwatch.model import (
    Address,
    Agency,
    Bag,
    Booking,
    CheckIn,
    Contact,
    ContactKind,
    Document,
    Fare,
    Flight,
    FlightLeg,
    FrequentFlyer,
    Gender,
    HistoryEntry,
    Leg,
    MessagePart,
    NonAirSegment,
    Payment,
    PaymentMethod,
    PnrMessage,
    PushAction,
    RecordLocator,
    Remark,
    Seat,
    SpecialService,
    SplitReference,
    Tax,
    Ticket,
    Traveller,
    TravellerType,
    Visa,
    WeightUnit,
)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
SEPARATORS = "'+:?*"
GLUED = ("MR", "MRS", "MS", "MISS", "MSTR")
SPACED = ("DR", "PROF", "REV")
COUNTRIES = ("GBR", "USA", "FRA", "DEU", "KOR", "THA", "CHN", "NLD", "BEL", "IND")
PAYMENT_CODES = {
    "CC": PaymentMethod.CARD,
    "CA": PaymentMethod.CASH,
    "CK": PaymentMethod.CHEQUE,
    "INV": PaymentMethod.INVOICE,
    "MS": PaymentMethod.OTHER,
    "MI": PaymentMethod.MILES,
    "MILES": PaymentMethod.MILES,
}
CHECK_IN_STATUSES = ("checked_in", "checked_in", "BOARDED", "NO-SHOW", "GOSHOW")

codes2 = st.text(LETTERS, min_size=2, max_size=2)
codes3 = st.text(LETTERS, min_size=3, max_size=3)
alnum = st.text(LETTERS + DIGITS, min_size=1, max_size=10)
digits = st.text(DIGITS, min_size=1, max_size=10)
plain_word = st.text(LETTERS, min_size=2, max_size=9)
plain_words = st.lists(plain_word, min_size=1, max_size=3).map(" ".join)
# Words with separators inside (never first or last: readers strip the edges of fields).
sep_word = st.builds(lambda a, s, b: a + s + b, plain_word, st.sampled_from(SEPARATORS), plain_word)
word = st.one_of(plain_word, plain_word, sep_word)
words = st.lists(word, min_size=1, max_size=4).map(" ".join)
countries = st.sampled_from(COUNTRIES)
amounts = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False)


T = TypeVar("T")

# Strategies are built once (at import, or once per argument through ``cache``), never inside
# a draw: Hypothesis validates every new strategy object and works out its properties
# (``is_empty``...) the first time it is drawn from, which cost several times the drawing
# itself when the composites below built theirs per example. A strategy drawn from is the
# same whether built once or anew, so the examples are the same.


@cache
def opt(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    """``strategy`` or None."""
    return st.one_of(st.none(), strategy)


@cache
def one_of_values(values: tuple[T, ...]) -> st.SearchStrategy[T]:
    """``st.sampled_from(values)``, built once per tuple of values."""
    return st.sampled_from(values)


def minutes(lo: datetime, hi: datetime) -> st.SearchStrategy[datetime]:
    """Datetimes between ``lo`` and ``hi`` with minute precision."""
    return st.datetimes(min_value=lo, max_value=hi).map(
        lambda d: d.replace(second=0, microsecond=0)
    )


@cache
def _near_years(year: int, years: int) -> st.SearchStrategy[datetime]:
    lo = datetime(max(year - years, 1901), 1, 1)
    return minutes(lo, datetime(year + years, 12, 31, 23, 59))


def near(pivot: date, years: int = 40) -> st.SearchStrategy[datetime]:
    """Minute-precision datetimes within ``years`` of ``pivot``."""
    return _near_years(pivot.year, years)


@cache
def _near_date_years(year: int, years: int) -> st.SearchStrategy[date]:
    return _near_years(year, years).map(lambda d: d.date())


def near_date(pivot: date, years: int = 40) -> st.SearchStrategy[date]:
    return _near_date_years(pivot.year, years)


@cache
def dates_between(lo: date, hi: date) -> st.SearchStrategy[date]:
    return st.dates(lo, hi)


@cache
def _just(value: T) -> st.SearchStrategy[T]:
    return st.just(value)


_WORDS_OR_EMPTY = st.one_of(words, st.just(""))
_T = st.just("T")
_TAXES = st.lists(st.builds(Tax, amount=amounts, code=codes2, currency=opt(codes3)), max_size=3)
_OPT_BILLING = opt(words.map(lambda t: Address(kind="billing", raw=t)))
_OPT_OPERATING_NUMBER = opt(st.integers(1, 9999).map(str))
_OPT_WEIGHT = opt(st.integers(1, 99).map(Decimal))
_FREQUENT_FLYERS = st.lists(
    st.builds(FrequentFlyer, airline=codes2, number=digits, tier=opt(plain_word)), max_size=2
)
_OPT_AGENCY = opt(
    st.builds(
        Agency,
        system=opt(codes2),
        location=opt(codes3),
        iata_number=opt(digits),
        pseudo_city=opt(alnum),
        agent_id=opt(alnum),
        country=opt(countries),
        currency=opt(codes3),
        type=opt(st.just("A")),
    )
)
_SPLITS = st.lists(
    st.builds(
        SplitReference,
        locator=opt(alnum),
        number_of_travellers=opt(st.integers(0, 9)),
    ).map(lambda s: replace(s, system="DL") if s.locator else s),
    max_size=2,
)
_VERSIONS = st.sampled_from([f"{v}.1" for v in range(10, 17)])
_OPT_PART = opt(st.builds(MessagePart, number=st.integers(1, 99), final=st.booleans()))


@cache
def _record_locators(year: int) -> st.SearchStrategy[list[RecordLocator]]:
    return st.lists(
        st.builds(
            RecordLocator,
            locator=alnum,
            system=opt(codes2),
            created_at=opt(_near_years(year, 40)),
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda r: (r.locator, r.system),
    )


@cache
def _non_air_segments(year: int) -> st.SearchStrategy[list[NonAirSegment]]:
    return st.lists(
        st.builds(
            NonAirSegment,
            kind=opt(one_of_values(("8", "HHL", "CAR"))),
            location=opt(codes3),
            start=opt(_near_date_years(year, 40)),
            end=opt(_near_date_years(year, 40)),
            provider=opt(codes2),
        ),
        max_size=2,
    )


# -- travellers --------------------------------------------------------------------------------


def compose_raw_name(surname: str, given: str, title: str | None, suffix: str | None) -> str:
    """``SURNAME[SUFFIX]/GIVEN[TITLE]`` as carriers write it (a spaced title after a space)."""
    sur = surname + (suffix or "")
    if title:
        given = given + title if title in GLUED else f"{given} {title}"
    return f"{sur}/{given}" if given else sur


def _names_ok(surname: str, given: str, title: str | None, suffix: str | None) -> bool:
    if split_suffix(surname + (suffix or "")) != (surname, suffix):
        return False
    if not given:
        return title is None
    glued = given + title if title in GLUED else (f"{given} {title}" if title else given)
    return split_title(glued) == (given, title)


def canonical_traveller(
    *,
    surname: str,
    given_names: str = "",
    title: str | None = None,
    suffix: str | None = None,
    ref: str | None = None,
    type: TravellerType = TravellerType.ADULT,
    documents: tuple[Document, ...] = (),
    **fields: object,
) -> Traveller:
    """A traveller whose derived fields agree with its parts: ``raw_name`` composed, date
    of birth / gender / nationality lifted from the first document that gives them."""
    return Traveller(
        ref=ref,
        surname=surname,
        given_names=given_names,
        title=title,
        suffix=suffix,
        raw_name=compose_raw_name(surname, given_names, title, suffix),
        type=type,
        date_of_birth=next((d.date_of_birth for d in documents if d.date_of_birth), None),
        gender=next((d.gender for d in documents if d.gender), None),
        nationality=next((d.nationality for d in documents if d.nationality), None),
        documents=documents,
        **fields,  # type: ignore[arg-type]
    )


@cache
@st.composite
def names(draw: st.DrawFn) -> tuple[str, str, str | None, str | None]:
    """(surname, given names, title, suffix) that split back into the same parts."""
    surname = draw(words)
    given = draw(_WORDS_OR_EMPTY) if draw(st.booleans()) else draw(plain_words)
    title = draw(opt(one_of_values(GLUED + SPACED))) if given else None
    suffix = draw(opt(one_of_values(("JR", "SR"))))
    if not _names_ok(surname, given, title, suffix):
        title = suffix = None
        if not _names_ok(surname, given, None, None):
            surname, given = "SMITH", "JOHN"
    return surname, given, title, suffix


@st.composite
def documents(draw: st.DrawFn, pivot: date, number: str) -> Document:
    """An SSR DOCS document with ``raw`` as the writer writes it."""
    p = pivot.year
    doc = Document(
        type=draw(opt(one_of_values(("P", "I", "A", "C")))),
        number=number,
        issuing_country=draw(opt(countries)),
        nationality=draw(opt(countries)),
        date_of_birth=draw(opt(dates_between(date(p - 90, 1, 1), date(p, 12, 31)))),
        gender=draw(opt(one_of_values(tuple(Gender)))),
        expiry=draw(opt(dates_between(date(p - 15, 1, 1), date(p + 30, 12, 31)))),
        surname=draw(opt(words)),
        given_names=draw(opt(words)),
    )
    return replace(doc, raw=docs_text(doc))


@cache
@st.composite
def visas(draw: st.DrawFn, year: int) -> Visa:
    v = Visa(
        type="V",
        number=draw(opt(alnum)),
        place_of_birth=draw(opt(words)),
        place_of_issue=draw(opt(words)),
        issued_on=draw(opt(dates_between(date(year - 30, 1, 1), date(year, 12, 31)))),
        country=draw(opt(countries)),
    )
    return replace(v, raw=doco_text(v))


@cache
@st.composite
def doca_addresses(draw: st.DrawFn) -> Address:
    a = Address(
        kind=draw(one_of_values(("residence", "destination"))),
        country=draw(opt(countries)),
        street=draw(opt(words)),
        city=draw(opt(words)),
        region=draw(opt(codes2)),
        postal_code=draw(opt(alnum)),
    )
    return replace(a, raw=doca_text(a))


@cache
@st.composite
def tickets(draw: st.DrawFn, year: int) -> Ticket:
    taxes = draw(_TAXES)
    return Ticket(
        number=draw(opt(st.text(DIGITS, min_size=13, max_size=13))),
        document_type=draw(opt(_T)),
        issued_on=draw(opt(_near_date_years(year, 40))),
        base_amount=draw(opt(amounts)),
        total_amount=draw(opt(amounts)),
        currency=draw(opt(codes3)),
        taxes=tuple(taxes),
        country_of_sale=draw(opt(codes3)),
        fare_calculation=draw(opt(words)),
    )


@cache
@st.composite
def fares(draw: st.DrawFn) -> Fare:
    f = Fare(
        passenger_type=draw(opt(one_of_values(("A", "N", "C")))),
        age=draw(opt(st.integers(0, 99))),
        fare_basis=draw(opt(alnum)),
    )
    return replace(f, raw=fare_raw(f))


@cache
@st.composite
def payments(draw: st.DrawFn, ref: str | None, currency: str | None) -> Payment:
    """A payment of traveller ``ref``; ``currency`` is that of its last ticket."""
    code = draw(one_of_values((*PAYMENT_CODES, "VO")))
    card = code == "CC"
    amount = draw(opt(amounts))
    own_currency = draw(opt(codes3))
    return Payment(
        method=PAYMENT_CODES.get(code, PaymentMethod.OTHER),
        raw_method=code,
        amount=amount,
        currency=own_currency or (currency if amount is not None else None),
        card_vendor=draw(opt(codes2)) if card else None,
        card_number=("XXXXXXXXXXXX" + draw(st.text(DIGITS, min_size=4, max_size=4)))
        if card
        else None,
        card_expiry=draw(opt(st.text(DIGITS, min_size=4, max_size=4))) if card else None,
        payer_name=draw(opt(words)),
        payer_phone=draw(opt(st.from_regex(r"[1-9][0-9]{6,11}", fullmatch=True))),
        billing_address=draw(_OPT_BILLING),
        traveller_ref=ref,
    )


def osi_text(draw: st.DrawFn) -> str:
    """An OSI contact line (``CTCE NAME..X//HOST.COM``, ``CTCM 0044...``)."""
    if draw(st.booleans()):
        user = draw(plain_word) + draw(one_of_values(("", "..", "."))) + draw(plain_word)
        return f"CTCE {user}//{draw(plain_word)}.COM"
    number = draw(st.from_regex(r"00[1-9][0-9]{6,10}", fullmatch=True))
    return f"CTC{draw(one_of_values(tuple('MHBR')))} {number}"


def osi_contact(text: str, ref: str | None) -> Contact:
    found = contact_from_text(text)
    assert found is not None
    kind, value, code = found
    return Contact(kind=kind, value=value, raw=text, source="OSI " + code, traveller_ref=ref)


@cache
@st.composite
def ssr_contacts(draw: st.DrawFn, ref: str | None) -> Contact:
    if draw(st.booleans()):
        raw = f"{draw(plain_word)}//{draw(plain_word)}.COM"
        return Contact(
            kind=ContactKind.EMAIL,
            value=normalise_email(raw),
            raw=raw,
            source="SSR CTCE",
            traveller_ref=ref,
        )
    raw = draw(st.from_regex(r"[1-9][0-9]{6,11}", fullmatch=True))
    return Contact(
        kind=ContactKind.PHONE,
        value=normalise_phone(raw),
        raw=raw,
        source="SSR CTCM",
        traveller_ref=ref,
    )


@cache
@st.composite
def add_contacts(draw: st.DrawFn, ref: str | None) -> Contact:
    """A contact filed in ADD: an address, a phone, or an e-mail as ``CTCE …``."""
    kind = draw(one_of_values(tuple(ContactKind)[:3]))
    if kind is ContactKind.ADDRESS:
        a = Address(
            kind=draw(opt(one_of_values(("700", "701", "702")))),
            street=draw(plain_words),
            city=draw(opt(plain_words)),
            region=draw(opt(codes2)),
            country=draw(opt(countries)),
            postal_code=draw(opt(alnum)),
        )
        a = replace(a, raw=add_raw(a))
        return Contact(
            kind=kind, value=address_value(a), raw=a.raw, source="ADD", traveller_ref=ref, address=a
        )
    if kind is ContactKind.EMAIL:
        value = f"{draw(plain_word)}{draw(one_of_values(('', '_', '.')))}{draw(plain_word)}"
        value = f"{value}@{draw(plain_word)}.com".lower()
        return Contact(kind=kind, value=value, raw=f"CTCE {value}", source="ADD", traveller_ref=ref)
    raw = draw(st.from_regex(r"(00)?[1-9][0-9]{6,11}", fullmatch=True))
    return Contact(kind=kind, value=normalise_phone(raw), raw=raw, source="ADD", traveller_ref=ref)


@cache
def free_remark_text() -> st.SearchStrategy[str]:
    return words.filter(lambda t: contact_from_text(t) is None)


@cache
@st.composite
def remarks(draw: st.DrawFn, ref: str | None) -> Remark:
    kind = draw(one_of_values(("OSI", "IFT", "EBD")))
    if kind == "EBD":
        text = f"{draw(codes3)}:{draw(amounts)}+{draw(st.integers(1, 9))}"
        return Remark(kind="EBD", text=text, traveller_ref=ref)
    if kind == "IFT":
        code = draw(one_of_values(("4:63", "4:3", "3:5")))
        return Remark(kind="IFT", text=draw(free_remark_text()), traveller_ref=ref, code=code)
    return Remark(
        kind="OSI", text=draw(free_remark_text()), traveller_ref=ref, code=draw(opt(codes2))
    )


special_codes = st.sampled_from(("AVML", "VGML", "WCHR", "MEDA", "OTHS", "CKIN", "TKNE"))


@cache
@st.composite
def special_services(draw: st.DrawFn, ref: str | None, leg: Leg | None = None) -> SpecialService:
    return SpecialService(
        code=draw(special_codes),
        status=draw(opt(one_of_values(("HK", "HN", "KK")))),
        text=draw(opt(words)),
        traveller_ref=ref,
        leg=leg.key if leg is not None else None,
    )


# -- legs, bookings, messages ----------------------------------------------------------------


@st.composite
def legs(draw: st.DrawFn, pivot: date, index: int) -> Leg:
    """An itinerary leg; ``index`` makes its flight number unique within a booking."""
    raw_number = draw(one_of_values(("", "0", "00"))) + str(index + 1) + draw(digits)[:2]
    departure = draw(opt(near(pivot)))
    arrival = None
    if departure is not None and draw(st.booleans()):
        arrival = departure + timedelta(minutes=draw(st.integers(30, 1500)))
    return Leg(
        carrier=draw(codes2),
        number=flight_number(raw_number),
        origin=draw(codes3),
        destination=draw(codes3),
        departure=departure,
        arrival=arrival,
        operating_carrier=draw(opt(codes2)),
        operating_number=draw(_OPT_OPERATING_NUMBER),
        booking_class=draw(opt(one_of_values(tuple(LETTERS)))),
        status=draw(opt(one_of_values(("HK", "HN", "K", "HL")))),
        number_in_party=draw(opt(st.integers(1, 9))),
        equipment=draw(opt(one_of_values(("777", "320", "738", "333")))),
        raw_number=raw_number,
    )


def _tag(draw: st.DrawFn) -> str:
    carrier, number = draw(codes2), draw(st.text(DIGITS, min_size=4, max_size=10))
    if draw(st.booleans()):
        return f"{carrier}:{number}::{draw(codes3)}:{draw(st.integers(1, 9))}"
    return f"{carrier}:{number}"


@st.composite
def traveller_on_legs(
    draw: st.DrawFn,
    pivot: date,
    index: int,
    booking_legs: list[Leg],
    checkins: dict[int, tuple[datetime | None, str | None]],
) -> Traveller:
    """A traveller with documents, tickets... and seats / check-ins / bags on the legs."""
    surname, given, title, suffix = draw(names())
    ref = str(index + 1)
    docs = tuple(
        draw(documents(pivot, f"{ref}D{i}X{draw(alnum)}")) for i in range(draw(st.integers(0, 2)))
    )
    seats: list[Seat] = []
    check_ins: list[CheckIn] = []
    bags: list[Bag] = []
    for li, leg in enumerate(booking_legs):
        checked = li in checkins and draw(st.booleans())
        cabin = draw(opt(one_of_values(tuple("YCJF")))) if checked else None
        if draw(st.booleans()):
            seat = str(draw(st.integers(1, 60))) + draw(one_of_values(tuple("ABCDEFGHJK")))
            seats.append(Seat(seat=seat, leg=leg.key, cabin=cabin))
        if checked:
            at, agent = checkins[li]
            check_ins.append(
                CheckIn(
                    status=draw(one_of_values(CHECK_IN_STATUSES)),
                    leg=leg.key,
                    checked_in_at=at,
                    sequence_number=draw(opt(alnum)),
                    agent=agent,
                    cabin=cabin,
                )
            )
            for _ in range(draw(st.integers(0, 2))):
                tags = tuple(_tag(draw) for _ in range(draw(st.integers(0, 2))))
                first = tags[0].split(":") if tags else []
                bags.append(
                    Bag(
                        count=draw(opt(st.integers(0, 9))),
                        weight=draw(_OPT_WEIGHT),
                        weight_unit=draw(opt(one_of_values(tuple(WeightUnit)))),
                        tags=tags,
                        head_of_pool=draw(st.booleans()),
                        destination=first[3] if len(first) > 3 and first[3] else None,
                        leg=leg.key,
                    )
                )
    return canonical_traveller(
        surname=surname,
        given_names=given,
        title=title,
        suffix=suffix,
        ref=ref,
        type=draw(one_of_values(tuple(TravellerType))),
        documents=docs,
        visas=tuple(draw(st.lists(visas(pivot.year), max_size=1))),
        addresses=tuple(draw(st.lists(doca_addresses(), max_size=1))),
        frequent_flyers=tuple(draw(_FREQUENT_FLYERS)),
        tickets=tuple(draw(st.lists(tickets(pivot.year), max_size=2))),
        fares=tuple(draw(st.lists(fares(), max_size=1))),
        seats=tuple(seats),
        bags=tuple(bags),
        check_ins=tuple(check_ins),
        unique_ref=draw(opt(alnum)),
    )


def link_infants(travellers: list[Traveller]) -> list[Traveller]:
    """Give each infant the nearest adult (or child) before it as ``accompanying_ref``."""
    out: list[Traveller] = []
    last: str | None = None
    for t in travellers:
        if t.type is TravellerType.INFANT:
            t = replace(t, accompanying_ref=last)
        else:
            last = t.ref
        out.append(t)
    return out


def with_locator(booking: Booking, preferred: tuple[str, ...]) -> Booking:
    """Set ``locator`` and ``created_at`` from the reporting carrier's record locator."""
    rls = booking.record_locators
    chosen = next((r for r in rls if r.system in preferred), rls[0] if rls else None)
    return replace(
        booking,
        locator=chosen.locator if chosen else "",
        created_at=chosen.created_at if chosen else None,
    )


def _history_entry(draw: st.DrawFn, pivot: date) -> HistoryEntry:
    element = draw(one_of_values(("remark", "leg", "ssr", None)))
    if element is None:
        return HistoryEntry(text=draw(words))
    if element == "remark":
        text = draw(words)
    elif element == "leg":
        day = draw(near_date(pivot)).strftime("%d%m%y")
        text = canonical(
            "TVL",
            [
                [day],
                [draw(codes3)],
                [draw(codes3)],
                [draw(codes2)],
                [str(draw(st.integers(1, 9999)))],
            ],
        )
        if draw(st.booleans()):
            text += "'" + canonical("RPI", [[str(draw(st.integers(1, 9)))], ["HK"]])
    else:
        text = canonical("SSR", [[draw(special_codes), "HK", "1", draw(codes2)]])
    by = draw(opt(one_of_values(("DL", "DL/LON/LHRRR", "TZ", "1A/MUC"))))
    return HistoryEntry(
        at=draw(opt(near(pivot))),
        action=draw(opt(one_of_values(("added", "cancelled", "changed")))),
        element=element,
        text=text,
        by=by,
    )


@st.composite
def bookings(draw: st.DrawFn, pivot: date, preferred: tuple[str, ...] = ()) -> Booking:
    """A booking in canonical order (what a reader of the EDIFACT form gives back)."""
    leg_list = [draw(legs(pivot, i)) for i in range(draw(st.integers(0, 3)))]
    checkins = {
        i: (draw(opt(near(pivot))), draw(opt(codes2)))
        for i in range(len(leg_list))
        if draw(st.booleans())
    }
    travellers = link_infants(
        [
            draw(traveller_on_legs(pivot, i, leg_list, checkins))
            for i in range(draw(st.integers(0, 3)))
        ]
    )
    contacts: list[Contact] = [
        osi_contact(osi_text(draw), None) for _ in range(draw(st.integers(0, 2)))
    ]
    for _ in range(draw(st.integers(0, 2))):
        contacts.append(draw(add_contacts(None)))
    remark_list = draw(st.lists(remarks(None), max_size=2))
    services = draw(st.lists(special_services(None), max_size=2))
    payment_list: list[Payment] = draw(st.lists(payments(None, None), max_size=1))
    for t in travellers:
        contacts += [osi_contact(osi_text(draw), t.ref) for _ in range(draw(st.integers(0, 1)))]
        contacts += draw(st.lists(ssr_contacts(t.ref), max_size=1))
        contacts += draw(st.lists(add_contacts(t.ref), max_size=1))
        remark_list += draw(st.lists(remarks(t.ref), max_size=1))
        services += draw(st.lists(special_services(t.ref), max_size=1))
        currency = t.tickets[-1].currency if t.tickets else None
        payment_list += draw(st.lists(payments(t.ref, currency), max_size=2))
    contacts = contact_order(contacts, [t.ref for t in travellers])
    for leg in leg_list:
        refs = [None, *(t.ref for t in travellers)]
        services += draw(
            st.lists(special_services(draw(one_of_values(tuple(refs))), leg), max_size=1)
        )
    agency = draw(_OPT_AGENCY)
    if agency is not None:
        agency = replace(agency, raw=agency_raw(agency))
    locators = draw(_record_locators(pivot.year))
    non_air = [replace(n, raw=non_air_raw(n)) for n in draw(_non_air_segments(pivot.year))]
    splits = draw(_SPLITS)
    booking = Booking(
        locator="",
        record_locators=tuple(locators),
        last_changed_at=draw(opt(near(pivot))),
        group_name=draw(opt(words)),
        travellers=tuple(travellers),
        legs=tuple(leg_list),
        contacts=tuple(contacts),
        payments=tuple(payment_list),
        agency=agency,
        split_references=tuple(splits),
        non_air=tuple(non_air),
        history=tuple(_history_entry(draw, pivot) for _ in range(draw(st.integers(0, 4)))),
        remarks=tuple(remark_list),
        special_services=tuple(services),
    )
    return with_locator(booking, preferred)


@st.composite
def flights(draw: st.DrawFn, pivot: date) -> Flight:
    raw_number = draw(st.from_regex(r"0{0,2}[1-9][0-9]{0,3}", fullmatch=True))
    departure = draw(opt(near(pivot, 1)))
    arrival = departure + timedelta(minutes=draw(st.integers(30, 900))) if departure else None
    return Flight(
        carrier=draw(codes2),
        number=flight_number(raw_number),
        legs=(
            FlightLeg(
                origin=draw(codes3), destination=draw(codes3), departure=departure, arrival=arrival
            ),
        ),
        raw_number=raw_number,
    )


@st.composite
def pnr_messages(draw: st.DrawFn, max_bookings: int = 3) -> PnrMessage:
    """A PNRGOV message (EDIFACT syntax) in canonical form."""
    prepared_at = draw(minutes(datetime(2000, 1, 1), datetime(2040, 12, 31, 23, 59)))
    pivot = prepared_at.date()
    sender = draw(opt(codes2))
    flight = draw(opt(flights(pivot)))
    preferred = tuple(x for x in (flight.carrier if flight else None, sender) if x)
    count = draw(st.integers(0, max_bookings))
    return PnrMessage(
        version=draw(_VERSIONS),
        sender=sender,
        recipient=draw(opt(codes2)),
        prepared_at=prepared_at,
        reference=draw(alnum),
        part=draw(_OPT_PART),
        action=draw(opt(one_of_values(tuple(PushAction)))),
        flight=flight,
        declared_count=draw(opt(_just(count))),
        bookings=tuple(draw(bookings(pivot, preferred)) for _ in range(count)),
    )

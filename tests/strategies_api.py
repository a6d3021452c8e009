"""Hypothesis strategies for PAXLST messages in canonical form (see ``paxlst_write``).

Canonical: text stripped and single-spaced, ASCII upper case (with the EDIFACT separators
``' + : ? *`` inside names, to exercise escaping), contiguous legs, minute-precision times,
at most one bag per traveller, ``raw_name`` as the writer's layout gives it.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from functools import cache
from typing import TypeVar

from hypothesis import strategies as st

from paxwatch.formats.paxlst_write import raw_name_for
from paxwatch.model.api import ApiTraveller, ReportingParty
from paxwatch.model.booking import Bag, Document
from paxwatch.model.common import ApiRole, Gender, WeightUnit
from paxwatch.model.flight import Flight, FlightLeg
from paxwatch.model.message import ApiMessage, MessagePart

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
SEPARATORS = "'+:?*-."

codes3 = st.text(LETTERS, min_size=3, max_size=3)
alnum = st.text(LETTERS + DIGITS, min_size=1, max_size=12)
word = st.text(LETTERS + SEPARATORS, min_size=1, max_size=10)
words = st.lists(word, min_size=1, max_size=3).map(" ".join)
minutes = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
days = st.dates(min_value=date(1901, 1, 1), max_value=date(2090, 12, 31))


T = TypeVar("T")


# Strategies are built once (at import, or once per argument through ``cache``), never per
# example: Hypothesis validates every new strategy object and works out its properties the
# first time it is drawn from, which cost more than the drawing itself. A strategy built once
# draws the same values as one built anew, so the examples are the same.


@cache
def optional(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T | None]:
    return st.none() | strategy


@cache
def sampled(values: tuple[T, ...]) -> st.SearchStrategy[T]:
    """``st.sampled_from(values)``, built once per tuple of values."""
    return st.sampled_from(values)


@cache
@st.composite
def flights(draw: st.DrawFn) -> Flight:
    carrier = draw(sampled(("AA", "LH", "U2", "9W", "A3", "BAW", "DLH")))
    number = str(draw(st.integers(min_value=1, max_value=9999)))
    raw = draw(st.sampled_from([number, number.zfill(4)]))
    places = draw(st.lists(codes3, min_size=0, max_size=4))
    legs = tuple(
        FlightLeg(
            origin=a,
            destination=b,
            departure=draw(optional(minutes)),
            arrival=draw(optional(minutes)),
        )
        for a, b in itertools.pairwise(places)
    )
    return Flight(carrier=carrier, number=number, legs=legs, raw_number=raw)


@cache
@st.composite
def bags(draw: st.DrawFn) -> Bag:
    count = draw(optional(st.integers(min_value=0, max_value=20)))
    weight = draw(optional(st.decimals(min_value=0, max_value=500, places=1)))
    unit = draw(sampled(tuple(WeightUnit))) if weight is not None else None
    tags = tuple(draw(st.lists(alnum, max_size=4)))
    if count is None and weight is None and not tags:
        count = 1
    return Bag(count=count, weight=weight, weight_unit=unit, tags=tags)


@cache
def documents(us: bool = False) -> st.SearchStrategy[Document]:
    doc = st.builds(
        Document,
        type=optional(sampled(("P", "V", "I", "A", "C", "IP"))),
        number=optional(alnum),
        issuing_country=optional(codes3),
        expiry=optional(days),
        issued_on=st.none() if us else optional(days),
    )
    if us:  # an empty PDT document is no document
        return doc.filter(lambda d: any((d.type, d.number, d.issuing_country, d.expiry)))
    return doc


_OPT_SEAT = optional(st.from_regex(r"\A[0-9]{1,3}[A-K]\Z"))
_OPT_PART = optional(st.builds(MessagePart, number=st.integers(1, 99), final=st.booleans()))


@cache
@st.composite
def un_travellers(draw: st.DrawFn) -> ApiTraveller:
    surname = draw(words)
    given = " ".join(draw(st.lists(word, max_size=6)))
    references = draw(st.lists(st.tuples(sampled(("CR", "AEA", "ABB", "TN")), alnum), max_size=2))
    return ApiTraveller(
        role=draw(sampled(tuple(ApiRole))),
        surname=surname,
        given_names=given,
        gender=draw(optional(sampled(tuple(Gender)))),
        date_of_birth=draw(optional(days)),
        nationality=draw(optional(codes3)),
        residence_country=draw(optional(codes3)),
        birth_place=draw(optional(words)),
        embarkation=draw(optional(codes3)),
        debarkation=draw(optional(codes3)),
        clearance=draw(optional(codes3)),
        documents=tuple(draw(st.lists(documents(), max_size=2))),
        seat=draw(_OPT_SEAT),
        bags=tuple(draw(st.lists(bags(), max_size=1))),
        booking_locator=draw(optional(alnum)),
        unique_ref=draw(optional(alnum)),
        references=tuple(references),
        raw_name=raw_name_for(surname, given),
    )


@cache
@st.composite
def us_travellers(draw: st.DrawFn) -> ApiTraveller:
    surname = draw(words)
    given = " ".join(draw(st.lists(word, max_size=3)))
    return ApiTraveller(
        role=draw(sampled(tuple(ApiRole))),
        surname=surname,
        given_names=given,
        gender=draw(optional(sampled(tuple(Gender)))),
        date_of_birth=draw(optional(days)),
        embarkation=draw(optional(codes3)),
        debarkation=draw(optional(codes3)),
        documents=tuple(draw(st.lists(documents(us=True), max_size=1))),
        raw_name=raw_name_for(surname, given, "US"),
    )


parties = st.builds(
    ReportingParty,
    name=optional(words),
    phone=optional(st.text(DIGITS + "-+ ", min_size=1, max_size=15).map(str.strip).filter(bool)),
    fax=optional(st.text(DIGITS + "-", min_size=1, max_size=15)),
    email=optional(st.from_regex(r"\A[a-z0-9.]{1,8}@[a-z]{1,8}\.[a-z]{2,3}\Z")),
)


@st.composite
def api_messages(draw: st.DrawFn, variant: str = "UN") -> ApiMessage:
    us = variant == "US"
    return ApiMessage(
        version="001:000" if us else draw(sampled(("D:05B", "D:02B"))),
        variant=variant,
        sender=draw(optional(alnum)),
        recipient=draw(optional(alnum)),
        prepared_at=draw(optional(minutes)),
        reference=draw(st.text(LETTERS + DIGITS, min_size=1, max_size=14)),
        part=draw(_OPT_PART),
        document=None if us else draw(optional(sampled(("745", "250", "266", "655")))),
        reporting_party=draw(optional(parties)),
        flights=tuple(draw(st.lists(flights(), max_size=3))),
        travellers=tuple(draw(st.lists(us_travellers() if us else un_travellers(), max_size=5))),
        declared_count=draw(optional(st.integers(min_value=0, max_value=999))),
    )

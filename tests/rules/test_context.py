"""Contexts: the facts rules read, computed from crafted bookings built by hand."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal

from paxwatch.model import (
    ApiRole,
    ApiTraveller,
    Bag,
    CheckIn,
    Document,
    Leg,
    LegKey,
    Payment,
    PaymentMethod,
    Seat,
    SplitReference,
    Ticket,
    WeightUnit,
)
from paxwatch.rules.context import TravellerContext, booking_contexts, build_context
from paxwatch.rules.fields import FIELDS
from tests.rules.factory import DEPARTURE, FF, booking, context, legs, traveller


def test_context_attributes_are_exactly_the_catalogue() -> None:
    names = {f.name for f in dataclasses.fields(TravellerContext)}
    assert names - {"locator", "traveller_ref", "flight"} == {f.attr for f in FIELDS}


def test_default_booking() -> None:
    ctx = context()
    assert ctx.flight == "TK601 IST-CDG"
    assert ctx.booking_lead_time_hours == 35.0
    assert ctx.booking_lead_time_days == 1.0
    assert ctx.booking_payment == frozenset({"cash"})
    assert ctx.booking_one_way is True
    assert ctx.booking_ticket_price == 812.4 and ctx.booking_ticket_currency == "EUR"
    assert ctx.traveller_age == 36.0
    assert ctx.traveller_nationality == "NG"  # from the ICAO alpha-3 code NGA
    assert ctx.traveller_document_type == "P" and ctx.traveller_document_country == "NG"
    assert ctx.traveller_document_days_to_expiry == 30.0
    assert ctx.itinerary_origin == "LOS" and ctx.itinerary_destination == "CDG"
    assert ctx.itinerary_origin_country == "NG" and ctx.itinerary_destination_country == "FR"
    assert ctx.itinerary_via == frozenset({"IST"})
    assert ctx.itinerary_countries == frozenset({"NG", "TR", "FR"})
    assert ctx.itinerary_connections == 1.0
    assert ctx.itinerary_min_connection_minutes == 120.0
    assert ctx.booking_changes is None  # no previous push
    assert ctx.api_present is False and ctx.api_checked_in is False and ctx.api_bags is None


def test_round_trip_journeys_split_at_the_stay() -> None:
    out = legs("CDG", "IST", "LOS")
    back = legs("LOS", "IST", "ORY", start=DEPARTURE + timedelta(days=5))
    book = booking(legs=out + back, travellers=(traveller(tickets=()),))
    first = build_context(book, book.travellers[0], out[0])
    assert first.itinerary_origin == "CDG" and first.itinerary_destination == "LOS"
    assert first.itinerary_stay_days == 4.0
    assert first.booking_one_way is False  # back to Paris (ORY counts as Paris)
    back_ctx = build_context(book, book.travellers[0], back[1])
    assert back_ctx.itinerary_origin == "LOS" and back_ctx.itinerary_via == frozenset({"IST"})
    assert back_ctx.itinerary_stay_days is None
    assert back_ctx.itinerary_legs == 4.0


def test_changes_between_pushes() -> None:
    before = booking()
    after = dataclasses.replace(
        before,
        payments=(Payment(method=PaymentMethod.CARD),),
        legs=legs("LOS", "IST", "ORY"),
    )
    ctx = build_context(after, after.travellers[0], after.legs[0], previous=before)
    # payment cash -> card (2), leg IST-CDG -> IST-ORY (2)
    assert ctx.booking_changes == 4.0
    same = build_context(before, before.travellers[0], before.legs[0], previous=before)
    assert same.booking_changes == 0.0


def test_api_record_and_check_in() -> None:
    book = booking()
    leg = book.legs[-1]
    api = ApiTraveller(
        role=ApiRole.PASSENGER,
        surname="DOE",
        date_of_birth=date(2000, 1, 1),
        seat="23A",
        bags=(Bag(count=2, weight=Decimal("44"), weight_unit=WeightUnit.LB),),
        documents=(Document(type="I", issuing_country="GH", expiry=date(2026, 12, 1)),),
    )
    ctx = build_context(book, book.travellers[0], leg, api=api)
    assert ctx.api_present is True and ctx.api_checked_in is True
    assert ctx.api_bags == 2.0
    assert ctx.api_bag_weight_kg is not None and abs(ctx.api_bag_weight_kg - 19.958) < 0.001
    assert ctx.api_seat == "23A" and ctx.api_seat_row == 23.0
    assert ctx.traveller_age == 36.0  # the booked date of birth comes first
    assert ctx.traveller_document_type == "P"  # a passport is preferred
    key = LegKey(origin="IST", destination="CDG")
    person = traveller(
        check_ins=(CheckIn(status="checked in", leg=key),),
        seats=(Seat(seat="4C", leg=key),),
        bags=(Bag(tags=("TK1", "TK2"), leg=LegKey(origin="LOS")),),
    )
    ctx = build_context(booking(travellers=(person,)), person, leg)
    assert ctx.api_checked_in is True and ctx.api_seat == "4C" and ctx.api_bags == 0.0
    first = build_context(booking(travellers=(person,)), person, booking().legs[0])
    assert first.api_checked_in is False and first.api_bags == 2.0


def test_codeshare_frequent_flyer_group_split_and_age() -> None:
    leg = Leg(
        carrier="AF",
        number="1",
        origin="CDG",
        destination="JFK",
        departure=datetime(2026, 12, 1, 10),
        operating_carrier="DL",
    )
    person = traveller(
        frequent_flyers=(FF,),
        date_of_birth=date(2008, 12, 1),
        tickets=(Ticket(number=None, one_way=None),),
    )
    book = booking(
        legs=(leg,), travellers=(person,), group_name="CHOIR", split_references=(SplitReference(),)
    )
    ctx = build_context(book, person, leg)
    assert ctx.flight_codeshare is True and ctx.itinerary_codeshare is True
    assert ctx.flight_operating_carrier == "DL"
    assert ctx.traveller_frequent_flyer is True
    assert ctx.traveller_frequent_flyer_airline == frozenset({"AF"})
    assert ctx.traveller_frequent_flyer_tier == frozenset({"GOLD"})
    assert ctx.booking_group is True and ctx.booking_split is True
    assert ctx.traveller_age == 18.0  # 18th birthday on the day of the flight
    assert ctx.booking_ticketed is False and ctx.booking_one_way is True
    assert ctx.itinerary_via == frozenset() and ctx.itinerary_min_connection_minutes is None


def test_unknowns_stay_unknown() -> None:
    person = traveller(date_of_birth=None, nationality=None, documents=(), tickets=())
    book = booking(travellers=(person,), payments=(), agency=None, created_at=None)
    ctx = build_context(book, person, book.legs[0])
    assert ctx.traveller_age is None and ctx.traveller_nationality is None
    assert ctx.booking_payment is None and ctx.booking_lead_time_hours is None
    assert ctx.traveller_document_days_to_expiry is None and ctx.booking_ticket_price is None
    assert ctx.value("booking.payment") is None


def test_booking_contexts_cover_every_traveller_and_leg() -> None:
    book = booking(travellers=(traveller(), traveller(ref="2")))
    found = list(booking_contexts(book))
    assert len(found) == 4
    assert {c.traveller_ref for c in found} == {"1", "2"}
    assert all(c.booking_travellers == 2.0 for c in found)

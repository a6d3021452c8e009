"""Crafted bookings for the rules tests: one call builds a realistic booking.

``booking()`` gives a Lagos → Paris one-way trip via Istanbul, paid in cash 30 hours before
departure, for one adult Nigerian passport holder; every keyword changes one aspect.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from paxwatch.model import (
    Agency,
    Booking,
    Document,
    FrequentFlyer,
    Leg,
    Payment,
    PaymentMethod,
    Ticket,
    Traveller,
)
from paxwatch.rules.context import TravellerContext, build_context

DEPARTURE = datetime(2026, 12, 10, 8, 0)


def legs(*route: str, start: datetime = DEPARTURE, connection: int = 120) -> tuple[Leg, ...]:
    """Legs along ``route`` (airport codes), each 3 hours, ``connection`` minutes apart."""
    out: list[Leg] = []
    moment = start
    for number, (origin, destination) in enumerate(pairwise(route)):
        arrival = moment + timedelta(hours=3)
        out.append(
            Leg(
                carrier="TK",
                number=str(600 + number),
                origin=origin,
                destination=destination,
                departure=moment,
                arrival=arrival,
            )
        )
        moment = arrival + timedelta(minutes=connection)
    return tuple(out)


def traveller(**changes: Any) -> Traveller:
    base = Traveller(
        ref="1",
        surname="DOE",
        given_names="JOHN",
        date_of_birth=date(1990, 6, 1),
        nationality="NGA",
        documents=(
            Document(type="P", number="A1234567", issuing_country="NGA", expiry=date(2027, 1, 9)),
        ),
        tickets=(
            Ticket(
                number="2351234567890",
                total_amount=Decimal("812.40"),
                currency="EUR",
                one_way=True,
            ),
        ),
    )
    return dataclasses.replace(base, **changes)


def booking(**changes: Any) -> Booking:
    base = Booking(
        locator="ABC123",
        created_at=DEPARTURE - timedelta(hours=30),
        travellers=(traveller(),),
        legs=legs("LOS", "IST", "CDG"),
        payments=(Payment(method=PaymentMethod.CASH),),
        agency=Agency(iata_number="12345678", country="NG"),
    )
    return dataclasses.replace(base, **changes)


def context(book: Booking | None = None, leg: int = -1, **changes: Any) -> TravellerContext:
    """The context of the first traveller of ``book`` on its leg number ``leg``."""
    book = book or booking(**changes)
    return build_context(book, book.travellers[0], book.legs[leg])


FF = FrequentFlyer(airline="AF", number="1234", tier="GOLD")

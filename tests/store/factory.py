"""Model objects for tests, built directly (no parser): one line per booking or list."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import Connection

from paxwatch.model import (
    Address,
    ApiMessage,
    ApiRole,
    ApiTraveller,
    Booking,
    Contact,
    ContactKind,
    Document,
    Flight,
    FlightLeg,
    FrequentFlyer,
    Gender,
    HistoryEntry,
    Leg,
    MessagePart,
    Payment,
    PaymentMethod,
    PnrMessage,
    PushAction,
    Remark,
    Seat,
    SpecialService,
    Traveller,
)
from paxwatch.store import repository as repo
from paxwatch.store.keys import utcnow

DEP = datetime(2026, 12, 12, 9, 15)


def flight(carrier: str = "DL", number: str = "324", dep: datetime = DEP) -> Flight:
    return Flight(
        carrier=carrier,
        number=number,
        legs=(FlightLeg(origin="LHR", destination="JFK", departure=dep),),
    )


def traveller(
    surname: str,
    given: str = "JOHN",
    *,
    ref: str = "1",
    doc: str | None = None,
    dob: date | None = date(1964, 7, 12),
    seat: str | None = None,
) -> Traveller:
    documents = (
        (
            Document(
                type="P",
                number=doc,
                issuing_country="GBR",
                nationality="GBR",
                date_of_birth=dob,
                surname=surname,
                given_names=given,
            ),
        )
        if doc
        else ()
    )
    return Traveller(
        ref=ref,
        surname=surname,
        given_names=given,
        raw_name=f"{surname}/{given}",
        date_of_birth=dob,
        gender=Gender.MALE,
        documents=documents,
        seats=(Seat(seat=seat),) if seat else (),
        frequent_flyers=(FrequentFlyer(airline="DL", number="1234567890"),),
    )


def with_office(b: Booking, street: str, city: str = "LEEDS") -> Booking:
    """``b`` with an address contact: an ``identifier`` row of the booking's own (its
    phone, e-mail and card are keyed in their own rows since migration 0019)."""
    office = Address(street=street, city=city, country="GB")
    contact = Contact(kind=ContactKind.ADDRESS, value=f"{street} {city}", address=office)
    return replace(b, contacts=(*b.contacts, contact))


def booking(
    locator: str,
    *travellers: Traveller,
    phone: str = "+441753637285",
    email: str | None = None,
    remarks: tuple[Remark, ...] = (),
    services: tuple[SpecialService, ...] = (),
    history: tuple[HistoryEntry, ...] = (),
) -> Booking:
    contacts = [Contact(kind=ContactKind.PHONE, value=phone, raw=phone, source="ADD")]
    if email:
        contacts.append(Contact(kind=ContactKind.EMAIL, value=email, raw=email, source="ADD"))
    return Booking(
        locator=locator,
        created_at=datetime(2026, 12, 6, 10, 10),
        travellers=travellers or (traveller("SMITH"),),
        legs=(
            Leg(
                carrier="DL",
                number="324",
                origin="LHR",
                destination="JFK",
                departure=DEP,
                status="HK",
            ),
        ),
        contacts=tuple(contacts),
        payments=(
            Payment(
                method=PaymentMethod.CARD,
                card_vendor="VI",
                card_number="XXXXXXXX1186",
                card_expiry="0211",
            ),
        ),
        remarks=remarks,
        special_services=services,
        history=history,
    )


def pnr(
    *bookings: Booking,
    action: PushAction = PushAction.CHANGES,
    part: tuple[int, bool] | None = None,
    reference: str | None = "REF1",
    fl: Flight | None = None,
) -> PnrMessage:
    return PnrMessage(
        sender="DL",
        reference=reference,
        action=action,
        flight=fl or flight(),
        part=MessagePart(number=part[0], final=part[1]) if part else None,
        declared_count=len(bookings),
        bookings=bookings,
    )


def api_traveller(
    surname: str,
    given: str = "JOHN",
    *,
    locator: str | None = None,
    doc: str | None = None,
    dob: date | None = date(1964, 7, 12),
) -> ApiTraveller:
    return ApiTraveller(
        role=ApiRole.PASSENGER,
        surname=surname,
        given_names=given,
        date_of_birth=dob,
        gender=Gender.MALE,
        booking_locator=locator,
        embarkation="LHR",
        debarkation="JFK",
        documents=(Document(type="P", number=doc, issuing_country="GBR"),) if doc else (),
    )


def api(*travellers: ApiTraveller, fl: Flight | None = None) -> ApiMessage:
    return ApiMessage(
        sender="DL",
        reference="API1",
        document="745",
        flights=(fl or flight(),),
        travellers=travellers,
    )


def raw_id(conn: Connection) -> int:
    """The id of a new archived raw message (a placeholder body) for writing rows that
    must name the message they came from."""
    return repo.archive_raw(
        conn,
        content_hash=uuid.uuid4().hex,
        body=b"x",
        size=1,
        redacted=0,
        received_at=utcnow(),
        source="test",
        name=None,
        format="pnrgov",
        status="stored",
    )

"""Builders for a traveller being read from PNRGOV EDIFACT: the traveller, tickets, payments.

See ``pnrgov_builders`` for why the readers fill mutable builders: ``TravellerB`` (TIF and
what follows it in group 2), ``TicketB`` (TKT, MON, PTK, TXD, DAT 710, IFT 4:15) and
``PaymentB`` (FOP, completed by IFT 4:43 and ADD); ``build()`` gives the frozen model.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from paxwatch.model.booking import (
    Address,
    Bag,
    CheckIn,
    Document,
    Fare,
    FrequentFlyer,
    Payment,
    Seat,
    Tax,
    Ticket,
    Traveller,
    Visa,
)
from paxwatch.model.common import Gender, PaymentMethod, TravellerType

__all__ = ["PaymentB", "TicketB", "TravellerB"]


class TicketB:
    """A ticket being read (TKT, MON, PTK, TXD, DAT 710, IFT 4:15)."""

    __slots__ = (
        "base_amount",
        "country_of_sale",
        "currency",
        "document_type",
        "fare_calculation",
        "issued_on",
        "number",
        "taxes",
        "total_amount",
    )

    def __init__(
        self,
        number: str | None = None,
        document_type: str | None = None,
        fare_calculation: str | None = None,
    ) -> None:
        self.number = number
        self.document_type = document_type
        self.fare_calculation = fare_calculation
        self.issued_on: date | None = None
        self.base_amount: Decimal | None = None
        self.total_amount: Decimal | None = None
        self.currency: str | None = None
        self.country_of_sale: str | None = None
        self.taxes: list[Tax] = []

    def build(self) -> Ticket:
        return Ticket(
            number=self.number,
            document_type=self.document_type,
            issued_on=self.issued_on,
            base_amount=self.base_amount,
            total_amount=self.total_amount,
            currency=self.currency,
            taxes=tuple(self.taxes),
            country_of_sale=self.country_of_sale,
            fare_calculation=self.fare_calculation,
        )


class TravellerB:
    """A traveller being read (TIF and what follows it in group 2)."""

    __slots__ = (
        "accompanying_ref",
        "addresses",
        "bags",
        "check_ins",
        "documents",
        "fares",
        "frequent_flyers",
        "given_names",
        "infant_docs",
        "infant_flag",
        "pending_fare_calc",
        "raw_name",
        "ref",
        "seats",
        "suffix",
        "surname",
        "tickets",
        "title",
        "type",
        "unique_ref",
        "visas",
    )

    def __init__(
        self,
        *,
        ref: str | None,
        surname: str,
        given_names: str,
        title: str | None,
        suffix: str | None,
        raw_name: str,
        type: TravellerType,
        accompanying_ref: str | None,
        infant_flag: bool,
    ) -> None:
        self.ref = ref
        self.surname = surname
        self.given_names = given_names
        self.title = title
        self.suffix = suffix
        self.raw_name = raw_name
        self.type = type
        self.accompanying_ref = accompanying_ref
        self.infant_flag = infant_flag
        self.unique_ref: str | None = None
        self.documents: list[Document] = []
        self.infant_docs: list[Document] = []
        self.visas: list[Visa] = []
        self.addresses: list[Address] = []
        self.frequent_flyers: list[FrequentFlyer] = []
        self.tickets: list[TicketB] = []
        self.fares: list[Fare] = []
        self.seats: list[Seat] = []
        self.bags: list[Bag] = []
        self.check_ins: list[CheckIn] = []
        self.pending_fare_calc: str | None = None

    def add_document(self, doc: Document) -> None:
        """Add a document unless the same one (type and number) is already there."""
        for d in self.documents:
            if d.number is not None and d.number == doc.number and d.type == doc.type:
                return
            if d.raw == doc.raw:
                return
        self.documents.append(doc)

    def add_seat(self, seat: Seat) -> None:
        """Add a seat; the same seat on the same leg is merged (keeping a known cabin)."""
        for i, s in enumerate(self.seats):
            if s.seat == seat.seat and s.leg == seat.leg:
                if seat.cabin is not None and s.cabin is None:
                    self.seats[i] = seat
                return
        self.seats.append(seat)

    def build(self) -> Traveller:
        if self.pending_fare_calc is not None:
            self.tickets.append(TicketB(fare_calculation=self.pending_fare_calc))
            self.pending_fare_calc = None
        dob: date | None = None
        gender: Gender | None = None
        nationality: str | None = None
        for d in self.documents:
            dob = dob or d.date_of_birth
            gender = gender or d.gender
            nationality = nationality or d.nationality
        return Traveller(
            ref=self.ref,
            surname=self.surname,
            given_names=self.given_names,
            title=self.title,
            suffix=self.suffix,
            raw_name=self.raw_name,
            type=self.type,
            date_of_birth=dob,
            gender=gender,
            nationality=nationality,
            accompanying_ref=self.accompanying_ref,
            documents=tuple(self.documents),
            visas=tuple(self.visas),
            addresses=tuple(self.addresses),
            frequent_flyers=tuple(self.frequent_flyers),
            tickets=tuple([tb.build() for tb in self.tickets]),
            fares=tuple(self.fares),
            seats=tuple(self.seats),
            bags=tuple(self.bags),
            check_ins=tuple(self.check_ins),
            unique_ref=self.unique_ref,
        )


class PaymentB:
    """A form of payment being read (FOP, then IFT 4:43 and ADD may complete it)."""

    __slots__ = (
        "amount",
        "billing_address",
        "card_expiry",
        "card_number",
        "card_vendor",
        "currency",
        "method",
        "payer_name",
        "payer_phone",
        "raw_method",
        "traveller_ref",
    )

    def __init__(
        self,
        *,
        method: PaymentMethod,
        raw_method: str | None,
        amount: Decimal | None,
        currency: str | None,
        card_vendor: str | None,
        card_number: str | None,
        card_expiry: str | None,
        traveller_ref: str | None,
    ) -> None:
        self.method = method
        self.raw_method = raw_method
        self.amount = amount
        self.currency = currency
        self.card_vendor = card_vendor
        self.card_number = card_number
        self.card_expiry = card_expiry
        self.payer_name: str | None = None
        self.payer_phone: str | None = None
        self.billing_address: Address | None = None
        self.traveller_ref = traveller_ref

    def build(self) -> Payment:
        return Payment(
            method=self.method,
            raw_method=self.raw_method,
            amount=self.amount,
            currency=self.currency,
            card_vendor=self.card_vendor,
            card_number=self.card_number,
            card_expiry=self.card_expiry,
            payer_name=self.payer_name,
            payer_phone=self.payer_phone,
            billing_address=self.billing_address,
            traveller_ref=self.traveller_ref,
        )

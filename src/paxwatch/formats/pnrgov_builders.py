"""Mutable builders for one PNR while it is read; ``build()`` gives the frozen model.

Every model object of a booking is constructed once, when the booking is finished: the
readers fill these plain builders (cheap attribute writes) and never ``replace`` a frozen
dataclass, which costs a full construction each time.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from paxwatch.formats.people import contact_order
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
    NonAirSegment,
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
from paxwatch.model.common import Gender, PaymentMethod, TravellerType


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


class LegB:
    """A leg being read (group 5): the TVL, then code-share, RPI and APD add to it."""

    __slots__ = (
        "arrival",
        "booking_class",
        "carrier",
        "departure",
        "destination",
        "equipment",
        "key",
        "number",
        "number_in_party",
        "operating_carrier",
        "operating_number",
        "origin",
        "raw_number",
        "status",
    )

    def __init__(
        self,
        *,
        carrier: str,
        number: str,
        origin: str,
        destination: str,
        departure: datetime | None,
        arrival: datetime | None,
        operating_carrier: str | None,
        booking_class: str | None,
        raw_number: str,
    ) -> None:
        self.carrier = carrier
        self.number = number
        self.origin = origin
        self.destination = destination
        self.departure = departure
        self.arrival = arrival
        self.operating_carrier = operating_carrier
        self.operating_number: str | None = None
        self.booking_class = booking_class
        self.status: str | None = None
        self.number_in_party: int | None = None
        self.equipment: str | None = None
        self.raw_number = raw_number
        self.key = LegKey(
            carrier=carrier,
            number=number,
            origin=origin,
            destination=destination,
            departure_date=departure.date() if departure is not None else None,
        )

    def build(self) -> Leg:
        return Leg(
            carrier=self.carrier,
            number=self.number,
            origin=self.origin,
            destination=self.destination,
            departure=self.departure,
            arrival=self.arrival,
            operating_carrier=self.operating_carrier,
            operating_number=self.operating_number,
            booking_class=self.booking_class,
            status=self.status,
            number_in_party=self.number_in_party,
            equipment=self.equipment,
            raw_number=self.raw_number,
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


class CheckInPaxB:
    """A checked-in passenger being read (group 7: TRI, TIF, SSD, TBD)."""

    __slots__ = (
        "bags",
        "cabin",
        "seat",
        "sequence",
        "status",
        "tif_raw_name",
        "tif_ref",
        "tri_ref",
    )

    def __init__(self) -> None:
        self.status: str | None = None
        self.sequence: str | None = None
        self.tri_ref: str | None = None
        self.tif_ref: str | None = None
        self.tif_raw_name: str | None = None
        self.seat: str | None = None
        self.cabin: str | None = None
        self.bags: list[Bag] = []


class SplitB:
    """A split-PNR reference being read (group 8: EQN, RCI)."""

    __slots__ = ("locator", "number_of_travellers", "system")

    def __init__(self, number_of_travellers: int | None) -> None:
        self.locator: str | None = None
        self.system: str | None = None
        self.number_of_travellers = number_of_travellers

    def build(self) -> SplitReference:
        return SplitReference(
            locator=self.locator,
            system=self.system,
            number_of_travellers=self.number_of_travellers,
        )


class HistoryB:
    """A history entry being read (an RPI may extend the text of its TVL)."""

    __slots__ = ("action", "at", "by", "element", "text")

    def __init__(
        self,
        text: str,
        at: datetime | None = None,
        action: str | None = None,
        element: str | None = None,
        by: str | None = None,
    ) -> None:
        self.at = at
        self.action = action
        self.element = element
        self.text = text
        self.by = by

    def build(self) -> HistoryEntry:
        return HistoryEntry(
            at=self.at, action=self.action, element=self.element, text=self.text, by=self.by
        )


class BookingB:
    """A booking being read (from SRC to the next SRC or the end of the message)."""

    __slots__ = (
        "agency",
        "contacts",
        "group_name",
        "history",
        "last_changed_at",
        "legs",
        "non_air",
        "payments",
        "record_locators",
        "remarks",
        "special_services",
        "split_references",
        "travellers",
    )

    def __init__(self) -> None:
        self.record_locators: list[RecordLocator] = []
        self.last_changed_at: datetime | None = None
        self.group_name: str | None = None
        self.travellers: list[TravellerB] = []
        self.legs: list[LegB] = []
        self.contacts: list[Contact] = []
        self.payments: list[PaymentB] = []
        self.agency: Agency | None = None
        self.split_references: list[SplitB] = []
        self.non_air: list[NonAirSegment] = []
        self.history: list[HistoryB] = []
        self.remarks: list[Remark] = []
        self.special_services: list[SpecialService] = []

    def add_locator(self, rl: RecordLocator) -> None:
        """Add a record locator unless the same (system, locator) is there already."""
        for i, have in enumerate(self.record_locators):
            if have.locator == rl.locator and have.system == rl.system:
                if have.created_at is None and rl.created_at is not None:
                    self.record_locators[i] = rl
                return
        self.record_locators.append(rl)

    def traveller(self, ref: str | None) -> TravellerB | None:
        """The traveller with reference ``ref`` (None when absent or unknown)."""
        if not ref:
            return None
        ref = ref.strip()
        for tb in self.travellers:
            if tb.ref == ref:
                return tb
        stripped = ref.lstrip("0")
        for tb in self.travellers:
            if tb.ref is not None and tb.ref.lstrip("0") == stripped:
                return tb
        return None

    def place_infant_documents(self) -> None:
        """DOCS with gender MI/FI filed under an adult belong to that adult's infant."""
        for tb in self.travellers:
            if not tb.infant_docs:
                continue
            for doc in tb.infant_docs:
                infant = self._infant_for(tb, doc)
                if infant is not None:
                    infant.add_document(doc)
                else:
                    tb.documents.append(doc)
            tb.infant_docs = []

    def _infant_for(self, adult: TravellerB, doc: Document) -> TravellerB | None:
        infants = [x for x in self.travellers if x.type is TravellerType.INFANT]
        for x in infants:
            if adult.ref is not None and x.accompanying_ref == adult.ref:
                return x
        for x in infants:
            if doc.surname and x.surname == doc.surname.upper():
                return x
        return infants[0] if len(infants) == 1 else None

    def build(self, preferred_systems: tuple[str, ...]) -> Booking:
        self.place_infant_documents()
        chosen = next(
            (rl for rl in self.record_locators if rl.system in preferred_systems),
            self.record_locators[0] if self.record_locators else None,
        )
        travellers = self.travellers
        contacts = self.contacts
        if len(contacts) > 1:
            contacts = contact_order(contacts, [tb.ref for tb in travellers])
        return Booking(
            locator=chosen.locator if chosen else "",
            record_locators=tuple(self.record_locators),
            created_at=chosen.created_at if chosen else None,
            last_changed_at=self.last_changed_at,
            group_name=self.group_name,
            travellers=tuple([tb.build() for tb in travellers]),
            legs=tuple([lb.build() for lb in self.legs]),
            contacts=tuple(contacts),
            payments=tuple([p.build() for p in self.payments]),
            agency=self.agency,
            split_references=tuple([s.build() for s in self.split_references]),
            non_air=tuple(self.non_air),
            history=tuple([h.build() for h in self.history]),
            remarks=tuple(self.remarks),
            special_services=tuple(self.special_services),
        )

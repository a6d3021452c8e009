"""Mutable builders for one PNR while it is read; ``build()`` gives the frozen model."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

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
from paxwatch.model.common import TravellerType


@dataclass(slots=True)
class TicketB:
    """A ticket being read (TKT, MON, PTK, TXD, DAT 710, IFT 4:15)."""

    ticket: Ticket
    taxes: list[Tax] = field(default_factory=list)

    def build(self) -> Ticket:
        return replace(self.ticket, taxes=tuple(self.taxes))


@dataclass(slots=True)
class TravellerB:
    """A traveller being read (TIF and what follows it in group 2)."""

    t: Traveller
    infant_flag: bool = False
    documents: list[Document] = field(default_factory=list)
    infant_docs: list[Document] = field(default_factory=list)
    visas: list[Visa] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    frequent_flyers: list[FrequentFlyer] = field(default_factory=list)
    tickets: list[TicketB] = field(default_factory=list)
    fares: list[Fare] = field(default_factory=list)
    seats: list[Seat] = field(default_factory=list)
    bags: list[Bag] = field(default_factory=list)
    check_ins: list[CheckIn] = field(default_factory=list)
    pending_fare_calc: str | None = None

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
            self.tickets.append(TicketB(Ticket(fare_calculation=self.pending_fare_calc)))
            self.pending_fare_calc = None
        t = self.t
        dob, gender, nationality = t.date_of_birth, t.gender, t.nationality
        for d in self.documents:
            dob = dob or d.date_of_birth
            gender = gender or d.gender
            nationality = nationality or d.nationality
        return replace(
            t,
            date_of_birth=dob,
            gender=gender,
            nationality=nationality,
            documents=tuple(self.documents),
            visas=tuple(self.visas),
            addresses=tuple(self.addresses),
            frequent_flyers=tuple(self.frequent_flyers),
            tickets=tuple(tb.build() for tb in self.tickets),
            fares=tuple(self.fares),
            seats=tuple(self.seats),
            bags=tuple(self.bags),
            check_ins=tuple(self.check_ins),
        )


@dataclass(slots=True)
class LegB:
    """A leg being read (group 5)."""

    leg: Leg
    key: LegKey


@dataclass(slots=True)
class CheckInPaxB:
    """A checked-in passenger being read (group 7: TRI, TIF, SSD, TBD)."""

    sequence: str | None = None
    tri_ref: str | None = None
    tif_ref: str | None = None
    tif_raw_name: str | None = None
    seat: str | None = None
    cabin: str | None = None
    bags: list[Bag] = field(default_factory=list)


@dataclass(slots=True)
class BookingB:
    """A booking being read (from SRC to the next SRC or the end of the message)."""

    record_locators: list[RecordLocator] = field(default_factory=list)
    last_changed_at: datetime | None = None
    group_name: str | None = None
    travellers: list[TravellerB] = field(default_factory=list)
    legs: list[LegB] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    agency: Agency | None = None
    split_references: list[SplitReference] = field(default_factory=list)
    non_air: list[NonAirSegment] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    special_services: list[SpecialService] = field(default_factory=list)

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
            if tb.t.ref == ref:
                return tb
        stripped = ref.lstrip("0")
        for tb in self.travellers:
            if tb.t.ref is not None and tb.t.ref.lstrip("0") == stripped:
                return tb
        return None

    def place_infant_documents(self) -> None:
        """DOCS with gender MI/FI filed under an adult belong to that adult's infant."""
        for tb in self.travellers:
            for doc in tb.infant_docs:
                infant = self._infant_for(tb, doc)
                if infant is not None:
                    infant.add_document(doc)
                else:
                    tb.documents.append(doc)
            tb.infant_docs = []

    def _infant_for(self, adult: TravellerB, doc: Document) -> TravellerB | None:
        infants = [x for x in self.travellers if x.t.type is TravellerType.INFANT]
        for x in infants:
            if adult.t.ref is not None and x.t.accompanying_ref == adult.t.ref:
                return x
        for x in infants:
            if doc.surname and x.t.surname == doc.surname.upper():
                return x
        return infants[0] if len(infants) == 1 else None

    def build(self, preferred_systems: tuple[str, ...]) -> Booking:
        self.place_infant_documents()
        chosen = next(
            (rl for rl in self.record_locators if rl.system in preferred_systems),
            self.record_locators[0] if self.record_locators else None,
        )
        return Booking(
            locator=chosen.locator if chosen else "",
            record_locators=tuple(self.record_locators),
            created_at=chosen.created_at if chosen else None,
            last_changed_at=self.last_changed_at,
            group_name=self.group_name,
            travellers=tuple(tb.build() for tb in self.travellers),
            legs=tuple(lb.leg for lb in self.legs),
            contacts=tuple(self.contacts),
            payments=tuple(self.payments),
            agency=self.agency,
            split_references=tuple(self.split_references),
            non_air=tuple(self.non_air),
            history=tuple(self.history),
            remarks=tuple(self.remarks),
            special_services=tuple(self.special_services),
        )

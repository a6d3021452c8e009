"""Mutable builders for one PNRGOV EDIFACT PNR while it is read; ``build()`` gives the model.

Every model object of a booking is constructed once, when the booking is finished: the
readers fill these plain builders (cheap attribute writes) and never ``replace`` a frozen
dataclass, which costs a full construction each time.

This module holds the booking (``BookingB``: locators, traveller lookup, infant documents,
the chosen record locator) and its split-PNR and history builders;
``pnrgov_traveller_builders`` holds travellers, tickets and payments, and
``pnrgov_leg_builders`` legs and checked-in passengers.
"""

from __future__ import annotations

from datetime import datetime

from paxwatch.formats.people import contact_order
from paxwatch.formats.pnrgov_leg_builders import LegB
from paxwatch.formats.pnrgov_traveller_builders import PaymentB, TravellerB
from paxwatch.model.booking import (
    Agency,
    Booking,
    Contact,
    Document,
    HistoryEntry,
    NonAirSegment,
    RecordLocator,
    Remark,
    SpecialService,
    SplitReference,
)
from paxwatch.model.common import TravellerType

__all__ = ["BookingB", "HistoryB", "SplitB"]


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

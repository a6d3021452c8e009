"""Enumerations and small value types shared by every part of the model."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from paxwatch.model.fast import fast_init


class TravellerType(StrEnum):
    """Passenger type code of a booked traveller (PNRGOV TIF type)."""

    ADULT = "adult"
    CHILD = "child"
    INFANT = "infant"


class Gender(StrEnum):
    """Gender as airlines transmit it (DOCS / PAXLST ATT): M, F, U (unknown), X (unspecified)."""

    MALE = "M"
    FEMALE = "F"
    UNKNOWN = "U"
    UNSPECIFIED = "X"


class ContactKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    OTHER = "other"


class PaymentMethod(StrEnum):
    """Form of payment, normalised from FOP codes (CC, CA, MS, CK, INV, ...)."""

    CARD = "card"
    CASH = "cash"
    CHEQUE = "cheque"
    INVOICE = "invoice"
    MILES = "miles"
    OTHER = "other"


class ApiRole(StrEnum):
    """Role of a person on a PAXLST (NAD function code FL, FM, DDU, DDT)."""

    PASSENGER = "passenger"
    CREW = "crew"
    TRANSIT_PASSENGER = "transit_passenger"
    TRANSIT_CREW = "transit_crew"


class PushAction(StrEnum):
    """What a PNRGOV push carries: every PNR of the flight (MSG 22) or only changed ones (141)."""

    FULL = "full"
    CHANGES = "changes"


class WeightUnit(StrEnum):
    KG = "kg"
    LB = "lb"


class Severity(StrEnum):
    """How bad a finding is: error = this part was not read; warning = read with a repair."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """Something a reader of a message should know: what was wrong, where, and what to do.

    ``segment`` is the 1-based position of the segment in the interchange (for XML, the
    1-based position of the element in document order); ``line`` is the 1-based line of
    the raw file where that segment starts, when known.
    """

    severity: Severity
    code: str
    message: str
    segment: int | None = None
    segment_text: str | None = None
    line: int | None = None

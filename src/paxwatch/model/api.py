"""Advance Passenger Information (PAXLST): people as checked in, with their documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from paxwatch.model.booking import Bag, Document
from paxwatch.model.common import ApiRole, Gender
from paxwatch.model.fast import fast_init


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ApiTraveller:
    """A passenger or crew member on a PAXLST (NAD group 4).

    Places are IATA airport codes (embarkation LOC 178, debarkation LOC 179, first arrival
    in the destination state LOC 22); countries ISO 3166 codes as sent (residence LOC 174,
    nationality NAT). ``booking_locator`` (RFF AVF) links to the PNR.
    """

    role: ApiRole
    surname: str
    given_names: str = ""
    gender: Gender | None = None
    date_of_birth: date | None = None
    nationality: str | None = None
    residence_country: str | None = None
    birth_place: str | None = None
    embarkation: str | None = None
    debarkation: str | None = None
    clearance: str | None = None
    documents: tuple[Document, ...] = ()
    seat: str | None = None
    bags: tuple[Bag, ...] = ()
    booking_locator: str | None = None
    unique_ref: str | None = None
    references: tuple[tuple[str, str], ...] = ()
    raw_name: str = ""


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ReportingParty:
    """NAD+MS / CTA: who sent the list, and how to reach them."""

    name: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None

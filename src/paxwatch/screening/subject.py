"""The person to screen, from a booked traveller (PNR) or a checked-in one (API)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from paxwatch.model.api import ApiTraveller
from paxwatch.model.booking import Document, Traveller
from paxwatch.screening.watchlists.common import country_code

TITLE_GENDER: dict[str, str] = {
    "MR": "M",
    "MSTR": "M",
    "MSTER": "M",
    "MRS": "F",
    "MS": "F",
    "MISS": "F",
    "MME": "F",
    "MLLE": "F",
}
"""Gender implied by a booked title, used when neither the traveller nor a document gives
one (a title says nothing about the name, only that a namesake of the other sex is not the
listed person: ``features.gender_agreement``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectDocument:
    type: str | None = None
    number: str
    issuing_country: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """What screening looks at: names (booked and as printed in documents), date of birth,
    gender (M/F), nationality (ISO alpha-3) and travel documents. ``ref`` is the caller's
    identifier (traveller id), not screened."""

    ref: str | None = None
    names: tuple[str, ...]
    date_of_birth: date | None = None
    gender: str | None = None
    nationality: str | None = None
    documents: tuple[SubjectDocument, ...] = ()

    @classmethod
    def from_traveller(cls, traveller: Traveller, ref: str | None = None) -> Subject:
        """A PNR traveller: booked name + document names, DOB/gender/nationality from the
        traveller or else its first document that gives them; lacking both, the gender
        the booked title implies (MR, MSTR: M; MRS, MS, MISS: F)."""
        gender = traveller.gender.value if traveller.gender else None
        return _build(
            ref or traveller.unique_ref or traveller.ref,
            f"{traveller.given_names} {traveller.surname}",
            traveller.date_of_birth,
            gender,
            traveller.nationality,
            traveller.documents,
            TITLE_GENDER.get((traveller.title or "").upper().replace(".", "")),
        )

    @classmethod
    def from_api_traveller(cls, traveller: ApiTraveller, ref: str | None = None) -> Subject:
        """An API (PAXLST) traveller, likewise."""
        return _build(
            ref or traveller.unique_ref,
            f"{traveller.given_names} {traveller.surname}",
            traveller.date_of_birth,
            traveller.gender.value if traveller.gender else None,
            traveller.nationality,
            traveller.documents,
        )

    def digest(self) -> str:
        """SHA-256 of the screened data (not ``ref``): it changes when any screened value
        changes, so that a dismissed hit comes back only when the data changed."""
        data = {
            "names": sorted(" ".join(n.upper().split()) for n in self.names),
            "dob": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "gender": self.gender,
            "nationality": self.nationality,
            "documents": sorted(
                [d.type or "", d.number, d.issuing_country or ""] for d in self.documents
            ),
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _build(
    ref: str | None,
    booked: str,
    dob: date | None,
    gender: str | None,
    nationality: str | None,
    documents: tuple[Document, ...],
    title_gender: str | None = None,
) -> Subject:
    names = [booked.strip()]
    docs: list[SubjectDocument] = []
    for doc in documents:
        doc_name = f"{doc.given_names or ''} {doc.surname or ''}".strip()
        if doc_name and doc_name.upper() not in (n.upper() for n in names):
            names.append(doc_name)
        dob = dob or doc.date_of_birth
        gender = gender or (doc.gender.value if doc.gender else None)
        nationality = nationality or doc.nationality
        if doc.number:
            docs.append(
                SubjectDocument(
                    type=doc.type,
                    number=doc.number,
                    issuing_country=country_code(doc.issuing_country),
                )
            )
    gender = gender or title_gender
    return Subject(
        ref=ref,
        names=tuple(n for n in names if n),
        date_of_birth=dob,
        gender=gender if gender in ("M", "F") else None,
        nationality=country_code(nationality),
        documents=tuple(docs),
    )

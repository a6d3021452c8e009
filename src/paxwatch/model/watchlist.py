"""Watch-list entries: persons or documents sought or under alert, as importers read them.

Names are kept in the script the list gives (Arabic, Cyrillic, Latin...) with their kind
(primary name or alias) and, where the list says so, the alias quality (the UN marks
aliases "Good" or "Low"; OFAC "strong" / "weak" a.k.a.). Dates of birth may be partial.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from paxwatch.model.fast import fast_init


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class PartialDate:
    """A date of which only the year, or year and month, may be known."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        if self.year is None:
            return ""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def of(cls, value: date) -> PartialDate:
        return cls(year=value.year, month=value.month, day=value.day)


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ListedName:
    """One name of a listed person. ``full_name`` is the name as the list writes it."""

    full_name: str
    surname: str | None = None
    given_names: str | None = None
    script: str | None = None
    kind: str = "primary"
    quality: str | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class ListedDocument:
    type: str | None = None
    number: str
    issuing_country: str | None = None
    note: str | None = None


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class WatchlistEntry:
    """A person (or a document alone) on a list. ``kind``: person, document or entity."""

    source: str
    entry_id: str
    kind: str = "person"
    names: tuple[ListedName, ...] = ()
    gender: str | None = None
    dates_of_birth: tuple[PartialDate, ...] = ()
    places_of_birth: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    documents: tuple[ListedDocument, ...] = ()
    listed_on: date | None = None
    reason: str | None = None

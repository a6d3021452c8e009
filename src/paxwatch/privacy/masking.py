"""Display of depersonalised values (Directive Art 12(2)): masked is masked everywhere.

After six months the store holds masked values; the API and the UI show a value flagged as
masked through these helpers, whatever the caller's role (unmasking needs a recorded,
independent approval: the next issue). The helpers never return the value itself, and
keep at most what cannot identify a person (the last four digits of a card number, the
year of a date, the domain of an e-mail address is *not* kept).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

MASK = "[masked]"
"""What a masked value looks like."""


class MaskKind(StrEnum):
    """Kinds of values with a specific masked form."""

    TEXT = "text"
    NAME = "name"
    DATE = "date"
    DOCUMENT = "document"
    CARD = "card"
    CONTACT = "contact"
    FREQUENT_FLYER = "frequent_flyer"


def mask_text(_value: object = None) -> str:
    """Any value: the mask."""
    return MASK


def mask_name(_value: str | None = None) -> str:
    """A name (Art 12(2)(a)): the mask; neither initials nor length are shown."""
    return MASK


def mask_date(value: date | None = None) -> str:
    """A date of birth or other personal date: only the year stays (``1964-**-**``)."""
    return f"{value.year:04d}-**-**" if value is not None else MASK


def mask_document(_value: str | None = None) -> str:
    """A travel-document number: the mask."""
    return MASK


def mask_card(value: str | None = None) -> str:
    """A payment-card number (Art 12(2)(c)): ``****1234`` (last four digits) or the mask."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return f"****{digits[-4:]}" if len(digits) >= 8 else MASK


def mask_contact(_value: str | None = None) -> str:
    """A phone number, e-mail or address (Art 12(2)(b)): the mask."""
    return MASK


def mask_frequent_flyer(_value: str | None = None) -> str:
    """A frequent-flyer number (Art 12(2)(d)): the mask."""
    return MASK


def mask(value: object, kind: MaskKind = MaskKind.TEXT) -> str:
    """The masked form of ``value`` for its ``kind``."""
    if kind is MaskKind.DATE and isinstance(value, date):
        return mask_date(value)
    if kind is MaskKind.CARD and isinstance(value, str):
        return mask_card(value)
    return MASK


def shown(value: str | None, *, masked: bool, kind: MaskKind = MaskKind.TEXT) -> str | None:
    """What to display: ``value`` itself, or its masked form when the store flags it
    masked."""
    if not masked:
        return value
    return mask(value, kind)

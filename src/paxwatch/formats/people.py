"""Names and contacts as airlines send them.

``split_given_names`` strips a title or suffix glued to the end of a name only when it is a
known one, longest first, so that ``ELIZABETHMRS`` gives ``ELIZABETH`` + ``MRS`` (not
``ELIZABETHS`` + ``MR``) and ``VAISHNAVI`` keeps its ``VI``: roman-numeral suffixes are only
taken when separated by a space. The raw form is always kept by the caller.
"""

from __future__ import annotations

import re
from typing import Final

from paxwatch.model.booking import Address, Contact
from paxwatch.model.common import ContactKind

# Titles airlines glue to given names, longest first so that MRS wins over MR. Only these
# are stripped when glued: DR, SIR and the like end real names too (ALEKSANDR, YASIR).
GLUED_TITLES: Final[tuple[str, ...]] = ("MSTER", "MSTR", "MISS", "MRS", "CHD", "MR", "MS")
# Any of these is stripped when it stands after a space (KONG CHUN MRS, JOHN DR).
SPACED_TITLES: Final[tuple[str, ...]] = (
    "MSTER",
    "MSTR",
    "MISS",
    "LADY",
    "PROF",
    "MRS",
    "REV",
    "SIR",
    "CHD",
    "MR",
    "MS",
    "DR",
    "MX",
)
# Given names that end with a glued title but are names, not name + title.
_TITLE_LIKE_NAMES: Final = frozenset({"WILLIAMS", "ADAMS", "SAMS", "WILLIAMMS"})
# Suffixes taken when glued (JR, SR) and, only when separated by a space, roman numerals.
GLUED_SUFFIXES: Final[tuple[str, ...]] = ("JR", "SR")
SPACED_SUFFIXES: Final[tuple[str, ...]] = ("JR", "SR", "II", "III", "IV")
# All the endings ``split_title`` and ``split_suffix`` look for, tested at once first.
_SPACED_TITLE_ENDINGS: Final = tuple(" " + title for title in SPACED_TITLES)
_SUFFIX_ENDINGS: Final = (*GLUED_SUFFIXES, *(" " + suffix for suffix in SPACED_SUFFIXES))


def split_title(given: str) -> tuple[str, str | None]:
    """Split a known title off the end of ``given`` (glued or after a space).

    The remaining name must keep at least two letters, so a given name that *is* a title
    (``MR``) or is very short stays as it is.
    """
    g = " ".join(given.upper().split())
    if g.endswith(_SPACED_TITLE_ENDINGS):
        for title in SPACED_TITLES:
            if g.endswith(" " + title):
                return g[: -len(title) - 1].rstrip(), title
    if not g.endswith(GLUED_TITLES):
        return g, None
    last = g.rsplit(" ", 1)[-1]
    if last in _TITLE_LIKE_NAMES:
        return g, None
    for title in GLUED_TITLES:
        if g.endswith(title) and len(last) - len(title) >= 2:
            return g[: -len(title)], title
    return g, None


def split_suffix(surname: str) -> tuple[str, str | None]:
    """Split a generational suffix off a surname: ``SMITHJR`` → ``SMITH`` + ``JR``."""
    s = " ".join(surname.upper().split())
    if not s.endswith(_SUFFIX_ENDINGS):
        return s, None
    for suffix in SPACED_SUFFIXES:
        if s.endswith(" " + suffix):
            return s[: -len(suffix) - 1], suffix
    for suffix in GLUED_SUFFIXES:
        if s.endswith(suffix) and len(s) - len(suffix) >= 3:
            return s[: -len(suffix)], suffix
    return s, None


def normalise_email(raw: str) -> str:
    """E-mail in OSI/SSR free text: ``//`` stands for ``@`` and ``..`` for ``_``."""
    v = raw.strip()
    if "@" not in v:
        v = v.replace("//", "@")
    v = v.replace("..", "_")
    return v.lower()


# (the ASCII digits only: ``str.isdigit`` would keep other scripts' digits too)
_DIGITS: Final = frozenset("0123456789")


def normalise_phone(raw: str) -> str:
    """Digits only, a leading ``+`` kept; ``00`` international prefix becomes ``+``."""
    v = raw.strip()
    plus = v.startswith("+")
    digits = "".join([ch for ch in v if ch in _DIGITS])
    if plus:
        return "+" + digits
    if digits.startswith("00") and len(digits) > 6:
        return "+" + digits[2:]
    return digits


_EMAIL_HINT: Final = re.compile(r"^\S+(@|//)\S+\.\S+$")
_PHONE_RUN: Final = re.compile(r"\+?\d[\d \-/().]{3,}\d")
_CTC: Final = re.compile(r"^(?:[A-Z0-9]{2}\s+)?CTC\s?([A-Z])\s+(.*)$")


def contact_from_text(text: str) -> tuple[ContactKind, str, str] | None:
    """A contact hidden in free text (OSI ``CTCE …``, ``CTC M …``, ``CTCR 0011…``).

    Returns (kind, normalised value, code) or None when the text holds no contact. The
    code is the CTC letter: E e-mail, M mobile, H home, B business, T travel agent,
    R / P other phone.
    """
    t = " ".join(text.strip().upper().split())
    m = _CTC.match(t)
    if not m:
        return None
    code, body = m.group(1), m.group(2).strip()
    if code == "E" or _EMAIL_HINT.match(body.split(" ")[0] if body else ""):
        return ContactKind.EMAIL, normalise_email(body.split(" ")[0]), "CTC" + code
    run = _PHONE_RUN.search(body)
    if run is not None:
        return ContactKind.PHONE, normalise_phone(run.group(0)), "CTC" + code
    return ContactKind.OTHER, body, "CTC" + code


# -- the canonical form of a booking's contacts (every reader follows it) --------------------


def address_value(address: Address) -> str:
    """``Contact.value`` of an address: ``street, city, region, postal code, country``.

    Empty parts are left out; the parts are as the address holds them (the country as
    ISO alpha-3). Every reader and the synthetic-traffic generator use this one format.
    """
    parts = (address.street, address.city, address.region, address.postal_code, address.country)
    return ", ".join(p for p in parts if p)


# ``CheckIn.status`` when the message records a check-in without saying more.
CHECKED_IN: Final = "checked_in"


def _filing(source: str | None) -> int:
    if source is None:
        return 2
    if source.startswith("SSR"):
        return 0
    if source.startswith("OSI"):
        return 1
    return 2


def contact_order(contacts: list[Contact], traveller_refs: list[str | None]) -> list[Contact]:
    """The booking's contacts in canonical order (see ``docs/formats.md``).

    First the booking's own contacts (no ``traveller_ref``), then each traveller's in the
    order of the booking's travellers, then those naming a traveller the booking does not
    have. Within each of these groups: SSR contacts (``SSR CTCx``), then OSI contacts
    (``OSI CTCx``), then the others (``ADD``, ``ContactInfo``...), each in message order.
    """
    if len(contacts) < 2:
        return contacts
    rank: dict[str | None, int] = {None: 0}
    for i, ref in enumerate(traveller_refs, 1):
        if ref is not None:
            rank.setdefault(ref, i)
    last = len(traveller_refs) + 1

    # (sorted by (group, filing, position): tuples compare without calling back into Python)
    order = sorted(
        (rank.get(c.traveller_ref, last), _filing(c.source), i) for i, c in enumerate(contacts)
    )
    return [contacts[i] for _, _, i in order]

"""Data minimisation at ingest: the Annex I allow-list and the sensitive-data filter.

Directive 2016/681 Art 6(1): data that is not listed in Annex I is deleted immediately upon
receipt. Art 13(4): data revealing race or ethnic origin, political opinions, religion or
philosophical beliefs, trade-union membership, health, sex life or sexual orientation is
deleted immediately. CJEU C-817/19 reads Annex I strictly: item 12 (general remarks) covers
only the unaccompanied-minor information.

``minimise(message)`` returns the message without that data and the list of deletions
(category, element, count). It never returns or logs the deleted content. What is deleted,
and why, is documented in ``docs/minimisation.md``; the lists are data
(``minimise_defaults.toml``) that an operator may override with ``PAXWATCH_MINIMISE_CONFIG``.

``minimise_message`` additionally returns, in memory only, the deleted texts, so that the
ingest pipeline can blank them in the archived copy of the raw message (``redact_raw``).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from paxwatch.model import (
    ApiMessage,
    ApiTraveller,
    Booking,
    Contact,
    HistoryEntry,
    Message,
    PnrMessage,
    Remark,
    SpecialService,
    Traveller,
    Visa,
)

CONFIG_ENV = "PAXWATCH_MINIMISE_CONFIG"
SENSITIVE = "sensitive"
_SSR_CODE = re.compile(r"^\W*(?:SSR\W+)?([A-Za-z]{4})\b")
OUT_OF_SCOPE = "out_of_scope"
_WORD = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Deletion:
    """What minimisation deleted from one message: never the content, only its kind.

    ``category`` is ``sensitive:<health|religion|belief|ethnicity|politics|sexuality|union>``
    or ``out_of_scope:<reason>``; ``element`` the kind of data (``ssr``, ``remark``,
    ``history``, ``non_air``, ``contact``, ``api_field``, ``visa_field``); ``count`` how many.
    """

    category: str
    element: str
    count: int


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class MinimiseConfig:
    """The lists that drive minimisation (see ``minimise_defaults.toml`` for the meaning).

    Compared and hashed by identity: a loaded config is cached and reused.
    """

    allowed_ssr_codes: frozenset[str]
    minor_ssr_codes: frozenset[str]
    minor_remark_patterns: tuple[str, ...]
    kept_remark_kinds: frozenset[str]
    keep_non_air: bool
    sensitive_ssr_codes: Mapping[str, frozenset[str]]
    sensitive_terms: Mapping[str, tuple[str, ...]]
    _code_category: dict[str, str] = field(init=False, repr=False)
    _term_res: tuple[tuple[str, re.Pattern[str]], ...] = field(init=False, repr=False)
    _minor_re: re.Pattern[str] = field(init=False, repr=False)
    _code_re: re.Pattern[str] | None = field(init=False, repr=False)
    _first_words: frozenset[str] | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_code_category", _invert(self.sensitive_ssr_codes))
        object.__setattr__(self, "_term_res", _term_regexes(self.sensitive_terms))
        minor = "|".join(f"(?:{p})" for p in self.minor_remark_patterns) or r"(?!x)x"
        object.__setattr__(self, "_minor_re", re.compile(minor, re.IGNORECASE))
        codes = sorted({c for cs in self.sensitive_ssr_codes.values() for c in cs})
        object.__setattr__(self, "_code_re", words_regex(codes))
        words = [*codes, *(t for ts in self.sensitive_terms.values() for t in ts)]
        first = frozenset(w.split()[0].upper() for w in words if w.strip())
        sound = all(w.isascii() and w.isalnum() for w in first)
        object.__setattr__(self, "_first_words", first if sound else None)

    def code_category(self, code: str | None) -> str | None:
        """The sensitive category of an SSR code, or None."""
        if not code:
            return None
        return self._code_category.get(code.strip().upper())

    def text_category(self, text: str | None) -> str | None:
        """The first sensitive category whose term (or sensitive SSR code) is in ``text``.

        An ASCII text none of whose words (runs of letters and digits) is the first word of
        a term or code has none (a term's regex needs its first word to stand alone), and is
        not searched: most texts (contacts, allowed SSRs) are such.
        """
        if not text:
            return None
        first = self._first_words
        if first is not None and text.isascii() and first.isdisjoint(_WORD.findall(text.upper())):
            return None
        for category, regex in self._term_res:
            if regex.search(text):
                return category
        if self._code_re is not None:
            found = self._code_re.search(text)
            if found:
                return self.code_category(found.group(0))
        return None

    def terms_in(self, text: str) -> list[str]:
        """Every sensitive term or code found in ``text`` (for redacting the raw archive)."""
        found = [m.group(0) for _, regex in self._term_res for m in regex.finditer(text)]
        if self._code_re is not None:
            found.extend(m.group(0) for m in self._code_re.finditer(text))
        return found

    def is_minor_text(self, text: str | None) -> bool:
        """Whether ``text`` carries unaccompanied-minor information (Annex I item 12)."""
        return bool(text) and self._minor_re.search(text or "") is not None

    @property
    def all_sensitive_codes(self) -> frozenset[str]:
        return frozenset(c for cs in self.sensitive_ssr_codes.values() for c in cs)


@dataclass(frozen=True, slots=True, kw_only=True)
class MinimiseResult:
    """A minimised message, its deletions, and (in memory only) the texts to blank."""

    message: Message
    deletions: tuple[Deletion, ...]
    redactions: tuple[str, ...]


def _invert(table: Mapping[str, frozenset[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for category, codes in table.items():
        for code in codes:
            out.setdefault(code.upper(), category)
    return out


def words_regex(words: Iterable[str]) -> re.Pattern[str] | None:
    parts = [r"\s+".join(re.escape(w) for w in word.split()) for word in words if word.strip()]
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(parts) + r")(?![A-Za-z0-9])", re.I)


def _term_regexes(
    terms: Mapping[str, tuple[str, ...]],
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for category, words in terms.items():
        regex = words_regex(words)
        if regex is not None:
            out.append((category, regex))
    return tuple(out)


def _upper_set(values: Any) -> frozenset[str]:
    return frozenset(str(v).strip().upper() for v in values or ())


def config_from_mapping(
    data: Mapping[str, Any], base: MinimiseConfig | None = None
) -> MinimiseConfig:
    """Build a config from TOML-shaped data; keys absent from ``data`` come from ``base``."""

    def pick(key: str) -> Any:
        if key in data:
            return data[key]
        if base is None:
            raise ValueError(f"minimisation config lacks {key!r}")
        return getattr(base, key)

    codes = pick("sensitive_ssr_codes")
    terms = pick("sensitive_terms")
    return MinimiseConfig(
        allowed_ssr_codes=_upper_set(pick("allowed_ssr_codes")),
        minor_ssr_codes=_upper_set(pick("minor_ssr_codes")),
        minor_remark_patterns=tuple(str(p) for p in pick("minor_remark_patterns")),
        kept_remark_kinds=_upper_set(pick("kept_remark_kinds")),
        keep_non_air=bool(pick("keep_non_air")),
        sensitive_ssr_codes={str(k): _upper_set(v) for k, v in dict(codes).items()},
        sensitive_terms={str(k): tuple(str(t) for t in v) for k, v in dict(terms).items()},
    )


def default_config() -> MinimiseConfig:
    """The lists shipped with paxwatch (``minimise_defaults.toml``)."""
    text = resources.files("paxwatch.privacy").joinpath("minimise_defaults.toml").read_text()
    return config_from_mapping(tomllib.loads(text))


@lru_cache(maxsize=8)
def _load_cached(path: str | None) -> MinimiseConfig:
    base = default_config()
    if not path:
        return base
    with Path(path).open("rb") as handle:
        return config_from_mapping(tomllib.load(handle), base)


def load_config(path: str | Path | None = None) -> MinimiseConfig:
    """The defaults, overridden by ``path`` or else by ``$PAXWATCH_MINIMISE_CONFIG``."""
    chosen = str(path) if path is not None else os.environ.get(CONFIG_ENV) or None
    return _load_cached(chosen)


class _Tally:
    """Counts deletions and collects the deleted texts (for the raw archive only)."""

    def __init__(self, config: MinimiseConfig) -> None:
        self.config = config
        self.counts: Counter[tuple[str, str]] = Counter()
        self.texts: list[str] = []

    def delete(self, category: str, element: str, *texts: str | None) -> None:
        self.counts[(category, element)] += 1
        for text in texts:
            if text and text.strip():
                self.texts.append(text)

    def deletions(self) -> tuple[Deletion, ...]:
        return tuple(
            Deletion(category=c, element=e, count=n) for (c, e), n in sorted(self.counts.items())
        )


def _ssr_keep(service: SpecialService, tally: _Tally) -> bool:
    config = tally.config
    code = service.code.strip().upper()
    category = config.code_category(code) or config.text_category(service.text)
    if category is not None:
        tally.delete(f"{SENSITIVE}:{category}", "ssr", service.code, service.text)
        return False
    if code not in config.allowed_ssr_codes:
        tally.delete(f"{OUT_OF_SCOPE}:not_annex_i", "ssr", service.text)
        return False
    return True


def _remark_keep(remark: Remark, tally: _Tally) -> bool:
    config = tally.config
    category = config.code_category(remark.code) or config.text_category(remark.text)
    if category is not None:
        tally.delete(f"{SENSITIVE}:{category}", "remark", remark.text, remark.code)
        return False
    minor = (remark.code or "").strip().upper() in config.minor_ssr_codes
    if minor or config.is_minor_text(remark.text):
        return True
    if remark.kind.strip().upper() in config.kept_remark_kinds:
        return True
    tally.delete(f"{OUT_OF_SCOPE}:remark_not_minor", "remark", remark.text)
    return False


def _history_keep(entry: HistoryEntry, tally: _Tally) -> bool:
    config = tally.config
    category = config.text_category(entry.text)
    if category is not None:
        tally.delete(f"{SENSITIVE}:{category}", "history", entry.text)
        return False
    element = (entry.element or "").lower()
    if element in ("remark", "osi", "rmk") and not config.is_minor_text(entry.text):
        tally.delete(f"{OUT_OF_SCOPE}:remark_not_minor", "history", entry.text)
        return False
    if element == "ssr":
        found = _SSR_CODE.search(entry.text)
        if found and found.group(1).upper() not in config.allowed_ssr_codes:
            tally.delete(f"{OUT_OF_SCOPE}:not_annex_i", "history", entry.text)
            return False
    return True


def _contact_keep(contact: Contact, tally: _Tally) -> bool:
    source = (contact.source or "").upper()
    if "PCTC" in source:
        # Emergency contact: another person's data, not the passenger's own (item 5, CJEU).
        tally.delete(f"{OUT_OF_SCOPE}:not_own_contact", "contact", contact.raw, contact.value)
        return False
    category = tally.config.text_category(contact.raw)
    if category is not None:
        tally.delete(f"{SENSITIVE}:{category}", "contact", contact.raw)
        return False
    return True


def _visa(visa: Visa, tally: _Tally) -> Visa:
    if visa.place_of_birth:
        tally.delete(f"{OUT_OF_SCOPE}:not_api_field", "visa_field", visa.place_of_birth)
        return replace(visa, place_of_birth=None)
    return visa


def _traveller(traveller: Traveller, tally: _Tally) -> Traveller:
    if not any(v.place_of_birth for v in traveller.visas):
        return traveller
    return replace(traveller, visas=tuple(_visa(v, tally) for v in traveller.visas))


def _booking(booking: Booking, tally: _Tally) -> Booking:
    changes: dict[str, Any] = {}
    services = tuple(s for s in booking.special_services if _ssr_keep(s, tally))
    if len(services) != len(booking.special_services):
        changes["special_services"] = services
    remarks = tuple(r for r in booking.remarks if _remark_keep(r, tally))
    if len(remarks) != len(booking.remarks):
        changes["remarks"] = remarks
    history = tuple(h for h in booking.history if _history_keep(h, tally))
    if len(history) != len(booking.history):
        changes["history"] = history
    contacts = tuple(c for c in booking.contacts if _contact_keep(c, tally))
    if len(contacts) != len(booking.contacts):
        changes["contacts"] = contacts
    if booking.non_air and not tally.config.keep_non_air:
        for segment in booking.non_air:
            tally.delete(f"{OUT_OF_SCOPE}:not_air_itinerary", "non_air", segment.raw)
        changes["non_air"] = ()
    travellers = tuple(_traveller(t, tally) for t in booking.travellers)
    if any(a is not b for a, b in zip(travellers, booking.travellers, strict=True)):
        changes["travellers"] = travellers
    return replace(booking, **changes) if changes else booking


def _api_traveller(traveller: ApiTraveller, tally: _Tally) -> ApiTraveller:
    # Item 18 lists the API fields a PIU may keep; residence and place of birth are not among
    # them (CJEU C-817/19).
    changes: dict[str, Any] = {}
    if traveller.residence_country:
        tally.delete(f"{OUT_OF_SCOPE}:not_api_field", "api_field")
        changes["residence_country"] = None
    if traveller.birth_place:
        tally.delete(f"{OUT_OF_SCOPE}:not_api_field", "api_field", traveller.birth_place)
        changes["birth_place"] = None
    return replace(traveller, **changes) if changes else traveller


def minimise_message(message: Message, config: MinimiseConfig | None = None) -> MinimiseResult:
    """Minimise one message; also return the deleted texts for blanking the raw archive."""
    tally = _Tally(config or load_config())
    out: Message
    if isinstance(message, PnrMessage):
        bookings = tuple(_booking(b, tally) for b in message.bookings)
        changed = any(a is not b for a, b in zip(bookings, message.bookings, strict=True))
        out = replace(message, bookings=bookings) if changed else message
    elif isinstance(message, ApiMessage):
        api = tuple(_api_traveller(t, tally) for t in message.travellers)
        changed = any(a is not b for a, b in zip(api, message.travellers, strict=True))
        out = replace(message, travellers=api) if changed else message
    else:  # pragma: no cover - Message is a closed union
        raise TypeError(f"not a message: {type(message).__name__}")
    return MinimiseResult(
        message=out, deletions=tally.deletions(), redactions=tuple(dict.fromkeys(tally.texts))
    )


def minimise(
    message: Message, config: MinimiseConfig | None = None
) -> tuple[Message, list[Deletion]]:
    """Return ``message`` without non-Annex-I and sensitive data, and what was deleted."""
    result = minimise_message(message, config)
    return result.message, list(result.deletions)

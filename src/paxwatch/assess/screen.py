"""Watch-list screening of stored travellers: the screener of the active lists, and hits.

``current_screener(store)`` returns a ``Screener`` over the entries of every active source,
built once per *active-list set* (the digest of the active sources and their current
versions, see ``watchlists.active_lists``) and cached per database: an import or an
activation changes the digest, and the next call builds a new screener.

The screener's name statistics (``screening.rarity``, the ``common_name`` feature) come
from ``name_frequencies``: the names of the travellers in the store (at most
``RARITY_MAX_NAMES``, the most recent first, each person once); with fewer than
``RARITY_MIN_NAMES`` of them, from the names of the active lists; with fewer still, the
feature is left out. They are cached with the screener and recounted after
``RARITY_MAX_AGE`` (a new list set recounts them too).

``watchlist_candidates(items, screener)`` screens loaded travellers (pure: no database)
and turns every ``Match`` into a hit to store, with its features, listed name, algorithm
version and suppression fingerprint. Storing (repeats, dismissed-hit suppression) and the
runs over flights, days and the whole window are in ``paxwatch.assess.run``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, select

from paxwatch.assess.hits import Candidate, HitFeature, HitKind, NewHit, digest_fingerprint
from paxwatch.assess.load import LoadedTraveller, Scope
from paxwatch.assess.watchlists import ActiveLists, active_lists, current_entries
from paxwatch.gcpause import freeze_long_lived
from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.screening.config import ScreeningConfig
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.score import Match
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject
from paxwatch.screening.suppression import fingerprint
from paxwatch.store import schema as s
from paxwatch.store.engine import Store

KIND = "screening"
"""``assessment.kind`` of watch-list screening."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessConfig:
    """How far back stored travellers are assessed, and in what chunks.

    ``window_days``: flights departing up to this many days ago (default 183, about six
    months: after that PNR data are masked, Art 12(2)) and every future flight.
    """

    window_days: int = 183
    chunk: int = 2000
    today: date | None = None
    screening: ScreeningConfig | None = None

    def window_from(self) -> date:
        return (self.today or date.today()) - timedelta(days=self.window_days)

    def scope(
        self,
        *,
        flight_id: int | None = None,
        day: date | None = None,
        first_day: date | None = None,
        last_day: date | None = None,
    ) -> Scope:
        """A scope inside the legal window."""
        return Scope(
            flight_id=flight_id,
            day=day,
            first_day=first_day,
            last_day=last_day,
            window_from=self.window_from(),
        )


@dataclass(frozen=True, slots=True)
class ActiveScreener:
    """The screener of one active-list set."""

    lists: ActiveLists
    screener: Screener


RARITY_MIN_NAMES = 2_000
"""Fewer names than this give no usable statistics (every token would look rare)."""
RARITY_MAX_NAMES = 500_000
"""Most recent traveller names counted (bounded time and memory)."""
RARITY_MAX_AGE = 24 * 3600.0
"""Seconds after which the name statistics are counted again."""

_CACHE: dict[str, ActiveScreener] = {}
_COUNTED: dict[str, float] = {}
_LOCK = threading.Lock()


def name_frequencies(conn: Connection, *, limit: int = RARITY_MAX_NAMES) -> NameFrequencies:
    """Name statistics of the travellers in the store: the current versions of bookings,
    the most recently stored travellers first, at most ``limit`` (the store keeps the legal
    window: older data are masked); each person once: a name with a date of birth counts
    once per date, a name without one once per booking."""
    t, b = s.traveller, s.booking
    query = (
        select(t.c.given_names, t.c.surname, t.c.date_of_birth, b.c.id)
        .join(b, b.c.current_version_id == t.c.version_id)
        .order_by(t.c.id.desc())
        .limit(limit)
    )
    names = people_names(conn.execute(query))
    return NameFrequencies.count(names, source="stored travellers")


def people_names(rows: Iterable[Sequence[Any]]) -> list[str]:
    """The full names of (given names, surname, date of birth, booking id) rows, each
    person once: a name with a date of birth once per date, without one once per booking."""
    seen: set[tuple[str, object]] = set()
    names: list[str] = []
    for given, surname, born, booking_id in rows:
        name = f"{given or ''} {surname or ''}".strip()
        key = (name, born if born is not None else booking_id)
        if name and key not in seen:
            seen.add(key)
            names.append(name)
    return names


def _frequencies(store: Store, entries: Sequence[WatchlistEntry]) -> NameFrequencies | None:
    with store.read() as conn:
        found = name_frequencies(conn)
    if found.names >= RARITY_MIN_NAMES:
        return found
    listed = NameFrequencies.count(
        (n.full_name for e in entries for n in e.names), source="names of the active lists"
    )
    return listed if listed.names >= RARITY_MIN_NAMES else None


def _store_key(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=True)


def current_screener(store: Store, config: ScreeningConfig | None = None) -> ActiveScreener:
    """The screener of the active lists (rebuilt only when the active set changed)."""
    with store.read() as conn:
        lists = active_lists(conn)
    key = _store_key(store)
    with _LOCK:
        cached = _CACHE.get(key)
        counted = _COUNTED.get(key, 0.0)
    if cached is not None and cached.lists.digest == lists.digest:
        if time.monotonic() - counted > RARITY_MAX_AGE:
            cached.screener.frequencies = _frequencies(store, cached.screener.entries)
            with _LOCK:
                _COUNTED[key] = time.monotonic()
            freeze_long_lived()
        return cached
    with store.read() as conn:
        entries = current_entries(conn, [source for source, _v in lists.versions])
    built = ActiveScreener(
        lists, Screener(entries, config, frequencies=_frequencies(store, entries))
    )
    with _LOCK:
        _CACHE[key] = built
        _COUNTED[key] = time.monotonic()
    # It lives until the active lists change: out of the collector's reach (the one it
    # replaces is collected now).
    freeze_long_lived()
    return built


def forget_screeners() -> None:
    """Empty the cache (tests)."""
    with _LOCK:
        _CACHE.clear()
        _COUNTED.clear()


def subject_of(item: LoadedTraveller) -> Subject:
    """What screening looks at for a stored traveller (``ref`` = the traveller row id): the
    booked traveller, completed by the API record the carrier sent for it at check-in on
    the assessed flight, when the two are correlated (``api_pnr_link``)."""
    booked = booked_subject(item)
    if item.api is None:
        return booked
    return with_checked_in(booked, Subject.from_api_traveller(item.api))


def booked_subject(item: LoadedTraveller) -> Subject:
    """The booked traveller alone, as the booking gives it."""
    return Subject.from_traveller(item.traveller, ref=str(item.traveller_id))


def with_checked_in(booked: Subject, checked: Subject) -> Subject:
    """``booked`` completed by ``checked`` (the API record of the same traveller). API data
    are read from the travel document at check-in, so their date of birth, gender and
    nationality win over what the booking says; the names and documents of both are
    screened (a listed person may have booked under one spelling and travel under
    another)."""
    known = {" ".join(n.upper().split()) for n in booked.names}
    names = booked.names + tuple(
        n for n in checked.names if " ".join(n.upper().split()) not in known
    )
    numbers = {d.number for d in booked.documents}
    documents = booked.documents + tuple(d for d in checked.documents if d.number not in numbers)
    return replace(
        booked,
        names=names,
        date_of_birth=checked.date_of_birth or booked.date_of_birth,
        gender=checked.gender or booked.gender,
        nationality=checked.nationality or booked.nationality,
        documents=documents,
    )


def match_hit(item: LoadedTraveller, match: Match) -> NewHit:
    """The hit record of one watch-list match."""
    return hit_of_match(
        match,
        flight_id=item.flight.flight_id,
        traveller_id=item.traveller_id,
        booking_id=item.booking_id,
    )


def hit_of_match(
    match: Match,
    *,
    flight_id: int,
    traveller_id: int | None,
    booking_id: int | None,
    api_traveller_id: int | None = None,
) -> NewHit:
    """The hit record of one watch-list match on a booked traveller (``traveller_id``,
    ``booking_id``) or an API traveller screened on its own (``api_traveller_id``)."""
    return NewHit(
        kind=HitKind.WATCHLIST,
        traveller_id=traveller_id,
        booking_id=booking_id,
        flight_id=flight_id,
        api_traveller_id=api_traveller_id,
        score=match.score,
        features=tuple(
            HitFeature(
                name=f.name,
                value=f.value,
                weight=f.weight,
                contribution=f.contribution,
                detail=f.detail,
            )
            for f in match.features
        ),
        algorithm_version=match.algorithm_version,
        fingerprint=digest_fingerprint(fingerprint(match)),
        source_id=match.source,
        entry_id=match.entry_id,
        listed_name=match.listed_name,
        subject_name=match.subject_name,
        subject_digest=match.subject_digest,
        entry_digest=match.entry_digest,
    )


def watchlist_candidates(
    items: Sequence[LoadedTraveller], screener: Screener
) -> list[list[Candidate]]:
    """Screen each traveller; per traveller, its hits to store (best first)."""
    out: list[list[Candidate]] = []
    for item in items:
        matches = screener.screen(subject_of(item)) if len(screener) else []
        out.append([Candidate(match_hit(item, m), m) for m in matches])
    return out

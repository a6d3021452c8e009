"""API ↔ PNR correlation: link each API traveller of a flight to the booked traveller.

The rules are tried in this order; the first that gives exactly one unused booked traveller
wins, and its name is recorded in ``api_pnr_link.rule``:

1. ``locator+name``: the API booking reference (RFF AVF) is the locator of an active booking
   on the flight and the surname (and, when several share it, the first given name or the
   date of birth) picks one of its travellers;
2. ``locator``: the booking reference alone, when exactly one traveller of that booking is
   still unlinked (the booked name and the document name can disagree: ``SMITHJR`` /
   ``SMITH``);
3. ``document``: the API document number equals a document number on the booked traveller
   (issuing countries, when both are known, must agree);
4. ``name+dob``: surname, first given name and date of birth are equal.

Rule 1 does not take the booking's one traveller of that surname when the evidence says it is
someone else (both dates of birth known and different; without them, two different first
given names, neither an initial of the other). The rules are applied in rounds until a round
links no one, so a traveller left over by an earlier rule can be placed by ``locator`` once
the others are linked. Each booked traveller is linked at most once per API message;
ambiguous candidates are left unlinked rather than guessed. Names compare as upper-case
letters only. Only travellers of the current version of bookings active on the flight are
candidates.

``correlate_flights`` recomputes the links of whole flights; ingest keeps them up to date
incrementally with ``store.relink`` (the same links, for the cost of what a batch changed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, delete, select

from paxwatch.store import schema as s
from paxwatch.store.keys import norm_document_number, norm_name
from paxwatch.store.rows import insert_many, run_sql

#: A date of birth as the DB-API returns it (SQLite: ISO text; PostgreSQL: a ``date``),
#: compared as is: both sides of a comparison come from ``Date`` columns of one database.
Day = date | str | None


@dataclass(slots=True, eq=False)
class _Booked:
    id: int
    booking_id: int
    locator: str
    surname: str
    given: str
    dob: Day
    documents: set[tuple[str, str]] = field(default_factory=set)


@dataclass(slots=True)
class _Listed:
    id: int
    message_id: int
    locator: str | None
    surname: str
    given: str
    dob: Day
    documents: set[tuple[str, str]] = field(default_factory=set)


@dataclass(frozen=True, slots=True, kw_only=True)
class CorrelationSummary:
    """How many API travellers of a flight are linked, and how many are not on either side."""

    flight_id: int
    linked: int
    unmatched_api: int
    unmatched_booked: int


@lru_cache(maxsize=1 << 16)
def _name(surname: str | None) -> str:
    """``norm_name``, remembered: a flight's names are read again at every recompute."""
    return norm_name(surname)


@lru_cache(maxsize=1 << 16)
def _first(given: str | None) -> str:
    return norm_name((given or "").split(" ")[0])


@lru_cache(maxsize=1 << 16)
def _document(number: str | None, country: str | None) -> tuple[str, str] | None:
    """(normalised number, upper-case issuing country) of a document, remembered like
    ``_name``; None without a number."""
    doc = norm_document_number(number)
    return (doc, (country or "").upper()) if doc else None


_CHUNK = 500


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


_BOOKED = (
    "SELECT bf.flight_id, t.id, t.booking_id, b.locator, t.surname, t.given_names, "
    "t.date_of_birth, d.number, d.issuing_country "
    "FROM booking_flight bf JOIN booking b ON b.id = bf.booking_id "
    "JOIN traveller t ON t.version_id = b.current_version_id "
    "LEFT OUTER JOIN document d ON d.traveller_id = t.id "
    "WHERE bf.flight_id IN ({ids}) AND bf.status = 'active' ORDER BY t.id"
)
_LISTED = (
    "SELECT af.flight_id, a.id, a.api_message_id, a.booking_locator, a.surname, "
    "a.given_names, a.date_of_birth, d.number, d.issuing_country "
    "FROM api_traveller_flight af JOIN api_traveller a ON a.id = af.api_traveller_id "
    "LEFT OUTER JOIN document d ON d.api_traveller_id = a.id "
    "WHERE af.flight_id IN ({ids}) ORDER BY a.id"
)


def _rows(conn: Connection, sql: str, flight_ids: list[int]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql`` for the flights, on the DB-API cursor (this runs for every
    flight touched by every batch: SQLAlchemy's result processing cost more than the query)."""
    for chunk in _chunks(flight_ids):
        yield from run_sql(conn, sql.format(ids=", ".join("?" * len(chunk))), chunk).rows


def _booked_many(conn: Connection, flight_ids: list[int]) -> dict[int, list[_Booked]]:
    """The booked travellers (current versions of active bookings) of several flights."""
    out: dict[int, dict[int, _Booked]] = {f: {} for f in flight_ids}
    for fid, tid, bid, locator, surname, given, dob, number, country in _rows(
        conn, _BOOKED, flight_ids
    ):
        rows = out[fid]
        row = rows.get(tid)
        if row is None:
            row = rows[tid] = _Booked(tid, bid, locator, _name(surname), _first(given), dob)
        doc = _document(number, country)
        if doc:
            row.documents.add(doc)
    return {f: list(rows.values()) for f, rows in out.items()}


def _listed_many(conn: Connection, flight_ids: list[int]) -> dict[int, list[_Listed]]:
    """The API travellers of several flights (flights with none are left out)."""
    out: dict[int, dict[int, _Listed]] = {}
    for fid, aid, mid, locator, surname, given, dob, number, country in _rows(
        conn, _LISTED, flight_ids
    ):
        rows = out.setdefault(fid, {})
        row = rows.get(aid)
        if row is None:
            row = rows[aid] = _Listed(aid, mid, locator, _name(surname), _first(given), dob)
        doc = _document(number, country)
        if doc:
            row.documents.add(doc)
    return {f: list(rows.values()) for f, rows in out.items()}


def _booked(conn: Connection, flight_id: int) -> list[_Booked]:
    return _booked_many(conn, [flight_id])[flight_id]


def _listed(conn: Connection, flight_id: int) -> list[_Listed]:
    return _listed_many(conn, [flight_id]).get(flight_id, [])


class _Pool:
    """The booked travellers of a flight, indexed by locator, document number and name."""

    def __init__(self, booked: list[_Booked]) -> None:
        self.used: set[int] = set()
        self.by_locator: dict[str, list[_Booked]] = defaultdict(list)
        self.by_document: dict[str, list[_Booked]] = defaultdict(list)
        self.by_name: dict[tuple[str, str, Day], list[_Booked]] = defaultdict(list)
        for b in booked:
            self.by_locator[b.locator].append(b)
            for number, _country in b.documents:
                self.by_document[number].append(b)
            self.by_name[(b.surname, b.given, b.dob)].append(b)

    def may_match(self, api: _Listed) -> bool:
        """Whether some rule could find a candidate for ``api`` (one of its keys is here)."""
        return (
            (api.locator is not None and api.locator in self.by_locator)
            or (api.surname, api.given, api.dob) in self.by_name
            or any(number in self.by_document for number, _ in api.documents)
        )

    def free(self, candidates: list[_Booked]) -> list[_Booked]:
        return [b for b in dict.fromkeys(candidates) if b.id not in self.used]


def _one(candidates: list[_Booked]) -> _Booked | None:
    return candidates[0] if len(candidates) == 1 else None


def _by_locator_name(api: _Listed, pool: _Pool) -> _Booked | None:
    if not api.locator or api.locator not in pool.by_locator:
        return None
    named = [b for b in pool.free(pool.by_locator[api.locator]) if b.surname == api.surname]
    if len(named) > 1:
        named = [b for b in named if b.given == api.given or (api.dob and b.dob == api.dob)]
    elif named and _contradicts(api, named[0]):
        return None
    return _one(named)


def _contradicts(api: _Listed, b: _Booked) -> bool:
    """Whether the one booked traveller of the booking with the API traveller's surname is
    someone else: both dates of birth known and different, or (without them) two different
    first given names, neither the other's initial or abbreviation. A family booked as
    MARZOUQI HAYAA and MARZOUKI AYOUB, travelling as MARZOUKI HAYAA and MARZOUKI AYOUB: HAYAA
    is not linked to AYOUB (whose passport and date of birth she would carry); a later rule
    or round can still link a spelling variant (``locator``, when it is the booking's last
    unlinked traveller)."""
    if api.dob is not None and b.dob is not None:
        return api.dob != b.dob
    if not api.given or not b.given:
        return False
    return not (api.given.startswith(b.given) or b.given.startswith(api.given))


def _by_locator(api: _Listed, pool: _Pool) -> _Booked | None:
    if not api.locator or api.locator not in pool.by_locator:
        return None
    return _one(pool.free(pool.by_locator[api.locator]))


def _by_document(api: _Listed, pool: _Pool) -> _Booked | None:
    found: list[_Booked] = []
    for number, country in api.documents:
        if number not in pool.by_document:
            continue
        for b in pool.by_document[number]:
            countries = {c for n, c in b.documents if n == number}
            if not country or "" in countries or country in countries:
                found.append(b)
    return _one(pool.free(found))


def _by_name_dob(api: _Listed, pool: _Pool) -> _Booked | None:
    if api.dob is None or not api.surname:
        return None
    found = pool.by_name.get((api.surname, api.given, api.dob))
    return _one(pool.free(found)) if found else None


RULES: tuple[tuple[str, Callable[[_Listed, _Pool], _Booked | None]], ...] = (
    ("locator+name", _by_locator_name),
    ("locator", _by_locator),
    ("document", _by_document),
    ("name+dob", _by_name_dob),
)


def match(listed: list[_Listed], booked: list[_Booked]) -> dict[int, tuple[_Booked, str]]:
    """Pair API travellers with booked ones (per API message, each booked traveller once)."""
    out: dict[int, tuple[_Booked, str]] = {}
    per_message: dict[int, list[_Listed]] = defaultdict(list)
    for api in listed:
        per_message[api.message_id].append(api)
    pool = _Pool(booked)
    for members in per_message.values():
        # Travellers none of whose keys is in the pool cannot match by any rule.
        group = [api for api in members if pool.may_match(api)]
        pool.used = set()
        # Rounds of the rules in order until one links no one: a traveller a rule could not
        # place (two free candidates, a contradiction) may be the last one left after later
        # rules placed the others.
        linked = True
        while linked:
            linked = False
            for rule, find in RULES:
                for api in group:
                    if api.id in out:
                        continue
                    found = find(api, pool)
                    if found is not None:
                        out[api.id] = (found, rule)
                        pool.used.add(found.id)
                        linked = True
    return out


def link_rows(
    flight_id: int, links: dict[int, tuple[_Booked, str]], at: datetime
) -> list[dict[str, Any]]:
    """The ``api_pnr_link`` rows of ``match``'s links on a flight."""
    return [
        {
            "api_traveller_id": api_id,
            "flight_id": flight_id,
            "traveller_id": b.id,
            "booking_id": b.booking_id,
            "rule": rule,
            "linked_at": at,
        }
        for api_id, (b, rule) in links.items()
    ]


def correlate_flight(conn: Connection, flight_id: int, at: datetime) -> CorrelationSummary:
    """Recompute the API ↔ PNR links of one flight (inside the caller's transaction)."""
    return correlate_flights(conn, [flight_id], at)[0]


def correlate_flights(
    conn: Connection, flight_ids: Iterable[int], at: datetime
) -> list[CorrelationSummary]:
    """Recompute the API ↔ PNR links of several flights with one query per table (inside
    the caller's transaction); one summary per flight, in order."""
    ids = list(dict.fromkeys(flight_ids))
    if not ids:
        return []
    listed = _listed_many(conn, ids)
    with_api = [f for f in ids if f in listed]
    link = s.api_pnr_link
    for chunk in _chunks(ids):
        conn.execute(delete(link).where(link.c.flight_id.in_(chunk)))
    booked = _booked_many(conn, with_api) if with_api else {}
    rows: list[dict[str, Any]] = []
    out: list[CorrelationSummary] = []
    for fid in ids:
        api = listed.get(fid)
        if not api:
            out.append(
                CorrelationSummary(flight_id=fid, linked=0, unmatched_api=0, unmatched_booked=0)
            )
            continue
        candidates = booked[fid]
        links = match(api, candidates)
        rows.extend(link_rows(fid, links, at))
        matched = {b.id for b, _ in links.values()}
        out.append(
            CorrelationSummary(
                flight_id=fid,
                linked=len(links),
                unmatched_api=len(api) - len(links),
                unmatched_booked=len([b for b in candidates if b.id not in matched]),
            )
        )
    insert_many(conn, link, rows)
    return out


def recomputed_links(
    conn: Connection, flight_ids: Iterable[int]
) -> dict[tuple[int, int], tuple[int, int, str]]:
    """(API traveller id, flight id) → (booked traveller id, booking id, rule): the links
    ``correlate_flights`` would store for the flights, computed without writing (to check
    the stored links, e.g. those ``store.relink`` keeps up to date)."""
    ids = list(dict.fromkeys(flight_ids))
    listed = _listed_many(conn, ids) if ids else {}
    booked = _booked_many(conn, list(listed)) if listed else {}
    return {
        (api_id, fid): (b.id, b.booking_id, rule)
        for fid, api in listed.items()
        for api_id, (b, rule) in match(api, booked[fid]).items()
    }


def linked_travellers(
    conn: Connection, api_traveller_ids: Iterable[int]
) -> list[tuple[int, int, int]]:
    """(API traveller id, flight id, booked traveller id) of the current links of
    ``api_traveller_ids``: the booked travellers an API list completed, to assess again."""
    link = s.api_pnr_link
    ids = sorted(set(api_traveller_ids))
    out: list[tuple[int, int, int]] = []
    for chunk in _chunks(ids):
        query = select(link.c.api_traveller_id, link.c.flight_id, link.c.traveller_id).where(
            link.c.api_traveller_id.in_(chunk), link.c.traveller_id.is_not(None)
        )
        out.extend((int(a), int(f), int(t)) for a, f, t in conn.execute(query))
    return out

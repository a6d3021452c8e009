"""Incremental API ↔ PNR correlation: after a batch, re-match only what it can change.

``store.correlate`` defines the links (its module docstring) and recomputes them for whole
flights. This module gives the same links for the cost of what a batch changed, from two
properties of that algorithm:

- each API message is matched on its own (the "each booked traveller once" bookkeeping
  restarts per message), so the links of one message of a flight depend only on that
  message's travellers and the flight's pool of booked travellers;
- every rule looks booked travellers up by a key of the API traveller (booking reference,
  normalised document number, surname + first given name + date of birth), so a message's
  links depend only on the booked travellers of the pool that share a key with one of its
  travellers; any larger part of the pool gives the same links.

So after a batch, on each flight it may have changed: a new API message is matched; an
older one is matched again only when one of its travellers shares a key with a booked
traveller that entered or left the pool (the travellers of the previous and of the new
current version of each booking with a new version, or that became active on a flight);
and each match reads only the pool's travellers sharing a key with the message. A flight
where a full push cancelled bookings is recomputed in full (``correlate_flights``): rare.

Keys are compared as ``correlate`` does; the SQL filters that narrow the rows read are a
superset of them (a document number that is not plain ASCII letters and digits is always
read, and normalised here).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from paxwatch.store import schema as s
from paxwatch.store.correlate import (
    Day,
    _Booked,
    _document,
    _first,
    _Listed,
    _name,
    correlate_flights,
    match,
)
from paxwatch.store.rows import execute_rows, insert_many, run_sql

#: Ids per ``IN`` list, and keys of each kind per query.
_CHUNK = 500


@dataclass(slots=True)
class LinkChanges:
    """What a batch changed that links may depend on."""

    #: The flights whose links may change (the others keep theirs).
    flights: dict[int, None] = field(default_factory=dict)
    #: New API messages: id → the flights they list.
    api_messages: dict[int, tuple[int, ...]] = field(default_factory=dict)
    #: Booking versions whose travellers entered or left a flight's pool.
    versions: set[int] = field(default_factory=set)
    #: Flights to recompute in full (a booking was cancelled on them).
    full: set[int] = field(default_factory=set)


@dataclass(slots=True)
class _Keys:
    """Matching keys: booking references, document numbers, (surname, given, birth)."""

    locators: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    names: set[tuple[str, str, Day]] = field(default_factory=set)

    def add(self, locator: str | None, surname: str, given: str, dob: Day) -> None:
        if locator:
            self.locators.add(locator)
        if dob is not None and surname:
            self.names.add((surname, given, dob))

    def hit(self, locator: str | None, surname: str, given: str, dob: Day, doc: str | None) -> bool:
        return (
            (locator is not None and locator in self.locators)
            or (doc is not None and doc in self.documents)
            or (dob is not None and (surname, given, dob) in self.names)
        )

    def __bool__(self) -> bool:
        return bool(self.locators or self.documents or self.names)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _odd_number(conn: Connection) -> str:
    """SQL true for a document number that is not plain ASCII letters and digits (its
    normalised form may differ from ``UPPER(number)``)."""
    if conn.dialect.name == "sqlite":
        return "d.number GLOB '*[^A-Za-z0-9]*'"
    return "d.number ~ '[^A-Za-z0-9]'"


def _keyed(
    conn: Connection, sql: str, reference: str, ids: list[int], keys: _Keys
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``sql`` for flights ``ids`` and any of ``keys`` (``{ids}``: the flights,
    ``{where}``: the key filter over ``t`` (traveller), ``d`` (document) and the column
    ``reference``); rows may repeat. References and dates of birth compare as stored,
    document numbers as ``UPPER`` (always read when not plain ASCII letters and digits)."""
    locators = sorted(keys.locators)
    documents = sorted(keys.documents)
    births = sorted({str(dob): dob for _, _, dob in keys.names}.items())
    rounds = max(len(locators), len(documents), len(births), 1)
    for flights in _chunks(ids):
        for start in range(0, rounds, _CHUNK):
            loc = locators[start : start + _CHUNK]
            doc = documents[start : start + _CHUNK]
            born = [dob for _, dob in births[start : start + _CHUNK]]
            terms: list[str] = []
            params: list[Any] = list(flights)
            if loc:
                terms.append(f"{reference} IN ({_marks(len(loc))})")
                params.extend(loc)
            if doc:
                terms.append(f"UPPER(d.number) IN ({_marks(len(doc))})")
                params.extend(doc)
            if born:
                terms.append(f"t.date_of_birth IN ({_marks(len(born))})")
                params.extend(born)
            if start == 0:
                terms.append(_odd_number(conn))
            query = sql.format(ids=_marks(len(flights)), where=" OR ".join(terms))
            yield from run_sql(conn, query, params).rows


_POOL = (
    "SELECT bf.flight_id, t.id, t.booking_id, b.locator, t.surname, t.given_names, "
    "t.date_of_birth, d.number, d.issuing_country "
    "FROM booking_flight bf JOIN booking b ON b.id = bf.booking_id "
    "JOIN traveller t ON t.version_id = b.current_version_id "
    "LEFT OUTER JOIN document d ON d.traveller_id = t.id "
    "WHERE bf.flight_id IN ({ids}) AND bf.status = 'active' AND ({where})"
)
_API = (
    "SELECT af.flight_id, t.api_message_id, t.booking_locator, t.surname, "
    "t.given_names, t.date_of_birth, d.number "
    "FROM api_traveller_flight af JOIN api_traveller t ON t.id = af.api_traveller_id "
    "LEFT OUTER JOIN document d ON d.api_traveller_id = t.id "
    "WHERE af.flight_id IN ({ids}) AND ({where})"
)
_LISTED = (
    "SELECT af.flight_id, a.id, a.api_message_id, a.booking_locator, a.surname, "
    "a.given_names, a.date_of_birth, d.number, d.issuing_country "
    "FROM api_traveller a JOIN api_traveller_flight af ON af.api_traveller_id = a.id "
    "LEFT OUTER JOIN document d ON d.api_traveller_id = a.id "
    "WHERE a.api_message_id IN ({ids}) ORDER BY a.id"
)
_VERSION_KEYS = (
    "SELECT b.locator, t.surname, t.given_names, t.date_of_birth, d.number, "
    "d.issuing_country FROM traveller t JOIN booking b ON b.id = t.booking_id "
    "LEFT OUTER JOIN document d ON d.traveller_id = t.id WHERE t.version_id IN ({ids})"
)
_UNLINK = "DELETE FROM api_pnr_link WHERE api_traveller_id = ? AND flight_id = ?"


def _changed_keys(conn: Connection, versions: Iterable[int]) -> _Keys:
    """The keys of the travellers of ``versions``."""
    keys = _Keys()
    ids = sorted(versions)
    for chunk in _chunks(ids):
        sql = _VERSION_KEYS.format(ids=_marks(len(chunk)))
        for locator, surname, given, dob, number, country in run_sql(conn, sql, chunk).rows:
            keys.add(locator, _name(surname), _first(given), dob)
            doc = _document(number, country)
            if doc:
                keys.documents.add(doc[0])
    return keys


def _affected(conn: Connection, flights: list[int], keys: _Keys) -> dict[int, set[int]]:
    """Flight → the API messages on it with a traveller sharing one of ``keys``."""
    out: dict[int, set[int]] = defaultdict(set)
    if not keys:
        return out
    for fid, mid, locator, surname, given, dob, number in _keyed(
        conn, _API, "t.booking_locator", flights, keys
    ):
        doc = _document(number, None)
        if keys.hit(locator, _name(surname), _first(given), dob, doc[0] if doc else None):
            out[fid].add(mid)
    return out


def _listed(conn: Connection, todo: dict[int, set[int]]) -> dict[int, list[_Listed]]:
    """Flight → the API travellers of the messages to match on it (by id)."""
    wanted = {(fid, mid) for fid, mids in todo.items() for mid in mids}
    messages = sorted({mid for _, mid in wanted})
    rows: dict[int, dict[int, _Listed]] = defaultdict(dict)
    for chunk in _chunks(messages):
        sql = _LISTED.format(ids=_marks(len(chunk)))
        for fid, aid, mid, locator, surname, given, dob, number, country in run_sql(
            conn, sql, chunk
        ).rows:
            if (fid, mid) not in wanted:
                continue
            row = rows[fid].get(aid)
            if row is None:
                row = rows[fid][aid] = _Listed(
                    aid, mid, locator, _name(surname), _first(given), dob
                )
            doc = _document(number, country)
            if doc:
                row.documents.add(doc)
    return {fid: sorted(r.values(), key=lambda a: a.id) for fid, r in rows.items()}


def _pool(conn: Connection, listed: dict[int, list[_Listed]]) -> dict[int, list[_Booked]]:
    """Flight → the booked travellers of its pool sharing a key with ``listed`` (a superset
    of them: enough for ``match``)."""
    keys = _Keys()
    for members in listed.values():
        for api in members:
            keys.add(api.locator, api.surname, api.given, api.dob)
            keys.documents.update(number for number, _ in api.documents)
    out: dict[int, dict[int, _Booked]] = defaultdict(dict)
    if keys:
        for fid, tid, bid, locator, surname, given, dob, number, country in _keyed(
            conn, _POOL, "b.locator", sorted(listed), keys
        ):
            row = out[fid].get(tid)
            if row is None:
                row = out[fid][tid] = _Booked(tid, bid, locator, _name(surname), _first(given), dob)
            doc = _document(number, country)
            if doc:
                row.documents.add(doc)
    return {fid: list(out[fid].values()) for fid in listed}


def relink(conn: Connection, changes: LinkChanges, at: datetime) -> None:
    """Bring the links of ``changes.flights`` up to date (inside the caller's transaction):
    the same links as ``correlate_flights`` of those flights gives."""
    full = [f for f in changes.flights if f in changes.full]
    if full:
        correlate_flights(conn, full, at)
    flights = [f for f in changes.flights if f not in changes.full]
    if not flights:
        return
    todo = _affected(conn, flights, _changed_keys(conn, changes.versions))
    on = set(flights)
    for mid, fids in changes.api_messages.items():
        for fid in fids:
            if fid in on:
                todo[fid].add(mid)
    if not todo:
        return
    listed = _listed(conn, todo)
    pool = _pool(conn, listed)
    old: list[tuple[int, int]] = []
    new: list[dict[str, Any]] = []
    for fid, members in listed.items():
        old.extend((api.id, fid) for api in members)
        new.extend(
            {
                "api_traveller_id": api_id,
                "flight_id": fid,
                "traveller_id": b.id,
                "booking_id": b.booking_id,
                "rule": rule,
                "linked_at": at,
            }
            for api_id, (b, rule) in match(members, pool[fid]).items()
        )
    execute_rows(conn, _UNLINK, old)
    insert_many(conn, s.api_pnr_link, new)

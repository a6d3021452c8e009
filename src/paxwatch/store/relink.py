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
older one (there is none before check-in: a push then reads no key) is matched again only
when one of its travellers shares a key with a booked traveller that entered or left the
pool (the travellers of the previous and of the new current version of each booking with a
new version, or that became active or was cancelled on a flight); and each match reads
only the pool's travellers sharing a key with the message (a flight with a long list to
match reads its whole pool: ``WHOLE_POOL``).

Rows are found by key, through an index (migration ``0010``): ``booking.locator`` and
``api_traveller.booking_locator`` as stored, ``traveller.name_key`` and
``api_traveller.name_key`` (``keys.name_key``: normalised surname, first given name, date
of birth) and ``document.number_key`` (the normalised number), filled when the rows are
written. The cost of a batch grows with what it changed, not with the size of the flights
it touched (except an API message matched again, which is read whole).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from paxwatch.store import schema as s
from paxwatch.store.correlate import (
    _Booked,
    _booked_many,
    _document,
    _first,
    _Listed,
    _name,
    link_rows,
    match,
)
from paxwatch.store.rows import insert_many, run_sql
from paxwatch.store.set_sql import any_of
from paxwatch.store.statistics import refresh_statistics

#: Ids per ``IN`` list, and keys of each kind per query.
_CHUNK = 500
#: A flight with at least this many API travellers to match (a list of the whole flight at
#: check-in or closure: 126 travellers in the median list of a ``paxwatch synth`` day) has
#: its whole pool read, one range of its bookings, rather than looked up by each
#: traveller's three keys (about four index probes each): 1.0-1.4 → 0.11-0.14 ms of
#: server CPU a message on that day. A shorter list is looked up by key: reading a pool of
#: a hundred or more travellers for a list of 30 costs more than its 90 keys (+0.02 ms a
#: push on ``bench/ingest.py``'s lists of 5-30). Either gives the same links (the module's
#: docstring).
WHOLE_POOL = 50


@dataclass(slots=True)
class LinkChanges:
    """What a batch changed that links may depend on."""

    #: The flights whose links may change (the others keep theirs).
    flights: dict[int, None] = field(default_factory=dict)
    #: New API messages: id → the flights they list.
    api_messages: dict[int, tuple[int, ...]] = field(default_factory=dict)
    #: Flight → booking versions whose travellers entered or left its pool.
    versions: dict[int, set[int]] = field(default_factory=dict)
    #: The keys of some of those versions, known without reading them (the batch's new
    #: versions, from their rows: ``batch_links.new_version_keys``); the others are read.
    known: dict[int, MatchKeys] = field(default_factory=dict)


@dataclass(slots=True)
class MatchKeys:
    """Matching keys: booking references, document number keys, name keys (those of a
    version: its booking's reference, its travellers' name keys and the number keys of
    their documents; none when it has no traveller)."""

    locators: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    def add(self, locator: str | None, name: str | None, number: str | None) -> None:
        if locator:
            self.locators.add(locator)
        if name:
            self.names.add(name)
        if number:
            self.documents.add(number)

    def update(self, other: MatchKeys) -> None:
        self.locators |= other.locators
        self.names |= other.names
        self.documents |= other.documents

    def has(self, kind: int, key: str) -> bool:
        """Whether ``key`` of ``kind`` (0 reference, 1 name, 2 document: ``_keyed``'s
        order) is one of these."""
        return key in (self.locators, self.names, self.documents)[kind]


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _keyed(
    conn: Connection, queries: tuple[str, str, str], flights: list[int], keys: MatchKeys
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``queries`` (by reference, by name key, by document number key; each
    with ``{keys}`` and ``{flights}`` conditions) for ``keys`` on ``flights``; rows may
    repeat."""
    for sql, values in zip(queries, (keys.locators, keys.names, keys.documents), strict=True):
        wanted = sorted(values)
        for fids in _chunks(flights):
            on, flight_params = any_of(conn, fids, "bigint")
            for chunk in _chunks(wanted):
                where, key_params = any_of(conn, chunk, "text")
                query = sql.format(keys=where, flights=on)
                yield from run_sql(conn, query, [*key_params, *flight_params]).rows


_BOOKED = (
    "SELECT bf.flight_id, t.id, t.booking_id, b.locator, t.surname, t.given_names, "
    "t.date_of_birth, d.number, d.issuing_country "
)
#: ``+``: not through the flight's index (SQLite's planner, without statistics, would scan
#: the flight's rows rather than look the few with the key up).
#: The tables the look-ups read (their planner statistics are refreshed when stale).
RELINK_TABLES = (
    "api_pnr_link",
    "api_traveller",
    "api_traveller_flight",
    "booking",
    "booking_flight",
    "document",
    "traveller",
)
_ACTIVE = "+bf.flight_id {flights} AND bf.status = 'active'"
#: A traveller ``t`` of its booking's current version. Not a join condition
#: (``b.id = t.booking_id AND b.current_version_id = t.version_id``): PostgreSQL estimates
#: such a join at a row or two (it multiplies the two equalities' selectivities, though a
#: traveller's version always belongs to its booking), and then hashed the whole
#: ``traveller`` and ``booking`` tables before looking the keys up (a document look-up of
#: 200 keys took 50 ms on the benchmark's store, 8 ms this way).
_CURRENT = "t.version_id = (SELECT c.current_version_id FROM booking c WHERE c.id = t.booking_id)"
#: The booked travellers of flights' pools with one of the keys (each query finds the rows
#: through the index of its key).
_POOL = (
    _BOOKED + "FROM booking b JOIN booking_flight bf ON bf.booking_id = b.id "
    "JOIN traveller t ON t.version_id = b.current_version_id "
    "LEFT OUTER JOIN document d ON d.traveller_id = t.id "
    "WHERE b.locator {keys} AND " + _ACTIVE,
    _BOOKED + "FROM traveller t JOIN booking b ON b.id = t.booking_id "
    "JOIN booking_flight bf ON bf.booking_id = b.id "
    "LEFT OUTER JOIN document d ON d.traveller_id = t.id "
    f"WHERE t.name_key {{keys}} AND {_CURRENT} AND {_ACTIVE}",
    _BOOKED + "FROM document k JOIN traveller t ON t.id = k.traveller_id "
    "JOIN booking b ON b.id = t.booking_id "
    "JOIN booking_flight bf ON bf.booking_id = b.id "
    "LEFT OUTER JOIN document d ON d.traveller_id = t.id "
    "WHERE k.number_key {keys} AND k.traveller_id IS NOT NULL "
    f"AND {_CURRENT} AND {_ACTIVE}",
)
#: The API messages of flights with a traveller with one of the keys (and the key, by kind).
_AFFECTED = (
    "SELECT af.flight_id, a.api_message_id, 0, a.booking_locator FROM api_traveller a "
    "JOIN api_traveller_flight af ON af.api_traveller_id = a.id "
    "WHERE a.booking_locator {keys} AND +af.flight_id {flights}",
    "SELECT af.flight_id, a.api_message_id, 1, a.name_key FROM api_traveller a "
    "JOIN api_traveller_flight af ON af.api_traveller_id = a.id "
    "WHERE a.name_key {keys} AND +af.flight_id {flights}",
    "SELECT af.flight_id, a.api_message_id, 2, k.number_key FROM document k "
    "JOIN api_traveller a ON a.id = k.api_traveller_id "
    "JOIN api_traveller_flight af ON af.api_traveller_id = a.id "
    "WHERE k.number_key {keys} AND k.api_traveller_id IS NOT NULL "
    "AND +af.flight_id {flights}",
)
_LISTED = (
    "SELECT af.flight_id, a.id, a.api_message_id, a.booking_locator, a.surname, "
    "a.given_names, a.date_of_birth, a.name_key, d.number, d.issuing_country, d.number_key "
    "FROM api_traveller a JOIN api_traveller_flight af ON af.api_traveller_id = a.id "
    "LEFT OUTER JOIN document d ON d.api_traveller_id = a.id "
    "WHERE a.api_message_id {ids} ORDER BY a.id"
)
_VERSION_KEYS = (
    "SELECT t.version_id, b.locator, t.name_key, d.number_key FROM traveller t "
    "JOIN booking b ON b.id = t.booking_id "
    "LEFT OUTER JOIN document d ON d.traveller_id = t.id WHERE t.version_id {ids}"
)
#: The flights with an API traveller, of a list (a probe of each flight's index entries).
_WITH_API = (
    "SELECT f.id FROM flight f WHERE f.id {ids} AND EXISTS "
    "(SELECT 1 FROM api_traveller_flight af WHERE af.flight_id = f.id)"
)
#: The links of API travellers (one statement for many: on PostgreSQL each statement costs
#: the server more than the rows it deletes).
_UNLINK = "DELETE FROM api_pnr_link WHERE api_traveller_id {ids}"


def _changed_keys(
    conn: Connection, versions: dict[int, set[int]], known: dict[int, MatchKeys]
) -> dict[int, MatchKeys]:
    """Flight → the keys of the travellers of its ``versions`` (those of ``known`` as
    given, the others read)."""
    of: dict[int, MatchKeys] = defaultdict(MatchKeys, known)
    for chunk in _chunks(sorted(set().union(*versions.values()) - known.keys())):
        where, params = any_of(conn, chunk, "bigint")
        sql = _VERSION_KEYS.format(ids=where)
        for vid, locator, name, number in run_sql(conn, sql, params).rows:
            of[vid].add(locator, name, number)
    out: dict[int, MatchKeys] = {}
    for fid, vids in versions.items():
        keys = out[fid] = MatchKeys()
        for vid in vids:
            if vid in of:
                keys.update(of[vid])
    return out


def _with_api(conn: Connection, flights: Sequence[int]) -> set[int]:
    """Those of ``flights`` that list an API traveller (a batch's own new lists included:
    they are written before ``relink``)."""
    found: set[int] = set()
    for chunk in _chunks(sorted(flights)):
        where, params = any_of(conn, chunk, "bigint")
        found.update(int(r[0]) for r in run_sql(conn, _WITH_API.format(ids=where), params).rows)
    return found


def _affected(conn: Connection, changed: dict[int, MatchKeys]) -> dict[int, set[int]]:
    """Flight → the API messages on it with a traveller sharing one of its ``changed``
    keys."""
    out: dict[int, set[int]] = defaultdict(set)
    every = MatchKeys()
    for keys in changed.values():
        every.update(keys)
    for fid, mid, kind, key in _keyed(conn, _AFFECTED, sorted(changed), every):
        if changed[fid].has(kind, key):
            out[fid].add(mid)
    return out


def _listed(
    conn: Connection, todo: dict[int, set[int]]
) -> tuple[dict[int, list[_Listed]], MatchKeys]:
    """Flight → the API travellers of the messages to match on it (by id); and their keys.
    A message is matched again on every flight it lists, not only those in ``todo`` (on
    the others its links come out as they are), so that its travellers' links can be
    deleted by traveller."""
    messages = sorted({mid for mids in todo.values() for mid in mids})
    rows: dict[int, dict[int, _Listed]] = defaultdict(dict)
    keys = MatchKeys()
    for chunk in _chunks(messages):
        where, params = any_of(conn, chunk, "bigint")
        sql = _LISTED.format(ids=where)
        for fid, aid, mid, locator, surname, given, dob, name, number, country, key in run_sql(
            conn, sql, params
        ).rows:
            row = rows[fid].get(aid)
            if row is None:
                row = rows[fid][aid] = _Listed(
                    aid, mid, locator, _name(surname), _first(given), dob
                )
            doc = _document(number, country)
            if doc:
                row.documents.add(doc)
            keys.add(locator, name, key)
    listed = {fid: sorted(r.values(), key=lambda a: a.id) for fid, r in rows.items()}
    return listed, keys


def _pool(
    conn: Connection, listed: dict[int, list[_Listed]], keys: MatchKeys
) -> dict[int, list[_Booked]]:
    """Flight → the booked travellers of its pool sharing one of ``keys`` (those of its
    API travellers to match, ``listed``), or more: enough for ``match``. A flight with
    ``WHOLE_POOL`` travellers or more to match has its whole pool read instead."""
    whole = sorted(fid for fid, members in listed.items() if len(members) >= WHOLE_POOL)
    flights = sorted(fid for fid in listed if len(listed[fid]) < WHOLE_POOL)
    pools = _booked_many(conn, whole) if whole else {}
    out: dict[int, dict[int, _Booked]] = {fid: {} for fid in flights}
    for fid, tid, bid, locator, surname, given, dob, number, country in _keyed(
        conn, _POOL, flights, keys
    ):
        row = out[fid].get(tid)
        if row is None:
            row = out[fid][tid] = _Booked(tid, bid, locator, _name(surname), _first(given), dob)
        doc = _document(number, country)
        if doc:
            row.documents.add(doc)
    pools.update((fid, list(rows.values())) for fid, rows in out.items())
    return pools


def refresh_link_statistics(conn: Connection) -> list[str]:
    """Every look-up of ``relink`` goes through the index of its key only if PostgreSQL
    knows the tables' sizes (``store.statistics``): one catalogue query, and an ANALYZE when
    a table was never analysed or has doubled since (key look-ups need the order of
    magnitude, and a store filling from empty is analysed a few times, not at every batch).
    ``relink`` runs it; ``paxwatch ingest --jobs`` workers also run it in a transaction of
    its own before each batch, so that the ANALYZE is rarely left to the write turn."""
    return refresh_statistics(conn, RELINK_TABLES, scale=1.0)


def relink(conn: Connection, changes: LinkChanges, at: datetime) -> None:
    """Bring the links of ``changes.flights`` up to date (inside the caller's transaction):
    the same links as ``correlate_flights`` of those flights gives."""
    flights = list(changes.flights)
    if not flights:
        return
    refresh_link_statistics(conn)
    versions = {f: v for f, v in changes.versions.items() if f in changes.flights and v}
    if versions:
        # On a flight without API travellers no link can change: its booked travellers'
        # keys are neither read nor looked up (PNR pushes before check-in).
        with_api = _with_api(conn, list(versions))
        versions = {f: v for f, v in versions.items() if f in with_api}
    todo = (
        _affected(conn, _changed_keys(conn, versions, changes.known))
        if versions
        else defaultdict(set)
    )
    on = set(flights)
    for mid, fids in changes.api_messages.items():
        for fid in fids:
            if fid in on:
                todo[fid].add(mid)
    if not todo:
        return
    listed, keys = _listed(conn, todo)
    pool = _pool(conn, listed, keys)
    travellers = sorted({api.id for members in listed.values() for api in members})
    for chunk in _chunks(travellers):
        where, params = any_of(conn, chunk, "bigint")
        run_sql(conn, _UNLINK.format(ids=where), params)
    new: list[dict[str, Any]] = []
    for fid, members in listed.items():
        new.extend(link_rows(fid, match(members, pool[fid]), at))
    insert_many(conn, s.api_pnr_link, new)

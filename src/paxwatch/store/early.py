"""PostgreSQL: the passenger rows of a batch's likely new versions, inserted before its turn.

``paxwatch ingest --jobs`` stores batches one at a time, in order (``ingest.stream``): what
a batch does inside its turn bounds the rate. Most of that, on PostgreSQL, is inserting the
travellers of the new booking versions and their child rows (documents, contacts,
identifiers...). Those rows depend only on the booking's content and on ids, which
sequences hand out safely to concurrent transactions; and they are invisible to every
other transaction until the batch commits. So a worker opens its batch's transaction before
its turn and inserts there (``insert_early``) the rows of each booking whose content differs
from its committed current version (as ``BatchWriter._plan`` will decide, given what is
committed now), with ids taken from the sequences: booking ids for bookings not yet
stored (or the id an earlier batch still in flight gave the same new booking, shared by
the workers: ``claimed``), version ids and traveller ids.

In its turn, the batch decides the versions from the state then committed, as always
(``BatchWriter``): a planned version takes over the early rows of its booking (its
``booking_version`` row gets the early version id; if an earlier batch created the booking
meanwhile, under another id, the early rows are given that id: ``rebook_early``); any other
early version (an earlier batch, committed meanwhile, stored the same content; an input
found a duplicate late) is deleted (``discard_early``) before anything reads the batch's
travellers. So the stored rows are exactly those of the one-at-a-time path. The early
inserts take no lock another writer waits for: the tables have no unique key but the
fresh ids, and the ``booking`` and ``booking_version`` rows, which do, are written in the
turn only.

Ids are no longer in commit order across batches (they never were with concurrent
writers on PostgreSQL); versions are ordered by ``version_no``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from sqlalchemy import Connection

from paxwatch.store import batch_sql
from paxwatch.store import schema as s
from paxwatch.store.batch_items import BookingState
from paxwatch.store.row_builders import CHILD_TABLES
from paxwatch.store.rows import allocate_ids, run_sql
from paxwatch.store.set_sql import any_of, run_arrays
from paxwatch.store.versions import NewVersion, VersionRows, insert_versions

_CHUNK = 500

#: Where a booking of a batch is: (content hash of the input, message index, booking index
#: in ``message.bookings``).
EarlyKey = tuple[str, int, int]


class EarlyVersion(NamedTuple):
    """The rows of a likely new version inserted before the turn, and their ids; ``key``:
    its booking's, ``new_booking``: the booking was not stored (its id is a new one)."""

    booking_id: int
    version_id: int
    traveller_ids: tuple[int, ...]
    key: str = ""
    new_booking: bool = False


class EarlyCandidate(NamedTuple):
    """A booking of the batch to insert early: where it is, its key, the id of the stored
    booking (None: not stored yet), its rows."""

    at: EarlyKey
    key: str
    booking_id: int | None
    rows: VersionRows


def select_states(conn: Connection, keys: Sequence[str]) -> dict[str, BookingState]:
    """The stored bookings of ``keys``: id, number of versions, hash of the current one."""
    out: dict[str, BookingState] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        where, params = any_of(conn, chunk, "text")
        sql = batch_sql.STATES.format(keys=where)
        for key, bid, count, digest, current in run_sql(conn, sql, params).rows:
            out[key] = BookingState(int(bid), int(count), digest, current)
    return out


def insert_early(
    conn: Connection,
    candidates: Sequence[EarlyCandidate],
    claimed: Mapping[str, int] | None = None,
) -> dict[EarlyKey, EarlyVersion]:
    """Insert the travellers and child rows of ``candidates`` (not their ``booking`` or
    ``booking_version`` rows); a booking not stored yet gets one id for all its candidates:
    the one ``claimed`` gives it (an earlier batch not yet committed will create it with
    that id), else a new one."""
    if not candidates:
        return {}
    claimed = claimed or {}
    new_keys = list(dict.fromkeys(c.key for c in candidates if c.booking_id is None))
    new_ids = {key: claimed[key] for key in new_keys if key in claimed}
    fresh = [key for key in new_keys if key not in new_ids]
    new_ids.update(zip(fresh, allocate_ids(conn, s.booking, len(fresh)), strict=True))
    version_ids = allocate_ids(conn, s.booking_version, len(candidates))
    versions = [
        NewVersion(c.booking_id if c.booking_id is not None else new_ids[c.key], vid, c.rows)
        for c, vid in zip(candidates, version_ids, strict=True)
    ]
    travellers = insert_versions(conn, versions)
    return {
        c.at: EarlyVersion(v.booking_id, v.version_id, tuple(tids), c.key, c.booking_id is None)
        for c, v, tids in zip(candidates, versions, travellers, strict=True)
    }


def discard_early(conn: Connection, versions: Iterable[EarlyVersion]) -> None:
    """Delete the rows of early versions that the batch did not make versions after all."""
    chosen = list(versions)
    if not chosen:
        return
    vids = [v.version_id for v in chosen]
    tids = [t for v in chosen for t in v.traveller_ids]
    for name in (*CHILD_TABLES, "traveller"):
        table = s.metadata.tables[name]
        if "version_id" in table.c:
            column, ids = "version_id", vids
        else:
            column, ids = "traveller_id", tids
        for start in range(0, len(ids), _CHUNK):
            where, params = any_of(conn, ids[start : start + _CHUNK], "bigint")
            run_sql(conn, f"DELETE FROM {name} WHERE {column} {where}", params)


#: The early rows that name their booking (``traveller``, ``identifier``).
_BOOKED = tuple(
    name
    for name in ("traveller", *CHILD_TABLES)
    if {"booking_id", "version_id"} <= set(s.metadata.tables[name].c.keys())
)


def rebook_early(conn: Connection, moves: Sequence[tuple[int, int]]) -> None:
    """Give the rows of early versions ``(version id, booking id)`` the id of their booking
    when an earlier batch created it meanwhile (the early rows had a new id for it)."""
    if not moves:
        return
    for name in _BOOKED:
        run_arrays(
            conn,
            f"UPDATE {name} SET booking_id = u.b FROM unnest(?::bigint[], ?::bigint[]) "
            f"AS u(v, b) WHERE {name}.version_id = u.v",
            moves,
        )

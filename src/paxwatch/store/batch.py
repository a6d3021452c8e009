"""Booking versions, written in batches: one statement per table per batch of inputs.

``BatchWriter`` collects the PNRGOV messages of one transaction (one input, or a batch of
inputs from the directory loader or the JetStream worker) and ``flush()`` writes them:

1. every booking key of the batch is resolved at once (existing bookings with the content
   hash of their current version; missing ones inserted);
2. the messages are walked in arrival order: a booking whose canonical content differs
   from its current version (which may be a version made earlier in the same batch) gets a
   new version; an identical one gets none (Annex I item 19: every push that changed it);
3. versions, bookings, travellers and their parts are inserted table by table;
4. ``booking_flight`` rows are upserted (active, last seen);
5. the full-push bookkeeping runs per full-push message, in order (see ``write.py``);
6. the API ↔ PNR links the batch may change are brought up to date (``store.relink``:
   new API lists, and older ones sharing a key with a booked traveller who entered or
   left a flight's pool).

The outcome per message (``PnrWriteOutcome``) is available after ``flush()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from paxwatch.model import ApiMessage, Flight, PnrMessage, PushAction
from paxwatch.store import batch_sql
from paxwatch.store import schema as s
from paxwatch.store.api_write import ApiToWrite, write_api_messages
from paxwatch.store.batch_items import (
    ApiHandle,
    BookingState,
    NewVersionPlan,
    PendingBooking,
    PnrHandle,
    QueuedApi,
    QueuedPnr,
    pendings,
)
from paxwatch.store.batch_links import changed_flights, link_changes
from paxwatch.store.early import EarlyVersion, select_states
from paxwatch.store.keys import (
    key_of_flight,
)
from paxwatch.store.push import record_full_push
from paxwatch.store.records import PnrWriteOutcome
from paxwatch.store.relink import relink
from paxwatch.store.rows import (
    allocate_ids,
    database_tuples,
    execute_rows,
    insert_ids,
    insert_many,
    update_rows,
)
from paxwatch.store.set_sql import rows_or_arrays, run_arrays
from paxwatch.store.versions import (
    BookingDigest,
    NewVersion,
    VersionRows,
    booking_digests,
    insert_versions,
    message_carrier,
)
from paxwatch.store.write import ensure_flights


class BatchWriter:
    """Collects the writes of one transaction and performs them table by table."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.planned = False
        self.flushed = False
        self._flights: dict[str, int] = {}
        self._queue: list[QueuedPnr] = []
        self._api: list[QueuedApi] = []
        self._touched: dict[int, None] = {}
        self._versions: list[NewVersionPlan] = []
        self._states: dict[str, BookingState] = {}
        #: New bookings inserted with their current version (PostgreSQL, ``_resolve``):
        #: booking id → (version id, count, seen at), which ``_write_versions`` need not set.
        self._current: dict[int, tuple[int, int, datetime]] = {}

    def flight(self, flight: Flight, at: datetime) -> int:
        """The flight's id (created and, on PostgreSQL, locked once per transaction)."""
        key = key_of_flight(flight)
        found = self._flights.get(key)
        if found is None:
            self._flights.update(ensure_flights(self.conn, [flight], at))
            found = self._flights[key]
        return found

    def prefetch_flights(self, flights: Iterable[Flight], at: datetime) -> None:
        """Resolve (create, lock) the flights the batch will name, with one query."""
        todo = [f for f in flights if key_of_flight(f) not in self._flights]
        if todo:
            self._flights.update(ensure_flights(self.conn, todo, at))

    def add_pnr(
        self,
        message: PnrMessage,
        *,
        raw_id: int,
        at: datetime,
        allow_cancel: bool = True,
        digests: Sequence[BookingDigest] | None = None,
        rows: Mapping[int, VersionRows] | None = None,
        early: Mapping[int, EarlyVersion] | None = None,
    ) -> PnrHandle:
        """Queue the bookings of one (minimised) PNRGOV message.

        ``allow_cancel=False`` (the input had read errors, so bookings may be missing from
        it) keeps the message out of the full-push bookkeeping: its push never completes
        and so cancels nothing. An empty full push cancels nothing either. ``digests`` are
        the message's ``booking_digests`` when computed beforehand (``ingest.prepare``), and
        ``rows`` the ``version_rows`` of some of its bookings (by index in
        ``message.bookings``) built beforehand; the others are built here if they are new
        versions. ``early``: the rows of some of its bookings inserted before the turn
        (``store.early``), by index; a new version of the same booking takes them over.
        """
        flight_id = self.flight(message.flight, at) if message.flight else None
        carrier = message_carrier(message)
        if digests is None:
            digests = booking_digests(message)
        queued = QueuedPnr(
            message=message,
            pendings=pendings(message, digests, rows or {}, early or {}),
            flight_id=flight_id,
            carrier=carrier,
            raw_id=raw_id,
            at=at,
            allow_cancel=allow_cancel,
        )
        self._queue.append(queued)
        if flight_id is not None:
            self._touched[flight_id] = None
        return PnrHandle(queued, self)

    def add_api(
        self,
        message: ApiMessage,
        *,
        raw_id: int,
        at: datetime,
        contents: Sequence[str] | None = None,
    ) -> ApiHandle:
        """Queue one (minimised) PAXLST message; it is written, and its flights correlated,
        at flush. ``contents``: its ``api_contents`` when computed beforehand."""
        flight_ids = [self.flight(flight, at) for flight in message.flights]
        queued = QueuedApi(message, raw_id, at, flight_ids, contents)
        self._api.append(queued)
        for fid in flight_ids:
            self._touched[fid] = None
        return ApiHandle(queued)

    # ------------------------------------------------------------------ flush

    def plan(self) -> None:
        """Resolve the bookings and decide the new versions, writing no version yet (after
        this, ``PnrHandle.planned()`` tells what each message will store)."""
        if self.planned:
            return
        self._states = self._resolve()
        self._versions = self._plan(self._states)
        self.planned = True

    def flush(self, at: datetime) -> None:
        """Write everything queued (inside the caller's transaction)."""
        self.plan()
        written = write_api_messages(
            self.conn,
            [ApiToWrite(a.message, a.raw_id, a.at, a.flight_ids, a.contents) for a in self._api],
        )
        for a, outcome in zip(self._api, written, strict=True):
            a.result = outcome
        if self._versions:
            self._write_versions(self._versions)
        dirty, moved = changed_flights(
            self.conn, self._api, self._versions, self._queue, self._touched
        )
        self._mark_on_flight()
        for q in self._queue:
            full = q.message.action is PushAction.FULL
            if full and q.allow_cancel and q.pendings and q.flight_id is not None:
                cancelled = record_full_push(
                    self.conn, q.message, q.flight_id, q.booking_ids, q.raw_id, q.at
                )
                q.cancelled = len(cancelled)
                if cancelled:
                    dirty[q.flight_id] = None
                    moved.update((bid, q.flight_id) for bid in cancelled)
        changes = link_changes(self.conn, self._states, self._versions, self._api, dirty, moved)
        relink(self.conn, changes, at)
        self.flushed = True

    def _resolve(self) -> dict[str, BookingState]:
        first: dict[str, tuple[PendingBooking, QueuedPnr]] = {}
        for q in self._queue:
            for p in q.pendings:
                first.setdefault(p.key, (p, q))
        if not first:
            return {}
        keys = list(first)
        states = select_states(self.conn, keys)
        missing = [k for k in keys if k not in states]
        if missing:
            rows = [
                (k, first[k][0].locator, first[k][1].carrier, first[k][1].at, first[k][1].at)
                for k in missing
            ]
            values = database_tuples(self.conn.dialect, s.booking, batch_sql.NEW_BOOKING, rows)
            if self.conn.dialect.name == "postgresql":
                # The new bookings come back with their ids: the id their early rows were
                # given, if any, else a new one; those another writer created meanwhile (not
                # inserted here) are read back. A new booking whose current version will be
                # an early one is inserted with it (``_new_current``): one row version less.
                early = {
                    p.key: p.early.booking_id
                    for q in self._queue
                    for p in q.pendings
                    if p.early is not None
                }
                current = self._new_current(missing)
                arrays = []
                for key, locator, carrier, first_at, last_at in values:
                    vid, count, seen = current.get(key, (None, None, last_at))
                    arrays.append(
                        (early.get(key), key, locator, carrier, vid, count, first_at, seen)
                    )
                values = arrays
                sql = batch_sql.NEW_BOOKING_ARRAYS
                for key, bid in run_arrays(self.conn, sql, values).rows:
                    states[key] = BookingState(int(bid), 0, None, None)
                    if key in current:
                        self._current[int(bid)] = current[key]
                missing = [k for k in missing if k not in states]
            else:
                execute_rows(self.conn, batch_sql.NEW_BOOKING_INSERT, values)
            if missing:
                states.update(select_states(self.conn, missing))
        return states

    def _new_current(self, keys: Sequence[str]) -> dict[str, tuple[int, int, datetime]]:
        """For bookings not stored yet (``keys``), what ``_plan`` will make their current
        version when its id is known already (its rows were inserted early): key → (version
        id, number of versions, its time). As ``_plan`` decides: a booking with no stored
        version gets one at its first push in the batch and at every change after that."""
        wanted = set(keys)
        last: dict[str, tuple[str, int, PendingBooking, datetime]] = {}
        for q in self._queue:
            for p in q.pendings:
                if p.key not in wanted:
                    continue
                prev = last.get(p.key)
                if prev is None or prev[0] != p.digest:
                    last[p.key] = (p.digest, prev[1] + 1 if prev else 1, p, q.at)
        return {
            key: (p.early.version_id, count, at)
            for key, (_digest, count, p, at) in last.items()
            if p.early is not None
        }

    def _plan(self, states: dict[str, BookingState]) -> list[NewVersionPlan]:
        versions: list[NewVersionPlan] = []
        for q in self._queue:
            action = q.message.action.value if q.message.action else None
            for p in q.pendings:
                state = states[p.key]
                q.booking_ids.append(state.id)
                state.seen_at = q.at
                if p.digest == state.digest:
                    continue
                state.versions += 1
                state.digest = p.digest
                version = NewVersionPlan(
                    p, state.id, state.versions, q.raw_id, q.flight_id, action, q.at
                )
                if p.early is not None:
                    version.id = p.early.version_id
                    version.traveller_ids = list(p.early.traveller_ids)
                    version.early = True
                q.versions.append(version)
                versions.append(version)
        return versions

    def early_used(self) -> dict[int, int]:
        """The early versions (``store.early``) that the batch's plan took over: version id
        → the id of their booking (another than the early rows have when an earlier batch
        created the booking meanwhile)."""
        self.plan()
        return {v.id: v.booking_id for v in self._versions if v.early}

    def _write_versions(self, versions: list[NewVersionPlan]) -> None:
        prepared = [v.pending.version_rows() for v in versions]
        rows = [
            {
                "booking_id": v.booking_id,
                "version_no": v.version_no,
                "content_hash": v.pending.digest,
                "content": v.pending.content,
                "raw_message_id": v.raw_id,
                "flight_id": v.flight_id,
                "push_action": v.action,
                "received_at": v.at,
                "created_at": r.version[0],
                "last_changed_at": r.version[1],
                "number_in_party": r.version[2],
                "group_name": r.version[3],
            }
            for v, r in zip(versions, prepared, strict=True)
        ]
        if any(v.early for v in versions):
            # Early versions have their ids already (``store.early``); the others get new ones.
            todo = [v for v in versions if not v.early]
            ids = allocate_ids(self.conn, s.booking_version, len(todo))
            for v, vid in zip(todo, ids, strict=True):
                v.id = vid
            insert_many(
                self.conn,
                s.booking_version,
                [{"id": v.id, **row} for v, row in zip(versions, rows, strict=True)],
            )
        else:
            for v, vid in zip(
                versions, insert_ids(self.conn, s.booking_version, rows), strict=True
            ):
                v.id = vid
        latest: dict[int, NewVersionPlan] = {v.booking_id: v for v in versions}
        # (Bookings inserted with this current version in ``_resolve`` are left as they are.)
        current = [
            (v.id, v.version_no, v.at, bid)
            for bid, v in latest.items()
            if self._current.get(bid) != (v.id, v.version_no, v.at)
        ]
        if self.conn.dialect.name == "postgresql":
            if current:
                run_arrays(self.conn, batch_sql.CURRENT_ARRAYS, current)
        else:
            update_rows(
                self.conn,
                s.booking,
                ("current_version_id", "version_count", "last_seen_at"),
                current,
            )
        late = [(v, r) for v, r in zip(versions, prepared, strict=True) if not v.early]
        new = [NewVersion(v.booking_id, v.id, r) for v, r in late]
        for (v, _), tids in zip(late, insert_versions(self.conn, new), strict=True):
            v.traveller_ids = tids

    def _mark_on_flight(self) -> None:
        """Upsert ``booking_flight``: every booking of the batch active on its flight."""
        latest: dict[tuple[int, int], tuple[Any, ...]] = {}
        for q in self._queue:
            if q.flight_id is None:
                continue
            for bid in q.booking_ids:
                latest[(bid, q.flight_id)] = (bid, q.flight_id, "active", q.at, q.at, q.raw_id)
        if latest:
            values = database_tuples(
                self.conn.dialect, s.booking_flight, batch_sql.ON_FLIGHT, list(latest.values())
            )
            rows_or_arrays(
                self.conn, batch_sql.ON_FLIGHT_UPSERT, batch_sql.ON_FLIGHT_ARRAYS, values
            )


def write_pnr_message(
    conn: Connection,
    message: PnrMessage,
    *,
    raw_id: int,
    at: datetime,
    allow_cancel: bool = True,
) -> PnrWriteOutcome:
    """Store one (minimised) PNRGOV message now: a batch of one (see ``BatchWriter``)."""
    writer = BatchWriter(conn)
    handle = writer.add_pnr(message, raw_id=raw_id, at=at, allow_cancel=allow_cancel)
    writer.flush(at)
    return handle.outcome()

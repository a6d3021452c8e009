"""What a batch changes for the API ↔ PNR links (``store.relink``): the flights to correlate
again and the booking versions that enter or leave each flight's pool, found by
``BatchWriter.flush`` before and after it writes ``booking_flight``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter

from sqlalchemy import Connection

from paxwatch.store import batch_sql
from paxwatch.store.batch_items import BookingState, NewVersionPlan, QueuedApi, QueuedPnr
from paxwatch.store.relink import LinkChanges, MatchKeys
from paxwatch.store.rows import run_sql
from paxwatch.store.set_sql import any_of
from paxwatch.store.versions import TRAVELLER_COLUMNS, VersionRows

_CHUNK = 500
_NAME = itemgetter(TRAVELLER_COLUMNS.index("name_key"))


def changed_flights(
    conn: Connection,
    api: Sequence[QueuedApi],
    versions: Sequence[NewVersionPlan],
    queue: Sequence[QueuedPnr],
    touched: Iterable[int],
) -> tuple[dict[int, None], set[tuple[int, int]]]:
    """The flights whose API ↔ PNR links the batch may change (in the order touched),
    found before ``booking_flight`` is updated: a flight with a new API list, a booking
    with a new version (on every flight the booking is active on), or a booking that
    becomes active on it (new on the flight, or reinstated). A flight whose pushes only
    repeat what is stored keeps its links and is not correlated again. Also returns the
    (booking, flight) pairs whose travellers enter or leave the flight's pool (for
    ``relink``): a booking with a new version on the flights it was or becomes active
    on, one without that becomes active on a flight (on any flight)."""
    dirty: dict[int, None] = {}
    for a in api:
        dirty.update(dict.fromkeys(a.flight_ids))
    changed: set[int] = set()
    for v in versions:
        changed.add(v.booking_id)
        if v.flight_id is not None:
            dirty[v.flight_id] = None
    seen: dict[tuple[int, int], None] = {}
    for q in queue:
        if q.flight_id is not None:
            seen.update(
                dict.fromkeys((bid, q.flight_id) for bid in q.booking_ids if bid not in changed)
            )
    bookings = list(changed | {bid for bid, _ in seen})
    if not bookings:
        return dirty, set()
    moved = {
        (bid, q.flight_id)
        for q in queue
        if q.flight_id is not None
        for bid in q.booking_ids
        if bid in changed
    }
    active: set[tuple[int, int]] = set()
    for start in range(0, len(bookings), _CHUNK):
        where, params = any_of(conn, bookings[start : start + _CHUNK], "bigint")
        sql = batch_sql.ACTIVE.format(ids=where)
        for bid, fid in run_sql(conn, sql, params).rows:
            active.add((int(bid), int(fid)))
    moved.update(pair for pair in active if pair[0] in changed)
    moved.update(pair for pair in seen if pair not in active)
    extra = {fid for _, fid in moved}
    for fid in touched:
        if fid in extra:
            dirty[fid] = None
    dirty.update(dict.fromkeys(sorted(extra - set(dirty))))
    return dirty, moved


def link_changes(
    conn: Connection,
    states: Mapping[str, BookingState],
    planned: Sequence[NewVersionPlan],
    api: Sequence[QueuedApi],
    dirty: dict[int, None],
    moved: set[tuple[int, int]],
) -> LinkChanges:
    """What ``relink`` needs: per flight, the previous and the new current version of
    every booking whose travellers enter or leave its pool (``moved``: a new version,
    active or cancelled on the flight); ``planned``: the batch's new versions."""
    current = {state.id: state.current_version for state in states.values()}
    # A booking cancelled by a full push need not be in the batch.
    others = sorted({bid for bid, _ in moved if bid not in current})
    for start in range(0, len(others), _CHUNK):
        chunk = others[start : start + _CHUNK]
        where, params = any_of(conn, chunk, "bigint")
        sql = batch_sql.CURRENT.format(ids=where)
        for bid, vid in run_sql(conn, sql, params).rows:
            current[int(bid)] = vid
    newest = {v.booking_id: v for v in planned}
    latest = {bid: v.id for bid, v in newest.items()}
    versions: dict[int, set[int]] = {}
    for bid, fid in moved:
        for vid in (current.get(bid), latest.get(bid)):
            if vid is not None:
                versions.setdefault(fid, set()).add(vid)
    messages: dict[int, tuple[int, ...]] = {}
    for a in api:
        if a.result is not None:
            messages[a.result.api_message_id] = a.result.flight_ids
    # The new versions' keys come from their rows rather than read back (``relink``).
    wanted = set().union(*versions.values()) if versions else set()
    known = {
        v.id: new_version_keys(v.pending.version_rows()) for v in newest.values() if v.id in wanted
    }
    return LinkChanges(flights=dirty, api_messages=messages, versions=versions, known=known)


def new_version_keys(rows: VersionRows) -> MatchKeys:
    """The matching keys of a version, from the rows it was written with (what
    ``relink`` would read back: its booking's reference, its travellers' name keys and the
    number keys of their documents; none when it has no traveller)."""
    keys = MatchKeys()
    if not rows.travellers:
        return keys
    keys.add(rows.locator, None, None)
    keys.names.update(filter(None, map(_NAME, rows.travellers)))
    for child in rows.children:
        if child.table == "document":
            number = child.columns.index("number_key")
            owner = child.columns.index("traveller_id")
            keys.documents.update(
                row[number] for row in child.rows if row[owner] is not None and row[number]
            )
    return keys

"""How the retention job deletes: booking versions, bookings, API travellers and lists, in
bulk (``purge``), the flights' figures sealed first (``flight_figures``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, exists, func, select, update

from paxwatch.privacy.flight_figures import seal_flights
from paxwatch.privacy.purge import id_in, purge_ids
from paxwatch.privacy.retention_run import Run
from paxwatch.store import schema as s
from paxwatch.store.schema_assess import hit


def row_ids(rows: Sequence[Any]) -> list[int]:
    return [int(r[0]) for r in rows]


def flights_of_bookings(conn: Connection, booking_ids: Sequence[int]) -> list[int]:
    bf = s.booking_flight
    query = select(bf.c.flight_id).where(id_in(conn, bf.c.booking_id, booking_ids)).distinct()
    return sorted(int(i) for i in conn.execute(query).scalars().all())


def flights_of_api_messages(conn: Connection, message_ids: Sequence[int]) -> list[int]:
    mf = s.api_message_flight
    query = select(mf.c.flight_id).where(id_in(conn, mf.c.api_message_id, message_ids)).distinct()
    return sorted(int(i) for i in conn.execute(query).scalars().all())


def seal(run: Run, conn: Connection, flight_ids: Sequence[int]) -> None:
    """Seal the statistics of the flights not sealed yet in this run (once per flight)."""
    todo = [i for i in flight_ids if i not in run.sealed]
    if todo:
        run.report.flights_sealed += seal_flights(conn, todo, run.now)
        run.sealed.update(todo)


def seal_bookings(run: Run, conn: Connection, booking_ids: Sequence[int]) -> None:
    """Seal the flights of these bookings (nothing to do in a chunk of a fanned-out step,
    whose flights were sealed before it: ``retention_fanout``)."""
    if not run.presealed:
        seal(run, conn, flights_of_bookings(conn, booking_ids))


def seal_messages(run: Run, conn: Connection, message_ids: Sequence[int]) -> None:
    """Seal the flights of these API lists (as ``seal_bookings``)."""
    if not run.presealed:
        seal(run, conn, flights_of_api_messages(conn, message_ids))


def confirmed_hits(conn: Connection, booking_ids: Sequence[int]) -> int:
    query = select(func.count(func.distinct(hit.c.booking_id))).where(
        id_in(conn, hit.c.booking_id, booking_ids), hit.c.status == "confirmed"
    )
    return int(conn.execute(query).scalar() or 0)


def delete_versions(run: Run, conn: Connection, version_ids: Sequence[int]) -> None:
    """Delete versions (their rows first, in bulk), then the bookings left without any."""
    v = s.booking_version
    ids = sorted({int(i) for i in version_ids})
    if not ids:
        return
    query = select(v.c.id, v.c.booking_id, v.c.raw_message_id).where(id_in(conn, v.c.id, ids))
    delete_version_rows(run, conn, conn.execute(query).all())


def delete_version_rows(run: Run, conn: Connection, rows: Sequence[Any]) -> None:
    """``delete_versions`` of rows (id, booking id, raw message id) the caller has read."""
    if not rows:
        return
    bookings = sorted({int(r[1]) for r in rows})
    run.touched_raw.update(int(r[2]) for r in rows)
    seal_bookings(run, conn, bookings)
    run.report.deleted_with_confirmed_hits += confirmed_hits(conn, bookings)
    run.report.versions_deleted += purge_ids(conn, s.booking_version, row_ids(rows))
    delete_empty_bookings(run, conn, bookings)


def delete_empty_bookings(run: Run, conn: Connection, booking_ids: Sequence[int]) -> None:
    """Delete the bookings of ``booking_ids`` left without any version; point those that
    keep some at their newest version if their current one went."""
    v, b = s.booking_version, s.booking
    if not booking_ids:
        return
    # The bookings that keep a version, found through the index of ``booking_version``
    # (``booking_id``, ``version_no``) from the chunk's ids: an anti-join of ``booking``
    # with ``booking_version`` may be planned as a scan of the whole table per chunk.
    left = select(v.c.booking_id).where(id_in(conn, v.c.booking_id, booking_ids)).distinct()
    kept = sorted({int(i) for i in conn.execute(left).scalars()})
    gone = sorted(set(booking_ids).difference(kept))
    # Their versions (and so their travellers) are gone: not looked up again.
    run.report.bookings_deleted += purge_ids(conn, b, gone, emptied=(v.name,))
    if not kept:
        return
    newest = select(func.max(v.c.id)).where(v.c.booking_id == b.c.id).scalar_subquery()
    lost = ~exists().where(v.c.id == b.c.current_version_id)
    conn.execute(update(b).where(id_in(conn, b.c.id, kept), lost).values(current_version_id=newest))


def delete_bookings(run: Run, conn: Connection, booking_ids: Sequence[int]) -> None:
    v = s.booking_version
    if not booking_ids:
        return
    query = select(v.c.id).where(id_in(conn, v.c.booking_id, booking_ids))
    delete_versions(run, conn, [int(i) for i in conn.execute(query).scalars()])


def delete_api_travellers(
    run: Run, conn: Connection, api_ids: Sequence[int], messages: Sequence[int] | None = None
) -> None:
    """Delete API travellers (their rows first, in bulk), then the API lists left empty.
    ``messages``: their lists, when the caller knows them (else they are read)."""
    a = s.api_traveller
    ids = sorted({int(i) for i in api_ids})
    if not ids:
        return
    if messages is None:
        query = select(a.c.api_message_id).where(id_in(conn, a.c.id, ids)).distinct()
        messages = conn.execute(query).scalars().all()
    lists = sorted({int(i) for i in messages})
    seal_messages(run, conn, lists)
    run.report.api_travellers_deleted += purge_ids(conn, a, ids)
    delete_empty_api_messages(run, conn, lists)


def delete_empty_api_messages(run: Run, conn: Connection, message_ids: Sequence[int]) -> None:
    a, m = s.api_traveller, s.api_message
    if not message_ids:
        return
    empty = ~exists().where(a.c.api_message_id == m.c.id)
    targets = select(m.c.id, m.c.raw_message_id).where(id_in(conn, m.c.id, message_ids), empty)
    rows = conn.execute(targets).all()
    if not rows:
        return
    run.touched_raw.update(int(r[1]) for r in rows)
    run.report.api_messages_deleted += purge_ids(conn, m, [int(r[0]) for r in rows])

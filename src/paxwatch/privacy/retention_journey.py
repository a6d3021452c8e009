"""Retention steps by journey: intra-EU flights not selected (deleted once arrived, EU
profile) and the end of the journey (UK profile: deleted unless flagged)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, select

from paxwatch.privacy.policies import AT_JOURNEY_END, PrivacyEvent, local_to_utc, record_event
from paxwatch.privacy.purge import id_in
from paxwatch.privacy.retention_delete import (
    delete_api_travellers,
    delete_bookings,
    delete_empty_api_messages,
    row_ids,
    seal,
)
from paxwatch.privacy.retention_run import SYSTEM, Run
from paxwatch.privacy.selection import active_selections, check_flight
from paxwatch.store import schema as s

# ---- step 2: intra-EU flights not selected


def _arrived(row: Any, grace_hours: int, now: datetime) -> bool:
    end = local_to_utc(row.arrival, row.destination) or local_to_utc(row.departure, row.origin)
    if end is None:
        if row.departure_date is None:
            return False
        end = datetime.combine(row.departure_date + timedelta(days=1), datetime.min.time())
    return end + timedelta(hours=grace_hours) <= now


def step_intra_eu(run: Run) -> None:
    if not run.policy.intra_eu_selection:
        return
    f, bf, mf = s.flight, s.booking_flight, s.api_message_flight
    with run.tx() as conn:
        selections = active_selections(conn)
        with_data = select(bf.c.flight_id).union(select(mf.c.flight_id)).subquery()
        rows = list(
            conn.execute(
                select(f).where(f.c.id.in_(select(with_data.c.flight_id))).order_by(f.c.id)
            )
        )
    unretained: set[int] = set()
    targets: list[Any] = []
    for row in rows:
        decision = check_flight(
            selections,
            carrier=row.carrier,
            number=row.number,
            origin=row.origin,
            destination=row.destination,
            on=row.departure_date,
        )
        if not decision.retain:
            unretained.add(int(row.id))
            if _arrived(row, run.policy.intra_eu_grace_hours, run.now):
                targets.append(row)
    for row in targets:
        with run.tx() as conn:
            before = run.report.counts()
            _delete_intra_eu_flight(run, conn, int(row.id), row.key, unretained)
            run.audit(conn, "intra-EU not selected", before)
        run.tick("intra-EU not selected", 1)


def _delete_intra_eu_flight(
    run: Run, conn: Connection, flight_id: int, key: str, unretained: set[int]
) -> None:
    bf, mf, af = s.booking_flight, s.api_message_flight, s.api_traveller_flight
    before = run.report.counts()
    seal(run, conn, [flight_id])
    bookings = [
        int(i)
        for i in conn.execute(select(bf.c.booking_id).where(bf.c.flight_id == flight_id)).scalars()
    ]
    only_here: list[int] = []
    for start in range(0, len(bookings), run.chunk):
        chunk = bookings[start : start + run.chunk]
        others: dict[int, set[int]] = {}
        for booking_id, other in conn.execute(
            select(bf.c.booking_id, bf.c.flight_id).where(id_in(conn, bf.c.booking_id, chunk))
        ):
            others.setdefault(int(booking_id), set()).add(int(other))
        only_here.extend(b for b in chunk if others.get(b, set()) <= unretained)
    delete_bookings(run, conn, only_here)
    result = conn.execute(delete(bf).where(bf.c.flight_id == flight_id))
    run.report.intra_eu_links_deleted += result.rowcount or 0
    messages = [
        int(i)
        for i in conn.execute(
            select(mf.c.api_message_id).where(mf.c.flight_id == flight_id)
        ).scalars()
    ]
    doomed = [
        m
        for m in messages
        if set(conn.execute(select(mf.c.flight_id).where(mf.c.api_message_id == m)).scalars())
        <= unretained
    ]
    if doomed:
        a = s.api_traveller
        api_ids = [
            int(i)
            for i in conn.execute(
                select(a.c.id).where(id_in(conn, a.c.api_message_id, doomed))
            ).scalars()
        ]
        delete_api_travellers(run, conn, api_ids)
        delete_empty_api_messages(run, conn, doomed)
    conn.execute(delete(af).where(af.c.flight_id == flight_id))
    conn.execute(delete(mf).where(mf.c.flight_id == flight_id))
    run.report.intra_eu_flights += 1
    after = run.report.counts()
    details = {k: after[k] - before[k] for k in after if after[k] != before[k]}
    record_event(
        conn,
        PrivacyEvent(
            kind="retention.intra_eu_deleted",
            actor=SYSTEM,
            at=run.now,
            details={"flight_id": flight_id, "flight": key, **details},
        ),
    )


# ---- step 3: end of the journey (UK)


def _journey_ends(conn: Connection, version_ids: list[int]) -> dict[int, datetime]:
    leg = s.booking_leg
    ends: dict[int, datetime] = {}
    query = select(
        leg.c.version_id, leg.c.origin, leg.c.destination, leg.c.departure, leg.c.arrival
    ).where(id_in(conn, leg.c.version_id, version_ids))
    for version_id, origin, destination, departure, arrival in conn.execute(query):
        end = local_to_utc(arrival, destination) or local_to_utc(departure, origin)
        if end is not None and (version_id not in ends or end > ends[version_id]):
            ends[int(version_id)] = end
    return ends


def step_journey_end(run: Run) -> None:
    if run.policy.delete_unflagged != AT_JOURNEY_END:
        return
    grace = timedelta(hours=run.policy.journey_grace_hours)
    b = s.booking

    def bookings(conn: Connection, last: int) -> list[Any]:
        query = select(b.c.id, b.c.current_version_id, b.c.last_seen_at).where(b.c.id > last)
        return list(conn.execute(query.order_by(b.c.id).limit(run.chunk)).all())

    for conn, rows in run.batches("journey end: bookings", bookings):
        ends = _journey_ends(conn, [int(r[1]) for r in rows if r[1] is not None])
        ended = [int(r[0]) for r in rows if ends.get(int(r[1] or 0), r[2]) + grace <= run.now]
        doomed = [i for i in ended if run.protection.refs(i) == frozenset()]
        delete_bookings(run, conn, doomed)
        gone = set(doomed)
        _trim_protected(run, conn, [i for i in ended if i not in gone])
        run.tick("journey end: bookings", len(rows))
    _step_journey_end_api(run, grace)


def _trim_protected(run: Run, conn: Connection, booking_ids: list[int]) -> None:
    from paxwatch.privacy.depersonalise import drop_travellers

    v = s.booking_version
    for booking_id in booking_ids:
        refs = run.protection.refs(booking_id)
        if refs is None:
            continue
        versions = conn.execute(select(v.c.id).where(v.c.booking_id == booking_id)).scalars()
        run.report.travellers_dropped += drop_travellers(conn, {int(i): refs for i in versions})


def _step_journey_end_api(run: Run, grace: timedelta) -> None:
    a, m, mf, f = s.api_traveller, s.api_message, s.api_message_flight, s.flight

    def messages(conn: Connection, last: int) -> list[Any]:
        query = select(m.c.id).where(m.c.id > last)
        return list(conn.execute(query.order_by(m.c.id).limit(run.chunk)).all())

    for conn, rows in run.batches("journey end: API", messages):
        ids = row_ids(rows)
        latest: dict[int, datetime | None] = {}
        flights = select(mf.c.api_message_id, f).join(f, f.c.id == mf.c.flight_id)
        for row in conn.execute(flights.where(id_in(conn, mf.c.api_message_id, ids))):
            ended = _arrived(row, int(grace.total_seconds() // 3600), run.now)
            previous = latest.get(int(row.api_message_id), run.now)
            latest[int(row.api_message_id)] = previous if ended else None
        done = [i for i, end in latest.items() if end is not None]
        if done:
            api_ids = [
                int(i)
                for i in conn.execute(
                    select(a.c.id).where(id_in(conn, a.c.api_message_id, done))
                ).scalars()
                if int(i) not in run.protection.api
            ]
            delete_api_travellers(run, conn, api_ids)
        run.tick("journey end: API", len(rows))

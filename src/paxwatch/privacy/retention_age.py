"""Retention steps by age: the maximum age (5 years: everything goes) and the mask age
(6 months: depersonalised, or deleted unless flagged when the policy says so)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, false, func, select

from paxwatch.privacy.depersonalise import depersonalise_api_travellers, depersonalise_versions
from paxwatch.privacy.policies import AT_MASK_AGE
from paxwatch.privacy.purge import id_in, purge
from paxwatch.privacy.retention_delete import (
    delete_api_travellers,
    delete_version_rows,
    flights_of_api_messages,
    flights_of_bookings,
    row_ids,
    seal_bookings,
    seal_messages,
)
from paxwatch.privacy.retention_fanout import fan_out
from paxwatch.privacy.retention_run import Run
from paxwatch.store import schema as s


def newest_id(run: Run, query: Any) -> int | None:
    """The largest id ``query`` (a ``max(id + 0)`` over the rows older than a cutoff) finds,
    read once before a step walks its ids upwards: the walk stops there instead of reading
    on through every younger row (on SQLite, where a rowid walk filtered by age is the
    plan, that was a scan of the whole live table in every run once its old rows were
    done: 6 months of bookings for the mask age, 5 years for the maximum age). ``id + 0``:
    so that SQLite answers through the ``received_at`` index rather than walking rowids
    down from the newest. None: no row is old enough."""
    with run.tx() as conn:
        value = conn.execute(query).scalar()
    return None if value is None else int(value)


# ---- step 1: the maximum age


def step_max_age(run: Run) -> None:
    cutoff = run.policy.delete_cutoff(run.now)
    v, m, r, a = s.booking_version, s.api_message, s.raw_message, s.api_traveller
    top = newest_id(run, select(func.max(v.c.id + 0)).where(v.c.received_at <= cutoff))

    def versions(conn: Connection, last: int, limit: int) -> list[Any]:
        if top is None:
            return []
        query = select(v.c.id, v.c.booking_id, v.c.raw_message_id).where(
            v.c.received_at <= cutoff, v.c.id > last, v.c.id <= top
        )
        return list(conn.execute(query.order_by(v.c.id).limit(limit)).all())

    fan_out(
        run,
        "5 years: versions",
        versions,
        delete_version_rows,
        group=_second,
        flights=_flights_of_bookings,
    )

    top_api = newest_id(
        run,
        select(func.max(a.c.id + 0))
        .join(m, m.c.id == a.c.api_message_id)
        .where(m.c.received_at <= cutoff),
    )

    def api(conn: Connection, last: int, limit: int) -> list[Any]:
        if top_api is None:
            return []
        query = (
            select(a.c.id, a.c.api_message_id)
            .join(m, m.c.id == a.c.api_message_id)
            .where(m.c.received_at <= cutoff, a.c.id > last, a.c.id <= top_api)
        )
        return list(conn.execute(query.order_by(a.c.id).limit(limit)).all())

    def delete_api(run: Run, conn: Connection, rows: list[Any]) -> None:
        delete_api_travellers(run, conn, row_ids(rows), messages=[int(r[1]) for r in rows])

    fan_out(run, "5 years: API", api, delete_api, group=_second, flights=_flights_of_messages)

    top_raw = newest_id(run, select(func.max(r.c.id + 0)).where(r.c.received_at <= cutoff))

    def raws(conn: Connection, last: int, limit: int) -> list[Any]:
        if top_raw is None:
            return []
        query = select(r.c.id).where(r.c.received_at <= cutoff, r.c.id > last, r.c.id <= top_raw)
        return list(conn.execute(query.order_by(r.c.id).limit(limit)).all())

    def delete_raws(run: Run, conn: Connection, rows: list[Any]) -> None:
        ids = row_ids(rows)
        purge(conn, m, id_in(conn, m.c.raw_message_id, ids))
        run.report.raw_deleted += purge(conn, r, id_in(conn, r.c.id, ids))

    fan_out(run, "5 years: raw archive", raws, delete_raws, group=_first, flights=None)


def _first(row: Any) -> int:
    return int(row[0])


def _second(row: Any) -> int:
    """The owner of a chunk's row (a version's booking, an API traveller's list)."""
    return int(row[1])


def _flights_of_bookings(conn: Connection, rows: list[Any]) -> list[int]:
    return flights_of_bookings(conn, sorted({int(r[1]) for r in rows}))


def _flights_of_messages(conn: Connection, rows: list[Any]) -> list[int]:
    return flights_of_api_messages(conn, sorted({int(r[1]) for r in rows}))


# ---- step 4: the mask age


def step_mask_age(run: Run) -> None:
    cutoff = run.policy.mask_cutoff(run.now)
    if cutoff is None:
        return
    v = s.booking_version
    eu = run.policy.delete_unflagged == AT_MASK_AGE
    top = newest_id(run, select(func.max(v.c.id + 0)).where(v.c.received_at <= cutoff))

    def versions(conn: Connection, last: int, limit: int) -> list[Any]:
        if top is None:
            return []
        # The versions not masked yet, through the partial index
        # ``ix_booking_version_unmasked`` (migration 0013): those masked and kept are not
        # read again.
        unmasked = v.c.masked == false()
        query = select(v.c.id, v.c.booking_id, v.c.raw_message_id).where(
            v.c.received_at <= cutoff, v.c.id > last, v.c.id <= top, unmasked
        )
        return list(conn.execute(query.order_by(v.c.id).limit(limit)).all())

    def mask(run: Run, conn: Connection, rows: list[Any]) -> None:
        refs = run.protection.refs
        doomed = [r for r in rows if eu and refs(int(r[1])) == frozenset()]
        gone = {int(r[0]) for r in doomed}
        kept = [r for r in rows if int(r[0]) not in gone]
        if doomed:
            delete_version_rows(run, conn, doomed)
        if kept:
            keep = {int(r[0]): (run.protection.refs(int(r[1])) if eu else None) for r in kept}
            seal_bookings(run, conn, sorted({int(r[1]) for r in kept}))
            outcome = depersonalise_versions(
                conn, list(keep), keep=keep, vault=run.vault, now=run.now
            )
            run.report.versions_masked += outcome.versions
            run.report.travellers_dropped += outcome.travellers_dropped
            run.report.identifiers_deleted += outcome.identifiers_deleted

    fan_out(run, "6 months: versions", versions, mask, group=_second, flights=_flights_of_bookings)
    _step_mask_age_api(run, cutoff, eu)


def _step_mask_age_api(run: Run, cutoff: datetime, eu: bool) -> None:
    a, m = s.api_traveller, s.api_message
    top = newest_id(
        run,
        select(func.max(a.c.id + 0))
        .join(m, m.c.id == a.c.api_message_id)
        .where(m.c.received_at <= cutoff),
    )

    def travellers(conn: Connection, last: int, limit: int) -> list[Any]:
        if top is None:
            return []
        unmasked = a.c.masked == false()  # ``ix_api_traveller_unmasked`` (migration 0013)
        query = (
            select(a.c.id, a.c.api_message_id)
            .join(m, m.c.id == a.c.api_message_id)
            .where(m.c.received_at <= cutoff, a.c.id > last, a.c.id <= top, unmasked)
        )
        return list(conn.execute(query.order_by(a.c.id).limit(limit)).all())

    def mask(run: Run, conn: Connection, rows: list[Any]) -> None:
        ids = row_ids(rows)
        doomed = [r for r in rows if eu and int(r[0]) not in run.protection.api]
        gone = {int(r[0]) for r in doomed}
        kept = [i for i in ids if i not in gone]
        if doomed:
            lists = [int(r[1]) for r in doomed]
            delete_api_travellers(run, conn, row_ids(doomed), messages=lists)
        if kept:
            keep_set = set(kept)
            messages = sorted({int(r[1]) for r in rows if int(r[0]) in keep_set})
            seal_messages(run, conn, messages)
            outcome = depersonalise_api_travellers(conn, kept, vault=run.vault, now=run.now)
            run.report.api_travellers_masked += outcome.api_travellers
            run.report.identifiers_deleted += outcome.identifiers_deleted

    fan_out(run, "6 months: API", travellers, mask, group=_second, flights=_flights_of_messages)

"""The retention job: masking and deletion as the policy says, in chunks.

``run_retention(store, now, policy)`` (also ``paxwatch retention run``) applies a
``RetentionPolicy`` to the store as of ``now`` (naive UTC; the clock is the caller's):

1. **5 years** (``delete_after_months``): booking versions, API lists and archived raw
   messages received that long ago are deleted, flags or not.
2. **Intra-EU selection** (EU profile): the PNR and API data of intra-EU flights that were
   not selected on their date (``paxwatch.privacy.selection``) is deleted once the flight
   has arrived; a booking that is also on a retained flight only loses its link to it.
3. **Journey end** (UK profile): the data of bookings and API lists whose journey ended
   ``journey_grace_hours`` ago is deleted, except the flagged travellers.
4. **Mask age** (6 months): versions and API travellers received that long ago are
   depersonalised (``paxwatch.privacy.depersonalise``), keeping only flagged travellers
   when the policy deletes the others then (EU); the rest is deleted.
5. **Raw archive**: archived bodies are erased at ``raw_archive_hours`` (or the mask age),
   and as soon as nothing read from them is left.
6. **Transmissions** (disclosure logs, Art 13(6)): they outlive the data they disclosed;
   their snapshot is erased when the hit is deleted (``purge.purge``) or at the mask
   age, and the record is deleted after ``audit_retention_months``.
7. **Audit trail**: entries older than ``audit_retention_months`` are pruned
   (``audit.prune_before``; never inside the trail's own 5 years by the real clock).

Deletions are explicit and in bulk (``purge.purge``: the dependent rows of each
table first, one statement per table, instead of ``ON DELETE CASCADE`` row by row), and
every chunk writes one audit ``DeletionEvent`` per kind of record it deleted, masked or
erased, in its own transaction; the run ends with a ``privacy.retention`` event.

Before a flight's data is first masked or deleted its figures are sealed in
``stat_flight`` (Art 20 statistics survive). Every step works in chunks of ``chunk`` rows,
each chunk one transaction, walking ids upwards: a run that is killed leaves a consistent
store, and the next run does what is left. A second run with the same ``now`` changes
nothing. ``dry_run=True`` runs every step in one transaction and rolls it back: the report
is exactly what a real run would do.

A flag (``retention_flag``) protects a traveller (booking + traveller ref, or the whole
booking) or an API traveller while it is not lifted and its review date has not passed; its
kind must be one of the policy's ``flag_kinds``. Flags are set by supervisors
(``set_flag``), with a reason, an evidence reference and a review date.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, exists, func, select, update

from paxwatch.privacy import audit
from paxwatch.privacy.depersonalise import (
    ERASED,
    Vault,
    depersonalise_api_travellers,
    depersonalise_versions,
    erase_raw,
)
from paxwatch.privacy.flags import (
    SUPERVISOR,
    Flag,
    FlagError,
    Protection,
    lift_flag,
    list_flags,
    protection,
    set_flag,
)
from paxwatch.privacy.flight_figures import seal_flights
from paxwatch.privacy.policies import (
    AT_JOURNEY_END,
    AT_MASK_AGE,
    PrivacyEvent,
    RetentionPolicy,
    local_to_utc,
    record_event,
)
from paxwatch.privacy.purge import erase_transmissions, id_in, purge, purge_ids
from paxwatch.privacy.retention_report import KeptRecord, RetentionReport
from paxwatch.privacy.selection import active_selections, check_flight
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from paxwatch.store.schema_assess import hit
from paxwatch.store.schema_privacy import masked_record
from paxwatch.store.schema_review import audit_event, transmission

SYSTEM = "system:retention"
DEFAULT_CHUNK = 5000
Progress = Callable[[str, int], None]
"""Called with (step name, rows handled in the chunk just committed)."""


# ---------------------------------------------------------------- the run


class _Rollback(Exception):
    pass


@dataclass(slots=True)
class _Run:
    policy: RetentionPolicy
    now: datetime
    vault: Vault | None
    chunk: int
    report: RetentionReport
    protection: Protection
    progress: Progress | None
    tx: Callable[[], contextlib.AbstractContextManager[Connection]]
    store: Store | None = None
    touched_raw: set[int] = field(default_factory=set)
    sealed: set[int] = field(default_factory=set)

    def tick(self, step: str, count: int) -> None:
        if self.progress is not None:
            self.progress(step, count)

    def batches(
        self, step: str, query: Callable[[Connection, int], list[Any]]
    ) -> Iterator[tuple[Connection, list[Any]]]:
        """Chunks of rows (first column: an increasing id), each in its own transaction,
        which also writes the audit events of what the chunk deleted or masked."""
        last = 0
        while True:
            with self.tx() as conn:
                rows = query(conn, last)
                if not rows:
                    return
                last = int(rows[-1][0])
                before = self.report.counts()
                yield conn, rows
                self.audit(conn, step, before)

    def audit(self, conn: Connection, step: str, before: dict[str, int]) -> None:
        """One ``DeletionEvent`` per kind of record deleted, masked or erased since
        ``before`` (counts, never content), in the caller's transaction."""
        after = self.report.counts()
        for key, what in AUDITED.items():
            count = after[key] - before[key]
            if count:
                audit.record(
                    conn,
                    audit.DeletionEvent(
                        actor=SYSTEM,
                        what=what,
                        count=count,
                        reason=f"retention {self.policy.name}: {step}",
                    ),
                    at=self.now,
                )


AUDITED = {
    "versions_deleted": "booking_version",
    "bookings_deleted": "booking",
    "travellers_dropped": "traveller",
    "api_travellers_deleted": "api_traveller",
    "api_messages_deleted": "api_message",
    "intra_eu_links_deleted": "booking_flight",
    "raw_deleted": "raw_message",
    "raw_erased": "raw_message.body",
    "versions_masked": "booking_version.masked",
    "api_travellers_masked": "api_traveller.masked",
    "identifiers_deleted": "identifier",
    "transmissions_erased": "transmission.payload",
    "transmissions_deleted": "transmission",
}
"""Report counter → what the audit trail's ``DeletionEvent`` names."""


def _ids(rows: Sequence[Any]) -> list[int]:
    return [int(r[0]) for r in rows]


def _flights_of_bookings(conn: Connection, booking_ids: Sequence[int]) -> list[int]:
    bf = s.booking_flight
    query = select(bf.c.flight_id).where(id_in(conn, bf.c.booking_id, booking_ids)).distinct()
    return sorted(int(i) for i in conn.execute(query).scalars().all())


def _flights_of_api_messages(conn: Connection, message_ids: Sequence[int]) -> list[int]:
    mf = s.api_message_flight
    query = select(mf.c.flight_id).where(id_in(conn, mf.c.api_message_id, message_ids)).distinct()
    return sorted(int(i) for i in conn.execute(query).scalars().all())


def _seal(run: _Run, conn: Connection, flight_ids: Sequence[int]) -> None:
    """Seal the statistics of the flights not sealed yet in this run (once per flight)."""
    todo = [i for i in flight_ids if i not in run.sealed]
    if todo:
        run.report.flights_sealed += seal_flights(conn, todo, run.now)
        run.sealed.update(todo)


def _confirmed_hits(conn: Connection, booking_ids: Sequence[int]) -> int:
    query = select(func.count(func.distinct(hit.c.booking_id))).where(
        id_in(conn, hit.c.booking_id, booking_ids), hit.c.status == "confirmed"
    )
    return int(conn.execute(query).scalar() or 0)


def _delete_versions(run: _Run, conn: Connection, version_ids: Sequence[int]) -> None:
    """Delete versions (their rows first, in bulk), then the bookings left without any."""
    v = s.booking_version
    ids = sorted({int(i) for i in version_ids})
    if not ids:
        return
    rows = conn.execute(
        select(v.c.booking_id, v.c.raw_message_id).where(id_in(conn, v.c.id, ids))
    ).all()
    bookings = sorted({int(r[0]) for r in rows})
    run.touched_raw.update(int(r[1]) for r in rows)
    _seal(run, conn, _flights_of_bookings(conn, bookings))
    run.report.deleted_with_confirmed_hits += _confirmed_hits(conn, bookings)
    run.report.versions_deleted += purge_ids(conn, v, ids)
    _delete_empty_bookings(run, conn, bookings)


def _delete_empty_bookings(run: _Run, conn: Connection, booking_ids: Sequence[int]) -> None:
    v, b = s.booking_version, s.booking
    if not booking_ids:
        return
    empty = ~exists().where(v.c.booking_id == b.c.id)
    run.report.bookings_deleted += purge(conn, b, and_(id_in(conn, b.c.id, booking_ids), empty))
    # The current version of a booking that keeps others may have gone: point at the newest.
    newest = select(func.max(v.c.id)).where(v.c.booking_id == b.c.id).scalar_subquery()
    gone = ~exists().where(v.c.id == b.c.current_version_id)
    conn.execute(
        update(b).where(id_in(conn, b.c.id, booking_ids), gone).values(current_version_id=newest)
    )


def _delete_bookings(run: _Run, conn: Connection, booking_ids: Sequence[int]) -> None:
    v = s.booking_version
    if not booking_ids:
        return
    query = select(v.c.id).where(id_in(conn, v.c.booking_id, booking_ids))
    _delete_versions(run, conn, [int(i) for i in conn.execute(query).scalars()])


def _delete_api_travellers(run: _Run, conn: Connection, api_ids: Sequence[int]) -> None:
    """Delete API travellers (their rows first, in bulk), then the API lists left empty."""
    a = s.api_traveller
    ids = sorted({int(i) for i in api_ids})
    if not ids:
        return
    query = select(a.c.api_message_id).where(id_in(conn, a.c.id, ids)).distinct()
    messages = sorted(int(i) for i in conn.execute(query).scalars().all())
    _seal(run, conn, _flights_of_api_messages(conn, messages))
    run.report.api_travellers_deleted += purge_ids(conn, a, ids)
    _delete_empty_api_messages(run, conn, messages)


def _delete_empty_api_messages(run: _Run, conn: Connection, message_ids: Sequence[int]) -> None:
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


# ---- step 1: the maximum age


def _step_max_age(run: _Run) -> None:
    cutoff = run.policy.delete_cutoff(run.now)
    v, m, r = s.booking_version, s.api_message, s.raw_message

    def versions(conn: Connection, last: int) -> list[Any]:
        query = select(v.c.id).where(v.c.received_at <= cutoff, v.c.id > last)
        return list(conn.execute(query.order_by(v.c.id).limit(run.chunk)).all())

    for conn, rows in run.batches("5 years: versions", versions):
        _delete_versions(run, conn, _ids(rows))
        run.tick("5 years: versions", len(rows))

    def api(conn: Connection, last: int) -> list[Any]:
        a = s.api_traveller
        query = (
            select(a.c.id)
            .join(m, m.c.id == a.c.api_message_id)
            .where(m.c.received_at <= cutoff, a.c.id > last)
        )
        return list(conn.execute(query.order_by(a.c.id).limit(run.chunk)).all())

    for conn, rows in run.batches("5 years: API", api):
        _delete_api_travellers(run, conn, _ids(rows))
        run.tick("5 years: API", len(rows))

    def raws(conn: Connection, last: int) -> list[Any]:
        query = select(r.c.id).where(r.c.received_at <= cutoff, r.c.id > last)
        return list(conn.execute(query.order_by(r.c.id).limit(run.chunk)).all())

    for conn, rows in run.batches("5 years: raw archive", raws):
        ids = _ids(rows)
        purge(conn, m, id_in(conn, m.c.raw_message_id, ids))
        run.report.raw_deleted += purge(conn, r, id_in(conn, r.c.id, ids))
        run.tick("5 years: raw archive", len(rows))


# ---- step 2: intra-EU flights not selected


def _arrived(row: Any, grace_hours: int, now: datetime) -> bool:
    end = local_to_utc(row.arrival, row.destination) or local_to_utc(row.departure, row.origin)
    if end is None:
        if row.departure_date is None:
            return False
        end = datetime.combine(row.departure_date + timedelta(days=1), datetime.min.time())
    return end + timedelta(hours=grace_hours) <= now


def _step_intra_eu(run: _Run) -> None:
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
    run: _Run, conn: Connection, flight_id: int, key: str, unretained: set[int]
) -> None:
    bf, mf, af = s.booking_flight, s.api_message_flight, s.api_traveller_flight
    before = run.report.counts()
    _seal(run, conn, [flight_id])
    bookings = [
        int(i)
        for i in conn.execute(select(bf.c.booking_id).where(bf.c.flight_id == flight_id)).scalars()
    ]
    only_here: list[int] = []
    for start in range(0, len(bookings), run.chunk):
        chunk = bookings[start : start + run.chunk]
        others: dict[int, set[int]] = {}
        for booking_id, other in conn.execute(
            select(bf.c.booking_id, bf.c.flight_id).where(bf.c.booking_id.in_(chunk))
        ):
            others.setdefault(int(booking_id), set()).add(int(other))
        only_here.extend(b for b in chunk if others.get(b, set()) <= unretained)
    _delete_bookings(run, conn, only_here)
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
            for i in conn.execute(select(a.c.id).where(a.c.api_message_id.in_(doomed))).scalars()
        ]
        _delete_api_travellers(run, conn, api_ids)
        _delete_empty_api_messages(run, conn, doomed)
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
    ).where(leg.c.version_id.in_(version_ids))
    for version_id, origin, destination, departure, arrival in conn.execute(query):
        end = local_to_utc(arrival, destination) or local_to_utc(departure, origin)
        if end is not None and (version_id not in ends or end > ends[version_id]):
            ends[int(version_id)] = end
    return ends


def _step_journey_end(run: _Run) -> None:
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
        _delete_bookings(run, conn, doomed)
        gone = set(doomed)
        _trim_protected(run, conn, [i for i in ended if i not in gone])
        run.tick("journey end: bookings", len(rows))
    _step_journey_end_api(run, grace)


def _trim_protected(run: _Run, conn: Connection, booking_ids: list[int]) -> None:
    from paxwatch.privacy.depersonalise import drop_travellers

    v = s.booking_version
    for booking_id in booking_ids:
        refs = run.protection.refs(booking_id)
        if refs is None:
            continue
        versions = conn.execute(select(v.c.id).where(v.c.booking_id == booking_id)).scalars()
        run.report.travellers_dropped += drop_travellers(conn, {int(i): refs for i in versions})


def _step_journey_end_api(run: _Run, grace: timedelta) -> None:
    a, m, mf, f = s.api_traveller, s.api_message, s.api_message_flight, s.flight

    def messages(conn: Connection, last: int) -> list[Any]:
        query = select(m.c.id).where(m.c.id > last)
        return list(conn.execute(query.order_by(m.c.id).limit(run.chunk)).all())

    for conn, rows in run.batches("journey end: API", messages):
        ids = _ids(rows)
        latest: dict[int, datetime | None] = {}
        flights = select(mf.c.api_message_id, f).join(f, f.c.id == mf.c.flight_id)
        for row in conn.execute(flights.where(mf.c.api_message_id.in_(ids))):
            ended = _arrived(row, int(grace.total_seconds() // 3600), run.now)
            previous = latest.get(int(row.api_message_id), run.now)
            latest[int(row.api_message_id)] = previous if ended else None
        done = [i for i, end in latest.items() if end is not None]
        if done:
            api_ids = [
                int(i)
                for i in conn.execute(select(a.c.id).where(a.c.api_message_id.in_(done))).scalars()
                if int(i) not in run.protection.api
            ]
            _delete_api_travellers(run, conn, api_ids)
        run.tick("journey end: API", len(rows))


# ---- step 4: the mask age


def _step_mask_age(run: _Run) -> None:
    cutoff = run.policy.mask_cutoff(run.now)
    if cutoff is None:
        return
    v, mr = s.booking_version, masked_record
    eu = run.policy.delete_unflagged == AT_MASK_AGE

    def versions(conn: Connection, last: int) -> list[Any]:
        unmasked = ~exists().where(mr.c.version_id == v.c.id)
        query = select(v.c.id, v.c.booking_id).where(
            v.c.received_at <= cutoff, v.c.id > last, unmasked
        )
        return list(conn.execute(query.order_by(v.c.id).limit(run.chunk)).all())

    for conn, rows in run.batches("6 months: versions", versions):
        doomed = [int(r[0]) for r in rows if eu and run.protection.refs(int(r[1])) == frozenset()]
        gone = set(doomed)
        kept = [r for r in rows if int(r[0]) not in gone]
        if doomed:
            _delete_versions(run, conn, doomed)
        if kept:
            keep = {int(r[0]): (run.protection.refs(int(r[1])) if eu else None) for r in kept}
            bookings = sorted({int(r[1]) for r in kept})
            _seal(run, conn, _flights_of_bookings(conn, bookings))
            outcome = depersonalise_versions(
                conn, list(keep), keep=keep, vault=run.vault, now=run.now
            )
            run.report.versions_masked += outcome.versions
            run.report.travellers_dropped += outcome.travellers_dropped
            run.report.identifiers_deleted += outcome.identifiers_deleted
        run.tick("6 months: versions", len(rows))
    _step_mask_age_api(run, cutoff, eu)


def _step_mask_age_api(run: _Run, cutoff: datetime, eu: bool) -> None:
    a, m, mr = s.api_traveller, s.api_message, masked_record

    def travellers(conn: Connection, last: int) -> list[Any]:
        unmasked = ~exists().where(mr.c.api_traveller_id == a.c.id)
        query = (
            select(a.c.id, a.c.api_message_id)
            .join(m, m.c.id == a.c.api_message_id)
            .where(m.c.received_at <= cutoff, a.c.id > last, unmasked)
        )
        return list(conn.execute(query.order_by(a.c.id).limit(run.chunk)).all())

    for conn, rows in run.batches("6 months: API", travellers):
        ids = _ids(rows)
        doomed = [i for i in ids if eu and i not in run.protection.api]
        gone = set(doomed)
        kept = [i for i in ids if i not in gone]
        if doomed:
            _delete_api_travellers(run, conn, doomed)
        if kept:
            keep_set = set(kept)
            messages = sorted({int(r[1]) for r in rows if int(r[0]) in keep_set})
            _seal(run, conn, _flights_of_api_messages(conn, messages))
            outcome = depersonalise_api_travellers(conn, kept, vault=run.vault, now=run.now)
            run.report.api_travellers_masked += outcome.api_travellers
            run.report.identifiers_deleted += outcome.identifiers_deleted
        run.tick("6 months: API", len(rows))


# ---- step 5: the raw archive; step 6: the event log


def _step_raw(run: _Run) -> None:
    cutoff = run.policy.raw_cutoff(run.now)
    r, v, m = s.raw_message, s.booking_version, s.api_message
    if cutoff is not None:

        def raws(conn: Connection, last: int) -> list[Any]:
            query = select(r.c.id).where(
                r.c.received_at <= cutoff, r.c.body != ERASED, r.c.id > last
            )
            return list(conn.execute(query.order_by(r.c.id).limit(run.chunk)).all())

        for conn, rows in run.batches("raw archive", raws):
            run.report.raw_erased += erase_raw(conn, _ids(rows))
            run.tick("raw archive", len(rows))
    touched = sorted(run.touched_raw)
    for start in range(0, len(touched), run.chunk):
        with run.tx() as conn:
            before = run.report.counts()
            chunk = touched[start : start + run.chunk]
            orphan = and_(
                id_in(conn, r.c.id, chunk),
                ~exists().where(v.c.raw_message_id == r.c.id),
                ~exists().where(m.c.raw_message_id == r.c.id),
            )
            ids = list(conn.execute(select(r.c.id).where(orphan)).scalars().all())
            run.report.raw_erased += erase_raw(conn, ids)
            run.audit(conn, "raw archive", before)


def _step_transmissions(run: _Run) -> None:
    """Disclosure logs: the snapshot of a transmission is erased at the mask age (its hit and
    traveller may be kept, masked) and the record deleted after ``audit_retention_months``
    (Art 13(6): 5 years). Transmissions of deleted hits were erased with them (``purge``)."""
    tr = transmission
    cutoff = run.policy.mask_cutoff(run.now)
    if cutoff is not None:

        def sent(conn: Connection, last: int) -> list[Any]:
            query = select(tr.c.id).where(tr.c.at <= cutoff, tr.c.id > last)
            return list(conn.execute(query.order_by(tr.c.id).limit(run.chunk)).all())

        for conn, rows in run.batches("transmissions: snapshots", sent):
            ids = _ids(rows)
            erased = erase_transmissions(conn, id_in(conn, tr.c.id, ids), reason="mask age")
            run.report.transmissions_erased += erased
            run.tick("transmissions", len(rows))
    old = run.policy.audit_cutoff(run.now)
    with run.tx() as conn:
        before = run.report.counts()
        result = conn.execute(delete(tr).where(tr.c.at <= old))
        run.report.transmissions_deleted += result.rowcount or 0
        run.audit(conn, "transmissions: 5 years", before)


def _step_audit(run: _Run, dry_run: bool) -> None:
    """Prune the audit trail (``audit.prune_before``, its own transaction) at
    ``audit_retention_months``, never inside the trail's own 5 years (by the real clock).
    A dry run counts what would go."""
    cutoff = min(run.policy.audit_cutoff(run.now), audit.retention_cutoff())
    if not dry_run and run.store is not None:
        run.report.events_pruned += audit.prune_before(run.store, cutoff, actor=SYSTEM).removed
        return
    with run.tx() as conn:
        ae = audit_event
        last = conn.execute(select(func.max(ae.c.seq)).where(ae.c.at < cutoff)).scalar()
        if last is not None:
            count = conn.execute(select(func.count()).where(ae.c.seq <= last)).scalar()
            run.report.events_pruned += int(count or 0)


def _kept(run: _Run) -> list[KeptRecord]:
    return [
        KeptRecord(
            flag_id=f.id,
            kind=f.kind,
            booking_id=f.booking_id,
            traveller_ref=f.traveller_ref,
            api_traveller_id=f.api_traveller_id,
            reason=f.reason,
            review_on=f.review_on,
        )
        for f in run.protection.flags
    ]


def run_retention(
    store: Store,
    now: datetime,
    policy: RetentionPolicy,
    *,
    vault: Vault | None = None,
    dry_run: bool = False,
    chunk: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> RetentionReport:
    """Apply ``policy`` to the store as of ``now`` (naive UTC). See the module doc."""
    report = RetentionReport(policy=policy.name, now=now, dry_run=dry_run)
    with store.read() as conn:
        kept_by_flags = protection(conn, policy, now.date())

    def run_steps(tx: Callable[[], contextlib.AbstractContextManager[Connection]]) -> None:
        run = _Run(
            policy=policy,
            now=now,
            vault=vault,
            chunk=chunk,
            report=report,
            protection=kept_by_flags,
            progress=progress,
            tx=tx,
            store=store,
        )
        steps = (
            _step_max_age,
            _step_intra_eu,
            _step_journey_end,
            _step_mask_age,
            _step_raw,
            _step_transmissions,
        )
        for step in steps:
            step(run)
        _step_audit(run, dry_run)
        report.kept = _kept(run)
        report.expired_flags = [f.id for f in kept_by_flags.expired]
        if report.changed:
            with tx() as conn:
                record_event(
                    conn,
                    PrivacyEvent(
                        kind="retention.run",
                        actor=SYSTEM,
                        at=now,
                        details={"policy": policy.name, **report.counts()},
                    ),
                )

    if dry_run:
        with contextlib.suppress(_Rollback), store.write() as conn:
            run_steps(lambda: contextlib.nullcontext(conn))
            raise _Rollback
    else:
        run_steps(store.write)
    return report


__all__ = [
    "SUPERVISOR",
    "Flag",
    "FlagError",
    "KeptRecord",
    "RetentionReport",
    "lift_flag",
    "list_flags",
    "run_retention",
    "set_flag",
]

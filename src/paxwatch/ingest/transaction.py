"""One transaction of the pipeline: the prepared inputs of a batch, written table by table.

``StagedBatch`` queues prepared inputs (``add``) and writes them at ``finish``: the archived
copies (with their final status and counts: the batch is planned first, so they are known),
the quarantine entries, the booking versions and API lists (``store.batch.BatchWriter``),
the deletion log; then it builds one ``IngestResult`` per input, with the travellers each
flight's assessment hook gets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from paxwatch.ingest.prepare import Prepared
from paxwatch.ingest.results import QUARANTINED, STORED, IngestResult, Timings
from paxwatch.model import ApiMessage, Flight, PnrMessage, Severity
from paxwatch.store import repository as repo
from paxwatch.store.batch_items import ApiHandle
from paxwatch.store.early import EarlyKey, EarlyVersion, discard_early, rebook_early
from paxwatch.store.keys import utcnow
from paxwatch.store.repository import PnrHandle
from paxwatch.store.write import RawRow, archive_raws, reserve_raw_ids


@dataclass(slots=True)
class _Staged:
    """A prepared input of the current transaction, its writes queued."""

    prepared: Prepared
    raw_id: int
    at: datetime
    archived: bool
    pnr: list[PnrHandle] = field(default_factory=list)
    api: list[ApiHandle] = field(default_factory=list)


class StagedBatch:
    """The inputs of one transaction, written table by table at ``finish``.

    The raw rows are archived in one statement with their final status and counts (the
    batch is planned first, so they are known); ids come from ``reserve(n)``.
    """

    def __init__(
        self, conn: Connection, early: Mapping[EarlyKey, EarlyVersion] | None = None
    ) -> None:
        self.conn = conn
        self.writer = repo.BatchWriter(conn)
        self.staged: list[_Staged] = []
        self._ids: list[int] = []
        #: Rows inserted in this transaction before the turn (``store.early``).
        self.early = dict(early or {})

    def reserve(self, count: int) -> None:
        """Reserve archive ids for ``count`` inputs about to be added."""
        self._ids.extend(reserve_raw_ids(self.conn, count))
        self._ids.reverse()

    def prefetch(self, prepared: Iterable[Prepared], at: datetime) -> None:
        """Resolve the flights of the inputs about to be added with one query."""
        flights: list[Flight] = []
        for p in prepared:
            if p.quarantine_reason:
                continue
            for m in p.messages:
                if isinstance(m, PnrMessage):
                    if m.flight is not None:
                        flights.append(m.flight)
                else:
                    flights.extend(m.flights)
        self.writer.prefetch_flights(flights, at)

    def add(self, p: Prepared, at: datetime, raw_id: int | None = None) -> None:
        """Queue ``p`` (``raw_id``: it is archived already, a quarantine retry)."""
        archived = raw_id is not None
        if raw_id is None:
            if not self._ids:
                self.reserve(1)
            raw_id = self._ids.pop()
        staged = _Staged(p, raw_id, at, archived)
        self.staged.append(staged)
        if p.quarantine_reason:
            return
        allow_cancel = not any(f.severity is Severity.ERROR for f in p.findings)
        digests = p.digests or tuple(() for _ in p.messages)
        rows = p.rows or tuple({} for _ in p.messages)
        contents = p.api_contents or tuple(() for _ in p.messages)
        for index, (message, digest, built, content) in enumerate(
            zip(p.messages, digests, rows, contents, strict=True)
        ):
            if isinstance(message, PnrMessage):
                early = {
                    i: self.early[(p.content_hash, index, i)]
                    for i in built
                    if (p.content_hash, index, i) in self.early
                }
                handle = self.writer.add_pnr(
                    message,
                    raw_id=raw_id,
                    at=at,
                    allow_cancel=allow_cancel,
                    digests=digest if p.digests else None,
                    rows=built,
                    early=early,
                )
                staged.pnr.append(handle)
            elif isinstance(message, ApiMessage):
                handle_api = self.writer.add_api(
                    message, raw_id=raw_id, at=at, contents=content if p.api_contents else None
                )
                staged.api.append(handle_api)

    def _raw_row(self, st: _Staged) -> RawRow:
        p = st.prepared
        bookings = new_versions = 0
        for handle in st.pnr:
            b, v = handle.planned()
            bookings += b
            new_versions += v
        return RawRow(
            id=st.raw_id,
            content_hash=p.content_hash,
            body=p.body,
            size=len(p.item.data),
            redacted=p.redacted,
            received_at=st.at,
            source=p.item.source,
            name=p.item.name,
            format=p.format,
            status=QUARANTINED if p.quarantine_reason else STORED,
            bookings=bookings,
            new_versions=new_versions,
            api_travellers=sum(h.travellers for h in st.api),
        )

    def _linked_by_api(self) -> dict[int, list[tuple[int, int]]]:
        """API traveller id → the (flight, booked traveller) it is now linked to: an API
        list completes those travellers (date of birth, documents), who are assessed again."""
        ids = [i for st in self.staged for h in st.api for i in h.outcome().api_traveller_ids]
        linked: dict[int, list[tuple[int, int]]] = {}
        for api_id, flight_id, traveller_id in repo.linked_travellers(self.conn, ids):
            linked.setdefault(api_id, []).append((flight_id, traveller_id))
        return linked

    def finish(self, at: datetime) -> list[IngestResult]:
        """Archive, then write the queued bookings and lists; one result per staged input."""
        self.writer.plan()
        if self.early:
            used = self.writer.early_used()
            early = self.early.values()
            discard_early(self.conn, (e for e in early if e.version_id not in used))
            rebook_early(
                self.conn,
                [
                    (e.version_id, used[e.version_id])
                    for e in early
                    if used.get(e.version_id, e.booking_id) != e.booking_id
                ],
            )
        archive_raws(self.conn, [self._raw_row(st) for st in self.staged if not st.archived])
        for st in self.staged:
            p = st.prepared
            if p.quarantine_reason:
                repo.quarantine_raw(
                    self.conn, st.raw_id, reason=p.quarantine_reason, findings=p.findings, at=at
                )
        self.writer.flush(at)
        repo.log_deletions_many(
            self.conn,
            (
                (st.raw_id, d.category, d.element, d.count)
                for st in self.staged
                for d in st.prepared.deletions
            ),
            at,
        )
        linked = self._linked_by_api()
        results = [_result(st, linked) for st in self.staged]
        repo.set_raw_statuses(
            self.conn,
            [
                (r.raw_message_id, r.status, r.bookings, r.new_versions, r.api_travellers)
                for st, r in zip(self.staged, results, strict=True)
                if st.archived and r.status == STORED
            ],
        )
        return results


def _result(st: _Staged, linked: dict[int, list[tuple[int, int]]]) -> IngestResult:
    p = st.prepared
    if p.quarantine_reason:
        return IngestResult(
            status=QUARANTINED,
            raw_message_id=st.raw_id,
            content_hash=p.content_hash,
            format=p.format,
            findings=p.findings,
            deletions=p.deletions,
            messages=len(p.messages),
        )
    outcomes = [h.outcome() for h in st.pnr]
    flights: dict[int, list[int]] = {}
    for out in outcomes:
        if out.flight_id is not None:
            flights.setdefault(out.flight_id, []).extend(out.new_traveller_ids)
    apis = [h.outcome() for h in st.api]
    api_flights = {fid for api in apis for fid in api.flight_ids}
    for api in apis:
        for fid in api.flight_ids:
            flights.setdefault(fid, [])
        for api_id in api.api_traveller_ids:
            for fid, traveller_id in linked.get(api_id, ()):
                if traveller_id not in flights.setdefault(fid, []):
                    flights[fid].append(traveller_id)
    return IngestResult(
        status=STORED,
        raw_message_id=st.raw_id,
        content_hash=p.content_hash,
        format=p.format,
        messages=len(p.messages),
        bookings=sum(o.bookings for o in outcomes),
        new_versions=sum(o.new_versions for o in outcomes),
        unchanged=sum(o.unchanged for o in outcomes),
        cancelled=sum(o.cancelled for o in outcomes),
        api_travellers=sum(len(a.api_traveller_ids) for a in apis),
        travellers=sum(len(o.new_traveller_ids) for o in outcomes),
        flight_ids=tuple(flights),
        findings=p.findings,
        deletions=p.deletions,
        timings=Timings(parse=p.parse_s, minimise=p.minimise_s),
        # A flight of an API list is assessed even with no booked traveller to assess:
        # its API travellers that match no booking are screened on their own.
        assess=tuple(
            (fid, tuple(ids)) for fid, ids in flights.items() if ids or fid in api_flights
        ),
    )


def store_prepared(conn: Connection, p: Prepared, *, raw_id: int | None = None) -> IngestResult:
    """Store one prepared input inside the caller's transaction (a batch of one).

    With ``raw_id`` the input is already archived (a quarantine retry).
    """
    at = utcnow()
    batch = StagedBatch(conn)
    batch.add(p, at, raw_id)
    return batch.finish(at)[0]

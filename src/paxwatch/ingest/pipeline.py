"""The ingest pipeline: raw bytes → archive → read → minimise → store → assessment hook.

``ingest_bytes(store, data, source=..., name=...)``:

1. The SHA-256 of the bytes as received identifies the input. One received before is
   acknowledged as ``duplicate`` and nothing is stored again (a resend changes nothing).
2. ``read_message`` reads it (never trusted not to raise: a crash of a reader becomes an
   error finding and the input goes to quarantine).
3. ``privacy.minimise`` deletes non-Annex-I and sensitive data from every message.
4. In ONE transaction: the archived copy (with deleted data blanked, original hash kept),
   the deletion log, the booking versions / API lists (or the quarantine entry), the
   full-push bookkeeping and the API ↔ PNR correlation of the flights touched. A process
   killed at any point leaves either all of it or none of it, so re-sending after a crash
   stores every input exactly once.
5. After the commit, the assessment hooks (``paxwatch.ingest.hooks``) are called per
   flight with the traveller ids of the new versions.

An input is quarantined when it yields no readable booking and no API traveller (unknown
format, unreadable, a reader crash). A PNRGOV message that declares zero bookings
(``EQN+0``) and reads without error is stored, not quarantined: it is a valid empty push
(it never cancels anything).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from paxwatch.formats.reader import detect, read_message
from paxwatch.ingest import hooks
from paxwatch.model import (
    ApiMessage,
    Finding,
    Flight,
    Message,
    ParseResult,
    PnrMessage,
    Severity,
)
from paxwatch.privacy.minimise import (
    Deletion,
    MinimiseConfig,
    load_config,
    minimise_message,
    redact_raw,
)
from paxwatch.store import repository as repo
from paxwatch.store.batch import ApiHandle
from paxwatch.store.engine import Store
from paxwatch.store.keys import sha256_hex, utcnow
from paxwatch.store.repository import PnrHandle
from paxwatch.store.versions import BookingDigest, VersionRows, booking_digests, version_rows
from paxwatch.store.write import RawRow, archive_raws, reserve_raw_ids

STORED = "stored"
DUPLICATE = "duplicate"
QUARANTINED = "quarantined"
_ATTEMPTS = 4
#: Inputs stored per transaction by ``ingest_stream`` (``paxwatch ingest --batch``).
DEFAULT_BATCH = 200
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class Timings:
    """Seconds spent reading, minimising and storing one input."""

    parse: float = 0.0
    minimise: float = 0.0
    store: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestResult:
    """What became of one input. ``status``: ``stored``, ``duplicate`` or ``quarantined``."""

    status: str
    raw_message_id: int
    content_hash: str
    format: str | None = None
    messages: int = 0
    bookings: int = 0
    new_versions: int = 0
    unchanged: int = 0
    cancelled: int = 0
    api_travellers: int = 0
    travellers: int = 0
    flight_ids: tuple[int, ...] = ()
    findings: tuple[Finding, ...] = ()
    deletions: tuple[Deletion, ...] = ()
    timings: Timings = field(default_factory=Timings)
    assess: tuple[tuple[int, tuple[int, ...]], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestItem:
    """One input for ``ingest_many``."""

    data: bytes
    source: str
    name: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class _Prepared:
    """An input read and minimised, ready to store."""

    item: IngestItem
    content_hash: str
    format: str | None
    messages: tuple[Message, ...]
    findings: tuple[Finding, ...]
    deletions: tuple[Deletion, ...]
    body: bytes
    redacted: int
    quarantine_reason: str | None
    parse_s: float
    minimise_s: float
    digests: tuple[tuple[BookingDigest, ...], ...] = ()
    #: The ``version_rows`` of the bookings of ``digests`` when built beforehand (reader
    #: processes); then the messages come without their bookings.
    rows: tuple[tuple[VersionRows, ...], ...] | None = None


def _read(data: bytes) -> ParseResult:
    try:
        return read_message(data)
    except Exception as exc:  # a reader bug must not lose the input
        _log.exception("reader crashed")
        return ParseResult(
            findings=(
                Finding(
                    severity=Severity.ERROR,
                    code="reader-crashed",
                    message=f"the reader failed with {type(exc).__name__}: {exc}. "
                    "The input is kept in quarantine; retry it once the reader is fixed.",
                ),
            )
        )


def _readable(message: Message) -> bool:
    if isinstance(message, PnrMessage):
        return bool(message.bookings)
    return bool(message.travellers)


def _quarantine_reason(result: ParseResult, fmt: str | None) -> str | None:
    if fmt is None:
        return "unknown-format"
    if any(_readable(m) for m in result.messages):
        return None
    empty_push = [m for m in result.messages if isinstance(m, PnrMessage) and m.declared_count == 0]
    if empty_push and not result.has_errors:
        return None
    if any(f.code == "reader-crashed" for f in result.findings):
        return "reader-crashed"
    return "no-readable-booking"


def prepare(item: IngestItem, config: MinimiseConfig | None = None) -> _Prepared:
    """Read and minimise one input (no database)."""
    config = config or load_config()
    t0 = time.perf_counter()
    fmt = detect(item.data)
    result = _read(item.data)
    t1 = time.perf_counter()
    messages: list[Message] = []
    deletions: list[Deletion] = []
    texts: list[str] = []
    for message in result.messages:
        minimised = minimise_message(message, config)
        messages.append(minimised.message)
        deletions.extend(minimised.deletions)
        texts.extend(minimised.redactions)
    reason = _quarantine_reason(result, fmt)
    body, redacted = redact_raw(item.data, texts, config)
    digests = tuple(booking_digests(m) if isinstance(m, PnrMessage) else () for m in messages)
    t2 = time.perf_counter()
    return _Prepared(
        item=item,
        content_hash=sha256_hex(item.data),
        format=fmt,
        messages=tuple(messages),
        findings=result.findings,
        deletions=_merge(deletions),
        body=body,
        redacted=redacted,
        quarantine_reason=reason,
        parse_s=t1 - t0,
        minimise_s=t2 - t1,
        digests=digests,
    )


def _merge(deletions: Iterable[Deletion]) -> tuple[Deletion, ...]:
    totals: dict[tuple[str, str], int] = {}
    for d in deletions:
        totals[(d.category, d.element)] = totals.get((d.category, d.element), 0) + d.count
    return tuple(Deletion(category=c, element=e, count=n) for (c, e), n in sorted(totals.items()))


@dataclass(slots=True)
class _Staged:
    """A prepared input of the current transaction, its writes queued."""

    prepared: _Prepared
    raw_id: int
    at: datetime
    archived: bool
    pnr: list[PnrHandle] = field(default_factory=list)
    api: list[ApiHandle] = field(default_factory=list)


class _Batch:
    """The inputs of one transaction, written table by table at ``finish``.

    The raw rows are archived in one statement with their final status and counts (the
    batch is planned first, so they are known); ids come from ``reserve(n)``.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.writer = repo.BatchWriter(conn)
        self.staged: list[_Staged] = []
        self._ids: list[int] = []

    def reserve(self, count: int) -> None:
        """Reserve archive ids for ``count`` inputs about to be added."""
        self._ids.extend(reserve_raw_ids(self.conn, count))
        self._ids.reverse()

    def prefetch(self, prepared: Iterable[_Prepared], at: datetime) -> None:
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

    def add(self, p: _Prepared, at: datetime, raw_id: int | None = None) -> None:
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
        rows: tuple[tuple[VersionRows, ...] | None, ...] = p.rows or (None,) * len(p.messages)
        for message, digest, booking_rows in zip(p.messages, digests, rows, strict=True):
            if isinstance(message, PnrMessage):
                handle = self.writer.add_pnr(
                    message,
                    raw_id=raw_id,
                    at=at,
                    allow_cancel=allow_cancel,
                    digests=digest if p.digests else None,
                    rows=booking_rows,
                )
                staged.pnr.append(handle)
            elif isinstance(message, ApiMessage):
                staged.api.append(self.writer.add_api(message, raw_id=raw_id, at=at))

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


def store_prepared(conn: Connection, p: _Prepared, *, raw_id: int | None = None) -> IngestResult:
    """Store one prepared input inside the caller's transaction (a batch of one).

    With ``raw_id`` the input is already archived (a quarantine retry).
    """
    at = utcnow()
    batch = _Batch(conn)
    batch.add(p, at, raw_id)
    return batch.finish(at)[0]


def _with_timings(result: IngestResult, p: _Prepared, store_s: float) -> IngestResult:
    return replace(result, timings=Timings(parse=p.parse_s, minimise=p.minimise_s, store=store_s))


def _duplicate(raw_id: int, content_hash: str) -> IngestResult:
    return IngestResult(status=DUPLICATE, raw_message_id=raw_id, content_hash=content_hash)


def notify_hooks(results: Iterable[IngestResult]) -> None:
    """Call the assessment hooks for the new travellers of committed results."""
    if not hooks.registered():
        return
    for result in results:
        for flight_id, ids in result.assess:
            hooks.notify(flight_id, ids)


def _store_one(store: Store, p: _Prepared) -> IngestResult:
    """Store one prepared input in its own transaction, retrying on write conflicts."""
    for attempt in range(1, _ATTEMPTS + 1):
        t0 = time.perf_counter()
        try:
            with store.write() as conn:
                existing = repo.find_raw(conn, p.content_hash)
                if existing is not None:
                    return _duplicate(existing, p.content_hash)
                result = store_prepared(conn, p)
            return _with_timings(result, p, time.perf_counter() - t0)
        except (IntegrityError, DBAPIError) as exc:
            # Another worker stored the same input or the same booking concurrently, or
            # PostgreSQL reports a deadlock/serialisation failure: try again.
            if attempt == _ATTEMPTS or (
                not isinstance(exc, IntegrityError) and not _retryable(exc)
            ):
                raise
            _log.warning("write conflict, retrying", extra={"attempt": attempt})
            time.sleep(0.01 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _retryable(exc: DBAPIError) -> bool:
    code = getattr(exc.orig, "sqlstate", None)
    return code in ("40001", "40P01") or "database is locked" in str(exc.orig)


def ingest_bytes(
    store: Store,
    data: bytes,
    *,
    source: str,
    name: str | None = None,
    config: MinimiseConfig | None = None,
) -> IngestResult:
    """Ingest one input: archive, read, minimise, store (one transaction), then assess."""
    content_hash = sha256_hex(data)
    with store.read() as conn:
        existing = repo.find_raw(conn, content_hash)
    if existing is not None:
        return _duplicate(existing, content_hash)
    prepared = prepare(IngestItem(data=data, source=source, name=name), config)
    result = _store_one(store, prepared)
    notify_hooks([result])
    return result


def _known(store: Store, items: Sequence[IngestItem]) -> dict[str, int]:
    with store.read() as conn:
        return repo.find_raws(conn, [sha256_hex(item.data) for item in items])


def store_batch(store: Store, prepared: Sequence[_Prepared]) -> list[IngestResult]:
    """Store prepared inputs in one transaction; if that fails (a conflict with another
    writer), store each alone. Inputs repeated inside the batch are stored once."""
    try:
        t0 = time.perf_counter()
        with store.write() as conn:
            batch = _Batch(conn)
            batch.reserve(len({p.content_hash for p in prepared}))
            batch.prefetch(prepared, utcnow())
            seen: dict[str, int] = {}
            order: list[int | None] = []
            for p in prepared:
                if p.content_hash in seen:
                    order.append(None)
                    continue
                seen[p.content_hash] = len(batch.staged)
                order.append(len(batch.staged))
                batch.add(p, utcnow())
            stored = batch.finish(utcnow())
        elapsed = (time.perf_counter() - t0) / max(len(stored), 1)
        results = [
            _with_timings(stored[i], p, elapsed)
            if i is not None
            else _duplicate(stored[seen[p.content_hash]].raw_message_id, p.content_hash)
            for i, p in zip(order, prepared, strict=True)
        ]
    except (IntegrityError, DBAPIError):
        _log.warning("batch failed, storing its inputs one by one", exc_info=True)
        results = [_store_one(store, p) for p in prepared]
    notify_hooks(results)
    return results


def _merge_known(
    items: Sequence[IngestItem], known: dict[str, int], fresh: list[IngestResult]
) -> list[IngestResult]:
    done = iter(fresh)
    out = []
    for item in items:
        digest = sha256_hex(item.data)
        out.append(_duplicate(known[digest], digest) if digest in known else next(done))
    return out


def ingest_many(
    store: Store, items: Sequence[IngestItem], *, config: MinimiseConfig | None = None
) -> list[IngestResult]:
    """Ingest several inputs in one transaction (faster; still all-or-nothing per batch).

    Inputs already archived are acknowledged as duplicates without being read again.
    """
    config = config or load_config()
    known = _known(store, items)
    fresh = [i for i in items if sha256_hex(i.data) not in known]
    results = store_batch(store, [prepare(item, config) for item in fresh]) if fresh else []
    return _merge_known(items, known, results) if known else results


def _chunks(items: Iterable[IngestItem], size: int) -> Iterator[list[IngestItem]]:
    chunk: list[IngestItem] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ingest_stream(
    store: Store,
    items: Iterable[IngestItem],
    *,
    batch: int = DEFAULT_BATCH,
    jobs: int = 1,
    config: MinimiseConfig | None = None,
) -> Iterator[IngestResult]:
    """Ingest a stream of inputs in batches, yielding one result per input, in order.

    With ``jobs > 1`` the inputs are read and minimised in that many worker processes
    (which load the minimisation lists themselves, from the same environment) while this
    process stores earlier batches: each batch is split among the workers, and the next
    ``_AHEAD`` batches are being prepared while one is stored, so the single writer does
    not wait for parsing as long as the readers keep up.
    """
    if jobs <= 1:
        for chunk in _chunks(items, batch):
            yield from ingest_many(store, chunk, config=config)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[_Pending] = deque()
        for chunk in _chunks(items, batch):
            known = _known(store, chunk)
            fresh = [i for i in chunk if sha256_hex(i.data) not in known]
            size = -(-len(fresh) // jobs) if fresh else 1
            parts = [fresh[k : k + size] for k in range(0, len(fresh), size)]
            futures = [pool.submit(_prepare_list, part) for part in parts]
            pending.append(_Pending(chunk, known, fresh, futures))
            if len(pending) > _AHEAD:
                yield from _finish_stream(store, pending.popleft())
        while pending:
            yield from _finish_stream(store, pending.popleft())


#: Batches being read by the worker processes while the writer stores one.
_AHEAD = 2
_NO_DATA = b""


@dataclass(frozen=True, slots=True)
class _Pending:
    chunk: list[IngestItem]
    known: dict[str, int]
    fresh: list[IngestItem]
    futures: list[Future[list[_Prepared]]]


def _prepare_list(items: list[IngestItem]) -> list[_Prepared]:
    return [_for_writer(p) for p in map(prepare, items)]


def _for_writer(p: _Prepared) -> _Prepared:
    """What a reader process sends the writer: not the input bytes (the writer has them, see
    ``_finish_stream``), and the bookings as the rows they would store (``version_rows``)
    rather than as model objects, which cost the single writer more to unpickle than the
    rows cost the reader to build."""
    if p.quarantine_reason or not p.digests:
        return replace(p, item=replace(p.item, data=_NO_DATA))
    rows = tuple(
        tuple(version_rows(m.bookings[d[0]]) for d in digests) if isinstance(m, PnrMessage) else ()
        for m, digests in zip(p.messages, p.digests, strict=True)
    )
    messages = tuple(
        replace(m, bookings=()) if isinstance(m, PnrMessage) else m for m in p.messages
    )
    return replace(p, item=replace(p.item, data=_NO_DATA), messages=messages, rows=rows)


def _finish_stream(store: Store, pending: _Pending) -> list[IngestResult]:
    prepared = [p for future in pending.futures for p in future.result()]
    prepared = [replace(p, item=item) for p, item in zip(prepared, pending.fresh, strict=True)]
    known = pending.known
    # Inputs stored by an earlier batch since this one was sent to the readers (a resend
    # close behind the original): duplicates, rather than a failed batch stored one by one.
    late = _known(store, pending.fresh)
    if late:
        known = {**known, **late}
        prepared = [p for p in prepared if p.content_hash not in late]
    results = store_batch(store, prepared) if prepared else []
    return _merge_known(pending.chunk, known, results) if known else results

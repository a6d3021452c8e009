"""The ingest pipeline: raw bytes → archive → read → minimise → store → assessment hook.

``ingest_bytes(store, data, source=..., name=...)``:

1. The SHA-256 of the bytes as received identifies the input. One received before is
   acknowledged as ``duplicate`` and nothing is stored again (a resend changes nothing).
2. ``read_message`` reads it (never trusted not to raise: a crash of a reader becomes an
   error finding and the input goes to quarantine), see ``prepare.py``.
3. ``privacy.minimise`` deletes non-Annex-I and sensitive data from every message.
4. In ONE transaction (``transaction.py``): the archived copy (with deleted data blanked,
   original hash kept), the deletion log, the booking versions / API lists (or the
   quarantine entry), the full-push bookkeeping and the API ↔ PNR correlation of the
   flights touched. A process killed at any point leaves either all of it or none of it,
   so re-sending after a crash stores every input exactly once.
5. After the commit, the assessment hooks (``paxwatch.ingest.hooks``) are called per
   flight with the traveller ids of the new versions.

``ingest_many`` does the same for several inputs in one transaction; ``ingest_stream``
(``stream.py``) for a stream of inputs, in batches, optionally in several processes.

An input is quarantined when it yields no readable booking and no API traveller (unknown
format, unreadable, a reader crash). A PNRGOV message that declares zero bookings
(``EQN+0``) and reads without error is stored, not quarantined: it is a valid empty push
(it never cancels anything).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace

from sqlalchemy import Connection
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

from paxwatch.gcpause import gc_paused
from paxwatch.ingest import hooks
from paxwatch.ingest.prepare import Prepared, prepare
from paxwatch.ingest.results import (
    DUPLICATE,
    QUARANTINED,
    STORED,
    IngestItem,
    IngestResult,
    Timings,
    duplicate,
)
from paxwatch.ingest.transaction import StagedBatch, store_prepared
from paxwatch.model import Finding, Severity
from paxwatch.privacy.minimise import MinimiseConfig, load_config
from paxwatch.store import repository as repo
from paxwatch.store.early import EarlyKey, EarlyVersion
from paxwatch.store.engine import Store
from paxwatch.store.keys import sha256_hex, utcnow

__all__ = [
    "DEFAULT_BATCH",
    "DUPLICATE",
    "QUARANTINED",
    "STORED",
    "IngestItem",
    "IngestResult",
    "Prepared",
    "Timings",
    "gc_paused",
    "ingest_bytes",
    "ingest_many",
    "notify_hooks",
    "prepare",
    "store_batch",
    "store_prepared",
]

_ATTEMPTS = 4
#: Inputs stored per transaction by ``ingest_stream`` (``paxwatch ingest --batch``).
DEFAULT_BATCH = 200
_log = logging.getLogger(__name__)


def _with_timings(result: IngestResult, p: Prepared, wall: float, cpu: float) -> IngestResult:
    timings = Timings(parse=p.parse_s, minimise=p.minimise_s, store=wall, store_cpu=cpu)
    return replace(result, timings=timings)


def notify_hooks(results: Iterable[IngestResult]) -> None:
    """Call the assessment hooks for the new travellers of committed results."""
    if not hooks.registered():
        return
    for result in results:
        for flight_id, ids in result.assess:
            hooks.notify(flight_id, ids)


_STATEMENT = re.compile(r"\s*(INSERT INTO|COPY|UPDATE|DELETE FROM)\s+\"?(\w+)", re.IGNORECASE)


def refused(p: Prepared, exc: DBAPIError) -> Prepared:
    """``p`` for quarantine: the database refused to store it (a value it does not accept,
    however the reader let it through). The finding says what the database said and where,
    never the values (``Store`` engines hide statement parameters)."""
    said = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
    diag = getattr(exc.orig, "diag", None)
    context = str(getattr(diag, "context", None) or "").strip().splitlines()
    # PostgreSQL quotes the value after ": " ("invalid input syntax for type date: "...""; a
    # text COPY's context "COPY t, line 3, column c: "...""): what precedes it is kept.
    said = said.split(': "')[0]
    if context:
        where = f" ({context[0].split(': ')[0]})"
    elif found := _STATEMENT.match(str(exc.statement or "")):
        where = f" ({found.group(1).upper()} {found.group(2)})"
    else:
        where = ""
    finding = Finding(
        severity=Severity.ERROR,
        code="store-refused",
        message=(
            f"the database refused to store the input: {said}{where}. It is kept in "
            "quarantine; retry it (paxwatch quarantine retry) once the reader or the schema "
            "accepts it."
        ),
    )
    return replace(p, quarantine_reason="store-refused", findings=(*p.findings, finding))


def _store_one(store: Store, p: Prepared) -> IngestResult:
    """Store one prepared input in its own transaction, retrying on write conflicts. An
    input whose values the database refuses (``DataError``: a value too long or out of
    range; an ``IntegrityError`` at every attempt) is quarantined with the database's
    reason (``refused``): it neither stops the pipeline nor vanishes."""
    for attempt in range(1, _ATTEMPTS + 1):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            with store.write() as conn:
                existing = repo.find_raw(conn, p.content_hash)
                if existing is not None:
                    return duplicate(existing, p.content_hash)
                result = store_prepared(conn, p)
            return _with_timings(result, p, time.perf_counter() - t0, time.process_time() - c0)
        except (IntegrityError, DBAPIError) as exc:
            # Another worker stored the same input or the same booking concurrently, or
            # PostgreSQL reports a deadlock/serialisation failure: try again.
            if attempt < _ATTEMPTS and (isinstance(exc, IntegrityError) or _retryable(exc)):
                _log.warning("write conflict, retrying", extra={"attempt": attempt})
                time.sleep(0.01 * attempt)
                continue
            if p.quarantine_reason or not isinstance(exc, (DataError, IntegrityError)):
                raise  # not the input's values (the store is down, say), or not even its
                # quarantine entry could be stored: the store is at fault, not the input
            _log.warning(
                "the database refused an input; it goes to quarantine",
                extra={"content_hash": p.content_hash, "error": type(exc.orig).__name__},
            )
            return _store_one(store, refused(p, exc))
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
        return duplicate(existing, content_hash)
    prepared = prepare(IngestItem(data=data, source=source, name=name), config)
    result = _store_one(store, prepared)
    notify_hooks([result])
    return result


def known(store: Store, items: Sequence[IngestItem]) -> dict[str, int]:
    """The archive ids of those inputs that were received before, by content hash."""
    return known_hashes(store, [sha256_hex(item.data) for item in items])


def known_hashes(store: Store, hashes: Sequence[str]) -> dict[str, int]:
    """``known`` of inputs whose content hashes are known already (``Prepared``)."""
    with store.read() as conn:
        return repo.find_raws(conn, hashes)


def store_batch(
    store: Store, prepared: Sequence[Prepared], *, notify: bool = True
) -> list[IngestResult]:
    """Store prepared inputs in one transaction; if that fails (a conflict with another
    writer), store each alone. Inputs repeated inside the batch are stored once.

    ``notify=False``: the caller calls ``notify_hooks`` itself (in another process).
    """
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        with store.write() as conn:
            results = write_batch(conn, prepared)
        results = with_timings(results, prepared, t0, c0)
    except (IntegrityError, DBAPIError):
        _log.warning("batch failed, storing its inputs one by one", exc_info=True)
        results = store_each(store, prepared)
    if notify:
        notify_hooks(results)
    return results


def store_each(store: Store, prepared: Sequence[Prepared]) -> list[IngestResult]:
    """Store prepared inputs one by one, each in its own transaction (after a failed batch)."""
    return [_store_one(store, p) for p in prepared]


def write_batch(
    conn: Connection,
    prepared: Sequence[Prepared],
    early: Mapping[EarlyKey, EarlyVersion] | None = None,
) -> list[IngestResult]:
    """Store prepared inputs inside the caller's transaction, one result per input (inputs
    repeated inside the batch are stored once). ``early``: rows inserted in this
    transaction beforehand (``store.early``)."""
    batch = StagedBatch(conn, early)
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
    return [
        stored[i]
        if i is not None
        else duplicate(stored[seen[p.content_hash]].raw_message_id, p.content_hash)
        for i, p in zip(order, prepared, strict=True)
    ]


def with_timings(
    results: Sequence[IngestResult], prepared: Sequence[Prepared], t0: float, c0: float
) -> list[IngestResult]:
    """``results`` of ``write_batch`` with their timings: the stored ones share the wall
    and CPU time since ``t0`` and ``c0``."""
    share = max(sum(r.status != DUPLICATE for r in results), 1)
    wall = (time.perf_counter() - t0) / share
    cpu = (time.process_time() - c0) / share
    return [
        r if r.status == DUPLICATE else _with_timings(r, p, wall, cpu)
        for r, p in zip(results, prepared, strict=True)
    ]


def merge_known(
    items: Sequence[IngestItem], found: dict[str, int], fresh: list[IngestResult]
) -> list[IngestResult]:
    """The results of ``items`` in order: ``fresh`` for the inputs not in ``found`` (those
    received before, acknowledged as duplicates)."""
    done = iter(fresh)
    out = []
    for item in items:
        digest = sha256_hex(item.data)
        out.append(duplicate(found[digest], digest) if digest in found else next(done))
    return out


def ingest_many(
    store: Store,
    items: Sequence[IngestItem],
    *,
    config: MinimiseConfig | None = None,
    notify: bool = True,
) -> list[IngestResult]:
    """Ingest several inputs in one transaction (faster; still all-or-nothing per batch).

    Inputs already archived are acknowledged as duplicates without being read again.
    The assessment hooks (``notify``) run after the batch, with the collector back on.
    """
    config = config or load_config()
    with gc_paused():
        found = known(store, items)
        fresh = [i for i in items if sha256_hex(i.data) not in found]
        prepared = [prepare(item, config) for item in fresh]
        results = store_batch(store, prepared, notify=False) if fresh else []
    if notify:
        notify_hooks(results)
    return merge_known(items, found, results) if found else results


def chunks(items: Iterable[IngestItem], size: int) -> Iterator[list[IngestItem]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    chunk: list[IngestItem] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

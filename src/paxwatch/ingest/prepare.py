"""Reading and minimising one input, before any database work (``prepare``).

``prepare`` never raises on bad input: a crash of a reader becomes an error finding and the
input goes to quarantine. It also computes what the writer would otherwise compute inside
its transaction: the content hash of the input, the redacted archive copy, and the canonical
content and hash of every booking (``booking_digests``), from which the writer decides
whether a push is a new version.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from sqlalchemy import Connection

from paxwatch.formats.reader import detect, read_message
from paxwatch.ingest.results import IngestItem
from paxwatch.model import ApiMessage, Finding, Message, ParseResult, PnrMessage, Severity
from paxwatch.privacy.minimise import (
    Deletion,
    MinimiseConfig,
    load_config,
    minimise_message,
)
from paxwatch.privacy.redact import redact_raw
from paxwatch.store.api_write import api_contents
from paxwatch.store.early import (
    EarlyCandidate,
    EarlyKey,
    EarlyVersion,
    insert_early,
    select_states,
)
from paxwatch.store.engine import Store
from paxwatch.store.keys import sha256_hex
from paxwatch.store.versions import (
    BookingDigest,
    VersionRows,
    booking_digests,
    current_digests,
    in_database_form,
    version_rows,
)

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class Prepared:
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
    #: ``booking_digests`` of each message (empty for PAXLST messages).
    digests: tuple[tuple[BookingDigest, ...], ...] = ()
    #: Per message, the ``version_rows`` built beforehand, by booking index (``prebuild``).
    rows: tuple[dict[int, VersionRows], ...] = ()
    #: ``api_contents`` of each message (empty for PNRGOV messages).
    api_contents: tuple[tuple[str, ...], ...] = ()


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


def quarantine_reason(result: ParseResult, fmt: str | None) -> str | None:
    """Why an input goes to quarantine (None: it is stored)."""
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


def prepare(item: IngestItem, config: MinimiseConfig | None = None) -> Prepared:
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
    reason = quarantine_reason(result, fmt)
    body, redacted = redact_raw(item.data, texts, config)
    digests = tuple(booking_digests(m) if isinstance(m, PnrMessage) else () for m in messages)
    contents = tuple(api_contents(m) if isinstance(m, ApiMessage) else () for m in messages)
    t2 = time.perf_counter()
    return Prepared(
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
        api_contents=contents,
    )


def _merge(deletions: Iterable[Deletion]) -> tuple[Deletion, ...]:
    totals: dict[tuple[str, str], int] = {}
    for d in deletions:
        totals[(d.category, d.element)] = totals.get((d.category, d.element), 0) + d.count
    return tuple(Deletion(category=c, element=e, count=n) for (c, e), n in sorted(totals.items()))


def prebuild(store: Store, prepared: list[Prepared]) -> list[Prepared]:
    """``prepared`` with the ``version_rows`` of the bookings that differ from their stored
    current version (those that will be new versions, unless an earlier batch still in
    flight changes them), built now: outside the write transaction, which then only
    inserts them (their values already in the database's form, ``in_database_form``). One
    read query; unchanged bookings cost nothing more."""
    keys = list({d[1] for p in prepared for digests in p.digests for d in digests})
    if not keys:
        return prepared
    with store.read() as conn:
        stored = current_digests(conn, keys)
    dialect = store.engine.dialect
    out = []
    for p in prepared:
        if not any(p.digests):
            out.append(p)
            continue
        rows = tuple(
            {
                index: in_database_form(dialect, version_rows(m.bookings[index]))
                for index, key, _content, digest in digests
                if stored.get(key) != digest
            }
            if isinstance(m, PnrMessage)
            else {}
            for m, digests in zip(p.messages, p.digests, strict=True)
        )
        out.append(replace(p, rows=rows))
    return out


def stage_early(
    conn: Connection, prepared: list[Prepared], claimed: Mapping[str, int] | None = None
) -> tuple[list[Prepared], dict[EarlyKey, EarlyVersion]]:
    """PostgreSQL, in a batch's write transaction before its turn (``store.early``):
    ``prepared`` with the ``version_rows`` of the bookings that will be new versions given
    what is committed now (as ``BatchWriter`` decides: in input order, each booking against
    its current version or its previous new version in the batch), and those rows inserted.
    Quarantined inputs and inputs repeated in the batch are left out, as the writer does.
    ``claimed``: the ids that earlier batches not yet committed gave the bookings they
    create (``store.early.insert_early``)."""
    keys = list({d[1] for p in prepared if not p.quarantine_reason for ds in p.digests for d in ds})
    if not keys:
        return prepared, {}
    states = select_states(conn, keys)
    last: dict[str, str | None] = {key: state.digest for key, state in states.items()}
    seen: set[str] = set()
    candidates: list[EarlyCandidate] = []
    out = []
    for p in prepared:
        if p.quarantine_reason or not any(p.digests) or p.content_hash in seen:
            seen.add(p.content_hash)
            out.append(p)
            continue
        seen.add(p.content_hash)
        rows: list[dict[int, VersionRows]] = []
        for at, (m, digests) in enumerate(zip(p.messages, p.digests, strict=True)):
            built: dict[int, VersionRows] = {}
            rows.append(built)
            if not isinstance(m, PnrMessage):
                continue
            for index, key, _content, digest in digests:
                if last.get(key) == digest:
                    continue
                last[key] = digest
                built[index] = version_rows(m.bookings[index])
                state = states.get(key)
                candidates.append(
                    EarlyCandidate(
                        (p.content_hash, at, index),
                        key,
                        state.id if state is not None else None,
                        built[index],
                    )
                )
        out.append(replace(p, rows=tuple(rows)))
    return out, insert_early(conn, candidates, claimed)

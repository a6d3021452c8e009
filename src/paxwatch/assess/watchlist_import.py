"""Imports of watch-list files: each import is a new version recording what changed.

Each import of a file is a new *version* (``watchlist_version``): the entries read are
compared with the current entries (``watchlists.diff.diff_lists``) and the version records
how many were added, changed, removed and unchanged. Entries are kept per version
(``watchlist_entry``: a changed entry closes its old row and adds a new one), so a hit can
always be explained by the entry as it was. Hits still unreviewed on removed entries are
closed. Re-screening the stored travellers against the added and changed entries is
``paxwatch.assess.screen.rescreen`` (the CLI runs it after an import of an active list).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, func, select, update

from paxwatch.assess.hits import close_entries
from paxwatch.assess.watchlist_sources import (
    ListFormat,
    SourceError,
    SourceMeta,
    meta_problems,
    register_source,
)
from paxwatch.model.jsonable import from_jsonable, to_jsonable
from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.privacy import audit
from paxwatch.screening.watchlists import eu, national, ofac, un
from paxwatch.screening.watchlists.common import ImportReport
from paxwatch.screening.watchlists.diff import ListDiff, diff_lists
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportOutcome:
    """What an import did: the new version, the difference, the problems of the file."""

    source_id: str
    version_id: int
    version_no: int
    read: int
    imported: int
    skipped: int
    problems: tuple[str, ...]
    added: int
    changed: int
    removed: int
    unchanged: int
    closed_hits: int
    active: bool
    to_rescreen: tuple[WatchlistEntry, ...]


def read_list(path: Path, fmt: ListFormat, source_id: str) -> ImportReport:
    """Read a list file with the importer of ``fmt`` (bad records skipped and reported)."""
    if fmt is ListFormat.UN:
        return un.read_un_xml(path)
    if fmt is ListFormat.OFAC_CSV:
        return ofac.read_ofac_csv(path)
    if fmt is ListFormat.OFAC_XML:
        return ofac.read_ofac_xml(path)
    if fmt is ListFormat.EU:
        return eu.read_eu_csv(path) if path.suffix.lower() == ".csv" else eu.read_eu_xml(path)
    if fmt is ListFormat.NATIONAL_CSV:
        return national.read_national_csv(path, source_id)
    if fmt is ListFormat.NATIONAL_DOCUMENTS:
        return national.read_national_csv(path, source_id, documents=True)
    return national.read_jsonl(path, source_id)


def _entry_row(entry: WatchlistEntry, version_id: int) -> dict[str, object]:
    content = json.dumps(to_jsonable(entry), ensure_ascii=False, sort_keys=True)
    return {
        "source_id": entry.source,
        "entry_id": entry.entry_id,
        "kind": entry.kind,
        "content": content,
        "digest": hashlib.sha256(content.encode()).hexdigest(),
        "added_version_id": version_id,
    }


def _current_rows(conn: Connection, source_id: str) -> dict[str, tuple[int, WatchlistEntry]]:
    we = sa_.watchlist_entry
    query = select(we.c.id, we.c.content).where(
        we.c.source_id == source_id, we.c.removed_version_id.is_(None)
    )
    out: dict[str, tuple[int, WatchlistEntry]] = {}
    for row_id, content in conn.execute(query):
        entry = from_jsonable(WatchlistEntry, json.loads(content))
        out[entry.entry_id] = (row_id, entry)
    return out


def _close_rows(conn: Connection, row_ids: Sequence[int], version_id: int) -> None:
    we = sa_.watchlist_entry
    for start in range(0, len(row_ids), 500):
        conn.execute(
            update(we)
            .where(we.c.id.in_(row_ids[start : start + 500]))
            .values(removed_version_id=version_id)
        )


def _new_version(
    conn: Connection,
    source_id: str,
    diff: ListDiff,
    entries: int,
    report: ImportReport | None,
    at: datetime,
    provenance: tuple[str | None, str | None, str | None, str | None],
) -> tuple[int, int]:
    wv = sa_.watchlist_version
    number = (
        conn.execute(
            select(func.max(wv.c.version_no)).where(wv.c.source_id == source_id)
        ).scalar_one_or_none()
        or 0
    ) + 1
    fmt, file_name, file_hash, by = provenance
    result = conn.execute(
        wv.insert()
        .values(
            source_id=source_id,
            version_no=number,
            imported_at=at,
            imported_by=by,
            format=fmt,
            file_name=file_name,
            file_hash=file_hash,
            entries=entries,
            added=len(diff.added),
            changed=len(diff.changed),
            removed=len(diff.removed),
            unchanged=diff.unchanged,
            skipped=(report.skipped_entities + report.skipped_invalid) if report else 0,
            problems=len(report.problems) if report else 0,
        )
        .returning(wv.c.id)
    )
    return int(result.scalar_one()), number


def import_entries(
    store: Store,
    source_id: str,
    entries: Sequence[WatchlistEntry],
    *,
    meta: SourceMeta | None = None,
    report: ImportReport | None = None,
    fmt: str | None = None,
    file_name: str | None = None,
    file_hash: str | None = None,
    by: str | None = None,
) -> ImportOutcome:
    """Store ``entries`` as the new version of ``source_id`` (one transaction).

    Entries take ``source_id`` as their source; an entry id given twice keeps its last
    record. The difference with the current version is recorded; unreviewed hits of
    removed entries are closed.
    """
    at = utcnow()
    unique: dict[str, WatchlistEntry] = {}
    for entry in entries:
        unique[entry.entry_id] = replace(entry, source=source_id)
    with store.write() as conn:
        register_source(conn, source_id, meta or SourceMeta(), at)
        current = _current_rows(conn, source_id)
        diff = diff_lists((e for _i, e in current.values()), unique.values())
        version_id, number = _new_version(
            conn,
            source_id,
            diff,
            len(unique),
            report,
            at,
            (fmt, file_name, file_hash, by),
        )
        stale = [current[old.entry_id][0] for old, _new in diff.changed]
        stale += [current[e.entry_id][0] for e in diff.removed]
        _close_rows(conn, stale, version_id)
        rows = [_entry_row(e, version_id) for e in diff.to_rescreen]
        if rows:
            conn.execute(sa_.watchlist_entry.insert(), rows)
        ws = sa_.watchlist_source
        conn.execute(update(ws).where(ws.c.id == source_id).values(current_version_id=version_id))
        closed = close_entries(conn, source_id, [e.entry_id for e in diff.removed], at)
        active = bool(conn.execute(select(ws.c.active).where(ws.c.id == source_id)).scalar_one())
        audit.record(
            conn,
            audit.WatchlistChangeEvent(
                actor=by or "system",
                source_id=source_id,
                action="imported",
                version_no=number,
                entries=len(unique),
            ),
        )
    return ImportOutcome(
        source_id=source_id,
        version_id=version_id,
        version_no=number,
        read=report.read if report else len(entries),
        imported=len(unique),
        skipped=(report.skipped_entities + report.skipped_invalid) if report else 0,
        problems=tuple(f"{p.record}: {p.message}" for p in report.problems) if report else (),
        added=len(diff.added),
        changed=len(diff.changed),
        removed=len(diff.removed),
        unchanged=diff.unchanged,
        closed_hits=closed,
        active=active,
        to_rescreen=diff.to_rescreen,
    )


def import_file(
    store: Store,
    path: Path,
    source_id: str,
    fmt: ListFormat,
    *,
    meta: SourceMeta | None = None,
    by: str | None = None,
) -> ImportOutcome:
    """Read ``path`` with the importer of ``fmt`` and store it as a new version."""
    problems = meta_problems(meta or SourceMeta())
    if problems:
        raise SourceError(source_id, problems)
    report = read_list(path, fmt, source_id)
    if not report.entries and report.problems:
        raise SourceError(source_id, [f"{p.record}: {p.message}" for p in report.problems[:5]])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return import_entries(
        store,
        source_id,
        report.entries,
        meta=meta,
        report=report,
        fmt=fmt.value,
        file_name=path.name,
        file_hash=digest,
        by=by,
    )

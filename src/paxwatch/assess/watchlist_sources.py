"""Watch-list sources in the store: registry, activation, current versions and entries.

A *source* is one list the PIU may screen against (``watchlist_source``): its id is the
``source`` of every entry and hit. It records type (persons/objects sought or under
alert), owner, legal basis and offence category; until all four are recorded it cannot be
activated (``ListSource.can_activate``, CJEU C-817/19), and only active sources screen.
Imports are ``watchlist_import``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.sql import Select

from paxwatch.model.jsonable import from_jsonable
from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.privacy import audit
from paxwatch.screening.watchlists.registry import ListSource, ListType, OffenceCategory
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow


class ListFormat(StrEnum):
    """File formats ``paxwatch watchlist import`` reads."""

    UN = "un"
    OFAC_CSV = "ofac-csv"
    OFAC_XML = "ofac-xml"
    EU = "eu"
    NATIONAL_CSV = "national-csv"
    NATIONAL_DOCUMENTS = "national-documents"
    NATIONAL_JSONL = "national-jsonl"


class SourceError(ValueError):
    """A source cannot be registered, imported into or activated; ``problems`` say why."""

    def __init__(self, source_id: str, problems: Sequence[str]) -> None:
        super().__init__(f"list {source_id}: " + "; ".join(problems))
        self.source_id = source_id
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceMeta:
    """What an operator records about a source; None leaves the stored value unchanged."""

    name: str | None = None
    type: str | None = None
    owner: str | None = None
    legal_basis: str | None = None
    offence_category: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceInfo:
    """A registered source, its current version and whether it may be activated."""

    id: str
    name: str
    type: str | None
    owner: str | None
    legal_basis: str | None
    offence_category: str | None
    active: bool
    version_no: int | None
    entries: int
    created_at: datetime
    activated_at: datetime | None
    activated_by: str | None
    activation_problems: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionInfo:
    """One import of a source."""

    id: int
    version_no: int
    imported_at: datetime
    imported_by: str | None
    format: str | None
    file_name: str | None
    entries: int
    added: int
    changed: int
    removed: int
    unchanged: int
    skipped: int
    problems: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ActiveLists:
    """The active sources and their current versions; ``digest`` names the set."""

    digest: str
    versions: tuple[tuple[str, int], ...]

    @property
    def empty(self) -> bool:
        return not self.versions


def meta_problems(meta: SourceMeta) -> list[str]:
    """What is missing or wrong in ``meta`` before a source may be registered."""
    problems = []
    if meta.type is not None and meta.type not in {t.value for t in ListType}:
        problems.append(f"type {meta.type!r} is not one of {', '.join(t.value for t in ListType)}")
    if meta.offence_category is not None and meta.offence_category not in {
        c.value for c in OffenceCategory
    }:
        problems.append(
            f"offence category {meta.offence_category!r} is not terrorism or an Annex II "
            "category (see paxwatch.screening.watchlists.registry.OffenceCategory)"
        )
    return problems


def _list_source(row: object) -> ListSource:
    type_ = getattr(row, "type", None)
    offence = getattr(row, "offence_category", None)
    return ListSource(
        id=getattr(row, "id", ""),
        name=getattr(row, "name", ""),
        type=ListType(type_) if type_ in {t.value for t in ListType} else None,
        owner=getattr(row, "owner", None),
        legal_basis=getattr(row, "legal_basis", None),
        offence_category=OffenceCategory(offence)
        if offence in {c.value for c in OffenceCategory}
        else None,
        active=bool(getattr(row, "active", False)),
    )


def register_source(
    conn: Connection, source_id: str, meta: SourceMeta, at: datetime | None = None
) -> None:
    """Create the source or update the fields ``meta`` gives (raises :class:`SourceError`)."""
    problems = meta_problems(meta)
    if not source_id.strip():
        problems.append("the source id is empty")
    if problems:
        raise SourceError(source_id, problems)
    values = {
        k: v
        for k, v in (
            ("name", meta.name),
            ("type", meta.type),
            ("owner", meta.owner),
            ("legal_basis", meta.legal_basis),
            ("offence_category", meta.offence_category),
        )
        if v is not None
    }
    ws = sa_.watchlist_source
    exists = conn.execute(select(ws.c.id).where(ws.c.id == source_id)).first()
    if exists is None:
        conn.execute(
            ws.insert().values(
                id=source_id,
                active=False,
                created_at=at or utcnow(),
                **{"name": source_id, **values},
            )
        )
    elif values:
        conn.execute(update(ws).where(ws.c.id == source_id).values(**values))


def _source_query() -> Select[Any]:
    ws, wv, we = sa_.watchlist_source, sa_.watchlist_version, sa_.watchlist_entry
    counts = (
        select(we.c.source_id, func.count().label("n"))
        .where(we.c.removed_version_id.is_(None))
        .group_by(we.c.source_id)
        .subquery()
    )
    return (
        select(ws, wv.c.version_no, counts.c.n)
        .outerjoin(wv, wv.c.id == ws.c.current_version_id)
        .outerjoin(counts, counts.c.source_id == ws.c.id)
        .order_by(ws.c.id)
    )


def _source_info(row: object) -> SourceInfo:
    return SourceInfo(
        id=getattr(row, "id", ""),
        name=getattr(row, "name", ""),
        type=getattr(row, "type", None),
        owner=getattr(row, "owner", None),
        legal_basis=getattr(row, "legal_basis", None),
        offence_category=getattr(row, "offence_category", None),
        active=bool(getattr(row, "active", False)),
        version_no=getattr(row, "version_no", None),
        entries=int(getattr(row, "n", None) or 0),
        created_at=getattr(row, "created_at", datetime.min),
        activated_at=getattr(row, "activated_at", None),
        activated_by=getattr(row, "activated_by", None),
        activation_problems=tuple(_list_source(row).activation_problems()),
    )


def list_sources(conn: Connection) -> list[SourceInfo]:
    """Every registered source with its current version and entry count."""
    query = _source_query()
    return [_source_info(row) for row in conn.execute(query)]


def get_source(conn: Connection, source_id: str) -> SourceInfo | None:
    """One source, or None."""
    for info in list_sources(conn):
        if info.id == source_id:
            return info
    return None


def source_versions(conn: Connection, source_id: str) -> list[VersionInfo]:
    """The imports of a source, latest first."""
    wv = sa_.watchlist_version
    query = select(wv).where(wv.c.source_id == source_id).order_by(wv.c.version_no.desc())
    return [
        VersionInfo(
            id=r.id,
            version_no=r.version_no,
            imported_at=r.imported_at,
            imported_by=r.imported_by,
            format=r.format,
            file_name=r.file_name,
            entries=r.entries,
            added=r.added,
            changed=r.changed,
            removed=r.removed,
            unchanged=r.unchanged,
            skipped=r.skipped,
            problems=r.problems,
        )
        for r in conn.execute(query)
    ]


def set_active(store: Store, source_id: str, active: bool, by: str | None = None) -> SourceInfo:
    """Activate (or deactivate) a source; activation is refused with the reasons while
    type, owner, legal basis or offence category is missing, or when nothing was imported."""
    ws = sa_.watchlist_source
    with store.write() as conn:
        row = conn.execute(select(ws).where(ws.c.id == source_id)).first()
        if row is None:
            raise SourceError(source_id, ["no such list"])
        if active:
            problems = _list_source(row).activation_problems()
            if row.current_version_id is None:
                problems.append("nothing was imported")
            if problems:
                raise SourceError(source_id, problems)
        conn.execute(
            update(ws)
            .where(ws.c.id == source_id)
            .values(
                active=active,
                activated_at=utcnow() if active else None,
                activated_by=by if active else None,
            )
        )
        audit.record(
            conn,
            audit.WatchlistChangeEvent(
                actor=by or "system",
                source_id=source_id,
                action="activated" if active else "deactivated",
            ),
        )
        info = get_source(conn, source_id)
    assert info is not None
    return info


def active_lists(conn: Connection) -> ActiveLists:
    """The active sources with their current version ids, and a digest naming the set."""
    ws = sa_.watchlist_source
    rows = conn.execute(
        select(ws.c.id, ws.c.current_version_id)
        .where(ws.c.active.is_(True), ws.c.current_version_id.is_not(None))
        .order_by(ws.c.id)
    ).all()
    versions = tuple((str(r[0]), int(r[1])) for r in rows)
    digest = hashlib.sha256(json.dumps(versions).encode()).hexdigest()
    return ActiveLists(digest=digest, versions=versions)


def current_entries(conn: Connection, source_ids: Sequence[str]) -> list[WatchlistEntry]:
    """The current entries of the given sources."""
    we = sa_.watchlist_entry
    if not source_ids:
        return []
    query = (
        select(we.c.content)
        .where(we.c.source_id.in_(list(source_ids)), we.c.removed_version_id.is_(None))
        .order_by(we.c.id)
    )
    return [from_jsonable(WatchlistEntry, json.loads(c)) for (c,) in conn.execute(query)]

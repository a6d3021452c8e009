"""Hit records: one row per automated result, watch-list match or rule hit.

Every hit stores what produced it (list entry or rule id + version), the score, every
feature or condition with the value it saw, the algorithm version, and a fingerprint:

- watch list: SHA-256 of ``suppression.fingerprint(match)`` (list source, entry id, digest
  of the traveller's screened data, digest of the entry). A hit a human dismissed is not
  raised again for the same traveller identity and the same entry unless either side
  changed (Directive Art 12(5)); such matches are stored with status ``suppressed``.
- rule: SHA-256 of rule id, version, flight, the traveller's screened data digest and the
  values the conditions saw.

A booking is pushed several times (T-72 … T0); each push that changes it stores new
traveller rows. A result whose fingerprint is already stored for the same booking and
flight is not stored again, so one person on one flight makes one hit per entry or rule
until the data changes.

Statuses: ``new`` (to review), ``suppressed`` (matches a dismissed hit), ``closed`` (the
entry left the list before review), ``superseded`` (a later push of the same traveller
replaced the data it was found on, see ``run.supersede``), ``dismissed`` (set by the
review issue; tests set it directly).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, func, select, update

from paxwatch.screening.score import Match
from paxwatch.screening.suppression import HitFingerprint
from paxwatch.store import schema_assess as sa_

_CHUNK = 500

FeatureValue = float | str | bool | list[str] | None


class HitKind(StrEnum):
    WATCHLIST = "watchlist"
    RULE = "rule"


class HitStatus(StrEnum):
    """Where a hit stands. ``new`` → ``in_review`` → ``confirmed`` / ``dismissed`` are set by
    human review (``paxwatch.review``); ``suppressed``, ``superseded`` and ``closed`` by the
    assessment itself."""

    NEW = "new"
    IN_REVIEW = "in_review"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    SUPPRESSED = "suppressed"
    CLOSED = "closed"
    SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True, kw_only=True)
class HitFeature:
    """A scored feature (watch list: value × weight = contribution, with why) or a rule
    condition (``name`` = its text, ``field``, the ``value`` seen and whether it ``held``)."""

    name: str
    value: FeatureValue
    weight: float | None = None
    contribution: float | None = None
    detail: str = ""
    field: str | None = None
    held: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NewHit:
    """A hit to store."""

    kind: HitKind
    traveller_id: int | None
    booking_id: int | None
    flight_id: int
    score: float
    features: tuple[HitFeature, ...]
    algorithm_version: str
    fingerprint: str
    source_id: str | None = None
    entry_id: str | None = None
    rule_id: str | None = None
    rule_version: int | None = None
    listed_name: str | None = None
    subject_name: str | None = None
    offence: str | None = None
    subject_digest: str | None = None
    entry_digest: str | None = None
    status: HitStatus = HitStatus.NEW
    api_traveller_id: int | None = None
    """The API traveller screened on its own (no booked traveller: ``traveller_id`` and
    ``booking_id`` None), see ``paxwatch.assess.api_only``."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A result before storing: the hit, and the watch-list match it came from (for the
    suppression check), None for rule hits."""

    hit: NewHit
    match: Match | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HitRecord:
    """A stored hit."""

    id: int
    kind: HitKind
    traveller_id: int | None
    booking_id: int | None
    flight_id: int
    source_id: str | None
    entry_id: str | None
    rule_id: str | None
    rule_version: int | None
    score: float
    features: tuple[HitFeature, ...]
    listed_name: str | None
    subject_name: str | None
    offence: str | None
    algorithm_version: str
    fingerprint: str
    status: HitStatus
    created_at: datetime
    api_traveller_id: int | None = None

    @property
    def api_only(self) -> bool:
        """Raised on an API traveller that matches no booking (no booked traveller)."""
        return self.traveller_id is None and self.api_traveller_id is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class TravellerHits:
    """The hits of one traveller row on one flight, best score first."""

    traveller_id: int | None
    booking_id: int | None
    flight_id: int
    hits: tuple[HitRecord, ...]

    @property
    def best_score(self) -> float:
        return max(h.score for h in self.hits)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredFingerprint:
    """A fingerprint already stored, where and in which status."""

    fingerprint: str
    booking_id: int | None
    flight_id: int
    status: HitStatus
    watchlist: HitFingerprint | None


def digest_fingerprint(fp: HitFingerprint) -> str:
    """The stored form of a watch-list fingerprint (SHA-256 of its four parts)."""
    text = "\x1f".join((fp.source, fp.entry_id, fp.subject_digest, fp.entry_digest))
    return hashlib.sha256(text.encode()).hexdigest()


def digest_values(*parts: object) -> str:
    """SHA-256 of JSON of ``parts`` (rule fingerprints)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _feature_json(f: HitFeature) -> dict[str, Any]:
    data: dict[str, Any] = {"name": f.name, "value": f.value}
    if f.weight is not None:
        data["weight"] = f.weight
        data["contribution"] = f.contribution
    if f.detail:
        data["detail"] = f.detail
    if f.field is not None:
        data["field"] = f.field
        data["held"] = f.held
    return data


def _features_text(hit: NewHit) -> str:
    data: dict[str, Any] = {"features": [_feature_json(f) for f in hit.features]}
    if hit.listed_name is not None:
        data["listed_name"] = hit.listed_name
    if hit.subject_name is not None:
        data["subject_name"] = hit.subject_name
    if hit.offence is not None:
        data["offence"] = hit.offence
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _feature(data: dict[str, Any]) -> HitFeature:
    value = data.get("value")
    return HitFeature(
        name=str(data["name"]),
        value=value,
        weight=data.get("weight"),
        contribution=data.get("contribution"),
        detail=str(data.get("detail") or ""),
        field=data.get("field"),
        held=data.get("held"),
    )


def insert_hits(conn: Connection, hits: Sequence[NewHit], at: datetime) -> None:
    """Store ``hits`` (the caller has removed repeats, see :func:`stored_fingerprints`)."""
    if not hits:
        return
    conn.execute(
        sa_.hit.insert(),
        [
            {
                "kind": h.kind.value,
                "traveller_id": h.traveller_id,
                "booking_id": h.booking_id,
                "flight_id": h.flight_id,
                "api_traveller_id": h.api_traveller_id,
                "source_id": h.source_id,
                "entry_id": h.entry_id,
                "rule_id": h.rule_id,
                "rule_version": h.rule_version,
                "score": h.score,
                "features": _features_text(h),
                "algorithm_version": h.algorithm_version,
                "fingerprint": h.fingerprint,
                "subject_digest": h.subject_digest,
                "entry_digest": h.entry_digest,
                "status": h.status.value,
                "created_at": at,
                "status_at": at,
            }
            for h in hits
        ],
    )


def stored_fingerprints(conn: Connection, fingerprints: Iterable[str]) -> list[StoredFingerprint]:
    """Every stored hit carrying one of ``fingerprints`` (index look-up, in chunks)."""
    h = sa_.hit
    wanted = sorted(set(fingerprints))
    out: list[StoredFingerprint] = []
    for start in range(0, len(wanted), _CHUNK):
        query = select(
            h.c.fingerprint,
            h.c.booking_id,
            h.c.flight_id,
            h.c.status,
            h.c.kind,
            h.c.source_id,
            h.c.entry_id,
            h.c.subject_digest,
            h.c.entry_digest,
        ).where(h.c.fingerprint.in_(wanted[start : start + _CHUNK]))
        for row in conn.execute(query):
            watch = (
                HitFingerprint(row.source_id, row.entry_id, row.subject_digest, row.entry_digest)
                if row.kind == HitKind.WATCHLIST.value
                else None
            )
            out.append(
                StoredFingerprint(
                    fingerprint=row.fingerprint,
                    booking_id=row.booking_id,
                    flight_id=row.flight_id,
                    status=HitStatus(row.status),
                    watchlist=watch,
                )
            )
    return out


def hit_record(row: Any) -> HitRecord:
    """The record of a ``hit`` row."""
    data = json.loads(row.features)
    return HitRecord(
        id=row.id,
        kind=HitKind(row.kind),
        traveller_id=row.traveller_id,
        booking_id=row.booking_id,
        flight_id=row.flight_id,
        source_id=row.source_id,
        entry_id=row.entry_id,
        rule_id=row.rule_id,
        rule_version=row.rule_version,
        score=row.score,
        features=tuple(_feature(f) for f in data.get("features", ())),
        listed_name=data.get("listed_name"),
        subject_name=data.get("subject_name"),
        offence=data.get("offence"),
        algorithm_version=row.algorithm_version,
        fingerprint=row.fingerprint,
        status=HitStatus(row.status),
        created_at=row.created_at,
        api_traveller_id=row.api_traveller_id,
    )


def list_hits(
    conn: Connection,
    *,
    flight_id: int | None = None,
    traveller_id: int | None = None,
    kind: HitKind | None = None,
    status: HitStatus | None = None,
    limit: int | None = None,
    api_traveller_id: int | None = None,
) -> list[HitRecord]:
    """Stored hits, filtered; newest first."""
    h = sa_.hit
    query = select(h)
    if flight_id is not None:
        query = query.where(h.c.flight_id == flight_id)
    if traveller_id is not None:
        query = query.where(h.c.traveller_id == traveller_id)
    if api_traveller_id is not None:
        query = query.where(h.c.api_traveller_id == api_traveller_id)
    if kind is not None:
        query = query.where(h.c.kind == kind.value)
    if status is not None:
        query = query.where(h.c.status == status.value)
    query = query.order_by(h.c.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return [hit_record(row) for row in conn.execute(query)]


def hits_by_traveller(
    conn: Connection,
    *,
    flight_id: int | None = None,
    status: HitStatus | None = HitStatus.NEW,
) -> list[TravellerHits]:
    """Hits grouped per traveller on a flight (one indexed query), best traveller first."""
    h = sa_.hit
    query = select(h)
    if flight_id is not None:
        query = query.where(h.c.flight_id == flight_id)
    if status is not None:
        query = query.where(h.c.status == status.value)
    query = query.order_by(h.c.traveller_id, h.c.flight_id, h.c.score.desc())
    groups: dict[tuple[int | None, int], list[HitRecord]] = {}
    for row in conn.execute(query):
        groups.setdefault((row.traveller_id, row.flight_id), []).append(hit_record(row))
    out = [
        TravellerHits(
            traveller_id=key[0], booking_id=items[0].booking_id, flight_id=key[1], hits=tuple(items)
        )
        for key, items in groups.items()
    ]
    out.sort(key=lambda g: -g.best_score)
    return out


def set_status(conn: Connection, hit_id: int, status: HitStatus, at: datetime) -> bool:
    """Change the status of one hit (the review issue records who and why)."""
    result = conn.execute(
        update(sa_.hit).where(sa_.hit.c.id == hit_id).values(status=status.value, status_at=at)
    )
    return bool(result.rowcount)


def close_entries(conn: Connection, source_id: str, entry_ids: Sequence[str], at: datetime) -> int:
    """Close the unreviewed hits of entries that left the list; returns how many."""
    closed = 0
    h = sa_.hit
    for start in range(0, len(entry_ids), _CHUNK):
        result = conn.execute(
            update(h)
            .where(
                h.c.source_id == source_id,
                h.c.entry_id.in_(entry_ids[start : start + _CHUNK]),
                h.c.status == HitStatus.NEW.value,
            )
            .values(status=HitStatus.CLOSED.value, status_at=at)
        )
        closed += result.rowcount or 0
    return closed


@dataclass(frozen=True, slots=True, kw_only=True)
class HitCounts:
    """How many hits per kind and status."""

    counts: tuple[tuple[str, str, int], ...]

    def get(self, kind: HitKind, status: HitStatus) -> int:
        return sum(n for k, st, n in self.counts if k == kind.value and st == status.value)


def hit_counts(conn: Connection) -> HitCounts:
    """Hits per kind and status."""
    h = sa_.hit
    rows = conn.execute(
        select(h.c.kind, h.c.status, func.count()).group_by(h.c.kind, h.c.status)
    ).all()
    return HitCounts(counts=tuple((r[0], r[1], int(r[2])) for r in rows))

"""The export of a data-subject access request (``paxwatch.privacy.subject_requests``
finds the person; this module gathers what is held): each booking version with only the
person's traveller entry and the hits raised on that traveller, each API traveller with the
hits keyed by it, and the retention flags; masked records opened in memory when the vault
is given. The export is in the event log (ids and the request reference only)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, select

from paxwatch.privacy.depersonalise import Vault
from paxwatch.privacy.policies import PrivacyEvent, record_event
from paxwatch.privacy.subject_requests import SubjectMatches, require_dpo
from paxwatch.store import schema as s
from paxwatch.store.schema_assess import hit
from paxwatch.store.schema_privacy import masked_record, retention_flag


def _content(row: Any, vault: Vault | None) -> dict[str, Any]:
    if row.sealed is not None and vault is not None:
        loaded: dict[str, Any] = json.loads(vault.open(bytes(row.sealed)))
        return loaded
    stored: dict[str, Any] = json.loads(row.content)
    return stored


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectExport:
    """The export of what is held (``data`` is JSON-ready)."""

    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(self.data, indent=2, ensure_ascii=False, default=str)


def _hits(conn: Connection, where: ColumnElement[bool]) -> list[dict[str, Any]]:
    """The hits ``where`` selects, as the export lists them (no scores: the hit detail
    stays in the review screens, behind their own audit)."""
    query = select(hit.c.id, hit.c.kind, hit.c.status, hit.c.created_at).where(where)
    return [
        {"id": h.id, "kind": h.kind, "status": h.status, "created_at": h.created_at.isoformat()}
        for h in conn.execute(query.order_by(hit.c.id))
    ]


def export_subject(
    conn: Connection,
    matches: SubjectMatches,
    *,
    by: str,
    role: str,
    now: datetime,
    vault: Vault | None = None,
    reference: str | None = None,
) -> SubjectExport:
    """Everything of ``matches``: each booking version (only the person's traveller entry
    and the booking-level data), API travellers, flags and hits."""
    require_dpo(role)
    v, mr, a, t = s.booking_version, masked_record, s.api_traveller, s.traveller
    bookings: list[dict[str, Any]] = []
    for booking_id, ref in matches.travellers:
        query = (
            select(
                v.c.id,
                v.c.version_no,
                v.c.received_at,
                v.c.content,
                mr.c.sealed,
                mr.c.id.label("m"),
            )
            .outerjoin(mr, mr.c.version_id == v.c.id)
            .where(v.c.booking_id == booking_id)
            .order_by(v.c.version_no)
        )
        versions = []
        for row in conn.execute(query):
            content = _content(row, vault)
            content["travellers"] = [
                p for p in content.get("travellers", ()) if p.get("ref") == ref
            ]
            versions.append(
                {
                    "version_no": row.version_no,
                    "received_at": row.received_at.isoformat(),
                    "masked": row.m is not None,
                    "content": content,
                }
            )
        tids = select(t.c.id).where(t.c.booking_id == booking_id, t.c.ref == ref)
        bookings.append(
            {
                "booking_id": booking_id,
                "traveller_ref": ref,
                "versions": versions,
                "hits": _hits(conn, hit.c.traveller_id.in_(tids)),
            }
        )
    api = [
        {
            "api_traveller_id": row.id,
            "masked": row.m is not None,
            "content": _content(row, vault),
            # Hits keyed by the API traveller: those of an API traveller who matched no
            # booking (traveller_id is null), and those raised through the API record.
            "hits": _hits(conn, hit.c.api_traveller_id == row.id),
        }
        for row in conn.execute(
            select(a.c.id, a.c.content, mr.c.sealed, mr.c.id.label("m"))
            .outerjoin(mr, mr.c.api_traveller_id == a.c.id)
            .where(a.c.id.in_(list(matches.api_travellers)))
        ).all()
    ]
    rf = retention_flag
    flags = [
        {"id": f.id, "kind": f.kind, "reason": f.reason, "review_on": f.review_on.isoformat()}
        for f in conn.execute(
            select(rf).where(
                rf.c.booking_id.in_([b for b, _ in matches.travellers])
                | rf.c.api_traveller_id.in_(list(matches.api_travellers))
            )
        )
    ]
    record_event(
        conn,
        PrivacyEvent(
            kind="subject.exported",
            actor=by,
            at=now,
            details={"reference": reference, "bookings": len(bookings), "api_travellers": len(api)},
        ),
    )
    return SubjectExport(
        data={
            "exported_at": now.isoformat(),
            "reference": reference,
            "bookings": bookings,
            "api_travellers": api,
            "retention_flags": flags,
        }
    )

"""Data-subject requests handled by the DPO (Directive 2016/681 Art 13(1); Directive
2016/680 Arts 14-18): find everything held about a person, export it, record rectification
or erasure.

- ``find_subject``: by surname (+ given names) + date of birth, or by document number; it
  searches booked travellers, documents and API travellers. Masked records (only the
  flagged travellers after the mask age) are searched too when the vault key is given: their
  sealed originals are opened in memory, never written back.
- ``export_subject`` (``paxwatch.privacy.subject_export``): a JSON-ready dict of everything
  found (booking versions, API travellers, flags, hits), with masked records opened when
  the vault is given.
- ``erase_subject``: deletes the traveller from every version of the bookings found (the
  booking goes when nobody is left) and the API travellers found; ``record_request``
  records an access, rectification or erasure request and its outcome. Every step is in
  the event log; the log holds ids and the request reference, never the name searched.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from paxwatch.privacy.audit import DeletionEvent, record
from paxwatch.privacy.depersonalise import Vault, drop_travellers
from paxwatch.privacy.policies import PrivacyEvent, record_event
from paxwatch.privacy.purge import id_in, purge
from paxwatch.store import schema as s
from paxwatch.store.keys import norm_document_number, norm_name
from paxwatch.store.rows import insert_ids
from paxwatch.store.schema_privacy import masked_record, subject_request

DPO = "dpo"
KINDS = frozenset({"access", "rectification", "erasure", "restriction"})
OUTCOMES = frozenset({"done", "refused", "partly", "nothing_held"})


class SubjectRequestError(PermissionError):
    """Not the DPO, or an incomplete request."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectQuery:
    """Who to look for: surname + date of birth (given names narrow it), or a document."""

    surname: str | None = None
    given_names: str | None = None
    date_of_birth: date | None = None
    document: str | None = None

    def __post_init__(self) -> None:
        if not self.document and not (self.surname and self.date_of_birth):
            raise SubjectRequestError("search by surname and date of birth, or by document")


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectMatches:
    """What is held: booked travellers as (booking id, traveller ref), API travellers."""

    travellers: tuple[tuple[int, str | None], ...] = ()
    api_travellers: tuple[int, ...] = ()
    masked_found: int = 0

    @property
    def empty(self) -> bool:
        return not self.travellers and not self.api_travellers


def require_dpo(role: str) -> None:
    if role != DPO:
        raise SubjectRequestError("data-subject requests are handled by the DPO")


def _person_matches(q: SubjectQuery, surname: Any, given: Any, born: Any) -> bool:
    if not q.surname or norm_name(surname) != norm_name(q.surname):
        return False
    if q.date_of_birth is None:
        return False
    if isinstance(born, str):
        born = date.fromisoformat(born) if born else None
    if born != q.date_of_birth:
        return False
    return not q.given_names or norm_name(given) == norm_name(q.given_names)


def _documents_match(q: SubjectQuery, documents: Sequence[dict[str, Any]]) -> bool:
    wanted = norm_document_number(q.document)
    return wanted is not None and any(
        norm_document_number(d.get("number")) == wanted for d in documents
    )


def _live(conn: Connection, q: SubjectQuery) -> tuple[set[tuple[int, str | None]], set[int]]:
    t, a, d = s.traveller, s.api_traveller, s.document
    travellers: set[tuple[int, str | None]] = set()
    api: set[int] = set()
    if q.surname and q.date_of_birth:
        key = func.upper(t.c.surname) == q.surname.strip().upper()
        for row in conn.execute(
            select(t.c.booking_id, t.c.ref, t.c.surname, t.c.given_names, t.c.date_of_birth).where(
                key
            )
        ):
            if _person_matches(q, row.surname, row.given_names, row.date_of_birth):
                travellers.add((int(row.booking_id), row.ref))
        akey = func.upper(a.c.surname) == q.surname.strip().upper()
        for arow in conn.execute(
            select(a.c.id, a.c.surname, a.c.given_names, a.c.date_of_birth).where(akey)
        ):
            if _person_matches(q, arow.surname, arow.given_names, arow.date_of_birth):
                api.add(int(arow.id))
    number = norm_document_number(q.document)
    if number:
        # The stored normalised number (``number_key``, indexed, as long as ``number`` can
        # be; cleared when the document is masked: ``_sealed`` searches the sealed copy).
        docs = select(d.c.traveller_id, d.c.api_traveller_id, d.c.number).where(
            d.c.number_key == number
        )
        owners = [r for r in conn.execute(docs) if norm_document_number(r.number) == number]
        tids = [int(r.traveller_id) for r in owners if r.traveller_id is not None]
        api.update(int(r.api_traveller_id) for r in owners if r.api_traveller_id is not None)
        if tids:
            for trow in conn.execute(select(t.c.booking_id, t.c.ref).where(t.c.id.in_(tids))):
                travellers.add((int(trow.booking_id), trow.ref))
    return travellers, api


def _sealed(
    conn: Connection, q: SubjectQuery, vault: Vault
) -> tuple[set[tuple[int, str | None]], set[int]]:
    mr, v = masked_record, s.booking_version
    travellers: set[tuple[int, str | None]] = set()
    api: set[int] = set()
    query = select(mr.c.version_id, mr.c.api_traveller_id, mr.c.sealed, v.c.booking_id).outerjoin(
        v, v.c.id == mr.c.version_id
    )
    for row in conn.execute(query.where(mr.c.sealed.is_not(None))):
        data = json.loads(vault.open(bytes(row.sealed)))
        if row.version_id is not None:
            for person in data.get("travellers", ()):
                docs = person.get("documents", ())
                if _person_matches(
                    q, person.get("surname"), person.get("given_names"), person.get("date_of_birth")
                ) or (q.document and _documents_match(q, docs)):
                    travellers.add((int(row.booking_id), person.get("ref")))
        elif _person_matches(
            q, data.get("surname"), data.get("given_names"), data.get("date_of_birth")
        ) or (q.document and _documents_match(q, data.get("documents", ()))):
            api.add(int(row.api_traveller_id))
    return travellers, api


def find_subject(
    conn: Connection,
    query: SubjectQuery,
    *,
    by: str,
    role: str,
    now: datetime,
    vault: Vault | None = None,
    reference: str | None = None,
) -> SubjectMatches:
    """Everything held about the person of ``query`` (see the module doc)."""
    require_dpo(role)
    travellers, api = _live(conn, query)
    masked = 0
    if vault is not None:
        sealed_t, sealed_a = _sealed(conn, query, vault)
        masked = len(sealed_t - travellers) + len(sealed_a - api)
        travellers |= sealed_t
        api |= sealed_a
    matches = SubjectMatches(
        travellers=tuple(sorted(travellers, key=lambda p: (p[0], p[1] or ""))),
        api_travellers=tuple(sorted(api)),
        masked_found=masked,
    )
    record_event(
        conn,
        PrivacyEvent(
            kind="subject.searched",
            actor=by,
            at=now,
            details={
                "reference": reference,
                "by_document": bool(query.document),
                "travellers": [list(p) for p in matches.travellers],
                "api_travellers": list(matches.api_travellers),
            },
        ),
    )
    return matches


def erase_subject(
    conn: Connection,
    matches: SubjectMatches,
    *,
    by: str,
    role: str,
    now: datetime,
    reference: str | None = None,
) -> int:
    """Erase the person of ``matches`` from the store; returns the records removed."""
    require_dpo(role)
    v, t, b = s.booking_version, s.traveller, s.booking
    removed = 0
    for booking_id, ref in matches.travellers:
        refs = frozenset(
            r
            for r in conn.execute(select(t.c.ref).where(t.c.booking_id == booking_id)).scalars()
            if r is not None and r != ref
        )
        versions = conn.execute(select(v.c.id).where(v.c.booking_id == booking_id)).scalars()
        removed += drop_travellers(conn, {int(i): refs for i in versions})
        if not refs:
            removed += purge(conn, b, b.c.id == booking_id)
    a = s.api_traveller
    api_ids = list(matches.api_travellers)
    if api_ids:
        removed += purge(conn, a, id_in(conn, a.c.id, api_ids))
    record(
        conn,
        DeletionEvent(
            actor=by,
            what="data subject",
            count=removed,
            reason=f"erasure request {reference or ''}".strip(),
            ids=tuple(sorted(api_ids)),
        ),
        at=now,
    )
    record_event(
        conn,
        PrivacyEvent(
            kind="subject.erased",
            actor=by,
            at=now,
            details={
                "reference": reference,
                "travellers": [list(p) for p in matches.travellers],
                "api_travellers": api_ids,
                "removed": removed,
            },
        ),
    )
    return removed


def record_request(
    conn: Connection,
    *,
    kind: str,
    received_on: date,
    matches: SubjectMatches,
    outcome: str,
    by: str,
    role: str,
    now: datetime,
    reference: str | None = None,
    note: str | None = None,
) -> int:
    """Record a data-subject request and what was done (rectification: ``note`` says what
    was corrected and where); returns its id."""
    require_dpo(role)
    if kind not in KINDS or outcome not in OUTCOMES:
        raise SubjectRequestError(f"kind in {sorted(KINDS)}, outcome in {sorted(OUTCOMES)}")
    records = {
        "travellers": [list(p) for p in matches.travellers],
        "api_travellers": list(matches.api_travellers),
    }
    row = {
        "kind": kind,
        "reference": reference,
        "received_on": received_on,
        "handled_by": by,
        "created_at": now,
        "records": json.dumps(records),
        "outcome": outcome,
        "note": note,
    }
    request_id = insert_ids(conn, subject_request, [row])[0]
    record_event(
        conn,
        PrivacyEvent(
            kind=f"subject.{kind}",
            actor=by,
            at=now,
            details={"request": request_id, "reference": reference, "outcome": outcome, **records},
        ),
    )
    return request_id

"""The audit trail: ``GET /api/v1/audit`` (entries, newest first: ``read_audit``, for the
DPO and auditors) and ``GET /api/v1/audit/verify`` (the chain check: ``verify_audit``).

Entries carry ids, codes and digests, never names, document numbers or notes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from paxwatch.api.deps import StoreDep, permit
from paxwatch.api.models_review import AuditEntryOut, AuditPage, VerifyOut
from paxwatch.api.problems import PROBLEM_RESPONSES
from paxwatch.privacy.access import Action, Principal
from paxwatch.privacy.audit import list_events, verify

router = APIRouter(tags=["audit"])

AuditReader = Annotated[Principal, Depends(permit(Action.READ_AUDIT))]
AuditVerifier = Annotated[Principal, Depends(permit(Action.VERIFY_AUDIT))]


@router.get("/audit", response_model=AuditPage, responses=PROBLEM_RESPONSES)
def get_audit(
    store: StoreDep,
    _caller: AuditReader,
    actor: Annotated[str | None, Query(max_length=100, description="Only this user.")] = None,
    kind: Annotated[
        str | None,
        Query(max_length=40, description="read, decision, transmission, user, login, rule, …"),
    ] = None,
    since: Annotated[datetime | None, Query(description="From (UTC).")] = None,
    until: Annotated[datetime | None, Query(description="Before (UTC).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> AuditPage:
    """Audit entries, newest first, filtered by actor, kind and time. Permission:
    ``read_audit`` (DPO, auditor)."""
    with store.read() as conn:
        found = list_events(
            conn, actor=actor, kind=kind, since=since, until=until, limit=offset + limit + 1
        )
    page = found[offset : offset + limit]
    more = len(found) > offset + limit
    return AuditPage(
        items=[AuditEntryOut.of(e) for e in page],
        limit=limit,
        offset=offset,
        next_offset=offset + limit if more else None,
    )


@router.get("/audit/verify", response_model=VerifyOut, responses=PROBLEM_RESPONSES)
def verify_audit(store: StoreDep, _caller: AuditVerifier) -> VerifyOut:
    """Recompute the hash chain and report the first entry edited, inserted or removed.
    Permission: ``verify_audit`` (DPO, auditor, administrator)."""
    return VerifyOut.of(verify(store))

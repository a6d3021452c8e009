"""``GET /api/v1/quarantine``: inputs that could not be read, with their findings (paged)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from paxwatch.api.deps import StoreDep, permit
from paxwatch.api.models import QuarantinePage
from paxwatch.api.problems import PROBLEM_RESPONSES
from paxwatch.ingest import quarantine as q
from paxwatch.privacy.access import Action, Principal

router = APIRouter(tags=["quarantine"])

IngestReader = Annotated[Principal, Depends(permit(Action.LIST_FLIGHTS))]


@router.get("/quarantine", response_model=QuarantinePage, responses=PROBLEM_RESPONSES)
def list_quarantine(
    store: StoreDep,
    _caller: IngestReader,
    include_resolved: Annotated[bool, Query(description="Include resolved entries.")] = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> QuarantinePage:
    """Quarantined inputs, oldest first (unresolved only unless asked). Permission:
    ``list_flights`` (the findings never quote message content)."""
    items = q.list_items(store, include_resolved=include_resolved)
    return QuarantinePage.of(items, limit, offset)

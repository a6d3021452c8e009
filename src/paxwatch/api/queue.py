"""``GET /api/v1/queue``: the review queue, most urgent first (``read_hits``, audited)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from paxwatch.api.deps import Purpose, SettingsDep, StoreDep, permit
from paxwatch.api.models_review import QueueGroupOut, QueuePage
from paxwatch.api.problems import PROBLEM_RESPONSES
from paxwatch.api.reads import json_answer
from paxwatch.assess.hits import HitKind
from paxwatch.privacy.access import Action, Principal
from paxwatch.review.decisions import OPEN_STATES, ReviewState
from paxwatch.review.queue import QueueFilter, open_queue

router = APIRouter(tags=["review"])

HitReader = Annotated[Principal, Depends(permit(Action.READ_HITS))]


@router.get("/queue", response_model=QueuePage, responses=PROBLEM_RESPONSES)
def get_queue(
    store: StoreDep,
    settings: SettingsDep,
    caller: HitReader,
    purpose: Purpose = None,
    kind: Annotated[list[HitKind] | None, Query(description="Hit kinds.")] = None,
    source: Annotated[
        str | None, Query(max_length=100, description="A list source or rule id.")
    ] = None,
    state: Annotated[
        list[ReviewState] | None, Query(description="Review states (default: the open ones).")
    ] = None,
    flight_id: Annotated[int | None, Query(description="One stored flight.")] = None,
    on: Annotated[date | None, Query(alias="date", description="Departure date.")] = None,
    min_score: Annotated[float | None, Query(ge=0, description="Minimum score.")] = None,
    assignee: Annotated[str | None, Query(max_length=100, description="Assigned user.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """The open hits grouped per traveller and flight, most urgent first: flights that
    have not left by time to departure (then to arrival), then flights that have left, most
    recent first; the best score first within the same time. Filters: kinds, source (list
    or rule id), review states, flight, departure date, minimum score, assignee.
    Permission: ``read_hits``; a group whose traveller the caller may not see has no names
    (``visible`` false). The consultation is audited (``hit_queue``) with its purpose."""
    filters = QueueFilter(
        kinds=frozenset(k.value for k in kind) if kind else None,
        source=source,
        states=frozenset(state) if state else OPEN_STATES,
        flight_id=flight_id,
        day=on,
        min_score=min_score,
        assignee=assignee,
        limit=offset + limit + 1,
    )
    groups = open_queue(
        store,
        caller,
        filters,
        purpose=(purpose or "").strip() or "hit review",
        config=settings.access,
    )
    page = groups[offset : offset + limit]
    more = len(groups) > offset + limit
    return json_answer(
        QueuePage(
            items=[QueueGroupOut.of(g) for g in page],
            limit=limit,
            offset=offset,
            next_offset=offset + limit if more else None,
        )
    )

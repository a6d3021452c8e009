"""``GET /api/v1/queue``: the review queue, most urgent first (``read_hits``, audited)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from paxwatch.api.deps import Purpose, SettingsDep, StoreDep, permit
from paxwatch.api.models_review import QueuePage
from paxwatch.api.problems import PROBLEM_RESPONSES
from paxwatch.api.reads import json_answer
from paxwatch.api.settings import ApiSettings
from paxwatch.assess.hits import HitKind
from paxwatch.privacy.access import Action, Principal
from paxwatch.review.decisions import OPEN_STATES, ReviewState
from paxwatch.review.queue import QueueGroup, QueueHit, open_queue
from paxwatch.review.queue_query import QueueFilter
from paxwatch.store.engine import Store

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
        limit=limit + 1,  # one more: is there a next page?
        offset=offset,
    )
    return queue_answer(store, settings, caller, filters, purpose)


def queue_answer(
    store: Store,
    settings: ApiSettings,
    caller: Principal,
    filters: QueueFilter,
    purpose: str | None,
) -> Response:
    """The answer of ``GET /queue`` for validated parameters (``filters.limit`` is one more
    than the page's limit): the route's, and the fast path's (``paxwatch.api.hot``)."""
    groups = open_queue(
        store,
        caller,
        filters,
        purpose=(purpose or "").strip() or "hit review",
        config=settings.access,
    )
    assert filters.limit is not None
    return json_answer(page_json(groups, filters.limit - 1, filters.offset))


def _hit_json(hit: QueueHit, visible: bool) -> dict[str, Any]:
    return {
        "hit_id": hit.hit_id,
        "kind": hit.kind,
        "source_id": hit.source_id,
        "entry_id": hit.entry_id,
        "rule_id": hit.rule_id,
        "rule_version": hit.rule_version,
        "score": hit.score,
        "state": hit.state.value,
        "assignee": hit.assignee,
        "listed_name": hit.listed_name if visible else None,
        "offence": hit.offence,
        "created_at": hit.created_at,
    }


def _group_json(group: QueueGroup) -> dict[str, Any]:
    visible = group.visible
    return {
        "flight_id": group.flight_id,
        "carrier": group.carrier,
        "number": group.number,
        "origin": group.origin,
        "destination": group.destination,
        "departure": group.departure,
        "arrival": group.arrival,
        "urgency_at": group.urgency_at,
        "urgency_event": group.urgency_event,
        "traveller_id": group.traveller_id,
        "booking_id": group.booking_id,
        "api_traveller_id": group.api_traveller_id,
        "subject_name": group.subject_name if visible else None,
        "best_score": group.best_score,
        "visible": visible,
        "hits": [_hit_json(h, visible) for h in group.hits],
    }


def page_json(groups: list[QueueGroup], limit: int, offset: int) -> dict[str, Any]:
    """The ``QueuePage`` of ``groups`` (one more than ``limit`` when there is a next page)
    as the dump ``QueuePage(items=[QueueGroupOut.of(g) ...])`` gives, without building and
    validating a model per group and hit (the queue is the analysts' most read answer;
    ``tests/api`` checks that both give the same JSON)."""
    return {
        "items": [_group_json(g) for g in groups[:limit]],
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if len(groups) > limit else None,
    }

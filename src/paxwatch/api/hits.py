"""Hits and their review.

- ``GET /api/v1/hits`` and ``GET /api/v1/travellers/{traveller_id}/hits``: stored hits
  (``read_hits``; analysts and supervisors see the hits of travellers they may see).
- ``GET /api/v1/hits/{hit_id}``: one hit side by side with the matched list entry (or the
  rule) and the traveller; audited with the hit as purpose.
- ``POST /api/v1/hits/{hit_id}/decisions``: a review action (take, release, confirm,
  countersign, reject, dismiss, reopen, assign), recorded and audited.
- ``GET /api/v1/hits/{hit_id}/history``: every decision, oldest first.

A hit is one automated result (a watch-list match or a rule hit) with what produced it
(list source and entry, or rule and version), the score, and every feature or condition
with the value it saw. Statuses: ``new`` (to review), ``in_review``, ``confirmed``,
``dismissed`` (human review), ``suppressed`` (matches a dismissed hit), ``closed`` (the
entry left the list), ``superseded`` (a later push replaced the data).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from paxwatch.api import reads_hits
from paxwatch.api.deps import Purpose, SettingsDep, StoreDep, permit, reader
from paxwatch.api.models_assess import HitOut, HitPage, TravellerHitsOut
from paxwatch.api.models_review import DecisionIn, DecisionOut, HistoryOut, HitDetailOut
from paxwatch.api.problems import PROBLEM_RESPONSES, problem_doc
from paxwatch.assess import hits as h
from paxwatch.privacy.access import Action, Principal
from paxwatch.review.decisions import decide

router = APIRouter(tags=["hits"])

HitReader = Annotated[Principal, Depends(permit(Action.READ_HITS))]
Reviewer = Annotated[Principal, Depends(permit(Action.REVIEW_HIT))]
_NOT_FOUND: dict[int | str, dict[str, object]] = {404: problem_doc("No such hit")}
_REFUSED: dict[int | str, dict[str, object]] = {
    409: problem_doc("Not allowed from the hit's state (or four eyes, or transmitted)"),
    422: problem_doc("Invalid parameters, or a reason or note missing"),
}


@router.get("/hits", response_model=HitPage, responses=PROBLEM_RESPONSES)
def list_hits(
    store: StoreDep,
    settings: SettingsDep,
    caller: HitReader,
    purpose: Purpose = None,
    status: Annotated[h.HitStatus | None, Query(description="Only this status.")] = None,
    flight_id: Annotated[int | None, Query(description="Only this stored flight.")] = None,
    source: Annotated[
        str | None, Query(max_length=60, description="Only matches of this watch list.")
    ] = None,
    kind: Annotated[h.HitKind | None, Query(description="watchlist or rule.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HitPage:
    """Stored hits, newest first, each with its features or conditions and the values they
    saw. Permission: ``read_hits``; analysts and supervisors only get the hits of
    travellers they may see. Audited (``hit_list``)."""
    page, total = reads_hits.list_hits(
        reader(store, settings, caller, purpose, "hit list"),
        status=status,
        flight_id=flight_id,
        source=source,
        kind=kind,
        limit=limit,
        offset=offset,
    )
    return HitPage(
        items=[HitOut.model_validate(x) for x in page], **HitPage.paging(total, limit, offset)
    )


@router.get(
    "/travellers/{traveller_id}/hits",
    response_model=TravellerHitsOut,
    responses={**PROBLEM_RESPONSES, **_NOT_FOUND},
)
def traveller_hits(
    traveller_id: int,
    store: StoreDep,
    settings: SettingsDep,
    caller: HitReader,
    purpose: Purpose = None,
    status: Annotated[h.HitStatus | None, Query(description="Only this status.")] = None,
) -> TravellerHitsOut:
    """The hits of one stored traveller (the ``traveller_id`` of a flight manifest),
    grouped per flight, best score first. A traveller without hits has no flights here.
    Permission: ``read_hits`` and ``read_traveller`` on the traveller. Audited."""
    found = reads_hits.traveller_hits(
        reader(store, settings, caller, purpose, "traveller hits"), traveller_id, status
    )
    return TravellerHitsOut.of(traveller_id, found)


@router.get(
    "/hits/{hit_id}", response_model=HitDetailOut, responses={**PROBLEM_RESPONSES, **_NOT_FOUND}
)
def get_hit(
    hit_id: int, store: StoreDep, settings: SettingsDep, caller: HitReader, purpose: Purpose = None
) -> HitDetailOut:
    """One hit side by side: the matched list entry (or the rule version) and the
    traveller, with every feature or condition and the value seen, and the review state.
    Permission: ``read_hits`` and ``read_traveller`` on its traveller (an open hit keeps
    its traveller visible). Audited with the hit as purpose (``hit_detail``)."""
    detail = reads_hits.hit_detail(
        reader(store, settings, caller, purpose, f"hit {hit_id}"), hit_id
    )
    return HitDetailOut.of(detail)


@router.post(
    "/hits/{hit_id}/decisions",
    status_code=201,
    response_model=DecisionOut,
    responses={**PROBLEM_RESPONSES, **_NOT_FOUND, **_REFUSED},
)
def post_decision(
    hit_id: int, body: DecisionIn, store: StoreDep, settings: SettingsDep, caller: Reviewer
) -> DecisionOut:
    """Apply a review action to a hit, as the caller: ``take`` (new → in_review),
    ``release``, ``confirm`` (→ confirmed, or awaiting_countersign with four eyes),
    ``countersign`` / ``reject`` (another user), ``dismiss`` (a ``reason`` code), ``reopen``
    (supervisor, a ``note``; not once transmitted), ``assign`` (supervisor, an
    ``assignee``). 409 when the hit's state does not allow it, four eyes refuses it or
    the hit was transmitted; 422 for a missing or unknown reason or a missing note; 403
    when the role may not (e.g. an analyst reopening). Recorded in the decision history and
    the audit trail."""
    decision = decide(
        store,
        caller,
        hit_id,
        body.action,
        reason=body.reason,
        note=body.note,
        assignee=body.assignee,
        config=settings.review,
    )
    return DecisionOut.of(decision)


@router.get(
    "/hits/{hit_id}/history",
    response_model=HistoryOut,
    responses={**PROBLEM_RESPONSES, **_NOT_FOUND},
)
def get_history(
    hit_id: int, store: StoreDep, settings: SettingsDep, caller: HitReader, purpose: Purpose = None
) -> HistoryOut:
    """Every decision on a hit, oldest first, with the notes. Permission: ``read_hits``
    and ``read_traveller`` on its traveller. Audited (``hit_history``)."""
    found = reads_hits.hit_history(
        reader(store, settings, caller, purpose, f"hit {hit_id}"), hit_id
    )
    return HistoryOut(hit_id=hit_id, decisions=[DecisionOut.of(d) for d in found])

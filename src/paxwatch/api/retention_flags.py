"""Retention flags (objective evidence / risk assessment): ``/api/v1/retention/flags``.

- ``GET /retention/flags`` (``?include_lifted=true``): the flags, oldest first, with
  ``overdue`` when the review date has passed (an overdue flag no longer protects). Analysts,
  supervisors and the DPO.
- ``POST /retention/flags``: a supervisor flags a booked traveller (``traveller_id``, or
  ``booking_id`` + ``traveller_ref``) or an API traveller, with a reason, an evidence
  reference and a review date (within ``flag_review_max_days`` of the policy).
- ``POST /retention/flags/{id}/lift``: a supervisor lifts it, with a reason.

The library writes each change to the audit trail (``privacy.flag``: ``set``, ``lifted``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi import Path as PathParam

from paxwatch.api.deps import StoreDep, permit
from paxwatch.api.models_privacy import (
    FlagIn,
    FlagList,
    FlagOut,
    LiftIn,
    privacy_now,
)
from paxwatch.api.problems import PROBLEM_RESPONSES, ProblemError, problem_doc
from paxwatch.privacy.access import Action, Principal
from paxwatch.privacy.flags import (
    FlagError,
    lift_flag,
    list_flags,
    review_max_days,
    set_flag,
)

router = APIRouter(tags=["retention"])

FlagReader = Annotated[Principal, Depends(permit(Action.READ_RETENTION_FLAGS))]
FlagSetter = Annotated[Principal, Depends(permit(Action.MANAGE_RETENTION_FLAGS))]
FlagId = Annotated[int, PathParam(ge=1, le=2**62)]
_REFUSED: dict[int | str, dict[str, object]] = {
    404: problem_doc("No such flag, or it was lifted"),
}


@router.get("/retention/flags", response_model=FlagList, responses=PROBLEM_RESPONSES)
def get_flags(
    store: StoreDep,
    _caller: FlagReader,
    include_lifted: Annotated[bool, Query(description="Also the lifted flags.")] = False,
) -> FlagList:
    """The retention flags, oldest first."""
    today = privacy_now().date()
    with store.read() as conn:
        found = list_flags(conn, include_lifted=include_lifted)
    return FlagList(items=[FlagOut.of(f, today) for f in found])


@router.post(
    "/retention/flags",
    status_code=201,
    response_model=FlagOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def post_flag(body: FlagIn, store: StoreDep, caller: FlagSetter) -> FlagOut:
    """Flag a traveller (supervisors): 422 when the library refuses (kind, review date,
    unknown record)."""
    now = privacy_now()
    with store.write() as conn:
        try:
            flag_id = set_flag(
                conn,
                by=caller.username,
                role=caller.role.value,
                kind=body.kind,
                reason=body.reason,
                review_on=body.review_on,
                now=now,
                traveller_id=body.traveller_id,
                booking_id=body.booking_id,
                traveller_ref=body.traveller_ref,
                api_traveller_id=body.api_traveller_id,
                evidence_ref=body.evidence_ref,
                review_max_days=review_max_days(),
            )
        except FlagError as error:
            raise ProblemError(422, str(error), kind="invalid-request") from None
        [flag] = [f for f in list_flags(conn) if f.id == flag_id]
    return FlagOut.of(flag, now.date())


@router.post(
    "/retention/flags/{flag_id}/lift",
    response_model=FlagOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def post_lift(flag_id: FlagId, body: LiftIn, store: StoreDep, caller: FlagSetter) -> FlagOut:
    """Lift a flag (supervisors); 404 when unknown or already lifted."""
    now = privacy_now()
    with store.write() as conn:
        try:
            lifted = lift_flag(
                conn,
                flag_id,
                by=caller.username,
                role=caller.role.value,
                reason=body.reason,
                now=now,
            )
        except FlagError as error:
            raise ProblemError(403, str(error), kind="forbidden") from None
        if not lifted:
            raise ProblemError(404, f"There is no active flag {flag_id}.", kind="not-found")
        [flag] = [f for f in list_flags(conn, include_lifted=True) if f.id == flag_id]
    return FlagOut.of(flag, now.date())

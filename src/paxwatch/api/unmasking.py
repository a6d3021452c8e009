"""Unmasking requests (Directive 2016/681 Art 12(3)): ``/api/v1/unmasking``.

- ``POST /unmasking``: an analyst or supervisor asks for the full data of bookings / API
  travellers (reason, legal basis, offence, authority, hours).
- ``GET /unmasking`` (``?status=``) and ``GET /unmasking/{id}``: the requests; analysts and
  supervisors see their own, the independent approver and the DPO all of them.
- ``POST /unmasking/{id}/decision``: approve or refuse, by an ``independent_approver`` only.
  The library refuses (409, with the reason, and audits the attempt) the requester, anyone
  of the requester's role or of a PIU role; a role that may not decide at all is 403.
- ``GET /unmasking/{id}/records``: the full data, for the requester only (403 otherwise)
  while the approval runs (409 before, after expiry or revocation). Needs the vault key
  (``PAXWATCH_VAULT_KEY``); each access is audited (records, not content).
- ``POST /unmasking/{id}/revoke``: the requester, the approver or the DPO end it early.
- ``GET /unmasking/reviews``: the DPO's queue; ``POST /unmasking/{id}/review``: the DPO's
  ex-post review (``lawful`` / ``unlawful`` + note).

Every step, and every refusal, is an event of the audit trail (``paxwatch.privacy.unmask``):
a refusal's event is committed before the problem is answered.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi import Path as PathParam

from paxwatch.api.deps import Caller, StoreDep, permit
from paxwatch.api.models_privacy import (
    UNMASKING_READERS,
    DecisionIn,
    DpoReviewIn,
    RevokeIn,
    UnmaskedOut,
    UnmaskedRecordOut,
    UnmaskIn,
    UnmaskList,
    UnmaskRequestOut,
    privacy_now,
)
from paxwatch.api.problems import PROBLEM_RESPONSES, ProblemError, problem_doc
from paxwatch.privacy.access import AccessDenied, Action, Principal, Role, can
from paxwatch.privacy.depersonalise import Vault, VaultError
from paxwatch.privacy.unmask import (
    Actor,
    UnmaskError,
    UnmaskRequest,
    decide_unmasking,
    dpo_review,
    get_request,
    list_requests,
    pending_dpo_reviews,
    request_unmasking,
    revoke,
    unmask,
)

router = APIRouter(tags=["unmasking"])

Requester = Annotated[Principal, Depends(permit(Action.REQUEST_UNMASKING))]
Reader = Annotated[Principal, Depends(permit(Action.READ_UNMASKING))]
Reviewer = Annotated[Principal, Depends(permit(Action.REVIEW_UNMASKING))]
RequestId = Annotated[int, PathParam(ge=1, le=2**62)]
_REFUSED: dict[int | str, dict[str, object]] = {
    404: problem_doc("No such request"),
    409: problem_doc("Refused by the workflow (who, state, time); the reason says why"),
}
_ALL_SEEING = frozenset({Role.INDEPENDENT_APPROVER, Role.DPO})


def actor(principal: Principal) -> Actor:
    """The library's actor for an authenticated caller."""
    return Actor(username=principal.username, role=principal.role.value)


def _missing(request_id: int) -> ProblemError:
    return ProblemError(404, f"There is no unmasking request {request_id}.", kind="not-found")


def _conflict(error: UnmaskError) -> ProblemError:
    return ProblemError(409, str(error), kind="unmasking-refused", title="Conflict")


def visible_request(principal: Principal, request: UnmaskRequest) -> bool:
    """Analysts and supervisors see their own requests; the approver and the DPO all."""
    return principal.role in _ALL_SEEING or request.requester == principal.username


def _load(store: StoreDep, principal: Principal, request_id: int) -> UnmaskRequest:
    with store.read() as conn:
        try:
            found = get_request(conn, request_id)
        except UnmaskError:
            raise _missing(request_id) from None
    if not visible_request(principal, found):
        raise _missing(request_id)
    return found


def vault() -> Vault | None:
    """The vault of the environment (``PAXWATCH_VAULT_KEY``); None without a key."""
    try:
        return Vault.from_env()
    except VaultError:
        return None


@router.post(
    "/unmasking",
    status_code=201,
    response_model=UnmaskRequestOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def post_request(body: UnmaskIn, store: StoreDep, caller: Requester) -> UnmaskRequestOut:
    """Ask for the full data of masked records. Analysts and supervisors
    (``request_unmasking``)."""
    now = privacy_now()
    with store.write() as conn:
        try:
            request_id = request_unmasking(
                conn,
                actor(caller),
                booking_ids=body.booking_ids,
                api_traveller_ids=body.api_traveller_ids,
                reason=body.reason,
                legal_basis=body.legal_basis,
                offence=body.offence,
                authority=body.authority,
                valid_hours=body.valid_hours,
                now=now,
            )
        except UnmaskError as error:
            raise ProblemError(422, str(error), kind="invalid-request") from None
        return UnmaskRequestOut.of(get_request(conn, request_id), now)


@router.get("/unmasking", response_model=UnmaskList, responses=PROBLEM_RESPONSES)
def get_requests(
    store: StoreDep,
    caller: Reader,
    status: Annotated[
        str | None, Query(pattern="^(pending|approved|refused|revoked)$", description="Only.")
    ] = None,
) -> UnmaskList:
    """The requests, newest first (analysts and supervisors: their own)."""
    now = privacy_now()
    with store.read() as conn:
        found = list_requests(conn, status=status)
    return UnmaskList(
        items=[UnmaskRequestOut.of(r, now) for r in found if visible_request(caller, r)]
    )


@router.get("/unmasking/reviews", response_model=UnmaskList, responses=PROBLEM_RESPONSES)
def get_reviews(store: StoreDep, _caller: Reviewer) -> UnmaskList:
    """The approvals awaiting the DPO's ex-post review (the DPO)."""
    now = privacy_now()
    with store.read() as conn:
        return UnmaskList(items=[UnmaskRequestOut.of(r, now) for r in pending_dpo_reviews(conn)])


@router.get(
    "/unmasking/{request_id}",
    response_model=UnmaskRequestOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def get_one(request_id: RequestId, store: StoreDep, caller: Reader) -> UnmaskRequestOut:
    """One request (404 for someone else's, to analysts and supervisors)."""
    return UnmaskRequestOut.of(_load(store, caller, request_id), privacy_now())


@router.post(
    "/unmasking/{request_id}/decision",
    response_model=UnmaskRequestOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def post_decision(
    request_id: RequestId, body: DecisionIn, store: StoreDep, caller: Caller
) -> UnmaskRequestOut:
    """Approve or refuse a pending request (``approve_unmasking``: the independent approver).
    The requester, their role and the PIU's roles are refused with 409 and the reason (the
    attempt is audited); other roles without ``approve_unmasking`` get 403."""
    now = privacy_now()
    problem: UnmaskError | None = None
    with store.write() as conn:
        try:
            get_request(conn, request_id)
        except UnmaskError:
            raise _missing(request_id) from None
        try:
            decided = decide_unmasking(
                conn, request_id, actor(caller), approve=body.approve, note=body.note, now=now
            )
        except UnmaskError as error:
            problem = error  # the refusal's audit event commits with this transaction
    if problem is not None:
        if not can(caller, Action.APPROVE_UNMASKING) and caller.role not in UNMASKING_READERS:
            raise AccessDenied(Action.APPROVE_UNMASKING, str(problem))
        raise _conflict(problem)
    return UnmaskRequestOut.of(decided, now)


@router.get(
    "/unmasking/{request_id}/records",
    response_model=UnmaskedOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def get_records(request_id: RequestId, store: StoreDep, caller: Requester) -> UnmaskedOut:
    """The full data of the request's records: the requester only (403), while the approval
    runs (409 otherwise). Each access is audited."""
    now = privacy_now()
    problem: ProblemError | None = None
    with store.write() as conn:
        try:
            request = get_request(conn, request_id)
        except UnmaskError:
            raise _missing(request_id) from None
        try:
            records = unmask(conn, request_id, actor(caller), vault=vault(), now=now)
        except UnmaskError as error:
            status = 403 if request.requester != caller.username else 409
            kind = "forbidden" if status == 403 else "unmasking-refused"
            problem = ProblemError(status, str(error), kind=kind)
    if problem is not None:
        raise problem
    return UnmaskedOut(
        request_id=request_id,
        expires_at=request.expires_at,
        records=[UnmaskedRecordOut.of(r) for r in records],
    )


@router.post(
    "/unmasking/{request_id}/revoke",
    response_model=UnmaskRequestOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def post_revoke(
    request_id: RequestId, body: RevokeIn, store: StoreDep, caller: Reader
) -> UnmaskRequestOut:
    """End an approval early (the requester, the independent approver, the DPO)."""
    now = privacy_now()
    _load(store, caller, request_id)
    with store.write() as conn:
        try:
            revoke(conn, request_id, actor(caller), reason=body.reason, now=now)
        except UnmaskError as error:
            raise _conflict(error) from None
        return UnmaskRequestOut.of(get_request(conn, request_id), now)


@router.post(
    "/unmasking/{request_id}/review",
    response_model=UnmaskRequestOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def post_review(
    request_id: RequestId, body: DpoReviewIn, store: StoreDep, caller: Reviewer
) -> UnmaskRequestOut:
    """The DPO's ex-post review of an approved or revoked request."""
    now = privacy_now()
    _load(store, caller, request_id)
    with store.write() as conn:
        try:
            reviewed = dpo_review(
                conn, request_id, actor(caller), outcome=body.outcome, note=body.note, now=now
            )
        except UnmaskError as error:
            raise _conflict(error) from None
    return UnmaskRequestOut.of(reviewed, now)

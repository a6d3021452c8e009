"""Accounts (``manage_users``: administrators): ``GET /api/v1/users``, ``POST /users``,
``POST /users/{username}/disable`` and ``/enable``, ``POST /users/{username}/tokens``.

Every change is recorded in the audit trail with the administrator as actor. Passwords
and tokens are answered once (when generated) and never logged."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi import Path as PathParam

from paxwatch.api.deps import SettingsDep, StoreDep, permit
from paxwatch.api.models_review import (
    CreatedUserOut,
    TokenIn,
    TokenOut,
    UserIn,
    UserList,
    UserOut,
)
from paxwatch.api.problems import PROBLEM_RESPONSES, ProblemError, problem_doc
from paxwatch.privacy.access import AccessError, Action, Principal
from paxwatch.privacy.tokens import create_token, forget_cached_tokens
from paxwatch.privacy.users import create_user, list_users, set_active

router = APIRouter(tags=["users"])

Admin = Annotated[Principal, Depends(permit(Action.MANAGE_USERS))]
Username = Annotated[str, PathParam(min_length=2, max_length=100)]
_REFUSED: dict[int | str, dict[str, object]] = {
    404: problem_doc("No such user"),
    409: problem_doc("The user exists"),
}


def refused(error: AccessError) -> ProblemError:
    """The problem of a refused account operation (its message names no secret)."""
    text = str(error)
    if text.startswith("no user"):
        return ProblemError(404, text, kind="not-found")
    if text.endswith("exists"):
        return ProblemError(409, text, kind="conflict")
    return ProblemError(422, text, kind="invalid-request")


@router.get("/users", response_model=UserList, responses=PROBLEM_RESPONSES)
def get_users(store: StoreDep, _caller: Admin) -> UserList:
    """Every account, by username (never a password hash). Permission: ``manage_users``."""
    with store.read() as conn:
        return UserList(items=[UserOut.of(u) for u in list_users(conn)])


@router.post(
    "/users",
    status_code=201,
    response_model=CreatedUserOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def post_user(
    body: UserIn, store: StoreDep, settings: SettingsDep, caller: Admin
) -> CreatedUserOut:
    """Create an account with a role; without a password one is generated and answered
    once. 409 when the username exists, 422 for a name or password the policy refuses.
    Permission: ``manage_users``."""
    try:
        created = create_user(
            store,
            body.username,
            body.role,
            password=body.password,
            actor=caller.username,
            config=settings.access,
        )
    except AccessError as error:
        raise refused(error) from None
    return CreatedUserOut.of(created)


def _set_active(store: StoreDep, username: str, active: bool, caller: Principal) -> UserOut:
    try:
        changed = UserOut.of(set_active(store, username, active, actor=caller.username))
    except AccessError as error:
        raise refused(error) from None
    forget_cached_tokens()  # a disabled account's tokens stop working at once
    return changed


@router.post(
    "/users/{username}/disable",
    response_model=UserOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def disable_user(username: Username, store: StoreDep, caller: Admin) -> UserOut:
    """Disable an account: its sessions end and its API tokens stop working at once.
    Permission: ``manage_users``."""
    return _set_active(store, username, False, caller)


@router.post(
    "/users/{username}/enable",
    response_model=UserOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def enable_user(username: Username, store: StoreDep, caller: Admin) -> UserOut:
    """Enable a disabled account again. Permission: ``manage_users``."""
    return _set_active(store, username, True, caller)


@router.post(
    "/users/{username}/tokens",
    status_code=201,
    response_model=TokenOut,
    responses={**PROBLEM_RESPONSES, **_REFUSED},
)
def post_token(
    username: Username, body: TokenIn, store: StoreDep, settings: SettingsDep, caller: Admin
) -> TokenOut:
    """Create an API token for an account (it acts with the account's role; ``days``
    valid, 0 for no expiry, default ``PAXWATCH_TOKEN_DAYS``). The token is answered once.
    Permission: ``manage_users``."""
    try:
        new = create_token(
            store,
            username,
            name=body.name,
            days=body.days,
            actor=caller.username,
            config=settings.access,
        )
    except AccessError as error:
        raise refused(error) from None
    return TokenOut.of(new)

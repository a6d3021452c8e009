"""Dependencies of the routes: the store, the settings and the caller.

Authentication: ``Authorization: Bearer <token>`` with an account's API token
(``paxwatch.privacy.tokens.authenticate_token``). No token, an unknown, revoked or expired
one, or one whose account is disabled or changed role, is **401**. Authorisation: every
route names the ``Action`` it performs (``permit(Action.X)``) and ``paxwatch.privacy.access``
decides; a refusal (``AccessDenied``) is **403** with the missing permission. Reads of one
record's personal data are further checked against the record (the visibility window) by
``paxwatch.api.reads``.

Carriers push with the push-only tokens of ``PAXWATCH_API_TOKENS`` (``Pusher``).
Tokens are never logged.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from paxwatch.api.problems import ProblemError
from paxwatch.api.reads import Reader
from paxwatch.api.settings import ApiSettings, ApiToken
from paxwatch.privacy.access import PERMISSIONS, AccessDenied, Action, Principal
from paxwatch.privacy.tokens import TokenCache, authenticate_token, cached_principal
from paxwatch.store.engine import Store

_bearer = HTTPBearer(
    auto_error=False,
    description="An account's API token (pxw_…); carriers: a push token of PAXWATCH_API_TOKENS.",
)
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="paxwatch"'}
_MISSING = "This endpoint needs a bearer token (Authorization: Bearer <token>)."
_UNKNOWN = (
    "The bearer token is not valid: unknown, revoked or expired, or its account is disabled "
    "or changed role."
)


# The dependencies of every route are ``async``: FastAPI runs a plain ``def`` dependency in
# a worker thread, one hand-over per dependency and request; these do no I/O (a token
# missing from the cache is read in a worker thread).


async def get_store(request: Request) -> Store:
    """The application's store."""
    store: Store = request.app.state.store
    return store


async def get_settings(request: Request) -> ApiSettings:
    """The application's settings."""
    settings: ApiSettings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _presented(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ProblemError(401, _MISSING, kind="unauthenticated", headers=_CHALLENGE)
    return credentials.credentials


def _tokens(request: Request) -> TokenCache | None:
    cache: TokenCache | None = getattr(request.app.state, "tokens", None)
    return cache


async def _authenticate(
    request: Request, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    presented, cache = _presented(credentials), _tokens(request)
    principal = cached_principal(presented, cache)
    if principal is None:
        store: Store = request.app.state.store
        principal = await run_in_threadpool(authenticate_token, store, presented, cache=cache)
    if principal is None:
        raise ProblemError(401, _UNKNOWN, kind="unauthenticated", headers=_CHALLENGE)
    request.state.principal = principal
    return principal


async def current_principal(request: Request, credentials: Credentials) -> Principal:
    """The account behind the bearer token (401 without a valid one). A token found valid
    is trusted for ``ApiSettings.token_cache_seconds`` (``TokenCache``)."""
    return await _authenticate(request, credentials)


def permit(action: Action) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting callers whose role may perform ``action`` (403 otherwise).

    For reads of personal data this is the role check only; the record itself is checked
    by ``paxwatch.api.reads`` (visibility window). One dependency (with the bearer
    scheme's) rather than a chain: FastAPI solves each level of dependencies again for
    every request."""

    async def check(request: Request, credentials: Credentials) -> Principal:
        principal = await _authenticate(request, credentials)
        if action not in PERMISSIONS.get(principal.role, frozenset()):
            raise AccessDenied(action, f"role {principal.role.value} may not {action.value}")
        return principal

    check.__name__ = f"permit_{action.value}"
    return check


def _lookup(settings: ApiSettings, presented: str) -> ApiToken | None:
    found: ApiToken | None = None
    encoded = presented.encode("utf-8")
    for token, caller in settings.tokens.items():
        # Compare with every token in constant time: no early exit leaks which is close.
        if hmac.compare_digest(token.encode("utf-8"), encoded):
            found = caller
    return found


def push_caller(
    request: Request, store: StoreDep, settings: SettingsDep, credentials: Credentials
) -> ApiToken:
    """A carrier with a push token of ``PAXWATCH_API_TOKENS``: 403 for an account's token
    (people do not push messages), 401 for anything else."""
    presented = _presented(credentials)
    caller = _lookup(settings, presented)
    if caller is not None and "push" in caller.scopes:
        return caller
    if authenticate_token(store, presented, cache=_tokens(request)) is not None:
        raise ProblemError(
            403,
            "Pushing messages needs a carrier push token (PAXWATCH_API_TOKENS), not an "
            "account's token.",
            kind="forbidden",
        )
    raise ProblemError(401, _UNKNOWN, kind="unauthenticated", headers=_CHALLENGE)


Caller = Annotated[Principal, Depends(current_principal)]
Pusher = Annotated[ApiToken, Depends(push_caller)]


Purpose = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Why you read this personal data (recorded in the audit trail; no names).",
    ),
]


def reader(
    store: Store, settings: ApiSettings, principal: Principal, purpose: str | None, default: str
) -> Reader:
    """The reader of personal data for one request."""
    text = (purpose or "").strip() or default
    return Reader(store=store, principal=principal, purpose=text, config=settings.access)

"""Dependencies of the routes: the store, the settings and the caller's token.

Authentication is interim (see ``paxwatch.api.settings``): a bearer token from
``PAXWATCH_API_TOKENS``; no token or an unknown one is 401, a token without the route's
scope is 403.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from paxwatch.api.problems import ProblemError
from paxwatch.api.settings import ApiSettings, ApiToken
from paxwatch.store.engine import Store

_bearer = HTTPBearer(auto_error=False, description="Interim token from PAXWATCH_API_TOKENS.")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="paxwatch"'}


def get_store(request: Request) -> Store:
    """The application's store."""
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> ApiSettings:
    """The application's settings."""
    settings: ApiSettings = request.app.state.settings
    return settings


def _lookup(settings: ApiSettings, presented: str) -> ApiToken | None:
    found: ApiToken | None = None
    encoded = presented.encode("utf-8")
    for token, caller in settings.tokens.items():
        # Compare with every token in constant time: no early exit leaks which is close.
        if hmac.compare_digest(token.encode("utf-8"), encoded):
            found = caller
    return found


def require(scope: str) -> Callable[..., ApiToken]:
    """A dependency that admits callers whose token has ``scope``."""

    def check(
        settings: Annotated[ApiSettings, Depends(get_settings)],
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> ApiToken:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise ProblemError(
                401,
                "This endpoint needs a bearer token (Authorization: Bearer <token>).",
                kind="unauthenticated",
                headers=_CHALLENGE,
            )
        caller = _lookup(settings, credentials.credentials)
        if caller is None:
            raise ProblemError(
                401, "The bearer token is not known.", kind="unauthenticated", headers=_CHALLENGE
            )
        if scope not in caller.scopes:
            raise ProblemError(
                403,
                f"The token of {caller.name} does not have the {scope} scope.",
                kind="forbidden",
            )
        return caller

    return check


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
Reader = Annotated[ApiToken, Depends(require("read"))]
Pusher = Annotated[ApiToken, Depends(require("push"))]
Manager = Annotated[ApiToken, Depends(require("manage"))]

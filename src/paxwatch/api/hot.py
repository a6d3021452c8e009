"""A fast path for the analysts' two most frequent reads: ``GET /api/v1/queue`` and
``GET /api/v1/bookings/{locator}``.

FastAPI spends about as much CPU on routing, solving the dependencies and validating the
query parameters of these requests as the reads themselves (``docs/api.md``,
"Performance"). :class:`HotReads` answers the plain form of both requests itself and hands
everything else to FastAPI unchanged:

- only ``GET``, only these two paths, only the parameters ``limit``, ``offset`` and
  ``purpose`` (queue) or ``purpose`` and ``carrier`` (booking), each at most once, with
  values the route would accept as they are (digits in range, texts within their length);
- only a bearer token found valid in the token cache (``TokenCache``) whose role may
  perform the route's action.

Any other request (another parameter, a value out of range, no token, a token not cached,
a role without the permission) goes through FastAPI, which answers it exactly as before
(its 401, 403 and 422 problem details). Once the fast path has taken a request, it calls
the same code as the route (``queue.queue_answer``, ``bookings.booking_answer``: the same
checks of the record, the same audit event, the same JSON), in a worker thread like
FastAPI, and answers errors with the application's own exception handlers (404 and 403
problem details). The route stays registered: OpenAPI documents it, and the access log
and metrics name its template.
"""

from __future__ import annotations

from collections.abc import Callable
from inspect import iscoroutinefunction
from typing import Any
from urllib.parse import parse_qsl

from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from paxwatch.api import bookings, queue
from paxwatch.api.settings import ApiSettings
from paxwatch.privacy.access import PERMISSIONS, Action, Principal
from paxwatch.privacy.tokens import TokenCache, cached_principal
from paxwatch.review.decisions import OPEN_STATES
from paxwatch.review.queue_query import QueueFilter
from paxwatch.store.engine import Store

QUEUE_PATH = "/api/v1/queue"
BOOKINGS_PREFIX = "/api/v1/bookings/"

_MAX_DIGITS = 9
"""Longer integers go through FastAPI (none is valid here anyway)."""


def _route(router: Any, path: str) -> Any:
    return next(r for r in router.routes if getattr(r, "path", None) == path)


def _integer(value: str, low: int, high: int) -> int | None:
    """``value`` as FastAPI would validate it, or None when it might not (FastAPI decides)."""
    if not (value.isascii() and value.isdigit()) or len(value) > _MAX_DIGITS:
        return None
    number = int(value)
    return number if low <= number <= high else None


def _params(query: bytes, allowed: dict[str, int]) -> dict[str, str] | None:
    """The query parameters when each is one of ``allowed`` (name: maximum length), given
    at most once and within its length; None otherwise."""
    if not query:
        return {}
    # As Starlette parses them (``QueryParams``).
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    found: dict[str, str] = {}
    for name, value in pairs:
        longest = allowed.get(name)
        if longest is None or name in found or len(value) > longest:
            return None
        found[name] = value
    return found


def _route_path(scope: Scope) -> str:
    """The path without the application's root path (as Starlette's router matches it)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] == "/":
        return path[len(root) :]
    return path


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            # The first, as Starlette's ``Headers.get``.
            text: str = value.decode("latin-1")
            return text
    return None


class HotReads:
    """The fast path (module docstring). A plain ASGI middleware, innermost of the
    application's own (inside the access log and the body limit)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.queue_route = _route(queue.router, "/queue")
        self.booking_route = _route(bookings.router, "/bookings/{locator}")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        answer = self._plan(scope)
        if answer is None:
            await self.app(scope, receive, send)
            return
        try:
            response = await run_in_threadpool(answer)
        except Exception as exc:
            handler = _handler(scope, exc)
            if handler is None:
                raise
            request = Request(scope, receive)
            if iscoroutinefunction(handler):
                response = await handler(request, exc)
            else:
                response = await run_in_threadpool(handler, request, exc)
        await response(scope, receive, send)

    def _plan(self, scope: Scope) -> Callable[[], Response] | None:
        """The answer of a request the fast path takes (to run in a worker thread)."""
        path = _route_path(scope)
        if path == QUEUE_PATH:
            return self._queue(scope)
        if path.startswith(BOOKINGS_PREFIX):
            locator = path[len(BOOKINGS_PREFIX) :]
            if locator and "/" not in locator:
                return self._booking(scope, locator)
        return None

    def _caller(self, scope: Scope, action: Action) -> Principal | None:
        scheme, token = get_authorization_scheme_param(_header(scope, b"authorization"))
        if not token or scheme.lower() != "bearer":
            return None
        cache: TokenCache | None = getattr(scope["app"].state, "tokens", None)
        principal = cached_principal(token, cache)
        if principal is None or action not in PERMISSIONS.get(principal.role, frozenset()):
            return None
        return principal

    def _queue(self, scope: Scope) -> Callable[[], Response] | None:
        params = _params(scope["query_string"], {"limit": 10, "offset": 10, "purpose": 200})
        if params is None:
            return None
        limit = _integer(params.get("limit", "100"), 1, 1000)
        offset = _integer(params.get("offset", "0"), 0, 10**_MAX_DIGITS)
        caller = self._caller(scope, Action.READ_HITS)
        if limit is None or offset is None or caller is None:
            return None
        state = scope["app"].state
        store: Store = state.store
        settings: ApiSettings = state.settings
        filters = QueueFilter(states=OPEN_STATES, limit=limit + 1, offset=offset)
        purpose = params.get("purpose")
        self._selected(scope, self.queue_route, {})
        return lambda: queue.queue_answer(store, settings, caller, filters, purpose)

    def _booking(self, scope: Scope, locator: str) -> Callable[[], Response] | None:
        params = _params(scope["query_string"], {"purpose": 200, "carrier": 3})
        caller = self._caller(scope, Action.READ_BOOKING)
        if params is None or caller is None:
            return None
        state = scope["app"].state
        store: Store = state.store
        settings: ApiSettings = state.settings
        purpose, carrier = params.get("purpose"), params.get("carrier")
        self._selected(scope, self.booking_route, {"locator": locator})
        return lambda: bookings.booking_answer(store, settings, caller, locator, purpose, carrier)

    @staticmethod
    def _selected(scope: Scope, route: Any, path_params: dict[str, str]) -> None:
        # What the router records: the access log and the metrics name the route template.
        scope["route"] = route
        scope["endpoint"] = route.endpoint
        scope["path_params"] = path_params


def _handler(scope: Scope, exc: Exception) -> Callable[[Request, Exception], Any] | None:
    """The application's handler of ``exc`` (as Starlette's exception middleware finds it),
    except the catch-all one of ``Exception``, which stays with the server error
    middleware."""
    handlers: dict[Any, Any] = scope["app"].exception_handlers
    for kind in type(exc).__mro__:
        if kind is Exception:
            return None
        if kind in handlers:
            found: Callable[[Request, Exception], Any] = handlers[kind]
            return found
    return None

"""The application factory: ``create_app(store)``.

Routes live under ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``, interactive docs at
``/api/v1/docs``). Without a store, the app opens the configured one
(``PAXWATCH_DATABASE_URL``) when it starts and closes it when it stops; a store passed in
belongs to the caller.

Logging: one line per request with the method, the route *template* (``/api/v1/bookings/
{locator}``, never the locator), the status and the time. Bodies, query strings and tokens
are never logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import APIRouter, FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import paxwatch
from paxwatch.api import (
    audit,
    bookings,
    flights,
    health,
    messages,
    problems,
    quarantine,
    queue,
    retention_flags,
    selection,
    subject_requests,
    transmissions,
    travellers,
    unmasking,
    users,
)
from paxwatch.api import hits as hits_api
from paxwatch.api import metrics as metrics_api
from paxwatch.api import rules as rules_api
from paxwatch.api import screening as screening_api
from paxwatch.api import stats as stats_api
from paxwatch.api import watchlists as watchlists_api
from paxwatch.api.hot import HotReads
from paxwatch.api.settings import ApiSettings
from paxwatch.privacy.tokens import TokenCache
from paxwatch.store.engine import Store, open_store

API_PREFIX = "/api/v1"
_log = logging.getLogger("paxwatch.api.access")


def _template(scope: Scope) -> str:
    """The path template of the route that answered (the router records it in the scope)."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if not isinstance(path, str):
        return "(no route)"
    return path if path.startswith(API_PREFIX) else API_PREFIX + path


class AccessLog:
    """One log line and one metrics observation per answered request (route template,
    status, time). A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` costs a task
    group and a stream per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        await self.app(scope, receive, sending)
        elapsed = time.perf_counter() - started
        template = _template(scope)
        if _log.isEnabledFor(logging.INFO):
            _log.info("%s %s %d %.1fms", scope["method"], template, status, 1000 * elapsed)
        recorded: metrics_api.RequestMetrics = scope["app"].state.metrics
        recorded.observe(scope["method"], template, status, elapsed)


class BodyLimit:
    """Refuse (413) a request body over ``limit`` bytes, for every route (the UI's too).

    FastAPI reads a JSON or form body whole before it checks the caller's token: without
    this, anyone could make the server hold a body of any size in memory. A declared
    ``Content-Length`` over the limit is refused at once; a streamed body as soon as it
    passes the limit."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = f"The body is larger than the limit of {self.limit:,} bytes."
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            problem = problems.Problem(
                type=problems.TOO_LARGE_TYPE, title="Content Too Large", status=413, detail=detail
            )
            await problems.problem_response(problem)(scope, receive, send)
            return
        size = 0

        async def bounded() -> Message:
            nonlocal size
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > self.limit:
                    raise StarletteHTTPException(413, detail)
            return message

        await self.app(scope, bounded, send)


def create_app(store: Store | None = None, *, settings: ApiSettings | None = None) -> FastAPI:
    """The paxwatch API over ``store`` (default: the configured store, opened at startup).

    ``settings`` default to the environment (``PAXWATCH_API_TOKENS``: carrier push tokens,
    ``PAXWATCH_API_MAX_BODY``, the access and review configurations).
    """
    resolved = settings if settings is not None else ApiSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if resolved.threads > 0:
            # Few threads: with the GIL, 40 busy threads (anyio's default) starve the event
            # loop and answer requests out of order (long tails); a few keep SQLite busy.
            to_thread.current_default_thread_limiter().total_tokens = resolved.threads
        if store is not None:
            yield
            return
        app.state.store = open_store()
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="paxwatch",
        version=paxwatch.__version__,
        summary="Passenger Information Unit API: message push, lookups, hit review, audit.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.settings = resolved
    app.state.metrics = metrics_api.RequestMetrics()
    app.state.tokens = TokenCache(resolved.token_cache_seconds)
    problems.install(app)
    # Innermost first: the fast path of the hot reads runs inside the body limit and the
    # access log (which times and counts its answers like the others).
    app.add_middleware(HotReads)
    app.add_middleware(BodyLimit, limit=resolved.max_body)
    app.add_middleware(AccessLog)
    api = APIRouter(prefix=API_PREFIX)
    for module in (
        messages,
        flights,
        bookings,
        travellers,
        queue,
        hits_api,
        transmissions,
        quarantine,
        watchlists_api,
        screening_api,
        rules_api,
        audit,
        users,
        unmasking,
        retention_flags,
        selection,
        subject_requests,
        stats_api,
        health,
        metrics_api,
    ):
        api.include_router(module.router)
    app.include_router(api)
    return app

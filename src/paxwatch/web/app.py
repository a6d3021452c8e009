"""The web UI as a sub-application: ``install(app)`` mounts it on the API app under ``/ui``.

Sessions come from ``paxwatch.privacy.sessions``: the session id lives in an HttpOnly,
SameSite=Strict cookie (``Secure`` unless ``WebSettings.secure_cookies`` is off, for plain
HTTP on a developer machine), every form carries the session's CSRF token, and the login
form a double-submit token. Every page asks ``paxwatch.privacy.access``; a refusal is a 403
page that says why (never with personal data). Templates are Jinja2 with autoescape on.

Logging: like the API, nothing of the request but the route template is logged, and never
a name, a password or a form field.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.types import Receive, Scope, Send

from paxwatch.privacy.access import AccessConfig, AccessDenied
from paxwatch.review.decisions import ReviewError
from paxwatch.review.reasons import ReviewConfig, load_review_config
from paxwatch.store.engine import Store
from paxwatch.web import filters
from paxwatch.web.auth import CsrfFailed, LoginRequired
from paxwatch.web.pages_review import NotFound

UI_PREFIX = "/ui"
DEFAULT_MAX_UPLOAD = 100 * 1024 * 1024
_HERE = Path(__file__).parent
_log = logging.getLogger("paxwatch.web")

_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class WebSettings:
    """Settings of the UI. ``secure_cookies`` (``PAXWATCH_UI_SECURE_COOKIES``, default on)
    marks the session cookie ``Secure``: turn it off only for plain HTTP on 127.0.0.1."""

    secure_cookies: bool = True
    review: ReviewConfig = field(default_factory=ReviewConfig)
    access: AccessConfig = field(default_factory=AccessConfig)
    max_upload: int = DEFAULT_MAX_UPLOAD
    """Largest watch-list file the UI imports (``PAXWATCH_UI_MAX_UPLOAD``, bytes)."""

    @classmethod
    def from_env(cls) -> WebSettings:
        flag = os.environ.get("PAXWATCH_UI_SECURE_COOKIES", "1").strip().lower()
        upload = os.environ.get("PAXWATCH_UI_MAX_UPLOAD", "").strip()
        return cls(
            secure_cookies=flag not in {"0", "false", "no", "off"},
            review=load_review_config(),
            access=AccessConfig.from_env(),
            max_upload=int(upload) if upload.isdigit() else DEFAULT_MAX_UPLOAD,
        )


@dataclass(frozen=True, slots=True)
class WebState:
    """What the routes need: the store (through the parent app), settings, templates."""

    store_of: Callable[[], Store]
    settings: WebSettings
    templates: Jinja2Templates

    @property
    def store(self) -> Store:
        return self.store_of()


def _templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(_HERE / "templates"),
        autoescape=select_autoescape(["html", "svg"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters.install(env)
    return Jinja2Templates(env=env)


def _page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    state: WebState = request.app.state.web
    return state.templates.TemplateResponse(
        request,
        "error.html",
        {"title": title, "message": message, "principal": None, "csrf": ""},
        status_code=status,
    )


async def _on_login(request: Request, _exc: Exception) -> Response:
    return RedirectResponse(f"{UI_PREFIX}/login", status_code=303)


async def _on_denied(request: Request, exc: Exception) -> Response:
    reason = exc.reason if isinstance(exc, AccessDenied) else "not allowed"
    return _page(request, 403, "Not allowed", f"You may not see this page: {reason}.")


async def _on_csrf(request: Request, _exc: Exception) -> Response:
    return _page(request, 403, "Form expired", "The form was stale: reload the page and retry.")


async def _on_missing(request: Request, _exc: Exception) -> Response:
    return _page(request, 404, "Not found", "There is no such record.")


async def _on_review(request: Request, exc: Exception) -> Response:
    reason = exc.reason if isinstance(exc, ReviewError) else "refused"
    return _page(request, 409, "Refused", f"The request was refused: {reason}.")


async def _headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    for name, value in _SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def create_web_app(store_of: Callable[[], Store], settings: WebSettings | None = None) -> FastAPI:
    """The UI application; ``store_of`` gives the store at request time."""
    from paxwatch.web import routes, routes_admin, routes_dpo

    web = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    web.state.web = WebState(store_of, settings or WebSettings.from_env(), _templates())
    web.add_exception_handler(LoginRequired, _on_login)
    web.add_exception_handler(AccessDenied, _on_denied)
    web.add_exception_handler(CsrfFailed, _on_csrf)
    web.add_exception_handler(NotFound, _on_missing)
    web.add_exception_handler(ReviewError, _on_review)
    web.middleware("http")(_headers)
    web.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")
    web.include_router(routes.router)
    web.include_router(routes_admin.router)
    web.include_router(routes_dpo.router)
    return web


def install(app: FastAPI, settings: WebSettings | None = None) -> None:
    """Mount the UI on ``app`` under ``/ui`` (sharing ``app.state.store``) and send ``/``
    there."""

    def store_of() -> Store:
        store: Store = app.state.store
        return store

    async def root() -> RedirectResponse:
        return RedirectResponse(f"{UI_PREFIX}/", status_code=307)

    web = create_web_app(store_of, settings)

    async def isolated(scope: Scope, receive: Receive, send: Send) -> None:
        # The UI gets its own copy of the scope: the API's middleware, which runs around
        # it, still finds its own app (``scope["app"]``) and route when the UI has answered.
        # Its own router resolves ``url_for`` (under the ``/ui`` root path).
        child = {key: value for key, value in scope.items() if key != "router"}
        child["app_root_path"] = scope.get("root_path", "")
        await web(child, receive, send)

    app.add_api_route("/", root, include_in_schema=False)
    app.mount(UI_PREFIX, isolated)

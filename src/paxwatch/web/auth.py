"""Sessions and CSRF for the UI routes: the ``Ctx`` dependency and cookie handling."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse

from paxwatch.privacy.access import Action, Principal, can
from paxwatch.privacy.sessions import ActiveSession, check_csrf, validate_session
from paxwatch.store.engine import Store

if TYPE_CHECKING:
    from paxwatch.web.app import WebState

SESSION_COOKIE = "paxwatch_session"
LOGIN_COOKIE = "paxwatch_login"
COOKIE_PATH = "/ui"


class LoginRequired(Exception):
    """No valid session: the handler redirects to the login page."""


class CsrfFailed(Exception):
    """A form without the right CSRF token."""


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


@dataclass(frozen=True, slots=True)
class Ctx:
    """The caller of a page: the request, the session, the UI state."""

    request: Request
    session: ActiveSession
    state: WebState

    @property
    def principal(self) -> Principal:
        return self.session.principal

    @property
    def store(self) -> Store:
        return self.state.store

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        """The page ``template`` with the caller, its CSRF token and the navigation."""
        context = {
            "principal": self.principal,
            "csrf": self.session.csrf_token,
            "can": lambda action: can(self.principal, Action(action)),
            **values,
        }
        return self.state.templates.TemplateResponse(
            self.request, template, context, status_code=status
        )

    async def check_form(self) -> None:
        """Raise :class:`CsrfFailed` unless the posted form carries the session's token."""
        form = await self.request.form()
        token = form.get("csrf_token")
        if not check_csrf(self.session, token if isinstance(token, str) else None):
            raise CsrfFailed


def current(request: Request) -> Ctx:
    """The session of the cookie, or :class:`LoginRequired`."""
    state = web_state(request)
    session = validate_session(
        state.store, request.cookies.get(SESSION_COOKIE, ""), config=state.settings.access
    )
    if session is None:
        raise LoginRequired
    return Ctx(request, session, state)


async def posted(request: Request) -> Ctx:
    """As :func:`current`, for a form post: the CSRF token is checked too."""
    ctx = current(request)
    await ctx.check_form()
    return ctx


Page = Annotated[Ctx, Depends(current)]
Post = Annotated[Ctx, Depends(posted)]


def set_session_cookie(response: Response, state: WebState, session_id: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=state.settings.access.session_hours * 3600,
        path=COOKIE_PATH,
        secure=state.settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )


def new_login_token() -> str:
    """A double-submit token for the login form (there is no session yet)."""
    return secrets.token_urlsafe(24)


def set_login_cookie(response: Response, state: WebState, token: str) -> None:
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        path=COOKIE_PATH,
        secure=state.settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )


def login_token_ok(request: Request, presented: str) -> bool:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    return bool(expected and presented) and hmac.compare_digest(expected, presented)


def clear_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)

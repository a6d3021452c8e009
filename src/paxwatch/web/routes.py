"""Routes of the analyst's pages: login, dashboard, flights, queue, hit, booking, transmission.

Each route is thin: it parses the request, makes one call into ``pages_*`` (which asks the
access control and audits personal-data reads) and renders a template.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from paxwatch.privacy.sessions import login as open_session
from paxwatch.privacy.sessions import revoke_session
from paxwatch.privacy.users import LoginOutcome
from paxwatch.review.decisions import ReviewState
from paxwatch.review.transmissions import DEFAULT_ELEMENTS, Element
from paxwatch.rules.offences import OFFENCES
from paxwatch.web import charts
from paxwatch.web import pages_data as pd
from paxwatch.web import pages_review as pr
from paxwatch.web.auth import (
    SESSION_COOKIE,
    Page,
    Post,
    clear_cookies,
    login_token_ok,
    new_login_token,
    set_login_cookie,
    set_session_cookie,
    web_state,
)

router = APIRouter()

_LOGIN_MESSAGES = {
    LoginOutcome.BAD_CREDENTIALS: "Wrong user name or password.",
    LoginOutcome.DISABLED: "Wrong user name or password.",
    LoginOutcome.LOCKED: (
        "Too many failed attempts: this account is locked for a while. "
        "Try again later or ask an administrator to unlock it."
    ),
}


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _login_page(request: Request, message: str = "", status: int = 200) -> HTMLResponse:
    state = web_state(request)
    token = new_login_token()
    response = state.templates.TemplateResponse(
        request,
        "login.html",
        {"principal": None, "csrf": "", "message": message, "login_token": token},
        status_code=status,
    )
    set_login_cookie(response, state, token)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return _login_page(request)


@router.post("/login", response_model=None)
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    login_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    if not login_token_ok(request, login_token):
        return _login_page(request, "The form expired: please sign in again.", 403)
    state = web_state(request)
    outcome = open_session(state.store, username, password, config=state.settings.access)
    if outcome.session is None:
        return _login_page(request, _LOGIN_MESSAGES[outcome.result.outcome], 401)
    response = RedirectResponse(request.url_for("dashboard"), status_code=303)
    set_session_cookie(response, state, outcome.session.session_id)
    return response


@router.post("/logout")
def logout(ctx: Post) -> RedirectResponse:
    revoke_session(ctx.store, ctx.request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse(ctx.request.url_for("login_form"), status_code=303)
    clear_cookies(response)
    return response


@router.get("/", response_class=HTMLResponse, name="dashboard")
def dashboard(ctx: Page, day: str | None = None) -> HTMLResponse:
    figures = pd.dashboard(ctx.store, ctx.principal, _day(day))
    return ctx.render(
        "dashboard.html",
        figures=figures,
        day=day or "",
        per_hour=charts.column_chart(
            figures.travellers_per_hour, title="Booked travellers per departure hour"
        ),
        per_source=charts.bar_chart(figures.hits_per_source, title="Hits per list or rule"),
        per_status=charts.bar_chart(figures.hits_per_status, title="Hits per review outcome"),
    )


@router.get("/flights", response_class=HTMLResponse)
def flights(ctx: Page, day: str | None = None) -> HTMLResponse:
    rows = pd.flights_page(ctx.store, ctx.principal, _day(day))
    return ctx.render("flights.html", rows=rows, day=day or "")


@router.get("/queue", response_class=HTMLResponse)
def queue(
    ctx: Page,
    source: str = "",
    status: str = "",
    flight: str = "",
    min_score: str = "",
    kind: str = "",
) -> HTMLResponse:
    flight_id = _number(flight)
    query = pr.QueueQuery(
        source=source.strip()[:60],
        status=status if status in ReviewState.__members__.values() else "",
        flight_id=int(flight_id) if flight_id is not None else None,
        min_score=_number(min_score),
        kind=kind if kind in {"watchlist", "rule"} else "",
    )
    groups = pr.queue(ctx.store, ctx.principal, query)
    return ctx.render("queue.html", groups=groups, query=query, states=list(ReviewState))


@router.get("/hits/{hit_id}", response_class=HTMLResponse)
def hit(ctx: Page, hit_id: int, done: str = "") -> HTMLResponse:
    page = pr.hit_page(
        ctx.store,
        ctx.principal,
        hit_id,
        review_config=ctx.state.settings.review,
        access_config=ctx.state.settings.access,
    )
    return ctx.render("hit.html", page=page, done=done)


@router.post("/hits/{hit_id}/decision")
def decide(
    ctx: Post,
    hit_id: int,
    action: Annotated[str, Form(max_length=40)],
    reason: Annotated[str, Form(max_length=80)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
) -> RedirectResponse:
    form = pr.DecisionForm(action=action, reason=reason, note=note)
    made = pr.decide(ctx.store, ctx.principal, hit_id, form, config=ctx.state.settings.review)
    url = ctx.request.url_for("hit", hit_id=hit_id).include_query_params(done=made.to_state)
    return RedirectResponse(url, status_code=303)


@router.get("/hits/{hit_id}/transmit", response_class=HTMLResponse)
def transmit_form(ctx: Page, hit_id: int) -> HTMLResponse:
    found = pr.transmission_form(ctx.store, ctx.principal, hit_id)
    return ctx.render(
        "transmit.html",
        hit=found,
        authorities=ctx.state.settings.review.authorities,
        offences=OFFENCES,
        elements=list(Element),
        defaults=set(DEFAULT_ELEMENTS),
    )


@router.post("/hits/{hit_id}/transmit", response_class=HTMLResponse)
def transmit(
    ctx: Post,
    hit_id: int,
    recipient: Annotated[str, Form(max_length=80)],
    legal_basis: Annotated[str, Form(max_length=500)],
    offence_category: Annotated[str, Form(max_length=80)],
    elements: Annotated[list[str], Form()],
    reference: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    form = pr.TransmissionForm(
        recipient=recipient,
        legal_basis=legal_basis,
        offence_category=offence_category,
        elements=tuple(elements),
        reference=reference,
    )
    sent = pr.transmit(ctx.store, ctx.principal, hit_id, form, config=ctx.state.settings.review)
    return ctx.render("transmitted.html", sent=sent)


@router.get("/bookings/{locator}", response_class=HTMLResponse)
def booking(ctx: Page, locator: str, carrier: str | None = None) -> HTMLResponse:
    page = pd.booking_page(
        ctx.store,
        ctx.principal,
        locator[:20],
        carrier[:3] if carrier else None,
        access_config=ctx.state.settings.access,
    )
    return ctx.render("booking.html", page=page)

"""Routes of the DPO / statistics area: ``/ui/dpo/...`` (statistics and CSV, unmasking
requests with the approver's decision and the DPO's review, retention flags)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from paxwatch.web import pages_dpo as pdpo
from paxwatch.web.auth import Ctx, Page, Post

router = APIRouter()


@router.get("/dpo/stats", response_class=HTMLResponse, name="dpo_stats")
def stats(ctx: Page, year: str = "", month: str = "") -> HTMLResponse:
    page = pdpo.stats_page(
        ctx.store,
        ctx.principal,
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        month=month[:7] or None,
    )
    return ctx.render("dpo_stats.html", page=page)


@router.get("/dpo/stats/art20.csv", name="dpo_art20_csv")
def art20_csv(ctx: Page, year: str = "") -> Response:
    text, name = pdpo.stats_csv(ctx.store, ctx.principal, "art20", year[:4])
    return _csv(text, name)


@router.get("/dpo/stats/compliance.csv", name="dpo_compliance_csv")
def compliance_csv(ctx: Page, month: str = "") -> Response:
    text, name = pdpo.stats_csv(ctx.store, ctx.principal, "compliance", month[:7])
    return _csv(text, name)


def _csv(text: str, name: str) -> Response:
    return Response(
        content=text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _unmasking(ctx: Ctx, message: str = "", status: int = 200) -> HTMLResponse:
    page = pdpo.unmasking_page(ctx.store, ctx.principal)
    return ctx.render("dpo_unmasking.html", status, page=page, message=message)


@router.get("/dpo/unmasking", response_class=HTMLResponse, name="dpo_unmasking")
def unmasking(ctx: Page, done: str = "") -> HTMLResponse:
    return _unmasking(ctx, "Recorded." if done else "")


@router.post("/dpo/unmasking/{request_id}/decision", response_model=None, name="dpo_decision")
def decision(
    ctx: Post,
    request_id: int,
    decision: Annotated[str, Form(pattern="^(approve|refuse)$")],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    problem = pdpo.decide(
        ctx.store, ctx.principal, request_id, approve=decision == "approve", note=note
    )
    if problem:
        return _unmasking(ctx, f"Refused: {problem}.", 409)
    url = ctx.request.url_for("dpo_unmasking").include_query_params(done="1")
    return RedirectResponse(url, status_code=303)


@router.post("/dpo/unmasking/{request_id}/review", response_model=None, name="dpo_review")
def review(
    ctx: Post,
    request_id: int,
    outcome: Annotated[str, Form(pattern="^(lawful|unlawful)$")],
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    problem = pdpo.review(ctx.store, ctx.principal, request_id, outcome=outcome, note=note)
    if problem:
        return _unmasking(ctx, f"Refused: {problem}.", 409)
    url = ctx.request.url_for("dpo_unmasking").include_query_params(done="1")
    return RedirectResponse(url, status_code=303)


def _flags(
    ctx: Ctx,
    *,
    lifted: bool = False,
    message: str = "",
    status: int = 200,
    target: tuple[int, str] | None = None,
) -> HTMLResponse:
    page = pdpo.flags_page(ctx.store, ctx.principal, include_lifted=lifted)
    return ctx.render(
        "dpo_flags.html", status, page=page, lifted=lifted, message=message, target=target
    )


@router.get("/dpo/flags", response_class=HTMLResponse, name="dpo_flags")
def flags(
    ctx: Page, lifted: bool = False, booking_id: int | None = None, ref: str = "", done: str = ""
) -> HTMLResponse:
    """The flags; ``booking_id`` (and ``ref``) prefill the form that sets one."""
    target = (booking_id, ref[:20]) if booking_id is not None else None
    return _flags(ctx, lifted=lifted, message="Recorded." if done else "", target=target)


@router.post("/dpo/flags", response_model=None, name="dpo_flag_set")
def flag_set(
    ctx: Post,
    booking_id: Annotated[int, Form(ge=1)],
    kind: Annotated[str, Form(max_length=40)],
    reason: Annotated[str, Form(max_length=2000)],
    review_on: Annotated[date, Form()],
    traveller_ref: Annotated[str, Form(max_length=20)] = "",
    evidence_ref: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """A supervisor keeps a booked traveller (or a whole booking) past the deletion point."""
    request = pdpo.FlagRequest(
        booking_id=booking_id,
        traveller_ref=traveller_ref.strip() or None,
        kind=kind,
        reason=reason,
        evidence_ref=evidence_ref.strip() or None,
        review_on=review_on,
    )
    problem = pdpo.set_flag_from_form(ctx.store, ctx.principal, request)
    if problem:
        target = (booking_id, traveller_ref.strip())
        return _flags(ctx, message=f"Refused: {problem}.", status=409, target=target)
    url = ctx.request.url_for("dpo_flags").include_query_params(done="1")
    return RedirectResponse(url, status_code=303)


@router.post("/dpo/flags/{flag_id}/lift", response_model=None, name="dpo_flag_lift")
def flag_lift(
    ctx: Post, flag_id: int, reason: Annotated[str, Form(max_length=2000)] = ""
) -> Response:
    """A supervisor lifts a flag, saying why (the flag stays on record)."""
    problem = pdpo.lift_flag_from_form(ctx.store, ctx.principal, flag_id, reason)
    if problem:
        return _flags(ctx, message=f"Refused: {problem}.", status=409)
    url = ctx.request.url_for("dpo_flags").include_query_params(done="1")
    return RedirectResponse(url, status_code=303)

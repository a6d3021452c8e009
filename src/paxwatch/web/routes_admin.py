"""Routes of the rule, watch-list and audit pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse

from paxwatch.web import pages_admin as pa
from paxwatch.web.auth import Page, Post

router = APIRouter()

_TEMPLATE = """rule R-0100 "Title of the criterion"
  offence: drug-trafficking
  author: your.name
  version: 1
  review: 2027-06-01
  score: 30
  status: draft
when
  booking.lead_time_days <= 2 and booking.one_way
end
"""


@router.get("/rules", response_class=HTMLResponse)
def rules(ctx: Page) -> HTMLResponse:
    return ctx.render("rules.html", rules=pa.rules_page(ctx.store, ctx.principal))


@router.get("/rules/editor", response_class=HTMLResponse)
def rule_editor(ctx: Page) -> HTMLResponse:
    edit = pa.edit_rules(ctx.store, ctx.principal, _TEMPLATE, save=False)
    return ctx.render("rule_editor.html", edit=edit)


@router.post("/rules/editor", response_class=HTMLResponse)
def rule_edit(
    ctx: Post,
    text: Annotated[str, Form(max_length=200_000)],
    intent: Annotated[str, Form(max_length=10)] = "check",
) -> HTMLResponse:
    edit = pa.edit_rules(ctx.store, ctx.principal, text, save=intent == "save")
    return ctx.render("rule_editor.html", edit=edit)


@router.get("/rules/{rule_id}", response_class=HTMLResponse)
def rule(ctx: Page, rule_id: str, backtest: bool = False) -> HTMLResponse:
    page = pa.rule_page(ctx.store, ctx.principal, rule_id[:40], run_backtest=backtest)
    return ctx.render("rule.html", page=page)


@router.get("/watchlists", response_class=HTMLResponse)
def watchlists(ctx: Page) -> HTMLResponse:
    return ctx.render("watchlists.html", rows=pa.watchlists_page(ctx.store, ctx.principal))


@router.get("/audit", response_class=HTMLResponse)
def audit(ctx: Page, kind: str = "", actor: str = "") -> HTMLResponse:
    page = pa.audit_page(ctx.store, ctx.principal, kind=kind[:40], actor=actor[:200])
    return ctx.render("audit.html", page=page, kind=kind, actor=actor)

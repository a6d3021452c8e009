"""Routes of the rule, watch-list and audit pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from paxwatch.assess.watchlists import ListFormat, SourceMeta
from paxwatch.screening.watchlists.registry import ListType, OffenceCategory
from paxwatch.web import pages_admin as pa
from paxwatch.web import pages_lists as pl
from paxwatch.web.auth import Ctx, Page, Post

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


@router.post("/rules/{rule_id}/state", response_class=HTMLResponse, name="rule_state")
def rule_state(
    ctx: Post,
    rule_id: str,
    version: Annotated[int, Form(ge=1)],
    action: Annotated[str, Form(pattern="^(activate|retire)$")],
) -> HTMLResponse:
    """Activate a draft version (four eyes) or retire a version."""
    notice = pl.set_rule_state(
        ctx.store, ctx.principal, rule_id[:40], version=version, activate=action == "activate"
    )
    page = pa.rule_page(ctx.store, ctx.principal, rule_id[:40])
    return ctx.render("rule.html", 200 if notice.ok else 409, page=page, notice=notice)


def _watchlists(ctx: Ctx, notice: pl.Notice | None = None) -> HTMLResponse:
    rows = pa.watchlists_page(ctx.store, ctx.principal)
    return ctx.render(
        "watchlists.html",
        200 if notice is None or notice.ok else 409,
        rows=rows,
        notice=notice,
        formats=[f.value for f in ListFormat],
        list_types=[t.value for t in ListType],
        offences=[o.value for o in OffenceCategory],
    )


@router.get("/watchlists", response_class=HTMLResponse)
def watchlists(ctx: Page) -> HTMLResponse:
    return _watchlists(ctx)


@router.post("/watchlists/import", response_class=HTMLResponse, name="watchlist_import")
async def watchlist_import(
    ctx: Post,
    source_id: Annotated[str, Form(max_length=60)],
    fmt: Annotated[str, Form(alias="format", max_length=40)],
    file: Annotated[UploadFile, File()],
    name: Annotated[str, Form(max_length=200)] = "",
    list_type: Annotated[str, Form(alias="type", max_length=40)] = "",
    owner: Annotated[str, Form(max_length=200)] = "",
    legal_basis: Annotated[str, Form(max_length=2000)] = "",
    offence: Annotated[str, Form(max_length=60)] = "",
    rescreen: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    """Import an uploaded list file as a new version of a source (registered on its first
    import); blank registry fields leave the stored values unchanged."""
    limit = ctx.state.settings.max_upload
    data = await file.read(limit + 1)
    if len(data) > limit:
        notice = pl.Notice(
            ok=False,
            text=f"The file is larger than {limit:,} bytes: import it with "
            "`paxwatch watchlist import` or raise PAXWATCH_UI_MAX_UPLOAD.",
        )
        return _watchlists(ctx, notice)
    meta = SourceMeta(
        name=name.strip() or None,
        type=list_type if list_type in set(ListType) else None,
        owner=owner.strip() or None,
        legal_basis=legal_basis.strip() or None,
        offence_category=offence if offence in set(OffenceCategory) else None,
    )
    notice = await run_in_threadpool(
        lambda: pl.import_list(
            ctx.store,
            ctx.principal,
            source_id=source_id.strip(),
            fmt=fmt,
            data=data,
            file_name=file.filename,
            content_type=file.content_type or "",
            meta=meta,
            rescreen=rescreen,
        )
    )
    return _watchlists(ctx, notice)


@router.post("/watchlists/{source_id}/state", response_class=HTMLResponse, name="watchlist_state")
def watchlist_state(
    ctx: Post,
    source_id: str,
    action: Annotated[str, Form(pattern="^(activate|deactivate)$")],
) -> HTMLResponse:
    """Activate a source (re-screening the stored window) or deactivate it."""
    notice = pl.set_list_state(
        ctx.store, ctx.principal, source_id[:60], active=action == "activate"
    )
    return _watchlists(ctx, notice)


@router.get("/audit", response_class=HTMLResponse)
def audit(ctx: Page, kind: str = "", actor: str = "") -> HTMLResponse:
    page = pa.audit_page(ctx.store, ctx.principal, kind=kind[:40], actor=actor[:200])
    return ctx.render("audit.html", page=page, kind=kind, actor=actor)

"""Targeting rules: list, show, import, check, activate (four eyes), retire, backtest, export.

Rule files travel as text (``text/plain``, UTF-8), in the language of ``docs/rules.md``.
Imports store every version as a **draft**; only an activation makes a version active, and
it is refused (409, with coded ``issues``) for the author of the version (``A001``), anyone
who is not a supervisor (``A002``), a version that is not a draft (``A003``) and every
failing static check. The deciding user and role are the caller's (the token's account).

Reads and checks need ``read_hits``; imports and backtests ``manage_rules``; activations and
retirements ``activate_rule`` (supervisors).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.concurrency import run_in_threadpool

from paxwatch.api.body import read_limited
from paxwatch.api.deps import SettingsDep, StoreDep, permit
from paxwatch.api.models_assess import DEFAULT_WINDOW_DAYS, RefusalProblem
from paxwatch.api.models_rules import (
    BacktestOut,
    CheckOut,
    RuleDecision,
    RuleDetail,
    RuleImportOut,
    RuleOut,
    RulePage,
)
from paxwatch.api.problems import PROBLEM_RESPONSES, ProblemError, problem_doc
from paxwatch.assess import rules as ar
from paxwatch.assess.screen import AssessConfig
from paxwatch.privacy.access import Action, Principal
from paxwatch.rules import Issue, RuleSyntaxError, Status
from paxwatch.rules.ast import Pos

router = APIRouter(tags=["rules"])

Reader = Annotated[Principal, Depends(permit(Action.READ_HITS))]
Manager = Annotated[Principal, Depends(permit(Action.MANAGE_RULES))]
Activator = Annotated[Principal, Depends(permit(Action.ACTIVATE_RULE))]

RuleId = Annotated[str, PathParam(min_length=1, max_length=60, description="The rule id.")]
_TEXT_BODY = {
    "requestBody": {
        "required": True,
        "description": "A rule file (UTF-8 text).",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    }
}
_NOT_FOUND: dict[int | str, dict[str, object]] = {404: problem_doc("No such rule")}
_REFUSED: dict[int | str, dict[str, object]] = {
    409: problem_doc("Refused, with the coded issues", RefusalProblem)
}


async def _rule_file(request: Request, limit: int) -> str:
    data = await read_limited(request, limit)
    if not data.strip():
        raise ProblemError(400, "The request body is empty: send the rule file.", kind="empty")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProblemError(422, "The rule file is not UTF-8 text.", kind="invalid-rules") from None


def _decided(error: ar.RuleStoreError, title: str) -> JSONResponse:
    """A refused activation or retirement: 409 with the issues; a rule or version that
    does not exist (the only refusals without issues): 404."""
    if not error.issues:
        return RefusalProblem.response(404, "not-found", "Not Found", str(error))
    return RefusalProblem.response(409, "refused", title, str(error), issues=error.issues)


@router.get("/rules", response_model=RulePage, responses=PROBLEM_RESPONSES)
def list_rules(
    store: StoreDep,
    _caller: Reader,
    status: Annotated[Status | None, Query(description="Only this status.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> RulePage:
    """Stored rule versions (without their text), by rule id and version."""
    with store.read() as conn:
        rules = ar.list_rules(conn, status.value if status else None)
    return RulePage.of(rules, limit, offset)


@router.get(
    "/rules/export",
    response_class=PlainTextResponse,
    responses={
        **PROBLEM_RESPONSES,
        200: {"content": {"text/plain": {}}, "description": "A rule file."},
    },
)
def export_rules(
    store: StoreDep,
    _caller: Reader,
    status: Annotated[Status | None, Query(description="Only this status.")] = None,
) -> PlainTextResponse:
    """The stored versions as a rule file (canonical text, with status and approval)."""
    with store.read() as conn:
        text = ar.export_rules(conn, status.value if status else None)
    return PlainTextResponse(text, media_type="text/plain; charset=utf-8")


@router.post(
    "/rules/imports",
    response_model=RuleImportOut,
    responses={
        **PROBLEM_RESPONSES,
        400: problem_doc("Empty body"),
        413: problem_doc("Too large"),
        422: problem_doc("The file cannot be read, or holds a rule twice", RefusalProblem),
    },
    openapi_extra=_TEXT_BODY,
)
async def import_rules(
    request: Request, store: StoreDep, settings: SettingsDep, caller: Manager
) -> RuleImportOut | JSONResponse:
    """Store the rules of a rule file as **drafts** (the caller is recorded as importer).

    A version already stored with the same text is left alone; with another text it is
    refused (an edit is a new version). A version marked active or retired in the file is
    stored as a draft, approval cleared: activation happens here, four eyes.
    """
    text = await _rule_file(request, settings.max_body)
    try:
        result = await run_in_threadpool(ar.import_rules, store, text, by=caller.username)
    except RuleSyntaxError as error:
        issue = Issue("P001", error.message, Pos(error.line, error.column))
        return RefusalProblem.response(
            422, "invalid-rules", "Rules not imported", str(error), issues=[issue]
        )
    except ar.RuleStoreError as error:
        return RefusalProblem.response(
            422, "invalid-rules", "Rules not imported", str(error), issues=error.issues
        )
    return RuleImportOut.of(result)


@router.post(
    "/rules/check",
    response_model=CheckOut,
    responses={**PROBLEM_RESPONSES, 400: problem_doc("Empty body"), 413: problem_doc("Too large")},
    openapi_extra=_TEXT_BODY,
)
async def check_rules(request: Request, settings: SettingsDep, _caller: Reader) -> CheckOut:
    """Every refusal of a rule file, without storing anything: syntax, unknown fields,
    sensitive data, metadata, duplicates. Each issue has a stable code, the sentence for
    the analyst and, where known, the line and column."""
    text = await _rule_file(request, settings.max_body)
    return CheckOut.of(await run_in_threadpool(ar.check_file, text))


@router.get(
    "/rules/{rule_id}",
    response_model=RuleDetail,
    responses={**PROBLEM_RESPONSES, **_NOT_FOUND},
)
def get_rule(rule_id: RuleId, store: StoreDep, _caller: Reader) -> RuleDetail:
    """A rule: every stored version with its text (latest first) and the active one."""
    with store.read() as conn:
        versions = [r for r in ar.list_rules(conn) if r.rule_id == rule_id]
    if not versions:
        raise ProblemError(404, f"There is no rule {rule_id}.", kind="not-found")
    return RuleDetail.of(rule_id, versions)


@router.post(
    "/rules/{rule_id}/activate",
    response_model=RuleOut,
    responses={**PROBLEM_RESPONSES, **_NOT_FOUND, **_REFUSED},
)
def activate_rule(
    rule_id: RuleId, store: StoreDep, caller: Activator, decision: RuleDecision | None = None
) -> RuleOut | JSONResponse:
    """Activate a draft version (the latest unless ``version``), four eyes: refused (409)
    for its author (``A001``), a role other than supervisor (``A002``), a version that is
    not a draft (``A003``) and every failing static check. The previously active version
    of the rule is retired in the same transaction. The caller is the approver.
    Permission: ``activate_rule``."""
    version = decision.version if decision is not None else None
    try:
        stored = ar.activate_rule(
            store, rule_id, by=caller.username, roles={caller.role.value}, version=version
        )
    except ar.RuleStoreError as error:
        return _decided(error, "Activation refused")
    return RuleOut.model_validate(stored)


@router.post(
    "/rules/{rule_id}/retire",
    response_model=RuleOut,
    responses={**PROBLEM_RESPONSES, **_NOT_FOUND, **_REFUSED},
)
def retire_rule(
    rule_id: RuleId, store: StoreDep, caller: Activator, decision: RuleDecision | None = None
) -> RuleOut | JSONResponse:
    """Retire a version (the active one unless ``version``): it no longer assesses
    travellers. Only a supervisor may (``A002``); a retired version cannot be retired again
    (``A003``). Permission: ``activate_rule``."""
    version = decision.version if decision is not None else None
    try:
        stored = ar.retire_rule(
            store, rule_id, by=caller.username, roles={caller.role.value}, version=version
        )
    except ar.RuleStoreError as error:
        return _decided(error, "Retirement refused")
    return RuleOut.model_validate(stored)


@router.get(
    "/rules/{rule_id}/backtest",
    response_model=BacktestOut,
    responses={**PROBLEM_RESPONSES, **_NOT_FOUND},
)
def backtest_rule(
    rule_id: RuleId,
    store: StoreDep,
    _caller: Manager,
    first: Annotated[
        date | None, Query(alias="from", description="First departure day (YYYY-MM-DD).")
    ] = None,
    last: Annotated[
        date | None, Query(alias="to", description="Last departure day (YYYY-MM-DD).")
    ] = None,
    version: Annotated[int | None, Query(ge=1, description="Default: the latest.")] = None,
    window_days: Annotated[
        int, Query(ge=1, le=3650, description="Legal window, days back.")
    ] = DEFAULT_WINDOW_DAYS,
) -> BacktestOut:
    """Run a stored version (a draft too) over the stored travellers of the date range,
    within the legal window, and report: hits per day and per route, travellers let go by
    unless conditions, overlap with the active rules, hits on traveller data a human
    dismissed. Read only. The known-of-interest share needs a synthetic truth file, which
    only the CLI takes (``paxwatch rules backtest --truth``): here it is null."""
    if first is not None and last is not None and first > last:
        raise ProblemError(422, "from is after to.", kind="invalid-request")
    with store.read() as conn:
        stored = ar.get_rule(conn, rule_id, version)
    if stored is None:
        which = f" v{version}" if version is not None else ""
        raise ProblemError(404, f"There is no rule {rule_id}{which}.", kind="not-found")
    scope = AssessConfig(window_days=window_days).scope(first_day=first, last_day=last)
    return BacktestOut.of(ar.backtest_stored(store, stored.rule(), scope))

"""Screening runs: ``POST /api/v1/screening/runs`` and ``GET /api/v1/screening/jobs``.

A run screens stored travellers against the active lists and evaluates the active rules:
``pending`` (travellers no assessment ran on: the ingest hook missed them), ``all`` (every
traveller of the legal window), ``flight`` (one stored flight) or ``date`` (the flights of
a day). It runs synchronously and answers the counts: large runs belong to the CLI
(``paxwatch screen``), which shows progress; both record the same resumable job.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query

from paxwatch.api.deps import StoreDep, permit
from paxwatch.api.models_assess import DateRun, FlightRun, JobPage, PendingRun, RunOut, RunRequest
from paxwatch.api.problems import PROBLEM_RESPONSES
from paxwatch.assess import jobs, run
from paxwatch.assess.screen import AssessConfig
from paxwatch.privacy.access import Action, Principal

router = APIRouter(tags=["screening"])

Manager = Annotated[Principal, Depends(permit(Action.MANAGE_WATCHLISTS))]
Reader = Annotated[Principal, Depends(permit(Action.READ_HITS))]

MAX_JOBS = 10_000
"""Runs listed at most (the newest)."""


@router.post("/screening/runs", response_model=RunOut, responses=PROBLEM_RESPONSES)
def run_screening(
    store: StoreDep,
    _caller: Manager,
    body: Annotated[
        RunRequest,
        Body(
            openapi_examples={
                "pending": {"value": {"scope": "pending"}},
                "flight": {"value": {"scope": "flight", "flight_id": 12}},
                "date": {"value": {"scope": "date", "date": "2026-03-01"}},
                "all": {"value": {"scope": "all", "window_days": 183}},
            }
        ),
    ],
) -> RunOut:
    """Screen and evaluate the stored travellers of a scope, synchronously, and answer what
    the run did. ``flight``, ``date`` and ``all`` run in chunks and resume an interrupted
    run of the same scope (``restart`` starts afresh); only flights of the legal window
    (``window_days``) are read. Large runs belong to the CLI (``paxwatch screen``).
    Permission: ``manage_watchlists`` (supervisor)."""
    config = AssessConfig(window_days=body.window_days)
    if isinstance(body, PendingRun):
        scope = config.scope()
        counts = jobs.sweep_pending(store, scope)
        return RunOut.of_run(counts, "pending " + scope.describe())
    scope = config.scope(
        flight_id=body.flight_id if isinstance(body, FlightRun) else None,
        day=body.on if isinstance(body, DateRun) else None,
    )
    counts = jobs.run_scope(store, scope, run.current_assessors(store), resume=not body.restart)
    return RunOut.of_run(counts, scope.describe())


@router.get("/screening/jobs", response_model=JobPage, responses=PROBLEM_RESPONSES)
def list_jobs(
    store: StoreDep,
    _caller: Reader,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JobPage:
    """Re-screening runs, newest first, with how far each went (``finished_at`` null: still
    running, or interrupted and to be resumed). Permission: ``read_hits``."""
    with store.read() as conn:
        found = jobs.list_jobs(conn, limit=MAX_JOBS)
    return JobPage.of(found, limit, offset)

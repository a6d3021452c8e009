"""What the assessment routes take and answer: refusals with reasons, screening runs, hits
(watch lists: ``models_watchlists``; rules: ``models_rules``).

Made from the dataclasses of ``paxwatch.assess`` (``from_attributes`` where the fields
match; ``of`` class methods where they need work). Request bodies forbid unknown members,
so a misspelt field is a 422 rather than silently ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi.responses import JSONResponse
from pydantic import ConfigDict, Field

from paxwatch.api.models import In, Out, Page
from paxwatch.api.problems import Problem, problem_response
from paxwatch.assess.hits import FeatureValue, HitKind, HitRecord, HitStatus
from paxwatch.assess.jobs import JobInfo
from paxwatch.assess.run import AssessCounts
from paxwatch.rules import Issue

DEFAULT_WINDOW_DAYS = 183
"""The legal window of stored travellers, days back (as ``paxwatch screen``)."""


# ---------------------------------------------------------------- problems with reasons


class IssueOut(Out):
    """A refusal of a rule: stable code, the sentence for the analyst, and where."""

    code: str
    message: str
    line: int | None = None
    column: int | None = None

    @classmethod
    def of(cls, issue: Issue) -> IssueOut:
        pos = issue.pos
        return cls(
            code=issue.code,
            message=issue.message,
            line=pos.line if pos else None,
            column=pos.column if pos else None,
        )


class RefusalProblem(Problem):
    """A problem with its reasons: ``problems`` (sentences, watch lists) or ``issues``
    (coded refusals, rules)."""

    problems: list[str] | None = None
    issues: list[IssueOut] | None = None

    @classmethod
    def response(
        cls,
        status: int,
        kind: str,
        title: str,
        detail: str,
        *,
        problems: Sequence[str] | None = None,
        issues: Sequence[Issue] | None = None,
    ) -> JSONResponse:
        """The ``application/problem+json`` response of a refusal."""
        return problem_response(
            cls(
                type=f"urn:paxwatch:problem:{kind}",
                title=title,
                status=status,
                detail=detail,
                problems=list(problems) if problems is not None else None,
                issues=[IssueOut.of(i) for i in issues] if issues is not None else None,
            )
        )


# ---------------------------------------------------------------- screening runs


class CountsOut(Out):
    """What an assessment run did: travellers assessed, hits stored, and how long it took.

    ``suppressed``: matches of hits a human dismissed (stored, not to review);
    ``repeated``: results already stored for the same booking and flight.
    """

    travellers: int
    watchlist_hits: int
    rule_hits: int
    suppressed: int
    repeated: int
    superseded: int
    seconds: float
    resumed_from: int | None = Field(
        None, description="The run resumed an interrupted one after this traveller id."
    )
    job_id: int | None = Field(None, description="The re-screening job (GET /screening/jobs).")

    @classmethod
    def of(cls, counts: AssessCounts) -> CountsOut:
        return cls(
            travellers=counts.travellers,
            watchlist_hits=counts.watchlist_hits,
            rule_hits=counts.rule_hits,
            suppressed=counts.suppressed,
            repeated=counts.repeated,
            superseded=counts.superseded,
            seconds=round(counts.seconds, 3),
            resumed_from=counts.resumed_from,
            job_id=counts.job_id,
        )


class _Run(In):
    window_days: int = Field(
        DEFAULT_WINDOW_DAYS,
        ge=1,
        le=3650,
        description="Legal window: flights departing up to this many days ago, and later.",
    )


class PendingRun(_Run):
    """Assess the travellers no screening or rule evaluation ran on (a missed hook)."""

    scope: Literal["pending"]


class _Resumable(_Run):
    restart: bool = Field(False, description="Do not resume an interrupted run of this scope.")


class AllRun(_Resumable):
    """Re-assess every stored traveller of the legal window."""

    scope: Literal["all"]


class FlightRun(_Resumable):
    """Re-assess the travellers of one stored flight."""

    scope: Literal["flight"]
    flight_id: int = Field(ge=1)


class DateRun(_Resumable):
    """Re-assess the travellers of the flights departing on one day."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    scope: Literal["date"]
    on: date = Field(alias="date", description="Local departure date (YYYY-MM-DD).")


RunRequest = Annotated[PendingRun | AllRun | FlightRun | DateRun, Field(discriminator="scope")]


class RunOut(CountsOut):
    """A finished screening run; ``scope`` is how the run is recorded."""

    scope: str

    @classmethod
    def of_run(cls, counts: AssessCounts, scope: str) -> RunOut:
        return cls(**CountsOut.of(counts).model_dump(), scope=scope)


class JobOut(Out):
    """A re-screening run and how far it went (``finished_at`` null: running or stopped)."""

    id: int
    kind: str
    scope: str
    total: int
    done: int
    hits: int
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None


class JobPage(Page):
    """One page of re-screening runs, newest first."""

    items: list[JobOut]

    @classmethod
    def of(cls, jobs: Sequence[JobInfo], limit: int, offset: int) -> JobPage:
        return cls(
            items=[JobOut.model_validate(j) for j in jobs[offset : offset + limit]],
            **cls.paging(len(jobs), limit, offset),
        )


# ---------------------------------------------------------------- hits


class FeatureOut(Out):
    """Why a hit scored: a watch-list feature (value × weight = contribution, with the
    detail) or a rule condition (its text as ``name``, the ``field``, the ``value`` seen
    and whether it ``held``)."""

    name: str
    value: FeatureValue
    weight: float | None = None
    contribution: float | None = None
    detail: str = ""
    field: str | None = None
    held: bool | None = None


class HitOut(Out):
    """A stored hit: what produced it (list entry, or rule and version), the score and
    every feature or condition with the value it saw."""

    id: int
    kind: HitKind
    status: HitStatus
    traveller_id: int | None
    booking_id: int | None
    flight_id: int
    api_traveller_id: int | None = Field(
        None,
        description="The API traveller the hit was raised on when it matched no booking "
        "(kept when a booked traveller later adopts the hit).",
    )
    source_id: str | None
    entry_id: str | None
    rule_id: str | None
    rule_version: int | None
    score: float
    features: list[FeatureOut]
    listed_name: str | None
    subject_name: str | None
    offence: str | None
    algorithm_version: str
    created_at: datetime


class HitPage(Page):
    """One page of hits, newest first."""

    items: list[HitOut]

    @classmethod
    def of(cls, hits: Sequence[HitRecord], limit: int, offset: int) -> HitPage:
        return cls(
            items=[HitOut.model_validate(h) for h in hits[offset : offset + limit]],
            **cls.paging(len(hits), limit, offset),
        )


class FlightHitsOut(Out):
    """The hits of the traveller on one flight, best score first."""

    flight_id: int
    booking_id: int | None
    best_score: float
    hits: list[HitOut]


class TravellerHitsOut(Out):
    """The hits of one stored traveller, grouped per flight (best flight first)."""

    traveller_id: int
    flights: list[FlightHitsOut]

    @classmethod
    def of(cls, traveller_id: int, hits: Sequence[HitRecord]) -> TravellerHitsOut:
        groups: dict[int, list[HitRecord]] = {}
        for hit in hits:
            groups.setdefault(hit.flight_id, []).append(hit)
        flights = []
        for flight_id, found in groups.items():
            found.sort(key=lambda h: (-h.score, -h.id))
            flights.append(
                FlightHitsOut(
                    flight_id=flight_id,
                    booking_id=found[0].booking_id,
                    best_score=found[0].score,
                    hits=[HitOut.model_validate(h) for h in found],
                )
            )
        flights.sort(key=lambda g: (-g.best_score, g.flight_id))
        return cls(traveller_id=traveller_id, flights=flights)

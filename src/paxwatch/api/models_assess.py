"""What the assessment routes take and answer: watch lists, screening runs, rules, hits.

Made from the dataclasses of ``paxwatch.assess`` (``from_attributes`` where the fields
match; ``of`` class methods where they need work). Request bodies forbid unknown members,
so a misspelt field is a 422 rather than silently ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from paxwatch.api.models import Page
from paxwatch.api.problems import PROBLEM_JSON, Problem, problem_response
from paxwatch.assess.hits import FeatureValue, HitKind, HitRecord, HitStatus
from paxwatch.assess.rules import RuleImport, StoredBacktest, StoredRule
from paxwatch.assess.run import AssessCounts, JobInfo
from paxwatch.assess.watchlists import ImportOutcome, SourceInfo, VersionInfo
from paxwatch.rules import Issue

DEFAULT_WINDOW_DAYS = 183
"""The legal window of stored travellers, days back (as ``paxwatch screen``)."""

MAX_PROBLEMS = 100
"""At most this many reading problems of a list file are returned (all are counted)."""


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def problem_doc(description: str, model: type[Problem] = Problem) -> dict[str, object]:
    """The OpenAPI documentation of one problem response."""
    return {"model": model, "content": {PROBLEM_JSON: {}}, "description": description}


# ---------------------------------------------------------------- problems with reasons


class IssueOut(_Out):
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


# ---------------------------------------------------------------- watch lists


class SourceOut(_Out):
    """A watch-list source: registry fields, current version, whether it screens.

    ``activation_problems`` says what is missing before it may be activated (type, owner,
    legal basis, offence category); empty when it may be.
    """

    id: str
    name: str
    type: str | None
    owner: str | None
    legal_basis: str | None
    offence_category: str | None
    active: bool
    version_no: int | None
    entries: int
    created_at: datetime
    activated_at: datetime | None
    activated_by: str | None
    activation_problems: list[str]


class SourcePage(Page):
    """One page of watch-list sources."""

    items: list[SourceOut]

    @classmethod
    def of(cls, sources: Sequence[SourceInfo], limit: int, offset: int) -> SourcePage:
        return cls(
            items=[SourceOut.model_validate(s) for s in sources[offset : offset + limit]],
            **cls.paging(len(sources), limit, offset),
        )


class ListVersionOut(_Out):
    """One import of a source and what it changed."""

    id: int
    version_no: int
    imported_at: datetime
    imported_by: str | None
    format: str | None
    file_name: str | None
    entries: int
    added: int
    changed: int
    removed: int
    unchanged: int
    skipped: int
    problems: int


class SourceDetail(SourceOut):
    """A source with its versions, latest first."""

    versions: list[ListVersionOut]

    @classmethod
    def of(cls, info: SourceInfo, versions: Sequence[VersionInfo]) -> SourceDetail:
        base = SourceOut.model_validate(info)
        return cls(
            **base.model_dump(), versions=[ListVersionOut.model_validate(v) for v in versions]
        )


class CountsOut(_Out):
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


class ImportOut(_Out):
    """What an import did: the new version, the difference with the previous one, the
    problems of the file, and the re-screening of stored travellers (active lists only)."""

    source_id: str
    version_id: int
    version_no: int
    read: int
    imported: int
    skipped: int
    problems: list[str] = Field(description=f"The first {MAX_PROBLEMS} reading problems.")
    problems_total: int
    added: int
    changed: int
    removed: int
    unchanged: int
    closed_hits: int = Field(description="Unreviewed hits of removed entries, now closed.")
    active: bool
    to_rescreen: int = Field(description="Entries added or changed by this version.")
    rescreen: CountsOut | None = Field(
        description="Stored travellers re-screened against the added and changed entries "
        "(null: the list is not active, or rescreen=false)."
    )

    @classmethod
    def of(cls, outcome: ImportOutcome, rescreen: AssessCounts | None) -> ImportOut:
        return cls(
            source_id=outcome.source_id,
            version_id=outcome.version_id,
            version_no=outcome.version_no,
            read=outcome.read,
            imported=outcome.imported,
            skipped=outcome.skipped,
            problems=list(outcome.problems[:MAX_PROBLEMS]),
            problems_total=len(outcome.problems),
            added=outcome.added,
            changed=outcome.changed,
            removed=outcome.removed,
            unchanged=outcome.unchanged,
            closed_hits=outcome.closed_hits,
            active=outcome.active,
            to_rescreen=len(outcome.to_rescreen),
            rescreen=CountsOut.of(rescreen) if rescreen is not None else None,
        )


class ActivationOut(_Out):
    """The activated source and the re-screening of stored travellers against it."""

    source: SourceOut
    rescreen: CountsOut | None = Field(description="Null when rescreen=false.")

    @classmethod
    def of(cls, info: SourceInfo, rescreen: AssessCounts | None) -> ActivationOut:
        return cls(
            source=SourceOut.model_validate(info),
            rescreen=CountsOut.of(rescreen) if rescreen is not None else None,
        )


# ---------------------------------------------------------------- screening runs


class _Run(_In):
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


class JobOut(_Out):
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


class FeatureOut(_Out):
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


class HitOut(_Out):
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


class FlightHitsOut(_Out):
    """The hits of the traveller on one flight, best score first."""

    flight_id: int
    booking_id: int | None
    best_score: float
    hits: list[HitOut]


class TravellerHitsOut(_Out):
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


# ---------------------------------------------------------------- rules


class RuleVersionOut(_Out):
    """One stored version of a rule (without its text)."""

    rule_id: str
    version: int
    status: str
    title: str | None
    offence: str | None
    author: str | None
    review: date | None
    score: int | None
    approved_by: str | None
    approved_on: date | None
    imported_at: datetime
    imported_by: str | None


class RulePage(Page):
    """One page of rule versions, by rule id and version."""

    items: list[RuleVersionOut]

    @classmethod
    def of(cls, rules: Sequence[StoredRule], limit: int, offset: int) -> RulePage:
        return cls(
            items=[RuleVersionOut.model_validate(r) for r in rules[offset : offset + limit]],
            **cls.paging(len(rules), limit, offset),
        )


class RuleOut(RuleVersionOut):
    """One stored version of a rule with its canonical text."""

    text: str


class RuleDetail(_Out):
    """A rule: every stored version (latest first) and which one is active."""

    rule_id: str
    active_version: int | None
    latest_version: int
    versions: list[RuleOut]

    @classmethod
    def of(cls, rule_id: str, versions: Sequence[StoredRule]) -> RuleDetail:
        ordered = sorted(versions, key=lambda r: -r.version)
        active = [r.version for r in ordered if r.status == "active"]
        return cls(
            rule_id=rule_id,
            active_version=active[0] if active else None,
            latest_version=ordered[0].version,
            versions=[RuleOut.model_validate(r) for r in ordered],
        )


class RuleKey(_Out):
    """A rule version."""

    rule_id: str
    version: int


class RuleImportOut(_Out):
    """What an import stored: new draft versions, versions already stored with the same
    text, versions marked active or retired in the file that were stored as drafts, and
    refusals (a version already stored with another text: an edit is a new version)."""

    imported: list[RuleKey]
    unchanged: list[RuleKey]
    made_draft: list[RuleKey]
    refused: list[str]

    @classmethod
    def of(cls, result: RuleImport) -> RuleImportOut:
        def keys(pairs: Sequence[tuple[str, int]]) -> list[RuleKey]:
            return [RuleKey(rule_id=r, version=v) for r, v in pairs]

        return cls(
            imported=keys(result.imported),
            unchanged=keys(result.unchanged),
            made_draft=keys(result.made_draft),
            refused=list(result.refused),
        )


class CheckOut(_Out):
    """The static checks of a rule file: ``ok`` when nothing is refused."""

    ok: bool
    issues: list[IssueOut]

    @classmethod
    def of(cls, issues: Sequence[Issue]) -> CheckOut:
        return cls(ok=not issues, issues=[IssueOut.of(i) for i in issues])


class RuleDecision(_In):
    """Which version to activate or retire (optional body; the deciding user and role are
    the caller's)."""

    version: int | None = Field(
        None, ge=1, description="The version (activate: latest; retire: the active one)."
    )


class BacktestOut(_Out):
    """What a stored rule version would have done over the stored travellers of a date
    range (read only: nothing is stored).

    Known-of-interest figures need a synthetic truth file, which only the CLI takes
    (``paxwatch rules backtest --truth``): over the API they are null.
    """

    rule_id: str
    version: int
    first_day: date | None
    last_day: date | None
    travellers: int
    evaluated: int
    hits: int
    hit_rate: float | None
    exonerated: int = Field(description="Caught by the rule, let go by an unless condition.")
    exonerated_by: dict[str, int]
    hits_per_day: dict[date, int]
    hits_per_route: dict[str, int] = Field(description="Most hits first.")
    truth_used: bool
    known_true_total: int | None
    known_true_hits: int | None
    known_true_share: float | None
    recall: float | None
    dismissed_hits: int = Field(description="Hits on traveller data a human dismissed.")
    dismissed_share: float | None
    overlap: dict[str, int] = Field(description="Hits shared with each active rule.")
    unique_hits: int = Field(description="Hits no active rule shares.")
    summary: list[str]

    @classmethod
    def of(cls, result: StoredBacktest) -> BacktestOut:
        r = result.report
        truth = result.truth_used
        return cls(
            rule_id=result.rule_id,
            version=result.version,
            first_day=result.first_day,
            last_day=result.last_day,
            travellers=result.travellers,
            evaluated=r.evaluated,
            hits=r.hits,
            hit_rate=r.hit_rate,
            exonerated=r.exonerated,
            exonerated_by=dict(r.exonerated_by),
            hits_per_day=dict(r.hits_per_day),
            hits_per_route=dict(r.hits_per_route),
            truth_used=truth,
            known_true_total=r.known_true_total if truth else None,
            known_true_hits=r.known_true_hits if truth else None,
            known_true_share=r.known_true_share if truth else None,
            recall=r.recall if truth else None,
            dismissed_hits=r.dismissed_hits,
            dismissed_share=r.dismissed_share,
            overlap=dict(r.overlap),
            unique_hits=r.unique_hits,
            summary=[
                line for line in r.summary() if truth or not line.startswith("known of interest")
            ],
        )

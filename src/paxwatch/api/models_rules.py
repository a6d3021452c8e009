"""What the rule routes take and answer: rule versions, imports, checks, decisions and
backtests (made from ``paxwatch.assess.rules``'s dataclasses)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from pydantic import Field

from paxwatch.api.models import In, Out, Page
from paxwatch.api.models_assess import IssueOut
from paxwatch.assess.rules import RuleImport, StoredBacktest, StoredRule
from paxwatch.rules import Issue


class RuleVersionOut(Out):
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


class RuleDetail(Out):
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


class RuleKey(Out):
    """A rule version."""

    rule_id: str
    version: int


class RuleImportOut(Out):
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


class CheckOut(Out):
    """The static checks of a rule file: ``ok`` when nothing is refused."""

    ok: bool
    issues: list[IssueOut]

    @classmethod
    def of(cls, issues: Sequence[Issue]) -> CheckOut:
        return cls(ok=not issues, issues=[IssueOut.of(i) for i in issues])


class RuleDecision(In):
    """Which version to activate or retire (optional body; the deciding user and role are
    the caller's)."""

    version: int | None = Field(
        None, ge=1, description="The version (activate: latest; retire: the active one)."
    )


class BacktestOut(Out):
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

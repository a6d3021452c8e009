"""What the rule, watch-list and audit pages show (no personal data on any of them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from paxwatch.assess import rules as ar
from paxwatch.assess import watchlists as aw
from paxwatch.assess.screen import AssessConfig
from paxwatch.privacy import audit
from paxwatch.privacy.access import Action, Principal, can, require
from paxwatch.rules import Issue
from paxwatch.rules.backtest import BacktestReport
from paxwatch.store.engine import Store
from paxwatch.web.pages_review import NotFound

BACKTEST_WINDOW_DAYS = 183
"""The legal window of a backtest from the UI (about six months, as the API's default)."""


def rules_page(store: Store, principal: Principal) -> list[ar.StoredRule]:
    """Every stored rule version (``READ_HITS``: analysts read the criteria they review)."""
    require(principal, Action.READ_HITS)
    with store.read() as conn:
        return ar.list_rules(conn)


@dataclass(frozen=True, slots=True, kw_only=True)
class RulePage:
    """A rule version, its static-check issues and, when asked, its backtest."""

    rule: ar.StoredRule
    versions: tuple[ar.StoredRule, ...]
    issues: tuple[Issue, ...]
    backtest: BacktestReport | None
    can_edit: bool


def rule_page(
    store: Store, principal: Principal, rule_id: str, *, run_backtest: bool = False
) -> RulePage:
    """One rule (its latest version), checked, and backtested over the stored window
    (the backtest, as in the API: ``MANAGE_RULES``)."""
    require(principal, Action.READ_HITS)
    if run_backtest:
        require(principal, Action.MANAGE_RULES)
    with store.read() as conn:
        versions = tuple(r for r in ar.list_rules(conn) if r.rule_id == rule_id)
    if not versions:
        raise NotFound("rule")
    latest = max(versions, key=lambda r: r.version)
    report = None
    if run_backtest:
        scope = AssessConfig(window_days=BACKTEST_WINDOW_DAYS).scope()
        report = ar.backtest_stored(store, latest.rule(), scope).report
    return RulePage(
        rule=latest,
        versions=tuple(sorted(versions, key=lambda r: -r.version)),
        issues=tuple(ar.check_file(latest.text)),
        backtest=report,
        can_edit=can(principal, Action.MANAGE_RULES),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleEdit:
    """The outcome of the rule editor: the text, its issues, and what was stored."""

    text: str
    issues: tuple[Issue, ...]
    saved: ar.RuleImport | None
    error: str | None = None


def edit_rules(store: Store, principal: Principal, text: str, *, save: bool) -> RuleEdit:
    """Check a rule text; with ``save`` and no issue, store it as draft versions."""
    require(principal, Action.MANAGE_RULES)
    issues = tuple(ar.check_file(text, today=date.today()))
    if not save or any(i.code == "P001" for i in issues):
        return RuleEdit(text=text, issues=issues, saved=None)
    try:
        saved = ar.import_rules(store, text, by=principal.username)
    except (ar.RuleStoreError, ValueError) as refused:
        return RuleEdit(text=text, issues=issues, saved=None, error=str(refused))
    return RuleEdit(text=text, issues=issues, saved=saved)


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchlistRow:
    source: aw.SourceInfo
    versions: tuple[aw.VersionInfo, ...]


def watchlists_page(store: Store, principal: Principal) -> list[WatchlistRow]:
    """The list sources with their versions and counts (``READ_HITS``)."""
    require(principal, Action.READ_HITS)
    with store.read() as conn:
        return [
            WatchlistRow(source=src, versions=tuple(aw.source_versions(conn, src.id)))
            for src in aw.list_sources(conn)
        ]


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditPage:
    """The latest audit entries (filtered) and the chain verification."""

    entries: tuple[audit.AuditEntry, ...]
    verified: audit.VerifyResult | None
    kinds: tuple[str, ...]


AUDIT_KINDS = (
    "read",
    "decision",
    "transmission",
    "login",
    "user",
    "rule",
    "watchlist",
    "setting",
    "deletion",
)


def audit_page(
    store: Store, principal: Principal, *, kind: str = "", actor: str = "", limit: int = 200
) -> AuditPage:
    """Audit entries, newest first (``READ_AUDIT``), and the verification of the chain."""
    require(principal, Action.READ_AUDIT)
    with store.read() as conn:
        entries = audit.list_events(
            conn,
            kind=kind or None,
            actor=actor or None,
            limit=limit,
        )
    verified = audit.verify(store) if can(principal, Action.VERIFY_AUDIT) else None
    return AuditPage(entries=tuple(entries), verified=verified, kinds=AUDIT_KINDS)

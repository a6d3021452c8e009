"""Rule files and the life cycle of a rule: draft → active (four eyes) → retired.

A rule file is plain text holding several rules, with ``#`` comments; :func:`load_rules` reads
one and :func:`dump_rules` writes one (``load_rules(dump_rules(rules)) == rules``). Editing a
rule means a new version (:func:`new_version`), which starts as a draft.

Activation is a pure decision (:func:`activate`): a supervisor other than the author
activates a version that passes every static check; the activated rule records who approved
it and when. Nothing here stores anything: the caller persists the returned rule.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Collection, Iterable
from datetime import date

from paxwatch.rules.ast import Rule, Status
from paxwatch.rules.check import CheckConfig, Issue, check_rule
from paxwatch.rules.format import format_rules
from paxwatch.rules.parse import parse_rules

SUPERVISOR = "supervisor"
"""The role that may activate and retire rules."""


class ActivationRefused(ValueError):
    """A status change was refused; ``issues`` say why, each with a code."""

    def __init__(self, rule: Rule, issues: list[Issue]) -> None:
        super().__init__(
            f"rule {rule.id} v{rule.version}: " + "; ".join(str(issue) for issue in issues)
        )
        self.issues = issues


def load_rules(text: str) -> list[Rule]:
    """Every rule of a rule file (raises :class:`~paxwatch.rules.parse.RuleSyntaxError`)."""
    return parse_rules(text)


def dump_rules(rules: Iterable[Rule]) -> str:
    """A rule file holding ``rules`` in their canonical text."""
    return format_rules(rules)


def check_ruleset(rules: Iterable[Rule]) -> list[Issue]:
    """Problems between the rules of one set: the same version twice, two active versions."""
    rules = list(rules)
    issues: list[Issue] = []
    versions = Counter((rule.id, rule.version) for rule in rules)
    for (rule_id, version), count in versions.items():
        if count > 1:
            issues.append(Issue("R001", f"rule {rule_id} version {version} appears {count} times"))
    active = Counter(rule.id for rule in rules if rule.status is Status.ACTIVE)
    for rule_id, count in active.items():
        if count > 1:
            issues.append(
                Issue("R002", f"rule {rule_id} has {count} active versions: retire all but one")
            )
    return issues


def new_version(rule: Rule, author: str) -> Rule:
    """A draft copy of ``rule`` with the next version number, to be edited by ``author``."""
    return dataclasses.replace(
        rule,
        version=rule.version + 1,
        author=author,
        status=Status.DRAFT,
        approved_by=None,
        approved_on=None,
        pos=None,
    )


def _who_issues(rule: Rule, by: str, roles: Collection[str], action: str) -> list[Issue]:
    issues: list[Issue] = []
    if rule.author is not None and by.casefold() == rule.author.casefold():
        issues.append(
            Issue("A001", f"{by} wrote this version: another person must {action} it (four eyes)")
        )
    if SUPERVISOR not in roles:
        issues.append(Issue("A002", f"only a {SUPERVISOR} may {action} a rule; {by} is not one"))
    return issues


def activate(
    rule: Rule,
    by: str,
    roles: Collection[str],
    on: date | None = None,
    config: CheckConfig | None = None,
) -> Rule:
    """The active version of ``rule``, approved by ``by``; raises :class:`ActivationRefused`.

    Refused (``A001``) when ``by`` wrote the rule, (``A002``) when ``by`` is not a
    supervisor, (``A003``) when the rule is not a draft, and for every static check that fails.
    """
    day = on or (config.today if config and config.today else None) or date.today()
    config = dataclasses.replace(config or CheckConfig(), today=day)
    issues = _who_issues(rule, by, roles, "activate")
    if rule.status is not Status.DRAFT:
        issues.append(
            Issue("A003", f"only a draft can be activated; this version is {rule.status.value}")
        )
    issues += check_rule(rule, config)
    if issues:
        raise ActivationRefused(rule, issues)
    return dataclasses.replace(rule, status=Status.ACTIVE, approved_by=by, approved_on=day)


def retire(rule: Rule, by: str, roles: Collection[str]) -> Rule:
    """The retired version of ``rule``: a supervisor switches it off (author included)."""
    issues: list[Issue] = []
    if SUPERVISOR not in roles:
        issues.append(Issue("A002", f"only a {SUPERVISOR} may retire a rule; {by} is not one"))
    if rule.status is Status.RETIRED:
        issues.append(Issue("A003", "this version is already retired"))
    if issues:
        raise ActivationRefused(rule, issues)
    return dataclasses.replace(rule, status=Status.RETIRED)

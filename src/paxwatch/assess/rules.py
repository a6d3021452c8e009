"""Targeting rules in the store: versions, four-eyes activation, evaluation, backtests.

Every version of every rule is a row of ``targeting_rule`` holding its canonical text
(``format_rule``), status, author and approval. Imports store new versions as **drafts**
(a file may say ``status: active``, but only :func:`activate_rule` makes a version active:
the pure ``rules.activate`` refuses the author of the version and non-supervisors, and
every failing static check). Activating a version retires the previously active version
of the same rule. The CLI takes the approving user with ``--by`` and ``--role``; the API
will take the logged-in user and their roles instead.

``current_ruleset(store)`` compiles the active rules once per active-rule set (digest of
the active ids and versions) and caches it. ``rule_candidates`` evaluates loaded travellers
(one ``BookingFacts`` per booking version, one context per traveller and flight) and turns
each ``RuleHit`` into a hit with the rule id, version and every incriminating condition
with the value it saw.

``backtest_stored`` runs a rule (a draft too) over the stored travellers of a date range:
hits per day and route, share known to be of interest (from a synthetic ``truth.jsonl``
when given), overlap with the active rules, and hits on travellers a human dismissed.

This module is the entry point; it re-exports the parts: the rule store (``rule_store``),
evaluation (``rule_eval``) and backtests (``rule_backtest``).
"""

from paxwatch.assess.rule_backtest import (
    KNOWN_TRUE_ROLES,
    StoredBacktest,
    TruthIndex,
    backtest_stored,
    read_truth,
)
from paxwatch.assess.rule_eval import (
    ALGORITHM_VERSION,
    KIND,
    ActiveRules,
    contexts,
    current_ruleset,
    forget_rulesets,
    hit_of_rule,
    rule_candidates,
    rule_hit,
)
from paxwatch.assess.rule_store import (
    RuleImport,
    RuleStoreError,
    StoredRule,
    activate_rule,
    check_file,
    export_rules,
    get_rule,
    import_rules,
    list_rules,
    retire_rule,
)

__all__ = [
    "ALGORITHM_VERSION",
    "KIND",
    "KNOWN_TRUE_ROLES",
    "ActiveRules",
    "RuleImport",
    "RuleStoreError",
    "StoredBacktest",
    "StoredRule",
    "TruthIndex",
    "activate_rule",
    "backtest_stored",
    "check_file",
    "contexts",
    "current_ruleset",
    "export_rules",
    "forget_rulesets",
    "get_rule",
    "hit_of_rule",
    "import_rules",
    "list_rules",
    "read_truth",
    "retire_rule",
    "rule_candidates",
    "rule_hit",
]

"""Targeting rules in the store: versions, four-eyes activation, evaluation, backtests.

The entry point of the parts, re-exported here: the rule store (``rule_store``: versions,
imports as drafts, four-eyes activation, retirement), evaluation of the active rules on
loaded travellers (``rule_eval``) and backtests over stored history (``rule_backtest``).
Each part's docstring says how it works.
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

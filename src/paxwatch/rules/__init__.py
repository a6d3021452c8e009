"""Targeting rules: pre-determined criteria analysts write, test and defend in court.

A small criteria language (``docs/rules.md``) read by Lark into a typed tree; static checks
that refuse sensitive attributes and proxies; compilation to closures for fast assessment of
:class:`TravellerContext` values; a pure backtest; rule files and four-eyes activation.
Pure code: no database, no network.
"""

from paxwatch.rules.ast import Rule, Status
from paxwatch.rules.backtest import BacktestItem, BacktestReport, backtest
from paxwatch.rules.check import CheckConfig, Issue, check_rule, check_text
from paxwatch.rules.context import BookingFacts, TravellerContext, booking_contexts, build_context
from paxwatch.rules.evaluate import (
    CompiledRule,
    ConditionResult,
    Exoneration,
    RuleCompileError,
    RuleHit,
    RuleSet,
    compile_rule,
)
from paxwatch.rules.fields import FIELDS, Field, FieldType
from paxwatch.rules.format import format_rule, format_rules
from paxwatch.rules.offences import OFFENCES, Offence
from paxwatch.rules.parse import RuleSyntaxError, parse_rule, parse_rules
from paxwatch.rules.ruleset import (
    ActivationRefused,
    activate,
    check_ruleset,
    dump_rules,
    load_rules,
    new_version,
    retire,
)

__all__ = [
    "FIELDS",
    "OFFENCES",
    "ActivationRefused",
    "BacktestItem",
    "BacktestReport",
    "BookingFacts",
    "CheckConfig",
    "CompiledRule",
    "ConditionResult",
    "Exoneration",
    "Field",
    "FieldType",
    "Issue",
    "Offence",
    "Rule",
    "RuleCompileError",
    "RuleHit",
    "RuleSet",
    "RuleSyntaxError",
    "Status",
    "TravellerContext",
    "activate",
    "backtest",
    "booking_contexts",
    "build_context",
    "check_rule",
    "check_ruleset",
    "check_text",
    "compile_rule",
    "dump_rules",
    "format_rule",
    "format_rules",
    "load_rules",
    "new_version",
    "parse_rule",
    "parse_rules",
    "retire",
]

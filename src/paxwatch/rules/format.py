"""Syntax tree → rule text: the canonical, readable form of a rule.

``parse_rule(format_rule(rule)) == rule`` for every rule (a property test checks it). The
incriminating condition is laid out one top-level ``and`` (or ``or``) per line and every
exonerating condition on its own ``or`` line, so that a rule reads aloud.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from paxwatch.rules.ast import (
    And,
    Between,
    Compare,
    Condition,
    Expr,
    InList,
    Known,
    Not,
    Or,
    Rule,
    Scalar,
)

_SYMBOL = re.compile(r"[0-9]*[A-Za-z_][A-Za-z0-9_\-]*")
_META_WORD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@/\-]*")
_RULE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")
RESERVED = frozenset(
    {"rule", "when", "unless", "end", "and", "or", "not", "in", "between", "is", "known"}
    | {"unknown", "true", "false"}
)
"""Words with a meaning in the language: written as quoted text when they are values."""


def quote(text: str) -> str:
    """``text`` as a quoted string of the language."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t") + '"'


def format_value(value: Scalar) -> str:
    """A literal as written in a rule: numbers and safe words bare, other text quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if _SYMBOL.fullmatch(value) and value.lower() not in RESERVED:
        return value
    return quote(value)


def format_condition(cond: Condition) -> str:
    """One leaf condition, e.g. ``booking.lead_time_hours < 48``."""
    if isinstance(cond, Compare):
        return f"{cond.field} {cond.op.value} {format_value(cond.value)}"
    if isinstance(cond, InList):
        items = ", ".join(format_value(v) for v in cond.values)
        return f"{cond.field} {'not in' if cond.negated else 'in'} [{items}]"
    if isinstance(cond, Between):
        word = "not between" if cond.negated else "between"
        return f"{cond.field} {word} {format_value(cond.low)} and {format_value(cond.high)}"
    if isinstance(cond, Known):
        return f"{cond.field} is {'unknown' if cond.negated else 'known'}"
    return cond.field


_PRECEDENCE = {Or: 1, And: 2, Not: 3}


def _level(expr: Expr) -> int:
    return _PRECEDENCE.get(type(expr), 4)


def format_expr(expr: Expr, outer: int = 0) -> str:
    """An expression on one line, with the parentheses its structure needs."""
    if isinstance(expr, Or | And):
        word = " or " if isinstance(expr, Or) else " and "
        mine = _level(expr)
        text = word.join(format_expr(item, mine) for item in expr.items)
    elif isinstance(expr, Not):
        text = "not " + format_expr(expr.operand, _level(expr))
    else:
        return format_condition(expr)
    return f"({text})" if _level(expr) <= outer else text


def _block(items: Iterable[Expr], word: str, outer: int) -> str:
    return f"\n  {word} ".join(format_expr(item, outer) for item in items)


def _meta_word(value: str) -> str:
    return value if _META_WORD.fullmatch(value) else quote(value)


def format_rule(rule: Rule) -> str:
    """The canonical text of one rule (ends with a newline)."""
    if not _RULE_ID.fullmatch(rule.id):
        raise ValueError(f"rule id {rule.id!r} cannot be written: use letters, digits, - . _")
    lines = [f"rule {rule.id} {quote(rule.title)}"]
    meta: list[tuple[str, str | int | date | None]] = [
        ("offence", rule.offence),
        ("author", rule.author),
        ("version", rule.version),
        ("review", rule.review),
        ("score", rule.score),
        ("status", rule.status.value),
        ("rationale", rule.rationale),
        ("approved_by", rule.approved_by),
        ("approved_on", rule.approved_on),
    ]
    for key, value in meta:
        if value is None:
            continue
        if key == "rationale":
            text = quote(str(value))
        elif isinstance(value, str):
            text = _meta_word(value)
        else:
            text = str(value)
        lines.append(f"  {key}: {text}")
    when = rule.when
    if isinstance(when, And):
        body = _block(when.items, "and", _level(when))
    elif isinstance(when, Or):
        body = _block(when.items, "or", _level(when))
    else:
        body = format_expr(when)
    lines += ["when", f"  {body}"]
    if rule.unless:
        lines += ["unless", "  " + _block(rule.unless, "or", _PRECEDENCE[Or])]
    lines.append("end")
    return "\n".join(lines) + "\n"


def format_rules(rules: Iterable[Rule]) -> str:
    """Several rules as one rule file, separated by blank lines."""
    return "\n".join(format_rule(rule) for rule in rules)

"""A plain tree-walking interpreter: the reference semantics and the benchmark baseline.

It walks the syntax tree for every evaluation, looking each field up in the catalogue and
converting each literal every time. :mod:`paxwatch.rules.evaluate` must give the same answer
(a property test checks it) while being several times faster.
"""

from __future__ import annotations

from typing import cast

from paxwatch.rules.ast import (
    And,
    Between,
    CmpOp,
    Compare,
    Expr,
    Flag,
    InList,
    Known,
    Not,
    Or,
    Rule,
)
from paxwatch.rules.context import TravellerContext
from paxwatch.rules.fields import FIELDS_BY_NAME, normalise


def _compare(op: CmpOp, value: object, constant: object) -> bool:
    if op is CmpOp.EQ:
        return value == constant
    if op is CmpOp.NE:
        return value != constant
    left, right = cast(float, value), cast(float, constant)
    if op is CmpOp.LT:
        return left < right
    if op is CmpOp.LE:
        return left <= right
    if op is CmpOp.GT:
        return left > right
    return left >= right


def interpret(expr: Expr, ctx: TravellerContext) -> bool | None:
    """The three-valued truth of ``expr`` on ``ctx``."""
    if isinstance(expr, And | Or):
        decisive = isinstance(expr, Or)  # the value that settles it: True for or, False for and
        result: bool | None = not decisive
        for item in expr.items:
            outcome = interpret(item, ctx)
            if outcome is decisive:
                return decisive
            if outcome is None:
                result = None
        return result
    if isinstance(expr, Not):
        inner = interpret(expr.operand, ctx)
        return None if inner is None else not inner
    spec = FIELDS_BY_NAME[expr.field]
    value = ctx.value(expr.field)
    if isinstance(expr, Known):
        return (value is None) if expr.negated else (value is not None)
    if value is None:
        return None
    if isinstance(expr, Flag):
        return bool(value)
    if isinstance(expr, Compare):
        constant = normalise(spec, expr.value)
        if isinstance(value, frozenset):
            return (constant in value) == (expr.op is CmpOp.EQ)
        return _compare(expr.op, value, constant)
    if isinstance(expr, InList):
        constants = [normalise(spec, v) for v in expr.values]
        if isinstance(value, frozenset):
            found = any(c in value for c in constants)
        else:
            found = value in constants
        return found != expr.negated
    assert isinstance(expr, Between)
    inside = float(expr.low) <= cast(float, value) <= float(expr.high)
    return inside != expr.negated


def interpret_rule(rule: Rule, ctx: TravellerContext) -> bool:
    """True when ``rule`` hits ``ctx``: ``when`` holds and no exonerating condition holds."""
    if interpret(rule.when, ctx) is not True:
        return False
    return not any(interpret(item, ctx) is True for item in rule.unless)

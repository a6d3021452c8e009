"""The fast path of evaluation: two-valued "surely true" / "surely false" predicates.

Three-valued logic needs no third value at run time: an expression is *surely true*,
*surely false*, or neither (unknown). ``and`` is surely true when every item is, surely
false when some item is; ``or`` the other way round; ``not`` swaps the two. Each leaf gets
both predicates, so the hot path is plain ``and`` / ``or`` over small closures that read one
attribute of the context each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from paxwatch.rules.ast import And, Between, CmpOp, Condition, Expr, Flag, InList, Known, Not, Or
from paxwatch.rules.context import TravellerContext
from paxwatch.rules.fields import FIELDS_BY_NAME, Field, normalise

Pred = Callable[[TravellerContext], bool]
"""A yes/no question about a context."""


def _sure_leaf(cond: Condition, spec: Field) -> tuple[Pred, Pred]:
    get: Callable[[TravellerContext], Any] = attrgetter(spec.attr)
    if isinstance(cond, Flag):
        return (lambda ctx: get(ctx) is True), (lambda ctx: get(ctx) is False)
    if isinstance(cond, Known):
        known, unknown = (lambda ctx: get(ctx) is not None), (lambda ctx: get(ctx) is None)
        return (unknown, known) if cond.negated else (known, unknown)
    if isinstance(cond, Between):
        low, high = float(cond.low), float(cond.high)

        def inside(ctx: TravellerContext) -> bool:
            return (v := get(ctx)) is not None and low <= v <= high

        def outside(ctx: TravellerContext) -> bool:
            return (v := get(ctx)) is not None and not low <= v <= high

        return (outside, inside) if cond.negated else (inside, outside)
    if isinstance(cond, InList):
        values = frozenset(normalise(spec, v) for v in cond.values)
        if spec.many:
            some = lambda ctx: (v := get(ctx)) is not None and not values.isdisjoint(v)  # noqa: E731
            none = lambda ctx: (v := get(ctx)) is not None and values.isdisjoint(v)  # noqa: E731
        else:
            some = lambda ctx: get(ctx) in values  # noqa: E731
            none = lambda ctx: (v := get(ctx)) is not None and v not in values  # noqa: E731
        return (none, some) if cond.negated else (some, none)
    c, op = normalise(spec, cond.value), cond.op
    if spec.many:
        has = lambda ctx: (v := get(ctx)) is not None and c in v  # noqa: E731
        lacks = lambda ctx: (v := get(ctx)) is not None and c not in v  # noqa: E731
        return (has, lacks) if op is CmpOp.EQ else (lacks, has)
    if op in (CmpOp.EQ, CmpOp.NE):
        equal = lambda ctx: get(ctx) == c  # noqa: E731
        differ = lambda ctx: (v := get(ctx)) is not None and v != c  # noqa: E731
        return (equal, differ) if op is CmpOp.EQ else (differ, equal)
    below = lambda ctx: (v := get(ctx)) is not None and v < c  # noqa: E731
    at_least = lambda ctx: (v := get(ctx)) is not None and v >= c  # noqa: E731
    at_most = lambda ctx: (v := get(ctx)) is not None and v <= c  # noqa: E731
    above = lambda ctx: (v := get(ctx)) is not None and v > c  # noqa: E731
    pairs = {
        CmpOp.LT: (below, at_least),
        CmpOp.GE: (at_least, below),
        CmpOp.LE: (at_most, above),
        CmpOp.GT: (above, at_most),
    }
    return pairs[op]


def _all(preds: Sequence[Pred]) -> Pred:
    if len(preds) == 1:
        return preds[0]
    if len(preds) == 2:
        a, b = preds
        return lambda ctx: a(ctx) and b(ctx)
    if len(preds) == 3:
        a, b, c = preds
        return lambda ctx: a(ctx) and b(ctx) and c(ctx)
    if len(preds) == 4:
        a, b, c, d = preds
        return lambda ctx: a(ctx) and b(ctx) and c(ctx) and d(ctx)
    head, tail = _all(preds[:4]), _all(preds[4:])
    return lambda ctx: head(ctx) and tail(ctx)


def _any(preds: Sequence[Pred]) -> Pred:
    if len(preds) == 1:
        return preds[0]
    if len(preds) == 2:
        a, b = preds
        return lambda ctx: a(ctx) or b(ctx)
    if len(preds) == 3:
        a, b, c = preds
        return lambda ctx: a(ctx) or b(ctx) or c(ctx)
    head, tail = _any(preds[:3]), _any(preds[3:])
    return lambda ctx: head(ctx) or tail(ctx)


def compile_sure(expr: Expr) -> tuple[Pred, Pred]:
    """Two predicates of a context: ``expr`` surely holds, ``expr`` surely fails.

    Both are False when the expression is unknown (see the comment above).
    """
    if isinstance(expr, Not):
        sure_true, sure_false = compile_sure(expr.operand)
        return sure_false, sure_true
    if isinstance(expr, And | Or):
        parts = [compile_sure(item) for item in expr.items]
        trues, falses = [p[0] for p in parts], [p[1] for p in parts]
        if isinstance(expr, And):
            return _all(trues), _any(falses)
        return _any(trues), _all(falses)
    return _sure_leaf(expr, FIELDS_BY_NAME[expr.field])

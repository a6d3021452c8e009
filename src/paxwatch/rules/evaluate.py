"""Compile a rule once into closures, then assess traveller contexts with it quickly.

Each leaf condition becomes a small function reading one attribute of the context; ``and``,
``or`` and ``not`` combine them. Logic is three-valued (Kleene): a condition on an unknown
value is *unknown*, ``and``/``or``/``not`` propagate it, and only a ``when`` that is true
makes a hit, only an ``unless`` that is true cancels one.

The fast path (``predicates.py``) answers "hit or not"; the explanation (every incriminating
condition with the value seen, every exonerating condition that held) is built only for
hits, which are rare. :class:`RuleSet` indexes rules so that most are not even asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from paxwatch.rules.ast import (
    And,
    CmpOp,
    Compare,
    Condition,
    Expr,
    Flag,
    InList,
    Known,
    Not,
    Or,
    Rule,
    conditions,
)
from paxwatch.rules.check import condition_issues
from paxwatch.rules.context import TravellerContext, Value
from paxwatch.rules.fields import FIELDS_BY_NAME, Field, FieldType, normalise
from paxwatch.rules.format import format_condition, format_expr
from paxwatch.rules.predicates import Pred, compile_sure

Test = Callable[[TravellerContext], bool | None]
Getter = Callable[[TravellerContext], Value]
Seen = float | str | bool | tuple[str, ...] | None
"""A value as a hit records it (several values as a sorted tuple)."""


class RuleCompileError(ValueError):
    """The rule reads something it may not, or compares values that do not fit."""


@dataclass(frozen=True, slots=True)
class ConditionResult:
    """One incriminating condition of a hit: its text, the value seen and whether it held."""

    condition: str
    field: str
    seen: Seen
    held: bool | None


@dataclass(frozen=True, slots=True)
class Exoneration:
    """An exonerating condition that held, with the values it read."""

    condition: str
    values: tuple[tuple[str, Seen], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleHit:
    """A rule matched a traveller on a flight; ``exonerated_by`` non-empty: it was cancelled."""

    rule_id: str
    version: int
    offence: str | None
    score: int | None
    locator: str
    traveller_ref: str | None
    flight: str
    conditions: tuple[ConditionResult, ...]
    exonerated_by: tuple[Exoneration, ...] = ()

    @property
    def matched(self) -> tuple[ConditionResult, ...]:
        """The incriminating conditions that held."""
        return tuple(c for c in self.conditions if c.held is True)

    @property
    def exonerated(self) -> bool:
        """True when an exonerating condition cancelled this hit."""
        return bool(self.exonerated_by)


def _seen(value: Value) -> Seen:
    return tuple(sorted(value)) if isinstance(value, frozenset) else value


def _compare(get: Getter, op: CmpOp, c: object, many: bool) -> Test:
    if many:
        if op is CmpOp.EQ:
            return lambda ctx: None if (v := get(ctx)) is None else c in v  # type: ignore[operator]
        return lambda ctx: None if (v := get(ctx)) is None else c not in v  # type: ignore[operator]
    if op is CmpOp.EQ:
        return lambda ctx: None if (v := get(ctx)) is None else v == c
    if op is CmpOp.NE:
        return lambda ctx: None if (v := get(ctx)) is None else v != c
    if op is CmpOp.LT:
        return lambda ctx: None if (v := get(ctx)) is None else v < c  # type: ignore[operator]
    if op is CmpOp.LE:
        return lambda ctx: None if (v := get(ctx)) is None else v <= c  # type: ignore[operator]
    if op is CmpOp.GT:
        return lambda ctx: None if (v := get(ctx)) is None else v > c  # type: ignore[operator]
    return lambda ctx: None if (v := get(ctx)) is None else v >= c  # type: ignore[operator]


def _in(get: Getter, values: frozenset[object], negated: bool, many: bool) -> Test:
    if many:
        if negated:
            return lambda ctx: None if (v := get(ctx)) is None else values.isdisjoint(v)  # type: ignore[arg-type]
        return lambda ctx: None if (v := get(ctx)) is None else not values.isdisjoint(v)  # type: ignore[arg-type]
    if negated:
        return lambda ctx: None if (v := get(ctx)) is None else v not in values
    return lambda ctx: None if (v := get(ctx)) is None else v in values


def _leaf(cond: Condition, spec: Field) -> Test:
    get: Getter = attrgetter(spec.attr)
    if isinstance(cond, Flag):
        return get  # type: ignore[return-value]  # a yes/no field is its own test
    if isinstance(cond, Known):
        if cond.negated:
            return lambda ctx: get(ctx) is None
        return lambda ctx: get(ctx) is not None
    if isinstance(cond, Compare):
        return _compare(get, cond.op, normalise(spec, cond.value), spec.many)
    if isinstance(cond, InList):
        values = frozenset(normalise(spec, v) for v in cond.values)
        return _in(get, values, cond.negated, spec.many)
    low, high = float(cond.low), float(cond.high)
    if cond.negated:
        return lambda ctx: None if (v := get(ctx)) is None else not low <= v <= high  # type: ignore[operator]
    return lambda ctx: None if (v := get(ctx)) is None else low <= v <= high  # type: ignore[operator]


def _not(test: Test) -> Test:
    return lambda ctx: None if (r := test(ctx)) is None else not r


def _and(tests: Sequence[Test]) -> Test:
    if len(tests) == 2:
        a, b = tests

        def and2(ctx: TravellerContext) -> bool | None:
            first = a(ctx)
            if first is False:
                return False
            second = b(ctx)
            if second is False:
                return False
            return None if first is None or second is None else True

        return and2

    def and_n(ctx: TravellerContext) -> bool | None:
        result: bool | None = True
        for test in tests:
            value = test(ctx)
            if value is False:
                return False
            if value is None:
                result = None
        return result

    return and_n


def _or(tests: Sequence[Test]) -> Test:
    def or_n(ctx: TravellerContext) -> bool | None:
        result: bool | None = False
        for test in tests:
            value = test(ctx)
            if value is True:
                return True
            if value is None:
                result = None
        return result

    return or_n


def compile_expr(expr: Expr) -> Test:
    """An expression as one function of a context (fields must exist: check first)."""
    if isinstance(expr, And):
        return _and([compile_expr(item) for item in expr.items])
    if isinstance(expr, Or):
        return _or([compile_expr(item) for item in expr.items])
    if isinstance(expr, Not):
        return _not(compile_expr(expr.operand))
    return _leaf(expr, FIELDS_BY_NAME[expr.field])


class CompiledRule:
    """A rule ready to assess contexts: ``evaluate`` for live use, ``assess`` for backtests."""

    __slots__ = ("_explain", "_unless_explain", "rule", "unless", "when")

    def __init__(self, rule: Rule) -> None:
        issues = condition_issues(rule)
        if issues:
            raise RuleCompileError(f"rule {rule.id}: " + "; ".join(str(i) for i in issues))
        self.rule = rule
        self.when: Pred = compile_sure(rule.when)[0]
        self.unless: tuple[Pred, ...] = tuple(compile_sure(item)[0] for item in rule.unless)
        self._explain = [
            (format_condition(c), c.field, attrgetter(FIELDS_BY_NAME[c.field].attr), _leaf_of(c))
            for c in conditions(rule.when)
        ]
        self._unless_explain = [
            (format_expr(item), [(c.field, attrgetter(FIELDS_BY_NAME[c.field].attr))
                                 for c in conditions(item)])
            for item in rule.unless
        ]  # fmt: skip

    def evaluate(self, ctx: TravellerContext) -> RuleHit | None:
        """The hit on this context, or None (also None when an exonerating condition holds)."""
        if not self.when(ctx):
            return None
        for test in self.unless:
            if test(ctx):
                return None
        return self.record(ctx, ())

    def assess(self, ctx: TravellerContext) -> RuleHit | None:
        """Like :meth:`evaluate`, but an exonerated hit is returned with ``exonerated_by``."""
        if not self.when(ctx):
            return None
        cancelled = tuple(
            Exoneration(text, tuple((name, _seen(get(ctx))) for name, get in getters))
            for test, (text, getters) in zip(self.unless, self._unless_explain, strict=True)
            if test(ctx)
        )
        return self.record(ctx, cancelled)

    def record(self, ctx: TravellerContext, exonerated_by: tuple[Exoneration, ...]) -> RuleHit:
        """The hit record: every incriminating condition with the value it saw."""
        rule = self.rule
        return RuleHit(
            rule_id=rule.id,
            version=rule.version,
            offence=rule.offence,
            score=rule.score,
            locator=ctx.locator,
            traveller_ref=ctx.traveller_ref,
            flight=ctx.flight,
            conditions=tuple(
                ConditionResult(text, name, _seen(get(ctx)), test(ctx))
                for text, name, get, test in self._explain
            ),
            exonerated_by=exonerated_by,
        )


def _leaf_of(cond: Condition) -> Test:
    return _leaf(cond, FIELDS_BY_NAME[cond.field])


def compile_rule(rule: Rule) -> CompiledRule:
    """Compile ``rule``; raises :class:`RuleCompileError` when its conditions are refused."""
    return CompiledRule(rule)


_Entry = tuple[int, CompiledRule, Pred, tuple[Pred, ...]]
_GATE_KINDS = {FieldType.BOOL: 3, FieldType.CHOICE: 2, FieldType.NUMBER: 1}


def _gate(expr: Expr) -> tuple[Field, frozenset[object]] | None:
    """A field and the values it must have for ``expr`` to hold, if one leaf says so.

    Only leaves that every hit must satisfy count: the expression itself or an item of a
    top-level ``and``. Prefers codes (airports, countries...) to choices, numbers and yes/no,
    and short lists to long ones, so that the index skips the most rules.
    """
    best: tuple[tuple[int, int], Field, frozenset[object]] | None = None
    for item in expr.items if isinstance(expr, And) else (expr,):
        if not isinstance(item, Compare | InList | Flag):
            continue
        spec = FIELDS_BY_NAME[item.field]
        if spec.many:
            continue
        if isinstance(item, Flag):
            values: frozenset[object] = frozenset({True})
        elif isinstance(item, InList) and not item.negated:
            values = frozenset(normalise(spec, v) for v in item.values)
        elif isinstance(item, Compare) and item.op is CmpOp.EQ:
            values = frozenset({normalise(spec, item.value)})
        else:
            continue
        rank = (_GATE_KINDS.get(spec.type, 0), len(values))
        if best is None or rank < best[0]:
            best = (rank, spec, values)
    return None if best is None else (best[1], best[2])


class RuleSet:
    """Several compiled rules assessed together (the active rules of the PIU).

    Rules are indexed by a *gate*: a field value every hit of the rule must have (the
    airport list of ``itinerary.origin in [LOS, ACC]``...). For each context only the rules
    whose gate matches, and the rules without a gate, are evaluated.
    """

    __slots__ = ("_always", "_gates", "rules")

    def __init__(self, rules: Iterable[Rule | CompiledRule]) -> None:
        self.rules = [r if isinstance(r, CompiledRule) else CompiledRule(r) for r in rules]
        self._always: list[_Entry] = []
        tables: dict[str, dict[object, list[_Entry]]] = {}
        for position, compiled in enumerate(self.rules):
            entry = (position, compiled, compiled.when, compiled.unless)
            gate = _gate(compiled.rule.when)
            if gate is None:
                self._always.append(entry)
                continue
            table = tables.setdefault(gate[0].attr, {})
            for value in gate[1]:
                table.setdefault(value, []).append(entry)
        self._gates = [(attrgetter(attr), table) for attr, table in tables.items()]

    def evaluate(self, ctx: TravellerContext) -> list[RuleHit]:
        """Every hit of every rule on one context, in the order of the rules."""
        found: list[tuple[int, RuleHit]] = []
        for position, compiled, when, unless in self._always:
            if when(ctx) and not (unless and any(test(ctx) for test in unless)):
                found.append((position, compiled.record(ctx, ())))
        for get, table in self._gates:
            entries = table.get(get(ctx))
            if entries is None:
                continue
            for position, compiled, when, unless in entries:
                if when(ctx) and not (unless and any(test(ctx) for test in unless)):
                    found.append((position, compiled.record(ctx, ())))
        if len(found) > 1:
            found.sort(key=lambda pair: pair[0])
        return [hit for _, hit in found]

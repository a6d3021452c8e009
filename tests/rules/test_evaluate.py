"""Evaluation on crafted bookings: hits, the values they saw, exonerations, unknowns."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paxwatch.model import Payment, PaymentMethod
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
    Scalar,
)
from paxwatch.rules.check import condition_issues
from paxwatch.rules.context import TravellerContext
from paxwatch.rules.evaluate import (
    ConditionResult,
    RuleCompileError,
    RuleSet,
    compile_expr,
    compile_rule,
)
from paxwatch.rules.fields import FIELDS, Field, FieldType
from paxwatch.rules.interpret import interpret, interpret_rule
from paxwatch.rules.parse import parse_rule
from paxwatch.rules.predicates import compile_sure
from tests.rules.factory import DEPARTURE, FF, context, traveller
from tests.rules.test_parse import R0007


def test_the_issue_example_hits_and_says_why() -> None:
    compiled = compile_rule(parse_rule(R0007))
    hit = compiled.evaluate(context(leg=0))
    assert hit is not None
    assert (hit.rule_id, hit.version, hit.offence, hit.score) == (
        "R-0007",
        3,
        "trafficking-in-human-beings",
        40,
    )
    assert (hit.locator, hit.traveller_ref, hit.flight) == ("ABC123", "1", "TK600 LOS-IST")
    assert hit.conditions == (
        ConditionResult("booking.payment in [cash]", "booking.payment", ("cash",), True),
        ConditionResult("booking.lead_time_hours < 48", "booking.lead_time_hours", 30.0, True),
        ConditionResult("booking.one_way", "booking.one_way", True, True),
        ConditionResult("itinerary.origin in [LOS, ACC, ABV]", "itinerary.origin", "LOS", True),
    )
    assert hit.matched == hit.conditions and not hit.exonerated


@pytest.mark.parametrize(
    "changes",
    [
        {"payments": (Payment(method=PaymentMethod.CARD),)},
        {"created_at": DEPARTURE - timedelta(days=10)},
    ],
)
def test_the_issue_example_misses_when_one_condition_fails(changes: dict[str, Any]) -> None:
    assert compile_rule(parse_rule(R0007)).evaluate(context(leg=0, **changes)) is None


def test_an_exonerating_condition_cancels_the_hit_and_says_so() -> None:
    compiled = compile_rule(parse_rule(R0007))
    ctx = context(leg=0, travellers=(traveller(frequent_flyers=(FF,)),))
    assert compiled.evaluate(ctx) is None
    hit = compiled.assess(ctx)
    assert hit is not None and hit.exonerated
    assert [(e.condition, e.values) for e in hit.exonerated_by] == [
        ("traveller.frequent_flyer", (("traveller.frequent_flyer", True),))
    ]


def test_several_exonerating_conditions_each_reported() -> None:
    rule = parse_rule(
        'rule R "x" when booking.one_way unless booking.travellers >= 1 or api.present '
        "or traveller.age between 30 and 40 end"
    )
    hit = compile_rule(rule).assess(context())
    assert hit is not None
    assert [e.condition for e in hit.exonerated_by] == [
        "booking.travellers >= 1",
        "traveller.age between 30 and 40",
    ]


def test_unknown_values_neither_hit_nor_exonerate() -> None:
    ctx = context(created_at=None)  # lead time unknown
    for when in ("booking.lead_time_hours < 48", "not booking.lead_time_hours < 48"):
        assert compile_rule(parse_rule(f'rule R "x" when {when} end')).evaluate(ctx) is None
    either = parse_rule('rule R "x" when booking.lead_time_hours < 48 or booking.one_way end')
    assert compile_rule(either).evaluate(ctx) is not None
    unknown = parse_rule(
        'rule R "x" when booking.one_way and booking.lead_time_hours is unknown end'
    )
    assert compile_rule(unknown).evaluate(ctx) is not None
    exonerate = parse_rule('rule R "x" when booking.one_way unless booking.lead_time_hours > 1 end')
    hit = compile_rule(exonerate).evaluate(ctx)
    assert hit is not None
    assert hit.conditions == (ConditionResult("booking.one_way", "booking.one_way", True, True),)


def test_fields_with_several_values() -> None:
    ctx = context()  # countries NG, TR, FR; via IST
    cases = {
        "itinerary.countries = TR": True,
        "itinerary.countries != TR": False,
        "itinerary.countries in [SY, TR]": True,
        "itinerary.countries not in [SY, IQ]": True,
        "itinerary.via in [DXB]": False,
        "itinerary.via not in [IST]": False,
        "traveller.frequent_flyer_airline in [AF]": False,
        "traveller.frequent_flyer_airline not in [AF]": True,
    }
    for when, expected in cases.items():
        rule = parse_rule(f'rule R "x" when {when} end')
        assert (compile_rule(rule).evaluate(ctx) is not None) is expected, when


def test_values_are_normalised_like_the_context() -> None:
    rule = parse_rule('rule R "x" when itinerary.origin = los and booking.payment in [CASH] end')
    assert compile_rule(rule).evaluate(context(leg=0)) is not None


def test_refused_rules_do_not_compile() -> None:
    with pytest.raises(RuleCompileError, match=r"S001 traveller\.surname"):
        compile_rule(parse_rule('rule R "x" when traveller.surname = "DOE" end'))


def test_rule_set_evaluates_every_rule() -> None:
    rules = [
        parse_rule(R0007),
        parse_rule('rule R-2 "x" when booking.lead_time_days < 5 end'),
        parse_rule('rule R-3 "x" when booking.group end'),
    ]
    hits = RuleSet(rules).evaluate(context(leg=0))
    assert [h.rule_id for h in hits] == ["R-0007", "R-2"]


# --- the compiled closures agree with the tree-walking interpreter ------------------------

_POOLS: dict[FieldType, list[Scalar]] = {
    FieldType.AIRPORT: ["LOS", "CDG", "IST", "DXB"],
    FieldType.COUNTRY: ["NG", "FR", "TR", "AE"],
    FieldType.AIRLINE: ["AF", "TK", "EK"],
    FieldType.CURRENCY: ["EUR", "USD"],
    FieldType.CODE: ["P", "I", "GOLD", "23A"],
}


_FIELDS = st.sampled_from(FIELDS)


def _pool(spec: Field) -> list[Scalar]:
    if spec.type is FieldType.CHOICE:
        return list(spec.choices)
    if spec.type is FieldType.NUMBER:
        return [0, 1, 5, 30, 48]
    return _POOLS.get(spec.type, [True, False])


# The strategies of a field are built once (``cache``), not per example: Hypothesis validates
# every new strategy object the first time it is drawn from, which cost more than the
# drawing. They draw the same values either way.


@cache
def _picks(spec: Field) -> st.SearchStrategy[Scalar]:
    return st.sampled_from(_pool(spec))


@cache
def _context_values(spec: Field) -> st.SearchStrategy[Any]:
    """What ``_context`` draws for ``spec`` (before the values of a list field are cased)."""
    values = _pool(spec)
    if spec.type is FieldType.NUMBER:
        return st.sampled_from([None, 0.0, 1.0, 3.0, 30.0, 48.0, 100.0])
    if spec.type is FieldType.BOOL:
        return st.sampled_from([None, True, False])
    if spec.many:
        return st.none() | st.frozensets(st.sampled_from(values), max_size=2)
    return st.none() | st.sampled_from(values)


_KINDS = {
    number: st.sampled_from(["eq", "in", "known"] + (["order", "between"] if number else []))
    for number in (False, True)
}
_OPS = {True: st.sampled_from(list(CmpOp)), False: st.sampled_from([CmpOp.EQ, CmpOp.NE])}


@st.composite
def _condition(draw: st.DrawFn) -> Expr:
    spec = draw(_FIELDS)
    pick = _picks(spec)
    if spec.type is FieldType.BOOL:
        choices: list[Expr] = [Flag(field=spec.name), Known(field=spec.name)]
        return draw(st.sampled_from(choices))
    kind = draw(_KINDS[spec.type is FieldType.NUMBER])
    if kind == "known":
        return Known(field=spec.name, negated=draw(st.booleans()))
    if kind == "in":
        items = tuple(draw(st.lists(pick, min_size=1, max_size=3)))
        return InList(field=spec.name, values=items, negated=draw(st.booleans()))
    if kind == "between":
        low, high = sorted([draw(pick), draw(pick)], key=float)
        return Between(field=spec.name, low=low, high=high, negated=draw(st.booleans()))
    return Compare(field=spec.name, op=draw(_OPS[kind == "order"]), value=draw(pick))


def _compose(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    several = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(
        st.builds(Not, operand=children),
        st.builds(And, items=several),
        st.builds(Or, items=several),
    )


_valid = st.recursive(_condition(), _compose, max_leaves=6)


@st.composite
def _context(draw: st.DrawFn) -> TravellerContext:
    ctx = TravellerContext()
    for spec in FIELDS:
        value = draw(_context_values(spec))
        if spec.many and spec.type not in (FieldType.NUMBER, FieldType.BOOL):
            value = None if value is None else frozenset(str(v).upper() for v in value)
            if spec.type is FieldType.CHOICE and value is not None:
                value = frozenset(str(v).lower() for v in value)
        setattr(ctx, spec.attr, value)
    return ctx


@settings(max_examples=400)
@given(_valid, st.lists(_valid, max_size=2), _context())
def test_compiled_rules_agree_with_the_interpreter(
    when: Expr, unless: list[Expr], ctx: TravellerContext
) -> None:
    assert compile_expr(when)(ctx) == interpret(when, ctx)
    surely_true, surely_false = compile_sure(when)
    assert (surely_true(ctx), surely_false(ctx)) == (
        interpret(when, ctx) is True,
        interpret(when, ctx) is False,
    )
    # a rule reading only nationality is refused (S009): add a yes/no field to every rule
    when = And(items=(when, Flag(field="booking.one_way")))
    rule = Rule(id="R", title="x", when=when, unless=tuple(unless))
    compiled = compile_rule(rule)
    assert (compiled.evaluate(ctx) is not None) == interpret_rule(rule, ctx)
    hit = compiled.assess(ctx)
    assert (hit is not None) == (interpret(when, ctx) is True)


def test_context_copy_is_independent() -> None:
    ctx = context()
    other = dataclasses.replace(ctx, traveller_age=None)
    assert ctx.traveller_age == 36.0 and other.traveller_age is None


@settings(max_examples=150)
@given(st.lists(_valid, min_size=1, max_size=6), st.lists(_context(), min_size=1, max_size=4))
def test_the_rule_set_index_finds_exactly_the_hits_of_each_rule(
    whens: list[Expr], contexts: list[TravellerContext]
) -> None:
    rules = [
        Rule(id=f"R-{i}", title="x", when=And(items=(when, Flag(field="booking.one_way"))))
        if i % 2
        else Rule(id=f"R-{i}", title="x", when=when)
        for i, when in enumerate(whens)
    ]
    rules = [r for r in rules if not condition_issues(r)]
    ruleset = RuleSet(rules)
    for ctx in contexts:
        expected = [r.id for r in rules if interpret_rule(r, ctx)]
        assert [hit.rule_id for hit in ruleset.evaluate(ctx)] == expected


def test_rules_are_indexed_by_their_most_selective_condition() -> None:
    rules = [
        parse_rule(R0007),  # gate: itinerary.origin in [LOS, ACC, ABV]
        parse_rule('rule R-2 "x" when booking.one_way and booking.travellers = 1 end'),
        parse_rule('rule R-3 "x" when booking.lead_time_days < 5 end'),  # no gate
    ]
    ruleset = RuleSet(rules)
    assert [e[1].rule.id for e in ruleset._always] == ["R-3"]
    gates = {get.__reduce__()[1][0]: sorted(map(str, table)) for get, table in ruleset._gates}
    assert gates == {"itinerary_origin": ["ABV", "ACC", "LOS"], "booking_travellers": ["1.0"]}

"""The parser: golden valid rules, and the exact sentence a person sees for invalid ones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from paxwatch.rules.ast import (
    And,
    Between,
    CmpOp,
    Compare,
    Flag,
    InList,
    Known,
    Not,
    Or,
    Rule,
    Status,
)
from paxwatch.rules.parse import RuleSyntaxError, parse_rule, parse_rules

R0007 = """\
# The example of issue 6.
rule R-0007 "One-way cash ticket bought late on a known trafficking route"
  offence: trafficking-in-human-beings
  author: a.martin
  version: 3
  review: 2027-03-01
  score: 40
  status: draft
when
  booking.payment in [cash] and booking.lead_time_hours < 48
  and booking.one_way and itinerary.origin in [LOS, ACC, ABV]
unless
  traveller.frequent_flyer
end
"""


def test_the_issue_example_parses_into_the_expected_tree() -> None:
    rule = parse_rule(R0007)
    assert rule == Rule(
        id="R-0007",
        title="One-way cash ticket bought late on a known trafficking route",
        offence="trafficking-in-human-beings",
        author="a.martin",
        version=3,
        review=date(2027, 3, 1),
        score=40,
        status=Status.DRAFT,
        when=And(
            items=(
                InList(field="booking.payment", values=("cash",)),
                Compare(field="booking.lead_time_hours", op=CmpOp.LT, value=48),
                Flag(field="booking.one_way"),
                InList(field="itinerary.origin", values=("LOS", "ACC", "ABV")),
            )
        ),
        unless=(Flag(field="traveller.frequent_flyer"),),
    )
    assert rule.pos is not None and (rule.pos.line, rule.pos.column) == (2, 1)
    assert rule.when.pos is not None and rule.when.pos.line == 10


def test_every_construct_of_the_language() -> None:
    rule = parse_rule(
        """rule X-1 "all of it" rationale: "says \\"why\\"" approved_by: b.dupont
        approved_on: 2026-11-01 status: active
        when not (traveller.age between 18 and 30.5 or api.bags != 0)
          and traveller.nationality not in [NG, "GH"] and traveller.age not between 1 and 2
          and booking.one_way = false and api.seat is known and api.seat_row is unknown
          and traveller.document_days_to_expiry > -5 and flight.carrier = 9W
        unless api.bags >= 3 or (api.present and booking.group) or booking.split
        end"""
    )
    assert rule.rationale == 'says "why"'
    assert rule.status is Status.ACTIVE and rule.approved_by == "b.dupont"
    assert isinstance(rule.when, And)
    first = rule.when.items[0]
    assert first == Not(
        operand=Or(
            items=(
                Between(field="traveller.age", low=18, high=Decimal("30.5")),
                Compare(field="api.bags", op=CmpOp.NE, value=0),
            )
        )
    )
    assert rule.when.items[1] == InList(
        field="traveller.nationality", values=("NG", "GH"), negated=True
    )
    assert rule.when.items[3] == Compare(field="booking.one_way", op=CmpOp.EQ, value=False)
    assert rule.when.items[4] == Known(field="api.seat")
    assert rule.when.items[5] == Known(field="api.seat_row", negated=True)
    assert rule.when.items[6] == Compare(
        field="traveller.document_days_to_expiry", op=CmpOp.GT, value=-5
    )
    assert rule.when.items[7] == Compare(field="flight.carrier", op=CmpOp.EQ, value="9W")
    assert len(rule.unless) == 3
    assert rule.unless[1] == And(items=(Flag(field="api.present"), Flag(field="booking.group")))


def test_several_rules_per_file_with_comments() -> None:
    text = R0007 + '\n# second\nrule R-2 "x" when booking.one_way end # trailing\n'
    rules = parse_rules(text)
    assert [r.id for r in rules] == ["R-0007", "R-2"]
    assert parse_rules("# nothing but a comment\n\n") == []


def test_precedence_not_binds_tighter_than_and_than_or() -> None:
    rule = parse_rule('rule R "x" when not booking.group and booking.split or api.present end')
    assert rule.when == Or(
        items=(
            And(items=(Not(operand=Flag(field="booking.group")), Flag(field="booking.split"))),
            Flag(field="api.present"),
        )
    )


INVALID = [
    (
        'rule R "x" when booking.lead_time_hours < end',
        'line 1, column 46: the text ends where the rule expects "and", "end", "or" or "unless"',
    ),
    (
        'rule R "x"\nwhen booking.one_way\nwhen',
        'line 3, column 1: found "when" where the rule expects "and", "between", "end", "in", '
        '"is", "not", "or", "unless" or a comparison (=, !=, <, <=, >, >=)',
    ),
    (
        'rule R "x" when booking.lead_time_hours % 3 end',
        'line 1, column 41: "%" cannot be read here; the rule expects ")", "and", "between", '
        '"end", "in", "is", "not", "or", "unless" or a comparison (=, !=, <, <=, >, >=)',
    ),
    (
        'rule R "x" when itinerary.origin in [LOS ACC] end',
        'line 1, column 42: found "ACC" where the rule expects "," or "]"',
    ),
    (
        'rule R "x" when traveller.age between 18 or 30 end',
        'line 1, column 42: found "or" where the rule expects "and"',
    ),
    (
        'rule R "x" when traveller.age == 30 end',
        'line 1, column 32: found "=" where the rule expects a value',
    ),
    (
        'rule "x" when booking.one_way end',
        'line 1, column 6: found "x" where the rule expects a rule id (such as R-0007)',
    ),
    (
        'rule R "x" when end',
        'line 1, column 17: found "end" where the rule expects "(", "not" or a field '
        "(such as booking.lead_time_hours)",
    ),
    (
        'rule R "x"\n  offense: fraud\nwhen booking.one_way end',
        'line 2, column 3: "offense" is not a rule property (did you mean "offence"?)',
    ),
    (
        'rule R "x" score: 40 score: 50 when booking.one_way end',
        'line 1, column 22: "score" is given twice',
    ),
    (
        'rule R "x" version: three when booking.one_way end',
        'line 1, column 21: version must be a whole number, not "three"',
    ),
    (
        'rule R "x" review: 01/03/2027 when booking.one_way end',
        'line 1, column 20: review must be a date written 2027-03-01, not "01/03/2027"',
    ),
    (
        'rule R "x" status: live when booking.one_way end',
        'line 1, column 20: status is draft, active or retired, not "live"',
    ),
    (
        'rule R "x" when (booking.one_way end',
        'line 1, column 34: found "end" where the rule expects ")"',
    ),
]


@pytest.mark.parametrize(("text", "message"), INVALID)
def test_invalid_rules_are_refused_with_a_sentence(text: str, message: str) -> None:
    with pytest.raises(RuleSyntaxError) as caught:
        parse_rules(text)
    assert str(caught.value) == message


def test_parse_rule_wants_exactly_one_rule() -> None:
    with pytest.raises(RuleSyntaxError, match="expected exactly one rule, found 2"):
        parse_rule(R0007 + R0007)


def test_keywords_quoted_are_text_and_true_false_are_booleans() -> None:
    rule = parse_rule('rule R "x" when api.seat in ["end", "true", true] end')
    assert rule.when == InList(field="api.seat", values=("end", "true", True))

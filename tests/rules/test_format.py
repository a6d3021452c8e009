"""Formatting: the canonical text reads aloud, and parsing it gives back the same tree."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from paxwatch.rules.ast import Rule
from paxwatch.rules.format import format_rule, format_rules, format_value
from paxwatch.rules.parse import parse_rule, parse_rules
from tests.rules.strategies import rules
from tests.rules.test_parse import R0007

CANONICAL = """\
rule R-0007 "One-way cash ticket bought late on a known trafficking route"
  offence: trafficking-in-human-beings
  author: a.martin
  version: 3
  review: 2027-03-01
  score: 40
  status: draft
when
  booking.payment in [cash]
  and booking.lead_time_hours < 48
  and booking.one_way
  and itinerary.origin in [LOS, ACC, ABV]
unless
  traveller.frequent_flyer
end
"""


def test_canonical_text_of_the_issue_example() -> None:
    assert format_rule(parse_rule(R0007)) == CANONICAL
    assert parse_rule(CANONICAL) == parse_rule(R0007)


def test_parentheses_are_written_only_where_needed() -> None:
    rule = parse_rule(
        'rule R "x" when (booking.group or booking.split) and not (api.present and api.bags > 1)'
        " unless (api.present or booking.group) or booking.split end"
    )
    text = format_rule(rule)
    assert "  (booking.group or booking.split)\n  and not (api.present and api.bags > 1)" in text
    assert "unless\n  (api.present or booking.group)\n  or booking.split\nend" in text


def test_values_that_are_not_plain_words_are_quoted() -> None:
    assert format_value("LOS") == "LOS"
    assert format_value("9W") == "9W"
    assert format_value("end") == '"end"'
    assert format_value("true") == '"true"'
    assert format_value("12") == '"12"'
    assert format_value('say "hi"\\') == '"say \\"hi\\"\\\\"'
    assert format_value(True) == "true"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(rules)
def test_format_then_parse_gives_the_same_tree(rule: Rule) -> None:
    assert parse_rule(format_rule(rule)) == rule


@settings(max_examples=50, suppress_health_check=[HealthCheck.too_slow])
@given(rules, rules)
def test_rule_files_round_trip(first: Rule, second: Rule) -> None:
    assert parse_rules(format_rules([first, second])) == [first, second]

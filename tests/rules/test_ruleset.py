"""Rule files and the life cycle: four-eyes activation, retirement, new versions."""

from __future__ import annotations

from datetime import date

import pytest

from paxwatch.rules.ast import Status
from paxwatch.rules.check import CheckConfig
from paxwatch.rules.parse import parse_rule
from paxwatch.rules.ruleset import (
    ActivationRefused,
    activate,
    check_ruleset,
    dump_rules,
    load_rules,
    new_version,
    retire,
)
from tests.rules.test_parse import R0007

TODAY = date(2026, 11, 27)
CONFIG = CheckConfig(today=TODAY)
SUPERVISOR = {"analyst", "supervisor"}

FILE = (
    "# Rules of the trafficking desk\n"
    + R0007
    + """
# A second rule, already active.
rule R-0012 "Document expires within the trip"
  offence: document-forgery  # Annex II 18
  author: c.leroy
  version: 1
  review: 2027-06-30
  score: 20
  status: active
  approved_by: a.martin
  approved_on: 2026-10-01
when
  traveller.document_days_to_expiry < 3 and booking.one_way
end
"""
)


def _codes(error: pytest.ExceptionInfo[ActivationRefused]) -> list[str]:
    return [issue.code for issue in error.value.issues]


def test_rule_file_round_trip() -> None:
    rules = load_rules(FILE)
    assert [(r.id, r.status) for r in rules] == [
        ("R-0007", Status.DRAFT),
        ("R-0012", Status.ACTIVE),
    ]
    assert load_rules(dump_rules(rules)) == rules
    assert dump_rules(load_rules(dump_rules(rules))) == dump_rules(rules)


def test_a_supervisor_other_than_the_author_activates() -> None:
    rule = parse_rule(R0007)
    active = activate(rule, by="b.dupont", roles=SUPERVISOR, config=CONFIG)
    assert active.status is Status.ACTIVE
    assert (active.approved_by, active.approved_on) == ("b.dupont", TODAY)
    assert rule.status is Status.DRAFT  # the draft itself is unchanged
    assert "approved_by: b.dupont" in dump_rules([active])


def test_activation_checks_the_review_date_against_the_day_of_activation() -> None:
    rule = parse_rule(R0007)
    assert activate(rule, by="b.dupont", roles=SUPERVISOR, on=TODAY).approved_on == TODAY
    with pytest.raises(ActivationRefused) as error:
        activate(rule, by="b.dupont", roles=SUPERVISOR, on=date(2027, 3, 2), config=CheckConfig())
    assert _codes(error) == ["M003"]


def test_the_author_cannot_activate_their_own_rule() -> None:
    with pytest.raises(ActivationRefused) as error:
        activate(parse_rule(R0007), by="A.Martin", roles=SUPERVISOR, config=CONFIG)
    assert _codes(error) == ["A001"]
    assert "A.Martin wrote this version: another person must activate it (four eyes)" in str(
        error.value
    )


def test_only_a_supervisor_activates() -> None:
    with pytest.raises(ActivationRefused) as error:
        activate(parse_rule(R0007), by="b.dupont", roles={"analyst"}, config=CONFIG)
    assert _codes(error) == ["A002"]


def test_a_rule_failing_the_static_checks_is_not_activated() -> None:
    text = R0007.replace("traveller.frequent_flyer", "traveller.gender = F")
    text = text.replace("review: 2027-03-01", "review: 2026-01-01")
    with pytest.raises(ActivationRefused) as error:
        activate(parse_rule(text), by="b.dupont", roles=SUPERVISOR, config=CONFIG)
    assert _codes(error) == ["M003", "S002"]


def test_only_drafts_are_activated_and_retired_is_final() -> None:
    active = activate(parse_rule(R0007), by="b.dupont", roles=SUPERVISOR, config=CONFIG)
    with pytest.raises(ActivationRefused) as error:
        activate(active, by="c.leroy", roles=SUPERVISOR, config=CONFIG)
    assert _codes(error) == ["A003"]
    retired = retire(active, by="a.martin", roles=SUPERVISOR)
    assert retired.status is Status.RETIRED
    with pytest.raises(ActivationRefused) as error:
        retire(retired, by="analyst.x", roles={"analyst"})
    assert _codes(error) == ["A002", "A003"]


def test_editing_makes_a_new_draft_version() -> None:
    active = activate(parse_rule(R0007), by="b.dupont", roles=SUPERVISOR, config=CONFIG)
    draft = new_version(active, author="b.dupont")
    assert (draft.version, draft.status, draft.author) == (4, Status.DRAFT, "b.dupont")
    assert draft.approved_by is None and draft.approved_on is None
    with pytest.raises(ActivationRefused):
        activate(draft, by="b.dupont", roles=SUPERVISOR, config=CONFIG)
    assert activate(draft, by="a.martin", roles=SUPERVISOR, config=CONFIG).version == 4


def test_rule_sets_refuse_duplicates_and_two_active_versions() -> None:
    one = parse_rule(R0007)
    active = activate(one, by="b.dupont", roles=SUPERVISOR, config=CONFIG)
    second = activate(new_version(active, "b.dupont"), by="a.martin", roles=SUPERVISOR, on=TODAY)
    assert [i.code for i in check_ruleset([one, one])] == ["R001"]
    assert [i.code for i in check_ruleset([active, second])] == ["R002"]
    assert check_ruleset([one, second]) == []

"""Backtest numbers on crafted history: hits per day and route, precision, overlap."""

from __future__ import annotations

from datetime import date, timedelta

from paxwatch.model import Payment, PaymentMethod
from paxwatch.rules.backtest import BacktestItem, backtest
from paxwatch.rules.parse import parse_rule
from tests.rules.factory import DEPARTURE, FF, context, traveller
from tests.rules.test_parse import R0007

DAY1, DAY2 = date(2026, 12, 10), date(2026, 12, 11)


def _history() -> list[BacktestItem]:
    hit = context(leg=0)  # R-0007 hits
    card = context(leg=0, payments=(Payment(method=PaymentMethod.CARD),))  # no hit
    flyer = context(leg=0, travellers=(traveller(frequent_flyers=(FF,)),))  # exonerated
    early = context(leg=0, created_at=DEPARTURE - timedelta(days=30))  # no hit
    return [
        BacktestItem(hit, DAY1, "LOS-IST", known_true=True, other_hits=frozenset({"R-9"})),
        BacktestItem(hit, DAY1, "LOS-IST", dismissed=True, other_hits=frozenset({"R-9", "R-8"})),
        BacktestItem(hit, DAY2, "ACC-IST", known_true=False),
        BacktestItem(hit, DAY2, "LOS-IST", other_hits=frozenset({"R-0007"})),
        BacktestItem(card, DAY1, "LOS-IST", known_true=True),
        BacktestItem(flyer, DAY1, "LOS-IST", known_true=True),
        BacktestItem(flyer, DAY2, "LOS-IST"),
        BacktestItem(early, DAY2, "LOS-IST", dismissed=True),
    ]


def test_backtest_numbers() -> None:
    report = backtest(parse_rule(R0007), _history())
    assert (report.rule_id, report.version) == ("R-0007", 3)
    assert report.evaluated == 8
    assert report.hits == 4
    assert report.exonerated == 2
    assert report.exonerated_by == {"traveller.frequent_flyer": 2}
    assert report.exonerated_known_true == 1
    assert report.hits_per_day == {DAY1: 2, DAY2: 2}
    assert report.hits_per_route == {"LOS-IST": 3, "ACC-IST": 1}
    assert report.known_true_total == 3
    assert report.known_true_hits == 1
    assert report.known_true_share == 0.25
    assert report.recall == 1 / 3
    assert report.dismissed_hits == 1 and report.dismissed_share == 0.25
    assert report.overlap == {"R-9": 2, "R-8": 1}  # its own id in other_hits is ignored
    assert report.overlap_share("R-9") == 0.5
    assert report.unique_hits == 2
    assert report.hit_rate == 0.5
    assert len(report.samples) == 6 and sum(s.exonerated for s in report.samples) == 2


def test_backtest_accepts_plain_tuples_and_empty_history() -> None:
    rule = parse_rule(R0007)
    report = backtest(rule, [(context(leg=0), DAY1, "LOS-IST")])  # type: ignore[list-item]
    assert report.hits == 1 and report.known_true_share == 0.0 and report.recall is None
    empty = backtest(rule, [])
    assert empty.evaluated == 0 and empty.hit_rate is None and empty.known_true_share is None


def test_summary_reads_as_sentences_without_personal_data() -> None:
    lines = backtest(parse_rule(R0007), _history()).summary()
    assert lines[0] == (
        "rule R-0007 v3: 4 hits over 8 travellers (50.0%), 2 let go by exonerating conditions"
    )
    assert lines[1] == (
        "known of interest: 1 of 4 hits (25.0%), 1 of 3 found (33.3%), "
        "1 let go by exonerating conditions"
    )
    assert lines[2] == "already dismissed by a human: 1 (25.0%)"
    assert lines[3] == "only this rule: 2; shared: R-9 2, R-8 1"
    assert lines[4] == "exonerated by traveller.frequent_flyer: 2"
    assert not any("DOE" in line or "ABC123" in line for line in lines)

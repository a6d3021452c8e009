"""Backtest a rule over evaluated history: what would it have flagged, and was it right?

Pure computation: the caller streams :class:`BacktestItem` values (a context with the day,
the route, whether the traveller is known to have been of real interest, whether a human
dismissed a hit on them, and which other rules hit them) from wherever history is kept; the
result is a :class:`BacktestReport` an analyst can defend the rule with, or retire it on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from paxwatch.rules.ast import Rule
from paxwatch.rules.context import TravellerContext
from paxwatch.rules.evaluate import CompiledRule, RuleHit


class BacktestItem(NamedTuple):
    """One traveller on one flight of history, as the backtest sees it.

    ``known_true``: later confirmed of real interest (case outcome or synthetic ground truth).
    ``dismissed``: a human reviewed a hit on this traveller and found nothing.
    ``other_hits``: ids of the other rules that hit this traveller on this flight.
    """

    context: TravellerContext
    day: date
    route: str
    known_true: bool = False
    dismissed: bool = False
    other_hits: frozenset[str] = frozenset()


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True, slots=True, kw_only=True)
class BacktestReport:
    """What a rule would have done over the history given to :func:`backtest`.

    ``exonerated`` counts travellers the incriminating part caught but an exonerating
    condition let go (``exonerated_by``: how often each condition did it, and
    ``exonerated_known_true``: how many of them were in fact of interest).
    ``dismissed_hits``: hits on travellers a human had already reviewed and dismissed.
    """

    rule_id: str
    version: int
    evaluated: int
    hits: int
    exonerated: int
    hits_per_day: dict[date, int]
    hits_per_route: dict[str, int]
    exonerated_by: dict[str, int]
    known_true_total: int
    known_true_hits: int
    exonerated_known_true: int
    dismissed_hits: int
    overlap: dict[str, int]
    unique_hits: int
    samples: tuple[RuleHit, ...]

    @property
    def hit_rate(self) -> float | None:
        """Hits per traveller assessed."""
        return _share(self.hits, self.evaluated)

    @property
    def known_true_share(self) -> float | None:
        """Share of the hits that were known to be of real interest (precision)."""
        return _share(self.known_true_hits, self.hits)

    @property
    def recall(self) -> float | None:
        """Share of the travellers known to be of interest that the rule hit."""
        return _share(self.known_true_hits, self.known_true_total)

    @property
    def dismissed_share(self) -> float | None:
        """Share of the hits a human had dismissed."""
        return _share(self.dismissed_hits, self.hits)

    def overlap_share(self, rule_id: str) -> float | None:
        """Share of this rule's hits that ``rule_id`` also hit."""
        return _share(self.overlap.get(rule_id, 0), self.hits)

    def summary(self) -> list[str]:
        """The report in a few sentences (numbers only: no personal data)."""

        def pct(value: float | None) -> str:
            return "n/a" if value is None else f"{100 * value:.1f}%"

        lines = [
            f"rule {self.rule_id} v{self.version}: {self.hits} hits over {self.evaluated} "
            f"travellers ({pct(self.hit_rate)}), {self.exonerated} let go by exonerating "
            "conditions",
            f"known of interest: {self.known_true_hits} of {self.hits} hits "
            f"({pct(self.known_true_share)}), {self.known_true_hits} of "
            f"{self.known_true_total} found ({pct(self.recall)}), "
            f"{self.exonerated_known_true} let go by exonerating conditions",
            f"already dismissed by a human: {self.dismissed_hits} ({pct(self.dismissed_share)})",
            f"only this rule: {self.unique_hits}; shared: "
            + (", ".join(f"{k} {v}" for k, v in self.overlap.items()) or "none"),
        ]
        lines += [f"exonerated by {text}: {count}" for text, count in self.exonerated_by.items()]
        return lines


def backtest(
    rule: Rule | CompiledRule, items: Iterable[BacktestItem], samples: int = 20
) -> BacktestReport:
    """Run ``rule`` over ``items`` and count its hits, exonerations, precision and overlap.

    ``samples``: how many hit records (exonerated ones included) to keep as examples.
    """
    compiled = rule if isinstance(rule, CompiledRule) else CompiledRule(rule)
    evaluated = hits = exonerated = known_total = known_hits = 0
    exonerated_known = dismissed = unique = 0
    per_day: Counter[date] = Counter()
    per_route: Counter[str] = Counter()
    by_condition: Counter[str] = Counter()
    overlap: Counter[str] = Counter()
    kept: list[RuleHit] = []
    for raw in items:
        item = raw if isinstance(raw, BacktestItem) else BacktestItem(*raw)  # plain tuples too
        evaluated += 1
        known_total += item.known_true
        hit = compiled.assess(item.context)
        if hit is None:
            continue
        if len(kept) < samples:
            kept.append(hit)
        if hit.exonerated:
            exonerated += 1
            exonerated_known += item.known_true
            by_condition.update(e.condition for e in hit.exonerated_by)
            continue
        hits += 1
        per_day[item.day] += 1
        per_route[item.route] += 1
        known_hits += item.known_true
        dismissed += item.dismissed
        others = item.other_hits - {compiled.rule.id}
        overlap.update(others)
        unique += not others
    return BacktestReport(
        rule_id=compiled.rule.id,
        version=compiled.rule.version,
        evaluated=evaluated,
        hits=hits,
        exonerated=exonerated,
        hits_per_day=dict(sorted(per_day.items())),
        hits_per_route=dict(per_route.most_common()),
        exonerated_by=dict(by_condition.most_common()),
        known_true_total=known_total,
        known_true_hits=known_hits,
        exonerated_known_true=exonerated_known,
        dismissed_hits=dismissed,
        overlap=dict(sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0]))),
        unique_hits=unique,
        samples=tuple(kept),
    )

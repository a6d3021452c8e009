"""Backtests of a rule over stored history.

``backtest_stored`` runs a rule (a draft too) over the stored travellers of a date range:
hits per day and route, share known to be of interest (from a synthetic ``truth.jsonl``
when given), overlap with the active rules, and hits on travellers a human dismissed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, and_, select

from paxwatch.assess.hits import (
    HitStatus,
)
from paxwatch.assess.load import Scope, load_travellers, traveller_pairs
from paxwatch.assess.rule_eval import contexts
from paxwatch.assess.rule_store import list_rules
from paxwatch.rules import (
    BacktestItem,
    BacktestReport,
    Rule,
    RuleSet,
    Status,
    backtest,
    compile_rule,
)
from paxwatch.screening.subject import Subject
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store

KNOWN_TRUE_ROLES = frozenset({"plant", "network"})
"""Synthetic truth roles counted as "known to be of interest" in backtests."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TruthIndex:
    """Synthetic ground truth by (booking locator, traveller ref)."""

    roles: dict[tuple[str, str], str]
    entries: dict[tuple[str, str], str]
    variants: dict[tuple[str, str], tuple[str, ...]]

    def known_true(self, locator: str, ref: str | None) -> bool:
        return self.roles.get((locator, ref or "")) in KNOWN_TRUE_ROLES


def read_truth(path: Path) -> TruthIndex:
    """The traveller records of a synthetic ``truth.jsonl``."""
    roles: dict[tuple[str, str], str] = {}
    entries: dict[tuple[str, str], str] = {}
    variants: dict[tuple[str, str], tuple[str, ...]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if '"type":"traveller"' not in line[:30]:
                continue
            record = json.loads(line)
            key = (str(record["locator"]), str(record["ref"]))
            roles[key] = str(record["role"])
            if record.get("entry_id"):
                entries[key] = str(record["entry_id"])
            variants[key] = tuple(record.get("variants") or ())
    return TruthIndex(roles=roles, entries=entries, variants=variants)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredBacktest:
    """A backtest over stored history (``report`` holds every figure)."""

    rule_id: str
    version: int
    first_day: date | None
    last_day: date | None
    travellers: int
    truth_used: bool
    report: BacktestReport


def _dismissed(conn: Connection, scope: Scope) -> set[tuple[int | None, int, str | None]]:
    """(booking, flight, traveller data digest) of the dismissed hits within ``scope``."""
    h, f = sa_.hit, s.flight
    query = (
        select(h.c.booking_id, h.c.flight_id, h.c.subject_digest)
        .join(f, f.c.id == h.c.flight_id)
        .where(h.c.status == HitStatus.DISMISSED.value)
    )
    if scope.first_day is not None:
        query = query.where(f.c.departure_date >= scope.first_day)
    if scope.last_day is not None:
        query = query.where(f.c.departure_date <= scope.last_day)
    if scope.window_from is not None:
        query = query.where(
            and_(f.c.departure_date.is_not(None), f.c.departure_date >= scope.window_from)
        )
    return {(r[0], r[1], r[2]) for r in conn.execute(query)}


def backtest_stored(
    store: Store,
    rule: Rule,
    scope: Scope,
    *,
    truth: TruthIndex | None = None,
    chunk: int = 2000,
) -> StoredBacktest:
    """Run ``rule`` over the stored travellers of ``scope`` (read only: nothing is stored).

    ``other_hits`` come from the active rules (other than ``rule``) evaluated on the same
    contexts; ``dismissed`` is true when a human dismissed a hit on the same traveller data
    on the same booking and flight.
    """
    compiled = compile_rule(rule)
    others = RuleSet([r for r in _active_rules(store) if r.id != rule.id])
    with store.read() as conn:
        dismissed = _dismissed(conn, scope)
    travellers = 0

    def items() -> Iterator[BacktestItem]:
        nonlocal travellers
        after = 0
        while True:
            with store.read() as conn:
                pairs = traveller_pairs(conn, scope, after=after, limit=chunk)
                if not pairs:
                    return
                after = pairs[-1][0]
                loaded = load_travellers(conn, pairs, previous=True, api=True)
            for item, ctx in zip(loaded, contexts(loaded), strict=True):
                if ctx is None:
                    continue
                travellers += 1
                digest = Subject.from_traveller(item.traveller, ref="").digest()
                yield BacktestItem(
                    context=ctx,
                    day=item.flight.departure_date or date.min,
                    route=item.flight.route,
                    known_true=bool(
                        truth and truth.known_true(item.booking.locator, item.traveller.ref)
                    ),
                    dismissed=(item.booking_id, item.flight.flight_id, digest) in dismissed,
                    other_hits=frozenset(h.rule_id for h in others.evaluate(ctx)),
                )

    report = backtest(compiled, items())
    return StoredBacktest(
        rule_id=rule.id,
        version=rule.version,
        first_day=scope.first_day,
        last_day=scope.last_day,
        travellers=travellers,
        truth_used=truth is not None,
        report=report,
    )


def _active_rules(store: Store) -> list[Rule]:
    with store.read() as conn:
        return [r.rule() for r in list_rules(conn, Status.ACTIVE.value)]

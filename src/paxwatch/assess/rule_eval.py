"""Evaluation of the active targeting rules on loaded travellers.

``current_ruleset(store)`` compiles the active rules once per active-rule set (digest of
the active ids and versions) and caches it. ``rule_candidates`` evaluates loaded travellers
(one ``BookingFacts`` per booking version, one context per traveller and flight) and turns
each ``RuleHit`` into a hit with the rule id, version and every incriminating condition
with the value it saw.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from paxwatch.assess.hits import (
    Candidate,
    HitFeature,
    HitKind,
    NewHit,
    digest_values,
)
from paxwatch.assess.load import LoadedTraveller
from paxwatch.assess.rule_store import list_rules
from paxwatch.rules import (
    RuleHit,
    RuleSet,
    Status,
    TravellerContext,
)
from paxwatch.rules.context import BookingFacts, build_context
from paxwatch.screening.subject import Subject
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store

KIND = "rules"
"""``assessment.kind`` of rule evaluation."""

ALGORITHM_VERSION = "paxwatch-rules-1"
"""Recorded on every rule hit with the rule id and version (the evaluator's version)."""


@dataclass(frozen=True, slots=True)
class ActiveRules:
    """The compiled active rules and the digest naming the set."""

    digest: str
    ruleset: RuleSet

    @property
    def empty(self) -> bool:
        return not self.ruleset.rules


_CACHE: dict[str, ActiveRules] = {}
_LOCK = threading.Lock()


def _rules_digest(keys: Sequence[tuple[str, int]]) -> str:
    return hashlib.sha256(json.dumps(sorted(keys)).encode()).hexdigest()


def current_ruleset(store: Store) -> ActiveRules:
    """The active rules, compiled once per active set and cached per database."""
    tr = sa_.targeting_rule
    with store.read() as conn:
        keys = [
            (str(r[0]), int(r[1]))
            for r in conn.execute(
                select(tr.c.rule_id, tr.c.version).where(tr.c.status == Status.ACTIVE.value)
            )
        ]
    digest = _rules_digest(keys)
    key = store.engine.url.render_as_string(hide_password=True)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached.digest == digest:
            return cached
    with store.read() as conn:
        rules = [r.rule() for r in list_rules(conn, Status.ACTIVE.value)]
    built = ActiveRules(digest, RuleSet(rules))
    with _LOCK:
        _CACHE[key] = built
    return built


def forget_rulesets() -> None:
    """Empty the cache (tests)."""
    with _LOCK:
        _CACHE.clear()


def contexts(items: Sequence[LoadedTraveller]) -> Iterator[TravellerContext | None]:
    """One context per loaded traveller (None when the flight is not a leg of the
    booking); the booking-level facts are computed once per booking version."""
    facts: dict[int, BookingFacts] = {}
    for item in items:
        if item.leg is None:
            yield None
            continue
        shared = facts.get(item.version_id)
        if shared is None:
            shared = facts[item.version_id] = BookingFacts(item.booking, item.previous)
        yield build_context(shared, item.traveller, item.leg, item.api)


def _seen(value: object) -> float | str | bool | list[str] | None:
    if isinstance(value, tuple):
        return [str(v) for v in value]
    if value is None or isinstance(value, float | str | bool):
        return value
    return str(value)


def rule_hit(item: LoadedTraveller, hit: RuleHit, subject_digest: str) -> NewHit:
    """The hit record of one rule hit (conditions with the values seen)."""
    return hit_of_rule(
        hit,
        subject_digest,
        flight_id=item.flight.flight_id,
        traveller_id=item.traveller_id,
        booking_id=item.booking_id,
    )


def hit_of_rule(
    hit: RuleHit,
    subject_digest: str,
    *,
    flight_id: int,
    traveller_id: int | None,
    booking_id: int | None,
    api_traveller_id: int | None = None,
    subject_name: str | None = None,
) -> NewHit:
    """The hit record of one rule hit on a booked traveller or an API traveller screened on
    its own (``api_traveller_id``; its name is kept as ``subject_name``)."""
    features = tuple(
        HitFeature(name=c.condition, value=_seen(c.seen), field=c.field, held=c.held)
        for c in hit.conditions
    )
    return NewHit(
        kind=HitKind.RULE,
        traveller_id=traveller_id,
        booking_id=booking_id,
        flight_id=flight_id,
        api_traveller_id=api_traveller_id,
        score=float(hit.score or 0),
        features=features,
        algorithm_version=ALGORITHM_VERSION,
        fingerprint=digest_values(
            "rule",
            hit.rule_id,
            hit.version,
            flight_id,
            subject_digest,
            [(f.name, f.value, f.held) for f in features],
        ),
        rule_id=hit.rule_id,
        rule_version=hit.version,
        offence=hit.offence,
        subject_name=subject_name,
        subject_digest=subject_digest,
    )


def rule_candidates(
    items: Sequence[LoadedTraveller], ruleset: RuleSet, digests: Sequence[str] | None = None
) -> list[list[Candidate]]:
    """Evaluate the rules on each traveller; per traveller, its hits to store."""
    out: list[list[Candidate]] = []
    for i, (item, ctx) in enumerate(zip(items, contexts(items), strict=True)):
        if ctx is None or not ruleset.rules:
            out.append([])
            continue
        found = ruleset.evaluate(ctx)
        if not found:
            out.append([])
            continue
        digest = (
            digests[i]
            if digests is not None
            else Subject.from_traveller(item.traveller, ref="").digest()
        )
        out.append([Candidate(rule_hit(item, h, digest)) for h in found])
    return out

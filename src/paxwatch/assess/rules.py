"""Targeting rules in the store: versions, four-eyes activation, evaluation, backtests.

Every version of every rule is a row of ``targeting_rule`` holding its canonical text
(``format_rule``), status, author and approval. Imports store new versions as **drafts**
(a file may say ``status: active``, but only :func:`activate_rule` makes a version active:
the pure ``rules.activate`` refuses the author of the version and non-supervisors, and
every failing static check). Activating a version retires the previously active version
of the same rule. The CLI takes the approving user with ``--by`` and ``--role``; the API
will take the logged-in user and their roles instead.

``current_ruleset(store)`` compiles the active rules once per active-rule set (digest of
the active ids and versions) and caches it. ``rule_candidates`` evaluates loaded travellers
(one ``BookingFacts`` per booking version, one context per traveller and flight) and turns
each ``RuleHit`` into a hit with the rule id, version and every incriminating condition
with the value it saw.

``backtest_stored`` runs a rule (a draft too) over the stored travellers of a date range:
hits per day and route, share known to be of interest (from a synthetic ``truth.jsonl``
when given), overlap with the active rules, and hits on travellers a human dismissed.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Connection, and_, select, update

from paxwatch.assess.hits import (
    Candidate,
    HitFeature,
    HitKind,
    HitStatus,
    NewHit,
    digest_values,
)
from paxwatch.assess.load import LoadedTraveller, Scope, load_travellers, traveller_pairs
from paxwatch.privacy import audit
from paxwatch.rules import (
    BacktestItem,
    BacktestReport,
    CheckConfig,
    Issue,
    Rule,
    RuleHit,
    RuleSet,
    Status,
    TravellerContext,
    activate,
    backtest,
    check_rule,
    check_ruleset,
    compile_rule,
    format_rule,
    parse_rule,
    parse_rules,
    retire,
)
from paxwatch.rules.context import BookingFacts, build_context
from paxwatch.screening.subject import Subject
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow

KIND = "rules"
"""``assessment.kind`` of rule evaluation."""

ALGORITHM_VERSION = "paxwatch-rules-1"
"""Recorded on every rule hit with the rule id and version (the evaluator's version)."""

KNOWN_TRUE_ROLES = frozenset({"plant", "network"})
"""Synthetic truth roles counted as "known to be of interest" in backtests."""


class RuleStoreError(ValueError):
    """A rule cannot be imported, activated or retired; ``issues`` say why."""

    def __init__(self, message: str, issues: Sequence[Issue] = ()) -> None:
        super().__init__(message + ("" if not issues else ": " + "; ".join(map(str, issues))))
        self.issues = tuple(issues)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredRule:
    """One stored version of a rule."""

    rule_id: str
    version: int
    status: str
    title: str | None
    offence: str | None
    author: str | None
    review: date | None
    score: int | None
    approved_by: str | None
    approved_on: date | None
    imported_at: datetime
    imported_by: str | None
    text: str

    def rule(self) -> Rule:
        return parse_rule(self.text)


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleImport:
    """What an import stored: new versions, versions already stored, and refusals."""

    imported: tuple[tuple[str, int], ...]
    unchanged: tuple[tuple[str, int], ...]
    refused: tuple[str, ...]
    made_draft: tuple[tuple[str, int], ...]


def _row(rule: Rule, at: datetime, by: str | None) -> dict[str, object]:
    return {
        "rule_id": rule.id,
        "version": rule.version,
        "status": rule.status.value,
        "title": rule.title[:300],
        "offence": rule.offence,
        "author": rule.author,
        "review": rule.review,
        "score": rule.score,
        "text": format_rule(rule),
        "approved_by": rule.approved_by,
        "approved_on": rule.approved_on,
        "imported_at": at,
        "imported_by": by,
        "status_at": at,
    }


def _stored(row: object) -> StoredRule:
    return StoredRule(
        rule_id=getattr(row, "rule_id", ""),
        version=int(getattr(row, "version", 0)),
        status=getattr(row, "status", ""),
        title=getattr(row, "title", None),
        offence=getattr(row, "offence", None),
        author=getattr(row, "author", None),
        review=getattr(row, "review", None),
        score=getattr(row, "score", None),
        approved_by=getattr(row, "approved_by", None),
        approved_on=getattr(row, "approved_on", None),
        imported_at=getattr(row, "imported_at", datetime.min),
        imported_by=getattr(row, "imported_by", None),
        text=getattr(row, "text", ""),
    )


def import_rules(store: Store, text: str, *, by: str | None = None) -> RuleImport:
    """Store the rules of a rule file as drafts (raises ``RuleSyntaxError``).

    A version already stored with the same text is left alone; with another text it is
    refused (edit = new version). A rule marked active or retired in the file is stored
    as a draft, approval cleared: activation happens in paxwatch, four eyes.
    """
    import dataclasses

    rules = parse_rules(text)
    refused = [str(i) for i in check_ruleset(rules) if i.code == "R001"]
    if refused:
        raise RuleStoreError("the file is refused", check_ruleset(rules))
    at = utcnow()
    tr = sa_.targeting_rule
    imported: list[tuple[str, int]] = []
    unchanged: list[tuple[str, int]] = []
    made_draft: list[tuple[str, int]] = []
    with store.write() as conn:
        for rule in rules:
            draft = rule
            if rule.status is not Status.DRAFT or rule.approved_by or rule.approved_on:
                draft = dataclasses.replace(
                    rule, status=Status.DRAFT, approved_by=None, approved_on=None
                )
                made_draft.append((rule.id, rule.version))
            existing = conn.execute(
                select(tr.c.text, tr.c.status).where(
                    tr.c.rule_id == rule.id, tr.c.version == rule.version
                )
            ).first()
            key = (rule.id, rule.version)
            if existing is not None:
                same = parse_rule(existing.text)
                if dataclasses.replace(
                    same, status=Status.DRAFT, approved_by=None, approved_on=None
                ) == dataclasses.replace(draft, pos=None):
                    unchanged.append(key)
                else:
                    refused.append(
                        f"{rule.id} v{rule.version}: this version is stored with another text; "
                        "an edit is a new version"
                    )
                continue
            conn.execute(tr.insert().values(**_row(draft, at, by)))
            audit.record(
                conn,
                audit.RuleChangeEvent(
                    actor=by or "system", rule_id=rule.id, version=rule.version, action="imported"
                ),
            )
            imported.append(key)
    made_draft = [k for k in made_draft if k in imported]
    return RuleImport(
        imported=tuple(imported),
        unchanged=tuple(unchanged),
        refused=tuple(refused),
        made_draft=tuple(made_draft),
    )


def list_rules(conn: Connection, status: str | None = None) -> list[StoredRule]:
    """Stored rule versions (all, or of one status), by rule id and version."""
    tr = sa_.targeting_rule
    query = select(tr).order_by(tr.c.rule_id, tr.c.version)
    if status is not None:
        query = query.where(tr.c.status == status)
    return [_stored(row) for row in conn.execute(query)]


def get_rule(conn: Connection, rule_id: str, version: int | None = None) -> StoredRule | None:
    """A version of a rule (the latest when ``version`` is None)."""
    tr = sa_.targeting_rule
    query = select(tr).where(tr.c.rule_id == rule_id)
    if version is not None:
        query = query.where(tr.c.version == version)
    row = conn.execute(query.order_by(tr.c.version.desc()).limit(1)).first()
    return _stored(row) if row is not None else None


def export_rules(conn: Connection, status: str | None = None) -> str:
    """A rule file of the stored versions (canonical text; with status and approval)."""
    return "".join(stored.text.rstrip("\n") + "\n\n" for stored in list_rules(conn, status))


def check_file(text: str, today: date | None = None) -> list[Issue]:
    """Every refusal of a rule file (syntax, fields, sensitive data, metadata, duplicates)."""
    config = CheckConfig(today=today)
    try:
        rules = parse_rules(text)
    except Exception as error:  # RuleSyntaxError carries line and column
        line = getattr(error, "line", None)
        column = getattr(error, "column", None)
        message = getattr(error, "message", str(error))
        where = f"line {line}, column {column}: " if line else ""
        return [Issue("P001", where + message)]
    issues: list[Issue] = []
    for rule in rules:
        issues += [Issue(i.code, f"{rule.id} v{rule.version}: {i.message}", i.pos) for i in
                   check_rule(rule, config)]  # fmt: skip
    return issues + check_ruleset(rules)


def _set_status(conn: Connection, rule: Rule, at: datetime) -> None:
    tr = sa_.targeting_rule
    conn.execute(
        update(tr)
        .where(tr.c.rule_id == rule.id, tr.c.version == rule.version)
        .values(
            status=rule.status.value,
            text=format_rule(rule),
            approved_by=rule.approved_by,
            approved_on=rule.approved_on,
            status_at=at,
        )
    )


def activate_rule(
    store: Store,
    rule_id: str,
    *,
    by: str,
    roles: Collection[str],
    version: int | None = None,
    today: date | None = None,
) -> StoredRule:
    """Activate a draft version (the latest by default), four eyes; the active version of
    the same rule, if any, is retired in the same transaction."""
    at = utcnow()
    with store.write() as conn:
        stored = get_rule(conn, rule_id, version)
        if stored is None:
            raise RuleStoreError(f"no rule {rule_id}" + (f" v{version}" if version else ""))
        try:
            active = activate(stored.rule(), by, roles, on=today or at.date())
        except ValueError as refused:
            raise RuleStoreError(
                f"rule {rule_id} v{stored.version} not activated",
                getattr(refused, "issues", ()),
            ) from refused
        for other in list_rules(conn, Status.ACTIVE.value):
            if other.rule_id == rule_id:
                _set_status(conn, retire(other.rule(), by, roles), at)
                _audit_rule(conn, by, rule_id, other.version, "retired")
        _set_status(conn, active, at)
        _audit_rule(conn, by, rule_id, stored.version, "activated")
        result = get_rule(conn, rule_id, stored.version)
    assert result is not None
    return result


def _audit_rule(conn: Connection, by: str, rule_id: str, version: int, action: str) -> None:
    audit.record(
        conn, audit.RuleChangeEvent(actor=by, rule_id=rule_id, version=version, action=action)
    )


def retire_rule(
    store: Store, rule_id: str, *, by: str, roles: Collection[str], version: int | None = None
) -> StoredRule:
    """Retire a version (the active one by default)."""
    at = utcnow()
    with store.write() as conn:
        stored = None
        if version is None:
            actives = [r for r in list_rules(conn, Status.ACTIVE.value) if r.rule_id == rule_id]
            stored = actives[-1] if actives else None
        else:
            stored = get_rule(conn, rule_id, version)
        if stored is None:
            raise RuleStoreError(f"no active version of rule {rule_id}")
        try:
            retired = retire(stored.rule(), by, roles)
        except ValueError as refused:
            raise RuleStoreError(
                f"rule {rule_id} v{stored.version} not retired", getattr(refused, "issues", ())
            ) from refused
        _set_status(conn, retired, at)
        _audit_rule(conn, by, rule_id, stored.version, "retired")
        result = get_rule(conn, rule_id, stored.version)
    assert result is not None
    return result


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

"""Targeting rules in the store: versions, imports, four-eyes activation, retirement.

Every version of every rule is a row of ``targeting_rule`` holding its canonical text
(``format_rule``), status, author and approval. Imports store new versions as **drafts**
(a file may say ``status: active``, but only :func:`activate_rule` makes a version active:
the pure ``rules.activate`` refuses the author of the version and non-supervisors, and
every failing static check). Activating a version retires the previously active version
of the same rule. The CLI takes the approving user with ``--by`` and ``--role``; the API
takes the logged-in user and their roles instead. Every change is in the audit trail.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, select, update

from paxwatch.privacy import audit
from paxwatch.rules import (
    CheckConfig,
    Issue,
    Rule,
    Status,
    activate,
    check_rule,
    check_ruleset,
    format_rule,
    parse_rule,
    parse_rules,
    retire,
)
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow


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

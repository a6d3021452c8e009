"""Retention policies as configuration, the controllable clock's arithmetic, the event log.

A policy (``RetentionPolicy``) says how long the store keeps what. Two profiles ship in
``retention_profiles.toml`` (documented in ``docs/dpo.md``):

- ``eu``: Directive (EU) 2016/681 Art 12 as the CJEU reads it (C-817/19): masking of the
  Art 12(2)(a)-(f) elements 6 months after the transfer; after those 6 months only travellers
  with an *objective-evidence* flag are kept (masked), the others are deleted; everything is
  deleted 5 years after the transfer at the latest; intra-EU PNR only for selected flights.
- ``uk``: EU-UK TCA Art 552(4): the data of a journey is deleted once the journey has ended
  (plus grace hours) unless a *risk-assessment* flag is set; flagged travellers are masked at
  6 months and deleted at 5 years.

A deployment picks one with ``PAXWATCH_RETENTION_PROFILE`` (``eu``, the default, or ``uk``)
or names its own TOML file there (the keys of one profile table, at top level).

The event log: ``record_event`` is the one function every privacy module calls to record
what it did (retention runs, flags, unmasking steps, data-subject requests, selection
decisions). It appends the matching typed event to the tamper-evident audit trail
(``paxwatch.privacy.audit.record``, in the caller's transaction: ``RetentionAuditEvent``,
``FlagAuditEvent``, ``UnmaskAuditEvent``, ``SelectionAuditEvent``, ``SubjectAuditEvent``,
see ``audit_event_of``) and hands it to the sinks registered with ``add_event_sink``.
Events never carry personal data (ids, counts, kinds, the reasons and legal bases users
typed). The former ``privacy_event`` table is gone (migration ``0005``): the audit trail
is the one log.
"""

from __future__ import annotations

import json
import os
import tomllib
from calendar import monthrange
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import Connection

from paxwatch.privacy.audit import AuditEvent, canonical, record
from paxwatch.store.flight_times import utc_of

PROFILE_ENV = "PAXWATCH_RETENTION_PROFILE"
DEFAULT_PROFILE = "eu"
OBJECTIVE_EVIDENCE = "objective_evidence"
RISK_ASSESSMENT = "risk_assessment"
FLAG_KINDS = frozenset({OBJECTIVE_EVIDENCE, RISK_ASSESSMENT})
AT_MASK_AGE = "mask"
AT_JOURNEY_END = "journey_end"


class PolicyError(ValueError):
    """A retention profile that is missing, unreadable or inconsistent."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RetentionPolicy:
    """What the store keeps, and how long (see the module doc and ``docs/dpo.md``).

    ``delete_unflagged``: when the data of travellers without a flag of ``flag_kinds`` is
    deleted: ``"mask"`` (at the mask age, EU) or ``"journey_end"`` (``journey_grace_hours``
    after the journey's last arrival, UK). ``raw_archive_hours``: the archived raw messages
    are erased that many hours after receipt (0: at the mask age).
    """

    name: str
    description: str = ""
    mask_after_months: int | None = 6
    delete_unflagged: str = AT_MASK_AGE
    journey_grace_hours: int = 0
    delete_after_months: int = 60
    flag_kinds: frozenset[str] = frozenset({OBJECTIVE_EVIDENCE})
    audit_retention_months: int = 60
    intra_eu_selection: bool = True
    intra_eu_grace_hours: int = 0
    raw_archive_hours: int = 0
    flag_review_max_days: int = 365
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.delete_unflagged not in (AT_MASK_AGE, AT_JOURNEY_END):
            raise PolicyError(f"delete_unflagged must be 'mask' or 'journey_end' ({self.name})")
        if self.delete_unflagged == AT_MASK_AGE and self.mask_after_months is None:
            raise PolicyError(f"delete_unflagged = 'mask' needs mask_after_months ({self.name})")
        if not self.flag_kinds or not self.flag_kinds <= FLAG_KINDS:
            raise PolicyError(f"flag_kinds must be among {sorted(FLAG_KINDS)} ({self.name})")
        if self.delete_after_months <= 0 or self.delete_after_months > 60:
            raise PolicyError(f"delete_after_months must be 1..60 (Art 12(4)) ({self.name})")
        if self.mask_after_months is not None and not (
            0 < self.mask_after_months <= self.delete_after_months
        ):
            raise PolicyError(f"mask_after_months must be 1..delete_after_months ({self.name})")
        if min(self.journey_grace_hours, self.intra_eu_grace_hours, self.raw_archive_hours) < 0:
            raise PolicyError(f"hours cannot be negative ({self.name})")

    def mask_cutoff(self, now: datetime) -> datetime | None:
        """Data received at or before this time is masked (None: the policy never masks)."""
        if self.mask_after_months is None:
            return None
        return add_months(now, -self.mask_after_months)

    def delete_cutoff(self, now: datetime) -> datetime:
        """Data received at or before this time is deleted whatever its flags."""
        return add_months(now, -self.delete_after_months)

    def raw_cutoff(self, now: datetime) -> datetime | None:
        """Archived raw messages received at or before this time are erased."""
        if self.raw_archive_hours:
            return now - timedelta(hours=self.raw_archive_hours)
        return self.mask_cutoff(now)

    def audit_cutoff(self, now: datetime) -> datetime:
        """Audit events at or before this time may be pruned (Art 13(6): 5 years)."""
        return add_months(now, -self.audit_retention_months)


def add_months(value: datetime, months: int) -> datetime:
    """``value`` moved by calendar months (the day clamped to the month's last day)."""
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    day = min(value.day, monthrange(year, month + 1)[1])
    return value.replace(year=year, month=month + 1, day=day)


def _profiles() -> dict[str, Any]:
    text = (
        resources.files("paxwatch.privacy")
        .joinpath("retention_profiles.toml")
        .read_text(encoding="utf-8")
    )
    return tomllib.loads(text)


def profile_names() -> tuple[str, ...]:
    """The names of the shipped profiles (``eu``, ``uk``)."""
    return tuple(sorted(_profiles()))


def policy_from_mapping(name: str, data: Mapping[str, Any], source: str = "") -> RetentionPolicy:
    """A policy from the keys of a profile table (unknown keys are an error)."""
    known = set(RetentionPolicy.__dataclass_fields__) - {"name", "source"}
    unknown = set(data) - known
    if unknown:
        raise PolicyError(f"unknown retention policy keys: {', '.join(sorted(unknown))}")
    values = dict(data)
    if "flag_kinds" in values:
        values["flag_kinds"] = frozenset(str(k) for k in values["flag_kinds"])
    try:
        return RetentionPolicy(name=name, source=source, **values)
    except TypeError as exc:
        raise PolicyError(f"bad retention policy {name}: {exc}") from exc


def load_policy(choice: str | None = None) -> RetentionPolicy:
    """The policy named by ``choice`` or ``$PAXWATCH_RETENTION_PROFILE`` (default ``eu``):
    a shipped profile name, or the path of a TOML file of the deployment's own."""
    chosen = choice or os.environ.get(PROFILE_ENV) or DEFAULT_PROFILE
    profiles = _profiles()
    if chosen in profiles:
        return policy_from_mapping(chosen, profiles[chosen], source="shipped")
    path = Path(chosen)
    if not path.is_file():
        raise PolicyError(
            f"retention profile {chosen!r} is neither a shipped profile "
            f"({', '.join(sorted(profiles))}) nor a TOML file"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"cannot read retention profile {path}: {exc}") from exc
    name = str(data.pop("name", path.stem))
    return policy_from_mapping(name, data, source=str(path))


# ---------------------------------------------------------------- the event log


@dataclass(frozen=True, slots=True, kw_only=True)
class PrivacyEvent:
    """One step recorded by the privacy modules. ``details``: ids, counts, kinds and the
    reasons users typed; never names, documents or contacts of travellers."""

    kind: str
    actor: str
    at: datetime
    details: Mapping[str, Any] = field(default_factory=dict)


EventSink = Callable[[Connection, PrivacyEvent], None]
_SINKS: list[EventSink] = []


def add_event_sink(sink: EventSink) -> None:
    """Also hand every event to ``sink`` (in the same transaction): how the audit trail of
    ``paxwatch.privacy.audit`` is wired in (an adapter calling ``audit.record``)."""
    if sink not in _SINKS:
        _SINKS.append(sink)


def remove_event_sink(sink: EventSink) -> None:
    """Stop handing events to ``sink``."""
    if sink in _SINKS:
        _SINKS.remove(sink)


@dataclass(frozen=True, slots=True, kw_only=True)
class PrivacyAuditEvent(AuditEvent):
    """A privacy step in the audit trail: ``action`` (``set``, ``approved``, ``run``, ...)
    and ``details``, the canonical JSON of the event's details (ids, counts, reasons)."""

    kind: ClassVar[str] = "privacy"
    action: str
    details: str = "{}"


@dataclass(frozen=True, slots=True, kw_only=True)
class RetentionAuditEvent(PrivacyAuditEvent):
    """A retention run (``run``, with its counts) or an intra-EU flight deleted."""

    kind: ClassVar[str] = "privacy.retention"


@dataclass(frozen=True, slots=True, kw_only=True)
class FlagAuditEvent(PrivacyAuditEvent):
    """A retention flag set or lifted (``set``, ``lifted``)."""

    kind: ClassVar[str] = "privacy.flag"


@dataclass(frozen=True, slots=True, kw_only=True)
class UnmaskAuditEvent(PrivacyAuditEvent):
    """An unmasking step: request, approval or refusal, access, revocation, DPO review."""

    kind: ClassVar[str] = "privacy.unmask"


@dataclass(frozen=True, slots=True, kw_only=True)
class SelectionAuditEvent(PrivacyAuditEvent):
    """An intra-EU selection added or revoked."""

    kind: ClassVar[str] = "privacy.selection"


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectAuditEvent(PrivacyAuditEvent):
    """A data-subject request step (search, export, erasure, rectification, ...)."""

    kind: ClassVar[str] = "privacy.subject"


PRIVACY_EVENT_TYPES: dict[str, type[PrivacyAuditEvent]] = {
    "retention": RetentionAuditEvent,
    "flag": FlagAuditEvent,
    "unmask": UnmaskAuditEvent,
    "selection": SelectionAuditEvent,
    "subject": SubjectAuditEvent,
}
"""The audit event type of each ``PrivacyEvent.kind`` prefix (before the first dot)."""


def audit_event_of(event: PrivacyEvent) -> PrivacyAuditEvent:
    """The typed audit event of a privacy event (``flag.set`` → ``FlagAuditEvent(action=
    "set")``; an unknown prefix gives a ``PrivacyAuditEvent`` with the whole kind)."""
    prefix, _, action = event.kind.partition(".")
    cls = PRIVACY_EVENT_TYPES.get(prefix)
    if cls is None:
        cls, action = PrivacyAuditEvent, event.kind
    details = canonical(json.loads(json.dumps(dict(event.details), default=str)))
    return cls(actor=event.actor, action=action, details=details)


def privacy_history(conn: Connection, kind: str | None = None) -> list[PrivacyEvent]:
    """The privacy events in the audit trail, oldest first, as ``PrivacyEvent``s (``kind``:
    exact, e.g. ``"flag.set"``, or a prefix ending in a dot, e.g. ``"unmask."``)."""
    from paxwatch.privacy.audit import list_events

    entries = list_events(conn, kind="privacy", limit=None) + list_events(
        conn, kind="privacy.", limit=None
    )
    out: list[PrivacyEvent] = []
    for entry in sorted(entries, key=lambda e: e.seq):
        data = entry.data()
        prefix = entry.kind.removeprefix("privacy").lstrip(".")
        action = str(data.get("action", ""))
        name = f"{prefix}.{action}" if prefix else action
        if kind is not None and not (name.startswith(kind) if kind.endswith(".") else name == kind):
            continue
        details = json.loads(str(data.get("details") or "{}"))
        out.append(PrivacyEvent(kind=name, actor=entry.actor, at=entry.at, details=details))
    return out


def record_event(conn: Connection, event: PrivacyEvent) -> None:
    """Record ``event`` in the audit trail (in the caller's transaction), then hand it to
    every registered sink (``add_event_sink``)."""
    record(conn, audit_event_of(event), at=event.at)
    for sink in tuple(_SINKS):
        sink(conn, event)


def today_of(now: datetime) -> date:
    """The UTC date of a naive-UTC ``now``."""
    return now.date()


def local_to_utc(value: datetime | None, airport: str | None) -> datetime | None:
    """A local time at ``airport`` (as messages give it) as naive UTC; an unknown airport
    leaves the time as it is (``paxwatch.store.flight_times.utc_of``, the one conversion)."""
    return utc_of(value, airport)

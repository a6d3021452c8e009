"""The events of the audit trail: typed dataclasses, one per kind (``kind``), carrying ids,
codes and digests, never names, document numbers, passwords or tokens
(``paxwatch.privacy.audit`` records, chains and verifies them)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

JsonScalar = str | int | float | bool | None


# -- events ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEvent:
    """Base of the audit events: ``actor`` is the username (or ``cli:<os user>``,
    ``system``); subclasses set ``kind`` and add flat fields (scalars or tuples)."""

    kind: ClassVar[str] = "event"
    actor: str

    def payload(self) -> dict[str, Any]:
        """The fields except ``actor`` (JSON-ready: tuples become lists)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.name == "actor":
                continue
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonalDataRead(AuditEvent):
    """A consultation of personal data: the records read and why (``hit_id`` worked on, or
    ``request_ref`` of a competent authority's request, and a free ``purpose``)."""

    kind: ClassVar[str] = "read"
    purpose: str
    view: str = ""
    hit_id: int | None = None
    request_ref: str | None = None
    flight_ids: tuple[int, ...] = ()
    booking_ids: tuple[int, ...] = ()
    traveller_ids: tuple[int, ...] = ()
    api_traveller_ids: tuple[int, ...] = ()
    """API travellers read that match no booking (their hits, see ``assess.api_only``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HitDecisionEvent(AuditEvent):
    """A review decision on a hit (the note itself stays in the decision history; the
    event keeps its SHA-256)."""

    kind: ClassVar[str] = "decision"
    hit_id: int
    decision_id: int
    action: str
    from_state: str
    to_state: str
    reason_code: str | None = None
    note_sha256: str | None = None
    traveller_id: int | None = None
    flight_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TransmissionEvent(AuditEvent):
    """A disclosure: data of a confirmed hit sent to a competent authority."""

    kind: ClassVar[str] = "transmission"
    transmission_id: int
    hit_id: int
    recipient: str
    legal_basis: str
    offence_category: str
    elements: tuple[str, ...]
    payload_sha256: str
    traveller_ids: tuple[int, ...] = ()
    flight_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UserEvent(AuditEvent):
    """A change to an account (``action``: created, disabled, enabled, role_changed,
    password_changed, unlocked, locked, token_created, token_revoked, sessions_revoked)."""

    kind: ClassVar[str] = "user"
    action: str
    username: str
    role: str | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginEvent(AuditEvent):
    """An authentication attempt (``outcome``: ok, bad_credentials, locked, disabled) or a
    logout. Unknown usernames are recorded as actor ``unknown`` (a mistyped password in the
    user field must not land in the log)."""

    kind: ClassVar[str] = "login"
    method: str
    outcome: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleChangeEvent(AuditEvent):
    """A targeting-rule change (``action``: imported, activated, retired, ...)."""

    kind: ClassVar[str] = "rule"
    rule_id: str
    version: int | None
    action: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchlistChangeEvent(AuditEvent):
    """A watch-list change (``action``: imported, activated, deactivated, ...)."""

    kind: ClassVar[str] = "watchlist"
    source_id: str
    action: str
    version_no: int | None = None
    entries: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SettingChangeEvent(AuditEvent):
    """A setting changed (values must not be secrets)."""

    kind: ClassVar[str] = "setting"
    name: str
    old: JsonScalar = None
    new: JsonScalar = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeletionEvent(AuditEvent):
    """An erasure: what was deleted (a table or category, how many, why)."""

    kind: ClassVar[str] = "deletion"
    what: str
    count: int
    reason: str
    ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditPrunedEvent(AuditEvent):
    """Audit entries older than the retention period were removed."""

    kind: ClassVar[str] = "audit.pruned"
    before: str
    removed: int
    last_removed_seq: int
    last_removed_hash: str


EVENT_TYPES: dict[str, type[AuditEvent]] = {
    cls.kind: cls
    for cls in (
        PersonalDataRead,
        HitDecisionEvent,
        TransmissionEvent,
        UserEvent,
        LoginEvent,
        RuleChangeEvent,
        WatchlistChangeEvent,
        SettingChangeEvent,
        DeletionEvent,
        AuditPrunedEvent,
    )
}
"""Every event type by its ``kind``."""

E = TypeVar("E", bound=AuditEvent)

"""Who may do what: roles, actions, the permission model and the personal-data window.

There is one place that decides: :func:`check` (and its forms :func:`can` and
:func:`require`). The API, the web UI and the CLI ask it with the caller (a
:class:`Principal`), an :class:`Action` and, for personal data, the resource being read
(built from the store by ``paxwatch.privacy.resources``).

The roles (``Role``) and what they may do (``PERMISSIONS``):

- **analyst**: the hit queue and review (take, confirm, dismiss, countersign), transmission
  of confirmed hits, and personal data under the *visibility rule* below.
- **supervisor**: as analyst, plus reopening and assigning hits and managing and activating
  rules and watch lists.
- **dpo** (data-protection officer, Directive Art 5 and 6(7)): reads all data, every hit and
  transmission, and the audit trail; decides nothing on hits.
- **auditor**: reads and verifies the audit trail; no personal data.
- **administrator**: manages users and settings; no personal data.
- **independent_approver**: approves unmasking requests (Art 12(3), the next issue).
- **partner_piu** (a machine account): nothing yet; the exchange issue grants its actions.

Visibility rule (analyst, supervisor): the personal data of a traveller or booking may be
read when it has an *open* hit (``new``, ``in_review`` or ``confirmed``) or when one of its
flights is inside the *assessment window*; a flight's passenger data may be read while the
flight is inside the window. A flight is inside the window from its first push (when the
PIU first received data on it) until ``window_hours_after_arrival`` hours (default 24)
after its arrival (UTC, from the local time and the airport's time zone).

Depersonalised (masked) values stay masked for every role: see ``paxwatch.privacy.masking``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from paxwatch.store.keys import utcnow


class Role(StrEnum):
    """A user's role (one per account)."""

    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    DPO = "dpo"
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"
    PARTNER_PIU = "partner_piu"
    INDEPENDENT_APPROVER = "independent_approver"


class Action(StrEnum):
    """What a caller may ask to do."""

    LIST_FLIGHTS = "list_flights"
    READ_FLIGHT = "read_flight"
    READ_BOOKING = "read_booking"
    READ_TRAVELLER = "read_traveller"
    READ_HITS = "read_hits"
    REVIEW_HIT = "review_hit"
    CONFIRM_HIT = "confirm_hit"
    DISMISS_HIT = "dismiss_hit"
    COUNTERSIGN_HIT = "countersign_hit"
    REOPEN_HIT = "reopen_hit"
    ASSIGN_HIT = "assign_hit"
    TRANSMIT = "transmit"
    READ_TRANSMISSIONS = "read_transmissions"
    MANAGE_RULES = "manage_rules"
    ACTIVATE_RULE = "activate_rule"
    MANAGE_WATCHLISTS = "manage_watchlists"
    ACTIVATE_WATCHLIST = "activate_watchlist"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    READ_AUDIT = "read_audit"
    VERIFY_AUDIT = "verify_audit"
    READ_STATS = "read_stats"
    APPROVE_UNMASKING = "approve_unmasking"
    UNMASK = "unmask"
    REQUEST_UNMASKING = "request_unmasking"
    READ_UNMASKING = "read_unmasking"
    REVIEW_UNMASKING = "review_unmasking"
    READ_RETENTION_FLAGS = "read_retention_flags"
    MANAGE_RETENTION_FLAGS = "manage_retention_flags"
    READ_SELECTION = "read_selection"
    MANAGE_SELECTION = "manage_selection"
    HANDLE_SUBJECT_REQUESTS = "handle_subject_requests"


PERSONAL_DATA_ACTIONS = frozenset({Action.READ_FLIGHT, Action.READ_BOOKING, Action.READ_TRAVELLER})
"""Actions on one record's personal data: the visibility rule applies, and the caller
records a ``PersonalDataRead`` audit event."""

_ANALYST = frozenset(
    {
        Action.LIST_FLIGHTS,
        Action.READ_FLIGHT,
        Action.READ_BOOKING,
        Action.READ_TRAVELLER,
        Action.READ_HITS,
        Action.REVIEW_HIT,
        Action.CONFIRM_HIT,
        Action.DISMISS_HIT,
        Action.COUNTERSIGN_HIT,
        Action.TRANSMIT,
        Action.READ_TRANSMISSIONS,
        Action.READ_STATS,
        Action.REQUEST_UNMASKING,
        Action.READ_UNMASKING,
        Action.READ_RETENTION_FLAGS,
    }
)

PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    Role.ANALYST: _ANALYST,
    Role.SUPERVISOR: _ANALYST
    | {
        Action.REOPEN_HIT,
        Action.ASSIGN_HIT,
        Action.MANAGE_RULES,
        Action.ACTIVATE_RULE,
        Action.MANAGE_WATCHLISTS,
        Action.ACTIVATE_WATCHLIST,
        Action.MANAGE_RETENTION_FLAGS,
        Action.READ_SELECTION,
        Action.MANAGE_SELECTION,
    },
    Role.DPO: frozenset(
        {
            Action.LIST_FLIGHTS,
            Action.READ_FLIGHT,
            Action.READ_BOOKING,
            Action.READ_TRAVELLER,
            Action.READ_HITS,
            Action.READ_TRANSMISSIONS,
            Action.READ_AUDIT,
            Action.VERIFY_AUDIT,
            Action.READ_STATS,
            Action.READ_UNMASKING,
            Action.REVIEW_UNMASKING,
            Action.READ_RETENTION_FLAGS,
            Action.READ_SELECTION,
            Action.HANDLE_SUBJECT_REQUESTS,
        }
    ),
    Role.AUDITOR: frozenset(
        {Action.READ_AUDIT, Action.VERIFY_AUDIT, Action.READ_STATS, Action.READ_SELECTION}
    ),
    Role.ADMINISTRATOR: frozenset(
        {Action.MANAGE_USERS, Action.MANAGE_SETTINGS, Action.VERIFY_AUDIT, Action.READ_STATS}
    ),
    Role.INDEPENDENT_APPROVER: frozenset({Action.APPROVE_UNMASKING, Action.READ_UNMASKING}),
    Role.PARTNER_PIU: frozenset(),
}
"""The permission matrix: the actions each role may perform. ``UNMASK`` belongs to no role:
only the requester of an approved, unexpired unmasking request reads the full data
(``privacy.unmask``)."""


def roles_with(action: Action) -> frozenset[Role]:
    """The roles that may perform ``action``."""
    return frozenset(role for role, actions in PERMISSIONS.items() if action in actions)


WINDOWED_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR})
"""Roles whose reads of personal data are limited by the visibility rule."""

OPEN_HIT_STATUSES = frozenset({"new", "in_review", "confirmed"})
"""``hit.status`` values of hits still open (their traveller's data stays visible)."""


class AccessError(Exception):
    """Base of the errors of access control and accounts."""


class AccessDenied(AccessError):
    """The caller may not do this; ``reason`` says why (safe to show: no personal data)."""

    def __init__(self, action: Action, reason: str) -> None:
        super().__init__(f"{action.value}: {reason}")
        self.action = action
        self.reason = reason


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessConfig:
    """Settings of accounts, sessions and visibility (``from_env`` reads ``PAXWATCH_*``).

    ``argon2_*`` are the password-hash cost parameters (argon2id); the defaults are those of
    argon2-cffi (RFC 9106 low-memory profile).
    """

    min_password_length: int = 12
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    session_hours: int = 12
    session_idle_minutes: int = 30
    token_days: int = 90
    window_hours_after_arrival: int = 24
    unscheduled_window_hours: int = 72
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> AccessConfig:
        """Read ``PAXWATCH_<FIELD>`` (upper case) for each field, e.g.
        ``PAXWATCH_MAX_FAILED_LOGINS=5``."""
        env = os.environ if environ is None else environ
        values: dict[str, int] = {}
        for name in cls.__dataclass_fields__:
            raw = env.get(f"PAXWATCH_{name.upper()}", "").strip()
            if raw:
                values[name] = int(raw)
        return cls(**values)


@dataclass(frozen=True, slots=True, kw_only=True)
class Principal:
    """An authenticated caller: the account and how it authenticated
    (``session``, ``token`` or ``cli``)."""

    user_id: int
    username: str
    role: Role
    via: str = "session"


@dataclass(frozen=True, slots=True, kw_only=True)
class FlightWindow:
    """What the window rule needs of a flight: when the PIU first had data on it and its
    scheduled times in UTC (None when unknown)."""

    flight_id: int
    first_seen_at: datetime
    departure_utc: datetime | None
    arrival_utc: datetime | None

    def window_end(self, config: AccessConfig) -> datetime:
        """The end of the assessment window of this flight."""
        if self.arrival_utc is not None:
            return self.arrival_utc + timedelta(hours=config.window_hours_after_arrival)
        if self.departure_utc is not None:
            return self.departure_utc + timedelta(
                hours=config.window_hours_after_arrival + config.unscheduled_window_hours
            )
        return self.first_seen_at + timedelta(hours=config.unscheduled_window_hours)

    def in_window(self, now: datetime, config: AccessConfig) -> bool:
        """True from the first push until the window end."""
        return self.first_seen_at <= now <= self.window_end(config)


@dataclass(frozen=True, slots=True, kw_only=True)
class FlightResource:
    """A flight's passenger data."""

    flight: FlightWindow


@dataclass(frozen=True, slots=True, kw_only=True)
class TravellerResource:
    """A booked traveller (or booking, with ``traveller_id`` None): whether it has an open
    hit and the flights it is on."""

    traveller_id: int | None
    booking_id: int | None
    open_hit: bool
    flights: tuple[FlightWindow, ...]


Resource = FlightResource | TravellerResource


@dataclass(frozen=True, slots=True)
class Permission:
    """The answer of :func:`check`: allowed or not, and why (no personal data)."""

    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def _visible(resource: Resource | None, now: datetime, config: AccessConfig) -> Permission:
    if resource is None:
        return Permission(False, "personal data is read one record at a time")
    if isinstance(resource, FlightResource):
        if resource.flight.in_window(now, config):
            return Permission(True, "flight inside the assessment window")
        return Permission(False, "flight outside the assessment window")
    if resource.open_hit:
        return Permission(True, "open hit")
    if any(f.in_window(now, config) for f in resource.flights):
        return Permission(True, "on a flight inside the assessment window")
    return Permission(False, "no open hit and no flight inside the assessment window")


def check(
    principal: Principal,
    action: Action,
    resource: Resource | None = None,
    *,
    config: AccessConfig | None = None,
    now: datetime | None = None,
) -> Permission:
    """May ``principal`` perform ``action`` (on ``resource`` for personal data)?"""
    if action not in PERMISSIONS.get(principal.role, frozenset()):
        return Permission(False, f"role {principal.role.value} may not {action.value}")
    if action in PERSONAL_DATA_ACTIONS and principal.role in WINDOWED_ROLES:
        return _visible(resource, now or utcnow(), config or AccessConfig())
    return Permission(True, f"role {principal.role.value}")


def can(
    principal: Principal,
    action: Action,
    resource: Resource | None = None,
    *,
    config: AccessConfig | None = None,
    now: datetime | None = None,
) -> bool:
    """True when :func:`check` allows."""
    return check(principal, action, resource, config=config, now=now).allowed


def require(
    principal: Principal,
    action: Action,
    resource: Resource | None = None,
    *,
    config: AccessConfig | None = None,
    now: datetime | None = None,
) -> None:
    """Raise :class:`AccessDenied` unless :func:`check` allows."""
    answer = check(principal, action, resource, config=config, now=now)
    if not answer.allowed:
        raise AccessDenied(action, answer.reason)


def parse_role(text: str) -> Role:
    """The role named ``text``; ``ValueError`` listing the roles otherwise."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise ValueError(f"unknown role {text!r}; roles: {names}") from None

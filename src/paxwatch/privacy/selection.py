"""The intra-EU flight-selection register (CJEU C-817/19 para 163-174; Regulation (EU)
2025/13 Art 13).

PNR of intra-EU flights may be processed only for *selected* flights: routes, flights or
airports chosen on a documented assessment, for a limited time, reviewed regularly; all
intra-EU flights only under a genuine and present or foreseeable terrorist threat, on a
time-limited decision (scope ``all``). Each selection records its decision, legal basis,
validity and review date; revoking one keeps the record.

``check_flight`` is what ingest and retention call: for a flight (carrier, number, origin,
destination, date) it says whether the flight is intra-EU, whether it is selected and by
which selection. The retention job deletes the PNR of unselected intra-EU flights once they
have arrived (``paxwatch.privacy.retention``), logging what it deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from paxwatch.privacy.policies import PrivacyEvent, record_event
from paxwatch.rules.places import airport_country
from paxwatch.store.rows import insert_ids
from paxwatch.store.schema_privacy import flight_selection

EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
"""The 27 member states (ISO 3166 alpha-2). A flight between two of them is intra-EU."""

SCOPES = ("all", "route", "flight", "airport")


class SelectionError(ValueError):
    """A selection that is incomplete or inconsistent."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """One entry of the register.

    ``scope``: ``all`` (every intra-EU flight: only under a genuine and present or foreseeable
    terrorist threat), ``route`` (origin → destination in that direction, any carrier unless
    one is given), ``flight`` (carrier + number, optionally on a route), ``airport`` (every
    flight from or to it).
    """

    id: int
    scope: str
    carrier: str | None
    number: str | None
    origin: str | None
    destination: str | None
    airport: str | None
    valid_from: date
    valid_until: date
    review_on: date
    decision: str
    legal_basis: str
    created_by: str
    created_at: datetime
    revoked_by: str | None = None
    revoked_at: datetime | None = None

    def active_on(self, day: date) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_until

    def covers(
        self, carrier: str, number: str, origin: str | None, destination: str | None
    ) -> bool:
        """Whether the selection names this flight (validity aside)."""
        if self.scope == "all":
            return True
        if self.scope == "airport":
            return self.airport in (origin, destination)
        if self.carrier and self.carrier != carrier.upper():
            return False
        if self.scope == "flight" and (self.number or "") != (number.lstrip("0") or "0"):
            return False
        if self.origin and self.origin != origin:
            return False
        return not (self.destination and self.destination != destination)


@dataclass(frozen=True, slots=True, kw_only=True)
class FlightCheck:
    """What ``check_flight`` found: ``retain`` is False only for an unselected intra-EU
    flight."""

    intra_eu: bool
    selected_by: int | None
    retain: bool
    reason: str


def is_intra_eu(
    origin: str | None, destination: str | None, countries: frozenset[str] = EU_COUNTRIES
) -> bool:
    """Whether both airports are in member states (an unknown airport counts as outside:
    its data is then treated as extra-EU, the protective reading for the PIU's duties)."""
    if not origin or not destination:
        return False
    a, b = airport_country(origin), airport_country(destination)
    return a in countries and b in countries


def check_flight(
    selections: Sequence[Selection],
    *,
    carrier: str,
    number: str,
    origin: str | None,
    destination: str | None,
    on: date | None,
    countries: frozenset[str] = EU_COUNTRIES,
) -> FlightCheck:
    """The decision for one flight on its departure date (pure; see ``active_selections``)."""
    if not is_intra_eu(origin, destination, countries):
        return FlightCheck(intra_eu=False, selected_by=None, retain=True, reason="extra-EU")
    if on is None:
        return FlightCheck(intra_eu=True, selected_by=None, retain=False, reason="no date")
    for selection in selections:
        if selection.active_on(on) and selection.covers(carrier, number, origin, destination):
            return FlightCheck(
                intra_eu=True,
                selected_by=selection.id,
                retain=True,
                reason=f"selected ({selection.scope})",
            )
    return FlightCheck(intra_eu=True, selected_by=None, retain=False, reason="not selected")


def _selection(row: Any) -> Selection:
    return Selection(**{k: getattr(row, k) for k in Selection.__dataclass_fields__})


def list_selections(conn: Connection, *, include_revoked: bool = True) -> list[Selection]:
    """The register, oldest first."""
    query = select(flight_selection).order_by(flight_selection.c.id)
    if not include_revoked:
        query = query.where(flight_selection.c.revoked_at.is_(None))
    return [_selection(r) for r in conn.execute(query)]


def active_selections(conn: Connection, on: date | None = None) -> list[Selection]:
    """The selections not revoked (valid on ``on`` when given)."""
    items = list_selections(conn, include_revoked=False)
    return [s for s in items if on is None or s.active_on(on)]


def _code(value: str | None, size: int) -> str | None:
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if len(code) > size:
        raise SelectionError(f"{code!r} is too long")
    return code


def add_selection(
    conn: Connection,
    *,
    scope: str,
    valid_from: date,
    valid_until: date,
    review_on: date,
    decision: str,
    legal_basis: str,
    by: str,
    now: datetime,
    carrier: str | None = None,
    number: str | None = None,
    origin: str | None = None,
    destination: str | None = None,
    airport: str | None = None,
) -> int:
    """Add a selection to the register; returns its id. Refuses incomplete entries."""
    if scope not in SCOPES:
        raise SelectionError(f"scope must be one of {', '.join(SCOPES)}")
    if not decision.strip() or not legal_basis.strip():
        raise SelectionError("a selection needs its decision and its legal basis")
    if valid_until < valid_from:
        raise SelectionError("valid_until is before valid_from")
    if review_on > valid_until:
        raise SelectionError("the review date must come before the end of validity")
    if scope == "route" and not (origin and destination):
        raise SelectionError("a route selection needs origin and destination")
    if scope == "flight" and not (carrier and number):
        raise SelectionError("a flight selection needs carrier and number")
    if scope == "airport" and not airport:
        raise SelectionError("an airport selection needs the airport")
    row = {
        "scope": scope,
        "carrier": _code(carrier, 3),
        "number": (number.strip().lstrip("0") or "0") if number else None,
        "origin": _code(origin, 5),
        "destination": _code(destination, 5),
        "airport": _code(airport, 5),
        "valid_from": valid_from,
        "valid_until": valid_until,
        "review_on": review_on,
        "decision": decision.strip(),
        "legal_basis": legal_basis.strip(),
        "created_by": by,
        "created_at": now,
        "revoked_by": None,
        "revoked_at": None,
    }
    selection_id = insert_ids(conn, flight_selection, [row])[0]
    details = {k: v for k, v in row.items() if k not in ("created_by", "created_at")}
    record_event(
        conn,
        PrivacyEvent(
            kind="selection.added", actor=by, at=now, details={"id": selection_id, **details}
        ),
    )
    return selection_id


def revoke_selection(conn: Connection, selection_id: int, *, by: str, now: datetime) -> bool:
    """Revoke a selection (the record stays); False when it was unknown or revoked."""
    fs = flight_selection
    result = conn.execute(
        update(fs)
        .where(fs.c.id == selection_id, fs.c.revoked_at.is_(None))
        .values(revoked_by=by, revoked_at=now)
    )
    if not result.rowcount:
        return False
    record_event(
        conn,
        PrivacyEvent(kind="selection.revoked", actor=by, at=now, details={"id": selection_id}),
    )
    return True


def flight_retained(conn: Connection, flight_id: int, *, today: date | None = None) -> FlightCheck:
    """``check_flight`` for a stored flight (what ingest calls before keeping its PNR)."""
    from paxwatch.store import schema as s

    row = conn.execute(
        select(
            s.flight.c.carrier,
            s.flight.c.number,
            s.flight.c.origin,
            s.flight.c.destination,
            s.flight.c.departure_date,
        ).where(s.flight.c.id == flight_id)
    ).one()
    return check_flight(
        active_selections(conn),
        carrier=row.carrier,
        number=row.number,
        origin=row.origin,
        destination=row.destination,
        on=row.departure_date or today,
    )

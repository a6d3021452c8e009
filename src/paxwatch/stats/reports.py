"""Article 20 statistics and carrier push compliance, from ``stat_flight`` (no personal data).

``art20(conn, year)`` returns a row per month of the year plus the total: flights, bookings,
passengers whose PNR was collected, passengers on API lists, passengers whose data was
exchanged (transmitted), passengers identified for further examination (confirmed hit or
transmission). ``compliance(conn, month)`` returns a row per carrier: flights, and for the
T-48…T-24 push and the push at closure (T0) how many were on time, late, early or missing.

Both first refresh the unsealed flights of the period from the live data (``refresh=True``,
needs a write transaction); sealed flights keep the figures computed before retention.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from paxwatch.privacy.flight_figures import (
    EARLY,
    LATE,
    MISSING,
    ON_TIME,
    ComplianceSchedule,
    refresh_flights,
)
from paxwatch.store import schema as s
from paxwatch.store.schema_privacy import stat_flight


@dataclass(frozen=True, slots=True, kw_only=True)
class Art20Row:
    """Figures of one period (``YYYY-MM``, or ``YYYY`` for the total)."""

    period: str
    flights: int = 0
    bookings: int = 0
    pnr_passengers: int = 0
    api_passengers: int = 0
    exchanged: int = 0
    identified: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Art20Report:
    """The Art 20 figures of a year: one row per month (all twelve) and the total."""

    year: int
    months: tuple[Art20Row, ...]
    total: Art20Row


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplianceRow:
    """The push compliance of one carrier in one month."""

    carrier: str
    flights: int = 0
    early_on_time: int = 0
    early_late: int = 0
    early_early: int = 0
    early_missing: int = 0
    final_on_time: int = 0
    final_late: int = 0
    final_missing: int = 0
    unknown: int = 0

    @property
    def on_time_rate(self) -> float:
        """Share of the expected pushes (two per flight with a known departure) on time."""
        expected = 2 * (self.flights - self.unknown)
        return (self.early_on_time + self.final_on_time) / expected if expected else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplianceReport:
    month: str
    carriers: tuple[ComplianceRow, ...]
    schedule: ComplianceSchedule = field(default_factory=ComplianceSchedule)


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def _refresh(
    conn: Connection, start: date, end: date, now: datetime, sc: ComplianceSchedule
) -> None:
    f = s.flight
    ids = list(
        conn.execute(
            select(f.c.id).where(f.c.departure_date >= start, f.c.departure_date < end)
        ).scalars()
    )
    refresh_flights(conn, ids, now, sc)


def _rows(conn: Connection, start: date, end: date) -> list[Any]:
    sf = stat_flight
    return list(
        conn.execute(select(sf).where(sf.c.departure_date >= start, sf.c.departure_date < end))
    )


def art20(conn: Connection, year: int, *, now: datetime, refresh: bool = True) -> Art20Report:
    """The Art 20 figures of ``year`` by month of departure."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    if refresh:
        _refresh(conn, start, end, now, ComplianceSchedule())
    sums: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    names = ("bookings", "pnr_passengers", "api_passengers", "exchanged", "identified")
    for row in _rows(conn, start, end):
        month = sums[row.departure_date.month]
        month["flights"] += 1
        for name in names:
            month[name] += int(getattr(row, name))
    months = tuple(
        Art20Row(period=f"{year}-{m:02d}", **dict(sums.get(m, {}))) for m in range(1, 13)
    )
    total = Art20Row(
        period=str(year),
        flights=sum(r.flights for r in months),
        **{n: sum(getattr(r, n) for r in months) for n in names},
    )
    return Art20Report(year=year, months=months, total=total)


def compliance(
    conn: Connection,
    month: str,
    *,
    now: datetime,
    refresh: bool = True,
    schedule: ComplianceSchedule | None = None,
) -> ComplianceReport:
    """Per-carrier push compliance of the flights departing in ``month`` (``YYYY-MM``)."""
    sc = schedule or ComplianceSchedule()
    year, number = (int(p) for p in month.split("-", 1))
    start, end = _month_bounds(year, number)
    if refresh:
        _refresh(conn, start, end, now, sc)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in _rows(conn, start, end):
        c = counts[row.carrier]
        c["flights"] += 1
        if row.early_push not in (ON_TIME, LATE, EARLY, MISSING):
            c["unknown"] += 1
            continue
        c[f"early_{row.early_push}"] += 1
        c[f"final_{row.final_push}"] += 1
    carriers = tuple(
        ComplianceRow(carrier=carrier, **dict(values)) for carrier, values in sorted(counts.items())
    )
    return ComplianceReport(month=f"{year}-{number:02d}", carriers=carriers, schedule=sc)

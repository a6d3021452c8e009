"""Article 20 statistics and carrier push compliance: ``/api/v1/stats`` (``read_stats``).

- ``GET /stats/art20?year=2026``: a row per month and the total (flights, bookings, PNR
  passengers, API passengers, exchanged, identified).
- ``GET /stats/compliance?month=2026-03``: per carrier, the T-48…T-24 and T0 pushes on time,
  late, early, missing.

Both answer JSON, or CSV with ``Accept: text/csv`` (or ``?format=csv``). No personal data:
the figures come from ``stat_flight`` (sealed before retention removes the data).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from paxwatch.api.deps import StoreDep, permit
from paxwatch.api.models_privacy import Art20Out, ComplianceOut, privacy_now
from paxwatch.api.problems import PROBLEM_RESPONSES
from paxwatch.privacy.access import Action, Principal
from paxwatch.stats import art20, art20_csv, compliance, compliance_csv

router = APIRouter(tags=["statistics"])

StatsReader = Annotated[Principal, Depends(permit(Action.READ_STATS))]
Format = Annotated[str | None, Query(pattern="^(json|csv)$", description="Or Accept: text/csv.")]
_CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "JSON, or CSV when asked"}
}


def wants_csv(request: Request, format: str | None) -> bool:
    """CSV when ``?format=csv`` or ``Accept`` prefers ``text/csv``."""
    if format is not None:
        return format == "csv"
    return "text/csv" in request.headers.get("accept", "")


def csv_response(text: str, filename: str) -> Response:
    return Response(
        content=text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/stats/art20",
    response_model=Art20Out,
    responses={**PROBLEM_RESPONSES, **_CSV},
)
def get_art20(
    request: Request,
    store: StoreDep,
    _caller: StatsReader,
    year: Annotated[int, Query(ge=2000, le=2100)],
    format: Format = None,
) -> Art20Out | Response:
    """The Art 20 figures of a year, by month of departure."""
    with store.write() as conn:
        report = art20(conn, year, now=privacy_now())
    if wants_csv(request, format):
        return csv_response(art20_csv(report), f"art20-{year}.csv")
    return Art20Out.of(report)


@router.get(
    "/stats/compliance",
    response_model=ComplianceOut,
    responses={**PROBLEM_RESPONSES, **_CSV},
)
def get_compliance(
    request: Request,
    store: StoreDep,
    _caller: StatsReader,
    month: Annotated[str, Query(pattern=r"^20\d\d-(0[1-9]|1[0-2])$", description="YYYY-MM")],
    format: Format = None,
) -> ComplianceOut | Response:
    """Per-carrier push compliance of the flights departing in ``month``."""
    with store.write() as conn:
        report = compliance(conn, month, now=privacy_now())
    if wants_csv(request, format):
        return csv_response(compliance_csv(report), f"compliance-{month}.csv")
    return ComplianceOut.of(report)

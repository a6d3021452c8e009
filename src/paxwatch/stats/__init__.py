"""Article 20 statistics and operational figures, without personal data.

- ``seal_flights`` / ``refresh_flights``: per-flight counts in ``stat_flight`` (sealed by
  the retention job before it removes the data they come from);
- ``art20``: the yearly figures of Directive 2016/681 Art 20, per month;
- ``compliance``: carriers' push compliance against the T-48…T-24 and T0 schedule;
- ``art20_csv`` / ``compliance_csv``: CSV export.
"""

from paxwatch.privacy.flight_figures import ComplianceSchedule, refresh_flights, seal_flights
from paxwatch.stats.export import art20_csv, compliance_csv, rows_to_csv
from paxwatch.stats.reports import (
    Art20Report,
    Art20Row,
    ComplianceReport,
    ComplianceRow,
    art20,
    compliance,
)

__all__ = [
    "Art20Report",
    "Art20Row",
    "ComplianceReport",
    "ComplianceRow",
    "ComplianceSchedule",
    "art20",
    "art20_csv",
    "compliance",
    "compliance_csv",
    "refresh_flights",
    "rows_to_csv",
    "seal_flights",
]

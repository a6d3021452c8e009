"""CSV export of the statistics dataclasses (one header line, one line per row)."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Sequence
from typing import Any

from paxwatch.stats.reports import Art20Report, ComplianceReport


def rows_to_csv(rows: Sequence[Any], extra: Sequence[str] = ()) -> str:
    """CSV of dataclass rows: their fields, then the properties named in ``extra``."""
    out = io.StringIO()
    if not rows:
        return ""
    names = [f.name for f in dataclasses.fields(rows[0])]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*names, *extra])
    for row in rows:
        values = [getattr(row, n) for n in (*names, *extra)]
        writer.writerow([f"{v:.4f}" if isinstance(v, float) else v for v in values])
    return out.getvalue()


def art20_csv(report: Art20Report) -> str:
    """The months of the year, then the total."""
    return rows_to_csv([*report.months, report.total])


def compliance_csv(report: ComplianceReport) -> str:
    """One line per carrier, with the on-time rate."""
    return rows_to_csv(report.carriers, extra=("on_time_rate",))

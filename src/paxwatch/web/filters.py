"""Jinja2 filters of the UI templates: times, durations, scores, masked values."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from jinja2 import Environment

from paxwatch.privacy.masking import MaskKind, shown

STORE_MASK = "*MASKED*"
"""What depersonalisation leaves in the store's text values."""


def when(value: datetime | date | None) -> str:
    """``2026-03-01 14:05`` (dates alone as ``2026-03-01``), or a dash."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def duration(minutes: int | None) -> str:
    """``2 h 05 min`` or ``35 min`` (a dash when unknown)."""
    if minutes is None:
        return "—"
    hours, rest = divmod(max(minutes, 0), 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def pii(value: Any, masked: bool = False, kind: str = "text") -> str:
    """A personal value as it may be shown: masked values (flagged, or masked in the store)
    show as masked, whatever the role."""
    if value is None or value == "":
        return "—"
    text = value.isoformat() if isinstance(value, date) else str(value)
    hidden = masked or STORE_MASK in text
    out = shown(text, masked=hidden, kind=MaskKind(kind))
    return out if out is not None else "—"


def install(env: Environment) -> None:
    env.filters.update({"when": when, "duration": duration, "score": score, "pii": pii})

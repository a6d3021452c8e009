"""The check of a golden screening case, shared by the golden tables of tests/screening."""

from __future__ import annotations

from datetime import date

from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject


def check_golden(
    screener: Screener, name: str, born: date | None, expected: str | None, reason: str
) -> None:
    """``name`` born ``born`` hits ``expected`` first (or nothing when None); the failure
    message gives the reason and every candidate's score explained."""
    subject = Subject(names=(name,), date_of_birth=born)
    found = [m.entry_id for m in screener.screen(subject)]
    detail = "\n".join(m.explain() for m in screener.screen(subject, all_scores=True))
    if expected is None:
        assert found == [], f"{reason}: unexpected hit\n{detail}"
    else:
        assert found[:1] == [expected], f"{reason}: missed\n{detail}"

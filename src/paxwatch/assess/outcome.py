"""What an assessment run did (``AssessCounts``), what it runs (``Assessors``), and how its
results are resolved against the stored hits before they are stored (``resolve``).

Shared by the runs over booked travellers (``paxwatch.assess.run``) and over API
travellers that match no booking (``paxwatch.assess.run_api``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Connection

from paxwatch.assess import rules as rules_
from paxwatch.assess.hits import (
    Candidate,
    HitKind,
    HitStatus,
    NewHit,
    stored_fingerprints,
)
from paxwatch.screening.screen import Screener
from paxwatch.screening.suppression import is_suppressed


@dataclass(slots=True)
class AssessCounts:
    """What a run did."""

    travellers: int = 0
    watchlist_hits: int = 0
    rule_hits: int = 0
    suppressed: int = 0
    repeated: int = 0
    seconds: float = 0.0
    screening_seconds: float = 0.0
    rules_seconds: float = 0.0
    load_seconds: float = 0.0
    write_seconds: float = 0.0
    superseded: int = 0
    resumed_from: int | None = None
    job_id: int | None = None

    def add(self, other: AssessCounts) -> None:
        for name in (
            "travellers",
            "watchlist_hits",
            "rule_hits",
            "suppressed",
            "repeated",
            "superseded",
            "seconds",
            "screening_seconds",
            "rules_seconds",
            "load_seconds",
            "write_seconds",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def per_second(self) -> float:
        return self.travellers / self.seconds if self.seconds else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessors:
    """What to run: a screener (with the digest recorded) and/or a rule set."""

    screener: Screener | None = None
    screening_digest: str | None = None
    rules: rules_.ActiveRules | None = None
    complete: bool = True
    """The screener holds every active entry: a result an earlier version of the traveller
    had and this one lacks is then superseded (False for re-screens against a few entries)."""


def resolve(conn: Connection, candidates: list[Candidate], counts: AssessCounts) -> list[Candidate]:
    """Drop repeats, mark suppressed matches; count what is stored."""
    stored = stored_fingerprints(conn, (c.hit.fingerprint for c in candidates))
    seen = {
        (x.fingerprint, x.booking_id, x.flight_id)
        for x in stored
        if x.status is not HitStatus.SUPERSEDED  # data came back to what it was: hit again
    }
    dismissed_watch = {
        x.watchlist for x in stored if x.status is HitStatus.DISMISSED and x.watchlist
    }
    dismissed_rule = {
        x.fingerprint for x in stored if x.status is HitStatus.DISMISSED and not x.watchlist
    }
    out: list[Candidate] = []
    for cand in candidates:
        hit = cand.hit
        key = (hit.fingerprint, hit.booking_id, hit.flight_id)
        if key in seen:
            counts.repeated += 1
            continue
        seen.add(key)
        suppressed = (
            is_suppressed(cand.match, dismissed_watch)
            if cand.match is not None
            else hit.fingerprint in dismissed_rule
        )
        if suppressed:
            counts.suppressed += 1
            cand = Candidate(_with_status(hit, HitStatus.SUPPRESSED), cand.match)
        elif hit.kind is HitKind.WATCHLIST:
            counts.watchlist_hits += 1
        else:
            counts.rule_hits += 1
        out.append(cand)
    return out


def _with_status(hit: NewHit, status: HitStatus) -> NewHit:
    return replace(hit, status=status)

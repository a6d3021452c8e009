"""Dismissed-hit suppression, the pure part (Directive Art 12(5): a negative result after
human review may be kept to avoid future false positives).

A reviewer's dismissal is recorded as a ``HitFingerprint``: the list entry (source, id),
the digest of the traveller's screened data and the digest of the entry. A new match with
the same fingerprint is the same hit and is suppressed; if the traveller's screened data
(names, DOB, gender, nationality, documents) or the list entry changed, the digests differ
and the hit comes back for review.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from paxwatch.screening.score import Match


@dataclass(frozen=True, slots=True)
class HitFingerprint:
    source: str
    entry_id: str
    subject_digest: str
    entry_digest: str


def fingerprint(match: Match) -> HitFingerprint:
    """The fingerprint to store when a reviewer dismisses ``match``."""
    return HitFingerprint(match.source, match.entry_id, match.subject_digest, match.entry_digest)


def is_suppressed(match: Match, dismissed: Collection[HitFingerprint] | HitFingerprint) -> bool:
    """True when ``match`` is a hit already dismissed with the same data on both sides."""
    if isinstance(dismissed, HitFingerprint):
        return fingerprint(match) == dismissed
    return fingerprint(match) in dismissed

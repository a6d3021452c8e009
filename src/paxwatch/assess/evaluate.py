"""Accuracy of screening at ingest on a synthetic day (ground truth from ``truth.jsonl``).

Stored travellers are matched to the truth by (booking locator, traveller ref). A planted
traveller is *found* when a watch-list hit (status ``new``) on any stored version of it
names its entry; an innocent traveller (every role but ``plant``: decoys, companions and
ordinary passengers) is a *false hit* when it has any such hit. Figures per variant kind
count each plant once per label it carries (a plant can be both ``typo`` and
``given_reordered``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, select

from paxwatch.assess.hits import HitKind, HitStatus
from paxwatch.assess.rules import TruthIndex
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_


@dataclass(frozen=True, slots=True, kw_only=True)
class KindRecall:
    """Recall of one variant kind."""

    kind: str
    found: int
    total: int

    @property
    def recall(self) -> float:
        return self.found / self.total if self.total else 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class DayAccuracy:
    """Screening accuracy over the stored travellers of a synthetic day."""

    travellers: int
    planted: int
    found: int
    innocent: int
    false_hits: int
    decoys: int
    decoy_hits: int
    per_kind: tuple[KindRecall, ...]
    missed: tuple[tuple[str, str, str], ...]

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def false_per_10k(self) -> float:
        return 10_000 * self.false_hits / self.innocent if self.innocent else 0.0


def synthetic_accuracy(conn: Connection, truth: TruthIndex) -> DayAccuracy:
    """Compare the stored watch-list hits with the truth (see the module docstring)."""
    t, b, h = s.traveller, s.booking, sa_.hit
    stored = {(r[0], r[1] or "") for r in conn.execute(select(b.c.locator, t.c.ref).join(b))}
    entries_hit: dict[tuple[str, str], set[str]] = defaultdict(set)
    query = (
        select(b.c.locator, t.c.ref, h.c.entry_id)
        .join(t, t.c.id == h.c.traveller_id)
        .join(b, b.c.id == t.c.booking_id)
        .where(h.c.kind == HitKind.WATCHLIST.value, h.c.status == HitStatus.NEW.value)
    )
    for locator, ref, entry_id in conn.execute(query):
        entries_hit[(locator, ref or "")].add(entry_id)
    planted = found = innocent = false_hits = decoys = decoy_hits = 0
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed: list[tuple[str, str, str]] = []
    for key, role in truth.roles.items():
        if key not in stored:
            continue
        hit_entries = entries_hit.get(key, set())
        if role == "plant":
            planted += 1
            ok = truth.entries.get(key) in hit_entries
            found += ok
            for label in truth.variants.get(key, ()) or ("unlabelled",):
                kinds[label][0] += ok
                kinds[label][1] += 1
            if not ok:
                missed.append(
                    (f"{key[0]}/{key[1]}", truth.entries.get(key, ""), ",".join(
                        truth.variants.get(key, ())))
                )  # fmt: skip
            continue
        innocent += 1
        false_hits += bool(hit_entries)
        if role == "decoy":
            decoys += 1
            decoy_hits += bool(hit_entries)
    return DayAccuracy(
        travellers=len(stored),
        planted=planted,
        found=found,
        innocent=innocent,
        false_hits=false_hits,
        decoys=decoys,
        decoy_hits=decoy_hits,
        per_kind=tuple(
            KindRecall(kind=k, found=v[0], total=v[1]) for k, v in sorted(kinds.items())
        ),
        missed=tuple(missed),
    )

"""Accuracy of screening at ingest on a synthetic day (ground truth from ``truth.jsonl``).

Stored travellers are matched to the truth by (booking locator, traveller ref). A planted
traveller is *found* when a watch-list hit (status ``new``) on any stored version of it
names its entry; an innocent traveller (every role but ``plant``: decoys, companions and
ordinary passengers) is a *false hit* when it has any such hit. Figures per variant kind
count each plant once per label it carries (a plant can be both ``typo`` and
``given_reordered``).

**Decoys without a date of birth** (issue 5 accounting, 1.5): a decoy is the listed name (or
a one-letter slip of it) on another person, with another date of birth. When the screened
data give no date of birth at all (no SSR DOCS, no API record: a domestic flight), that date
never reaches the screener: the traveller is the listed name and nothing else, the very
evidence a plant travelling without a date of birth gives (the ``dob_missing`` variant, to
be found). Flagging it when the name is rare is what an analyst wants; counting it as a
false hit would count the same evidence once as a success and once as a failure. Such
decoys (``undated`` decoys) are therefore counted apart: neither among the innocent
travellers nor as false hits, with their hits reported (``undated_decoys``,
``undated_decoy_hits``). A decoy whose date of birth was screened stays an innocent
traveller: it must not hit. ``combine`` adds up the figures of several days (separate stores), and
``wilson`` gives the 95 % interval of a proportion, so that a benchmark can say how much
its figures can be trusted.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
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
    """Stored travellers of the day (those of the truth: earlier days in the store aside)."""
    planted: int
    found: int
    innocent: int
    false_hits: int
    decoys: int
    decoy_hits: int
    per_kind: tuple[KindRecall, ...]
    missed: tuple[tuple[str, str, str], ...]
    false: tuple[tuple[str, str, str], ...] = ()
    """Innocent travellers with a hit: (locator/ref, role, entry ids hit)."""
    per_role: tuple[KindRecall, ...] = ()
    """Innocent travellers per role: ``found`` = those with a hit, ``total`` = all."""
    undated_decoys: int = 0
    """Decoys screened without any date of birth: not innocent travellers (module docstring)."""
    undated_decoy_hits: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def false_per_10k(self) -> float:
        return 10_000 * self.false_hits / self.innocent if self.innocent else 0.0


def synthetic_accuracy(conn: Connection, truth: TruthIndex) -> DayAccuracy:
    """Compare the stored watch-list hits with the truth (see the module docstring)."""
    t, b, h = s.traveller, s.booking, sa_.hit
    stored = {
        (r[0], r[1] or "")
        for r in conn.execute(select(b.c.locator, t.c.ref).join(b, b.c.id == t.c.booking_id))
    }
    entries_hit: dict[tuple[str, str], set[str]] = defaultdict(set)
    query = (
        select(b.c.locator, t.c.ref, h.c.entry_id)
        .join(t, t.c.id == h.c.traveller_id)
        .join(b, b.c.id == t.c.booking_id)
        .where(h.c.kind == HitKind.WATCHLIST.value, h.c.status == HitStatus.NEW.value)
    )
    for locator, ref, entry_id in conn.execute(query):
        entries_hit[(locator, ref or "")].add(entry_id)
    return accuracy_of(truth, stored, entries_hit, dated=_dated(conn))


def _dated(conn: Connection) -> set[tuple[str, str]]:
    """Stored travellers (locator, ref) with a date of birth in any version or in a linked
    API record: what the screener could compare."""
    t, b, link, at = s.traveller, s.booking, s.api_pnr_link, s.api_traveller
    booked = (
        select(b.c.locator, t.c.ref)
        .join(b, b.c.id == t.c.booking_id)
        .where(t.c.date_of_birth.is_not(None))
    )
    checked = (
        select(b.c.locator, t.c.ref)
        .join(b, b.c.id == t.c.booking_id)
        .join(link, link.c.traveller_id == t.c.id)
        .join(at, at.c.id == link.c.api_traveller_id)
        .where(at.c.date_of_birth.is_not(None))
    )
    return {(r[0], r[1] or "") for q in (booked, checked) for r in conn.execute(q)}


def accuracy_of(
    truth: TruthIndex,
    stored: set[tuple[str, str]],
    entries_hit: Mapping[tuple[str, str], set[str]],
    *,
    dated: set[tuple[str, str]] | None = None,
) -> DayAccuracy:
    """The accuracy of ``entries_hit`` (the entries hit per stored (locator, ref)) against
    the truth, over the travellers of the truth that are ``stored``. ``dated``: the stored
    travellers screened with a date of birth; a decoy not among them is counted apart
    (module docstring). None: every decoy is an innocent traveller."""
    planted = found = innocent = false_hits = decoys = decoy_hits = 0
    undated = undated_hits = 0
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    roles: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed: list[tuple[str, str, str]] = []
    false: list[tuple[str, str, str]] = []
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
        if role == "decoy" and dated is not None and key not in dated:
            undated += 1
            undated_hits += bool(hit_entries)
            continue
        innocent += 1
        false_hits += bool(hit_entries)
        roles[role][0] += bool(hit_entries)
        roles[role][1] += 1
        if hit_entries:
            false.append((f"{key[0]}/{key[1]}", role, ",".join(sorted(hit_entries))))
        if role == "decoy":
            decoys += 1
            decoy_hits += bool(hit_entries)
    return DayAccuracy(
        travellers=planted + innocent,
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
        false=tuple(false),
        per_role=tuple(
            KindRecall(kind=k, found=v[0], total=v[1]) for k, v in sorted(roles.items())
        ),
        undated_decoys=undated,
        undated_decoy_hits=undated_hits,
    )


def _add_kinds(groups: Iterable[tuple[KindRecall, ...]]) -> tuple[KindRecall, ...]:
    total: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for group in groups:
        for k in group:
            total[k.kind][0] += k.found
            total[k.kind][1] += k.total
    return tuple(KindRecall(kind=k, found=v[0], total=v[1]) for k, v in sorted(total.items()))


def combine(days: Iterable[DayAccuracy]) -> DayAccuracy:
    """The figures of several days (each in its own store) added up."""
    items = list(days)
    return DayAccuracy(
        travellers=sum(d.travellers for d in items),
        planted=sum(d.planted for d in items),
        found=sum(d.found for d in items),
        innocent=sum(d.innocent for d in items),
        false_hits=sum(d.false_hits for d in items),
        decoys=sum(d.decoys for d in items),
        decoy_hits=sum(d.decoy_hits for d in items),
        per_kind=_add_kinds(d.per_kind for d in items),
        missed=tuple(m for d in items for m in d.missed),
        false=tuple(f for d in items for f in d.false),
        per_role=_add_kinds(d.per_role for d in items),
        undated_decoys=sum(d.undated_decoys for d in items),
        undated_decoy_hits=sum(d.undated_decoy_hits for d in items),
    )


def wilson(found: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of the proportion ``found / total`` (95 % by default)."""
    if total <= 0:
        return 0.0, 1.0
    p = found / total
    centre = p + z * z / (2 * total)
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    denominator = 1 + z * z / total
    return max(0.0, (centre - margin) / denominator), min(1.0, (centre + margin) / denominator)

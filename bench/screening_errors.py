"""Name-only evidence of plants and false hits on kept synthetic days, and the hard bars on it.

Re-screens the days kept by ``bench/screening_day.py --keep DIR`` offline with the current
algorithm (as ``--rescreen`` does) and collects, for every planted traveller, its match on
its own entry (hit or not) and, for every innocent traveller, its hits: score, date-of-birth
outcome and the ``common_name`` evidence (decimal digits found, digits needed). It prints
the digits of the matches judged on the name alone (``dob`` outcome ``unknown``: one side
has no date of birth) per group, then the recall and false hits if a name-only match needed
at least N digits to be a hit (a hard bar instead of the ``common_name`` ramp), so that
one sees whether any such cut separates plants from namesakes (docs/screening.md, "Session
19: the remaining errors on the realistic days"). Measures only; nothing is changed.

    bench/screening_errors.py /tmp/gen-meas/days-new-7_8_9 /tmp/gen-meas/days-new-11_12_13
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from paxwatch.assess.load import Scope, load_travellers, traveller_pairs
from paxwatch.assess.rules import read_truth
from paxwatch.assess.screen import subject_of
from paxwatch.assess.watchlists import active_lists, current_entries
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.score import Match
from paxwatch.screening.screen import Screener
from paxwatch.store import schema as s
from paxwatch.store.engine import open_store
from screening_day import DAY, _history_names

_DIGITS = re.compile(r"([\d.]+) of ([\d.]+) needed")


@dataclass(frozen=True, slots=True)
class Row:
    """One planted traveller's match on its entry, or one hit of an innocent traveller."""

    role: str
    key: str
    hit: bool
    dob: str
    digits: float
    counted: bool
    """An innocent counted as such by ``assess.evaluate`` (not a decoy without a date)."""


def _evidence(match: Match) -> tuple[str, float]:
    dob, digits = "unknown", 0.0
    for feature in match.features:
        if feature.name == "dob":
            dob = feature.detail.split(" ", 1)[0]
        elif feature.name == "common_name":
            found = _DIGITS.search(feature.detail)
            digits = float(found.group(1)) if found else 0.0
    return dob, digits


def rows_of(root: Path, seed: int) -> tuple[list[Row], int]:
    """The rows of one kept day (``root/bench-<seed>.db``) and its innocent travellers screened
    (counted as ``assess.evaluate`` does: decoys without a date of birth apart)."""
    store = open_store(f"sqlite:///{root / f'bench-{seed}.db'}")
    with store.read() as conn:
        entries = current_entries(conn, [source for source, _v in active_lists(conn).versions])
        names = _history_names(conn)
        items = load_travellers(conn, traveller_pairs(conn, Scope(day=DAY)), api=True)
        locators = {r[0]: r[1] for r in conn.execute(select(s.booking.c.id, s.booking.c.locator))}
    store.close()
    screener = Screener(entries, frequencies=NameFrequencies.count(names, source="stored"))
    truth = read_truth(root / f"seed{seed}" / DAY.isoformat() / "truth.jsonl")
    rows: list[Row] = []
    innocents = 0
    for item in items:
        key = (locators[item.booking_id], item.traveller.ref or "")
        role = truth.roles.get(key)
        if role is None:
            continue
        subject = subject_of(item)
        plant = role == "plant"
        counted = role != "decoy" or subject.date_of_birth is not None
        innocents += not plant and counted
        wanted = truth.entries.get(key)
        for match in screener.screen(subject, all_scores=plant):
            if (plant and match.entry_id != wanted) or (not plant and not match.is_hit):
                continue
            dob, digits = _evidence(match)
            rows.append(Row(role, f"{seed}:{key[0]}/{key[1]}", match.is_hit, dob, digits, counted))
    return rows, innocents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="+", help="folders of --keep (bench-<seed>.db, seed<N>/)")
    parser.add_argument("--bars", type=float, nargs="+", default=[6.0, 6.5, 7.0, 7.5, 8.0, 9.0])
    args = parser.parse_args()
    rows: list[Row] = []
    innocents = planted = 0
    for root in map(Path, args.roots):
        for db in sorted(root.glob("bench-*.db")):
            seed = int(db.stem.split("-")[1])
            day_rows, day_innocents = rows_of(root, seed)
            rows += day_rows
            innocents += day_innocents
            truth = read_truth(root / f"seed{seed}" / DAY.isoformat() / "truth.jsonl")
            planted += sum(role == "plant" for role in truth.roles.values())
    alone = [r for r in rows if r.dob == "unknown"]
    groups = {
        "plants found": [r for r in alone if r.role == "plant" and r.hit],
        "plants missed": [r for r in alone if r.role == "plant" and not r.hit],
        "innocents hit": [r for r in alone if r.role not in ("plant", "decoy")],
        "decoys hit": [r for r in alone if r.role == "decoy"],
    }
    print("name-only matches (one side without a date of birth), digits found:")
    for label, group in groups.items():
        digits = sorted(r.digits for r in group)
        print(f"  {label:<14} {len(digits):>3}: " + " ".join(f"{d:.1f}" for d in digits))
    for bar in [0.0, *args.bars]:
        kept = [r for r in rows if r.hit and not (r.dob == "unknown" and r.digits < bar)]
        found = len({r.key for r in kept if r.role == "plant"})
        false = len({r.key for r in kept if r.role != "plant" and r.counted})
        label = "the ramp (current)" if bar == 0.0 else f"name-only needs {bar:.1f} digits"
        print(
            f"{label:<32} recall {found / planted:.3f} ({found}/{planted}), false hits "
            f"{1e4 * false / innocents:.2f}/10k ({false}/{innocents})"
        )


if __name__ == "__main__":
    main()

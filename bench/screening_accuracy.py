"""The accuracy lines of ``bench/screening.py`` alone, every miss and false hit explained.

Builds the same real lists, 100,000-name list, alias variants and innocent travellers as
``bench/screening.py`` (same seeds, same order of draws: the figures are its figures) but
times nothing and runs no baseline: listed strong aliases (UN+OFAC), variant recall per
kind, false hits per 10,000 innocent travellers and the same travellers without their date
of birth; each alias variant missed and each false hit is printed with its features (the
first ``--show`` of each). ``--set NAME=VALUE`` overrides a ``ScreeningConfig`` field, to
compare a setting with the defaults on the same travellers.

    .venv/bin/python bench/screening_accuracy.py [--show 60] [--set false_hit_rate=3e-5]
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from paxwatch.screening.evaluate import alias_recall
from paxwatch.screening.score import Match
from paxwatch.screening.screen import Screener
from paxwatch.screening.watchlists.ofac import read_ofac_csv
from paxwatch.screening.watchlists.un import read_un_xml
from screening import (
    DEFAULT_FOLDER,
    LIST_SIZE,
    OFAC_FILE,
    UN_FILE,
    draw_subjects,
    found_own,
    generated_entries,
    reference_names,
)
from screening_day import _config


def _explained(matches: list[Match]) -> str:
    if not matches:
        return "    not a candidate (no index key in common)"
    return "    " + matches[0].explain().replace("\n", "\n    ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--show", type=int, default=60, help="misses and false hits explained")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    cfg = _config(args.set)
    rng = random.Random(42)
    un = read_un_xml(args.folder / UN_FILE).entries
    ofac = read_ofac_csv(args.folder / OFAC_FILE).entries
    if not un or not ofac:
        parser.error(f"{UN_FILE} and {OFAC_FILE} not found in {args.folder}")
    freq = reference_names()
    real = un + ofac
    listed = alias_recall(Screener(real, cfg, frequencies=freq), real)
    n_real = sum(len(e.names) for e in real)
    screener = Screener(real + generated_entries(LIST_SIZE - n_real, rng), cfg, frequencies=freq)
    variants, innocents = draw_subjects(real, rng)
    by_kind: dict[str, list[int]] = {}
    shown = 0
    for subject, entry, kind in variants:
        ok = found_own(screener.screen(subject), entry)
        by_kind.setdefault(kind, [0, 0])
        by_kind[kind][0] += ok
        by_kind[kind][1] += 1
        if not ok and shown < args.show:
            shown += 1
            own = [
                m for m in screener.screen(subject, all_scores=True) if m.entry_id == entry.entry_id
            ]
            print(
                f"  missed {kind} {subject.names[0]!r} born {subject.date_of_birth}"
                f" -> {entry.entry_id}"
            )
            print(_explained(own))
    found = sum(f for f, _t in by_kind.values())
    false_hits = {"with": 0, "without": 0}
    for label, travellers in (
        ("with", innocents),
        ("without", [replace(s, date_of_birth=None) for s in innocents]),
    ):
        shown = 0
        for subject in travellers:
            hits = screener.screen(subject)
            false_hits[label] += bool(hits)
            if hits and shown < args.show:
                shown += 1
                print(
                    f"  false ({label} date of birth) {subject.names[0]!r} {subject.date_of_birth}"
                )
                print(_explained(hits))
    print(f"listed strong aliases UN+OFAC {listed.value:.4f} ({listed.found}/{listed.total})")
    print(
        f"variant recall {found / len(variants):.4f}: "
        + ", ".join(f"{k} {f / t:.3f}" for k, (f, t) in sorted(by_kind.items()))
    )
    per = 10_000 / len(innocents)
    print(
        f"false hits/10k {false_hits['with'] * per:.1f}; the same travellers without their date"
        f" of birth {false_hits['without'] * per:.1f}"
    )


if __name__ == "__main__":
    main()

"""How often a generated traveller bears a listed person's name, per origin (no screening).

Draws ``--per-origin`` travellers of every origin, as the generator draws them
(``population.draw_person``, booked name), and compares their names with the Latin names
of a generated watch list (``watchlist.generate_watchlist``, ``--list-size`` entries,
seed ``--seed``). Name tokens are compared as sets of upper-case words:

- *full*: the traveller's tokens equal those of a listed name (order aside);
- *subset*: one side's tokens (two or more) are all among the other's, not equal.

Prints the shares per origin, and the expected number per 10,000 travellers of the traffic
(origin shares of ``Origin.weight``). Nothing is screened: this measures the generator's
naming, the namesake rate any screener faces.

    python bench/synth_namesakes.py [--per-origin 4000] [--list-size 2000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
from datetime import date

from paxwatch.synth.config import SynthConfig
from paxwatch.synth.population import ORIGINS, draw_person
from paxwatch.synth.watchlist import generate_watchlist

DAY = date(2026, 3, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-origin", type=int, default=4000)
    parser.add_argument("--list-size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    config = SynthConfig(day=DAY, seed=args.seed, watchlist_size=args.list_size)
    listed: set[frozenset[str]] = set()
    for entry, _ in generate_watchlist(config):
        for name in entry.names:
            if name.script == "Latn":
                listed.add(frozenset(name.full_name.upper().split()))
    by_token: dict[str, list[frozenset[str]]] = {}
    for toks in listed:
        for t in toks:
            by_token.setdefault(t, []).append(toks)
    total_weight = sum(o.weight for o in ORIGINS)
    per10k_full = per10k_subset = 0.0
    print(f"{'origin':<24} {'full %':>7} {'subset %':>9}")
    for origin in ORIGINS:
        rng = random.Random(f"{args.seed}|namesakes|{origin.key}")
        full = subset = 0
        for i in range(args.per_origin):
            sur, given = draw_person(rng, origin.key, f"T{i}", DAY).booked_name()
            toks = frozenset(f"{given} {sur}".split())
            if toks in listed:
                full += 1
                continue
            near = {c for t in toks for c in by_token.get(t, ())}
            if any(len(c) >= 2 and len(toks) >= 2 and (c < toks or toks < c) for c in near):
                subset += 1
        f, s = 100 * full / args.per_origin, 100 * subset / args.per_origin
        share = origin.weight / total_weight
        per10k_full += share * f * 100
        per10k_subset += share * s * 100
        print(f"{origin.label:<24} {f:>7.2f} {s:>9.2f}")
    print(f"traffic: {per10k_full:.1f} full, {per10k_subset:.1f} subset per 10,000 travellers")


if __name__ == "__main__":
    main()

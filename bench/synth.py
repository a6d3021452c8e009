"""Benchmark: generate a synthetic day (default France scale) streaming to disk.

Prints the time, the peak resident memory (getrusage, this process and its workers) and
the figures; the last line is the headline. Usage:
``python bench/synth.py [--scale 1.0] [--workers 2] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from paxwatch.synth.config import SynthConfig
from paxwatch.synth.day import generate_day


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="paxwatch-synth-"))
    config = SynthConfig(
        day=date(2026, 3, 1), scale=args.scale, seed=args.seed, workers=args.workers
    )
    start = time.perf_counter()
    stats = generate_day(config, out)
    elapsed = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size = sum(p.stat().st_size for p in (out / config.day.isoformat()).rglob("*") if p.is_file())
    for key in sorted(stats):
        if not key.startswith(("origin.", "deviation.", "variant.")):
            print(f"{key:24} {stats[key]:>12,}")
    print(f"output {size / 1e6:,.0f} MB in {out}")
    print(f"peak RSS main {own:,.0f} MB, largest worker {children:,.0f} MB")
    if args.out is None:
        shutil.rmtree(out)
    m, s = divmod(int(elapsed), 60)
    print(
        f"synth: {stats['passengers']:,} pax / {stats['flights']:,} flights in {m}m{s:02d}s, "
        f"peak RSS {max(own, children):,.0f} MB (scale {args.scale}, {args.workers} workers)"
    )


if __name__ == "__main__":
    main()

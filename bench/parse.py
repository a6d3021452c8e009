"""Parse throughput of paxwatch.formats against pydifact on the same corpus.

The corpus is every real sample message under ``../shared/data/samples/gtas`` replicated
until it reaches ``--mb`` megabytes (default 20). paxwatch reads each message into the
full typed model (bookings, travellers, documents, legs...); pydifact's
``Interchange.from_str`` tokenizes and parses it into segments only. Both run in this
process, one after the other, on the same strings.

    make bench            # or: .venv/bin/python bench/parse.py --mb 20
    .venv/bin/python bench/parse.py --compiled   # also measure a mypyc-compiled copy

``--compiled`` copies ``src/`` into a temporary directory, compiles the EDIFACT reading
modules of ``paxwatch.formats`` there with the venv's mypyc (the installed package is never
compiled), and runs the same measurement in a child process that imports that copy. Both
the pure-Python and the compiled figures are printed.

The last line is the headline; it names the build it measured.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from paxwatch.formats.reader import read_message

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SAMPLES = ROOT.parent / "shared" / "data" / "samples" / "gtas"
# The modules that read the corpus (EDIFACT PNRGOV and PAXLST), compiled by --compiled.
COMPILED_MODULES = (
    "edifact",
    "edifact_repair",
    "values",
    "people",
    "reader",
    "pnrgov",
    "pnrgov_groups",
    "pnrgov_builders",
    "pnrgov_elements",
    "pnrgov_traveller",
    "pnrgov_itinerary",
    "pnrgov_history",
    "paxlst",
    "paxlst_message",
    "paxlst_flight",
    "paxlst_parts",
)


def load_corpus(samples: Path, megabytes: float) -> list[bytes]:
    files = sorted(p for p in samples.glob("*/*") if p.is_file() and p.suffix != ".md")
    if not files:
        sys.exit(f"no sample messages under {samples}")
    messages = [p.read_bytes() for p in files]
    target = int(megabytes * 1_000_000)
    corpus: list[bytes] = []
    size = 0
    while size < target:
        for m in messages:
            corpus.append(m)
            size += len(m)
    return corpus


def run_paxwatch(corpus: list[bytes]) -> tuple[float, int, int]:
    gc.collect()
    start = time.perf_counter()
    messages = travellers = 0
    for data in corpus:
        result = read_message(data)
        messages += len(result.messages)
        for m in result.messages:
            if m.kind == "pnrgov":
                travellers += sum(len(b.travellers) for b in m.bookings)  # type: ignore[union-attr]
            else:
                travellers += len(m.travellers)  # type: ignore[union-attr]
    return time.perf_counter() - start, messages, travellers


def run_pydifact(corpus: list[bytes]) -> tuple[float, int, int]:
    from pydifact.segmentcollection import Interchange

    texts = [d.decode("utf-8", errors="replace") for d in corpus]
    failures = segments = 0
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        for text in texts:
            try:
                interchange = Interchange.from_str(text)
                segments += sum(1 for _ in interchange.segments)
            except Exception:  # pydifact raises on malformed input
                failures += 1
        elapsed = time.perf_counter() - start
    return elapsed, failures, segments


def measure(samples: Path, megabytes: float, build: str) -> str:
    """Run both parsers on the corpus, print the figures; return the headline."""
    corpus = load_corpus(samples, megabytes)
    mb = sum(len(d) for d in corpus) / 1_000_000
    print(f"corpus: {len(corpus):,} messages, {mb:.1f} MB (real samples replicated)")
    px_time, px_messages, px_travellers = run_paxwatch(corpus)
    px_rate = len(corpus) / px_time
    print(
        f"paxwatch.formats ({build}): {px_time:.2f} s, {px_rate:,.0f} msg/s, "
        f"{mb / px_time:.2f} MB/s ({px_messages:,} messages, {px_travellers:,} travellers "
        "read into the model)"
    )
    pd_time, pd_failures, pd_segments = run_pydifact(corpus)
    pd_rate = len(corpus) / pd_time
    print(
        f"pydifact Interchange.from_str: {pd_time:.2f} s, {pd_rate:,.0f} msg/s, "
        f"{mb / pd_time:.2f} MB/s ({pd_segments:,} segments; {pd_failures:,} inputs raised)"
    )
    return (
        f"parse: {pd_time / px_time:.1f}x pydifact (paxwatch {px_rate:,.0f} msg/s, "
        f"pydifact {pd_rate:,.0f} msg/s, same {mb:.0f} MB corpus, {build} build)"
    )


def build_compiled(work: Path) -> Path:
    """A copy of ``src/`` with the corpus readers compiled by mypyc; returns its ``src``."""
    src = work / "src"
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    formats = src / "paxwatch" / "formats"
    modules = [
        f"paxwatch/formats/{m}.py" for m in COMPILED_MODULES if (formats / f"{m}.py").exists()
    ]
    mypyc = Path(sys.executable).parent / "mypyc"
    print(f"compiling {len(modules)} modules with {mypyc} in {work} ...", flush=True)
    done = subprocess.run(
        [str(mypyc), *modules],
        cwd=src,
        capture_output=True,
        text=True,
        env={**os.environ, "MYPY_CACHE_DIR": str(work / ".mypy_cache")},
    )
    if done.returncode != 0:
        sys.exit(f"mypyc failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return src


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in megabytes")
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument(
        "--compiled", action="store_true", help="also measure a mypyc-compiled copy"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:  # runs inside the compiled copy (see --compiled)
        import paxwatch.formats.edifact as edifact

        if not edifact.__file__ or not edifact.__file__.endswith((".so", ".pyd")):
            sys.exit(f"the compiled copy was not imported ({edifact.__file__})")
        print(measure(args.samples, args.mb, "mypyc-compiled"))
        return

    headline = measure(args.samples, args.mb, "pure-Python")
    if not args.compiled:
        print(headline)
        return
    print(headline)
    with tempfile.TemporaryDirectory(prefix="paxwatch-mypyc-") as tmp:
        src = build_compiled(Path(tmp))
        env = {**os.environ, "PYTHONPATH": str(src)}
        command = [sys.executable, __file__, "--child", "--mb", str(args.mb)]
        command += ["--samples", str(args.samples)]
        done = subprocess.run(command, env=env, cwd=tmp, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"the compiled measurement failed:\n{done.stdout}\n{done.stderr}")
        lines = done.stdout.strip().splitlines()
        print("\n".join(lines[1:]))  # the corpus line is the same


if __name__ == "__main__":
    main()

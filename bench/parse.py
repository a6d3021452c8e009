"""Parse throughput of paxwatch.formats against pydifact on the same corpus.

The corpus is every real sample message under ``samples/gtas`` of the shared data
(``$PAXWATCH_SHARED_DATA``, else ``../shared/data``) replicated until it reaches ``--mb``
megabytes (default 20). paxwatch reads each message into the
full typed model (bookings, travellers, documents, legs...); pydifact's
``Interchange.from_str`` tokenizes and parses it into segments only. Both run in this
process, one after the other, on the same strings.

    make bench            # or: .venv/bin/python bench/parse.py --mb 20
    .venv/bin/python bench/parse.py --compiled   # also measure a mypyc-compiled copy

The headline (last line) is the package as installed: the normal install builds the C twin of
the tokenizer's regular-segment loop (``paxwatch.formats._edifact_fast``), so that is what it
measures when the extension is there; the build is named in the line. For reference, the same
corpus is first read by the pure-Python package (a child process with
``PAXWATCH_PURE_PYTHON=1``, which makes the package ignore the extension).

The normal install also compiles the EDIFACT reading modules with mypyc (``setup.py``).
``--compiled`` measures such a build even where the installed package was not compiled
(``PAXWATCH_NO_MYPYC=1`` at install, or sources edited since): it copies ``src/`` into a
temporary directory, compiles the reading modules there with the venv's mypyc
(``COMPILED_MODULES``; the model stays pure Python; the C extensions, when built, are copied
along), and runs the same measurement in a child process that imports that copy.

Each side is timed in wall-clock seconds and in CPU seconds of this process
(``time.process_time``); the ratio in the headline is that of CPU time, which other work on
a shared machine disturbs far less (the wall-clock ratio is printed next to it). The last
line is the headline; it names the build it measured.
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

from paxwatch.formats import COMPILED_MODULES as READING_MODULES
from paxwatch.formats.reader import read_message

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("PAXWATCH_SHARED_DATA") or ROOT.parent / "shared" / "data")
DEFAULT_SAMPLES = SHARED_DATA / "samples" / "gtas"
# The modules that read the corpus (EDIFACT PNRGOV and PAXLST), compiled by --compiled: the
# same as the install compiles (setup.py).
COMPILED_MODULES = tuple(f"formats/{name}" for name in READING_MODULES)


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


def run_paxwatch(corpus: list[bytes]) -> tuple[float, float, int, int]:
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    messages = travellers = 0
    for data in corpus:
        result = read_message(data)
        messages += len(result.messages)
        for m in result.messages:
            if m.kind == "pnrgov":
                travellers += sum(len(b.travellers) for b in m.bookings)  # type: ignore[union-attr]
            else:
                travellers += len(m.travellers)  # type: ignore[union-attr]
    return time.perf_counter() - start, time.process_time() - cpu, messages, travellers


def run_pydifact(corpus: list[bytes]) -> tuple[float, float, int, int]:
    from pydifact.segmentcollection import Interchange

    texts = [d.decode("utf-8", errors="replace") for d in corpus]
    failures = segments = 0
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            try:
                interchange = Interchange.from_str(text)
                segments += sum(1 for _ in interchange.segments)
            except Exception:  # pydifact raises on malformed input
                failures += 1
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return elapsed, cpu, failures, segments


def measure(samples: Path, megabytes: float, build: str) -> str:
    """Run both parsers on the corpus, print the figures; return the headline."""
    corpus = load_corpus(samples, megabytes)
    mb = sum(len(d) for d in corpus) / 1_000_000
    print(f"corpus: {len(corpus):,} messages, {mb:.1f} MB (real samples replicated)")
    px_time, px_cpu, px_messages, px_travellers = run_paxwatch(corpus)
    px_rate = len(corpus) / px_cpu
    print(
        f"paxwatch.formats ({build}): {px_cpu:.2f} s CPU ({px_time:.2f} s wall), "
        f"{px_rate:,.0f} msg/s, {mb / px_cpu:.2f} MB/s ({px_messages:,} messages, "
        f"{px_travellers:,} travellers read into the model)"
    )
    pd_time, pd_cpu, pd_failures, pd_segments = run_pydifact(corpus)
    pd_rate = len(corpus) / pd_cpu
    print(
        f"pydifact Interchange.from_str: {pd_cpu:.2f} s CPU ({pd_time:.2f} s wall), "
        f"{pd_rate:,.0f} msg/s, {mb / pd_cpu:.2f} MB/s ({pd_segments:,} segments; "
        f"{pd_failures:,} inputs raised)"
    )
    return (
        f"parse: {pd_cpu / px_cpu:.1f}x pydifact in CPU time ({pd_time / px_time:.1f}x "
        f"wall-clock; paxwatch {px_rate:,.0f} msg/s, pydifact {pd_rate:,.0f} msg/s, "
        f"same {mb:.0f} MB corpus, {build} build)"
    )


def build_compiled(work: Path) -> Path:
    """A copy of ``src/`` with the corpus readers compiled by mypyc; returns its ``src``."""
    src = work / "src"
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    for package, name in (("formats", "_edifact_fast"), ("model", "_construct")):
        for ext in (ROOT / "src" / "paxwatch" / package).glob(f"{name}.*.so"):
            # the C loop and the model's C constructor, when built
            shutil.copy2(ext, src / "paxwatch" / package / ext.name)
    modules = [f"paxwatch/{m}.py" for m in COMPILED_MODULES]
    missing = [m for m in modules if not (src / m).exists()]
    if missing:
        sys.exit(f"modules to compile are missing: {missing}")
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


def build_name() -> str:
    """The build this process reads with: pure Python or mypyc, with or without the C loop."""
    import paxwatch.formats.edifact as edifact
    from paxwatch.formats import edifact_regular

    compiled = bool(edifact.__file__) and str(edifact.__file__).endswith((".so", ".pyd"))
    base = "mypyc-compiled" if compiled else "pure-Python"
    return f"{base} + C tokenizer loop" if edifact_regular.ACCELERATED else base


def run_child(args: argparse.Namespace, env: dict[str, str], cwd: Path | None = None) -> None:
    """Measure in a child process (another build of the package); print its figures."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--mb", str(args.mb)]
    command += ["--samples", str(args.samples)]
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"the child measurement failed:\n{done.stdout}\n{done.stderr}")
    lines = done.stdout.strip().splitlines()
    print("\n".join(lines[1:]))  # the corpus line is the same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in megabytes")
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument(
        "--compiled", action="store_true", help="also measure a mypyc-compiled copy"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:  # another build: pure Python (see main) or the compiled copy
        print(measure(args.samples, args.mb, build_name()))
        return

    installed = build_name()
    if installed != "pure-Python":
        print("-- reference: the pure-Python package (PAXWATCH_PURE_PYTHON=1)")
        run_child(args, {**os.environ, "PAXWATCH_PURE_PYTHON": "1"})
    if args.compiled:
        print("-- a mypyc-compiled copy of the reading modules")
        with tempfile.TemporaryDirectory(prefix="paxwatch-mypyc-") as tmp:
            src = build_compiled(Path(tmp))
            run_child(args, {**os.environ, "PYTHONPATH": str(src)}, cwd=Path(tmp))
    print(f"-- the package as installed ({installed})")
    print(measure(args.samples, args.mb, installed))


if __name__ == "__main__":
    main()

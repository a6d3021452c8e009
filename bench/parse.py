"""Parse throughput of paxwatch.formats against pydifact on the same corpus.

The corpus is every real sample message under ``../shared/data/samples/gtas`` replicated
until it reaches ``--mb`` megabytes (default 20). paxwatch reads each message into the
full typed model (bookings, travellers, documents, legs...); pydifact's
``Interchange.from_str`` tokenizes and parses it into segments only. Both run in this
process, one after the other, on the same strings.

    make bench            # or: .venv/bin/python bench/parse.py --mb 20

The last line is the headline.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import warnings
from pathlib import Path

from paxwatch.formats.reader import read_message

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SAMPLES = ROOT.parent / "shared" / "data" / "samples" / "gtas"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in megabytes")
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    args = parser.parse_args()

    corpus = load_corpus(args.samples, args.mb)
    mb = sum(len(d) for d in corpus) / 1_000_000
    print(f"corpus: {len(corpus):,} messages, {mb:.1f} MB (real samples replicated)")

    px_time, px_messages, px_travellers = run_paxwatch(corpus)
    px_rate = len(corpus) / px_time
    print(
        f"paxwatch.formats: {px_time:.2f} s, {px_rate:,.0f} msg/s, {mb / px_time:.2f} MB/s "
        f"({px_messages:,} messages, {px_travellers:,} travellers read into the model)"
    )
    pd_time, pd_failures, pd_segments = run_pydifact(corpus)
    pd_rate = len(corpus) / pd_time
    print(
        f"pydifact Interchange.from_str: {pd_time:.2f} s, {pd_rate:,.0f} msg/s, "
        f"{mb / pd_time:.2f} MB/s ({pd_segments:,} segments; {pd_failures:,} inputs raised)"
    )
    print(
        f"parse: {pd_time / px_time:.1f}x pydifact (paxwatch {px_rate:,.0f} msg/s, "
        f"pydifact {pd_rate:,.0f} msg/s, same {mb:.0f} MB corpus)"
    )


if __name__ == "__main__":
    main()

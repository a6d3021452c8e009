"""Screening benchmark: real-alias recall, speed against a 100,000-name list, false hits.

    .venv/bin/python bench/screening.py [../shared/data/watchlists]

Prints (1) the recall on the real strong aliases of each list (listed aliases, and held
out: only the primary names indexed); (2) travellers/s of paxwatch screening against a
100,000-name list (real names + generated ones), in one process (wall clock, first pass:
the memos of travellers' names and token pairs are cold; what depends on the list alone is
found when the screener is built, timed apart) and with ``ScreeningPool`` (2 processes: a
forked copy of the bench, as cold as it, and its forked worker; start-up included), vs a
brute-force rapidfuzz ``cdist`` over all names (``workers=-1``, both cores) and
nomenklatura's name-based matchers on paxwatch's candidate pairs, each with its recall on
alias variants; (3) false hits per 10,000 innocent travellers. The last line is the
headline; it says which process count its speed is for.
Every paxwatch screener has name statistics (``common_name``) counted over 50,000 generated
travellers drawn apart from the innocent ones (``N_REFERENCE``), as a PIU counts its stored
travellers.

Needs the ``bench`` extra: faker, numpy (2.4.6) and nomenklatura (4.17.4, optional: the
nomenklatura line says so when it is missing or fails).
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import resource
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from faker import Faker
from rapidfuzz import fuzz, process

from paxwatch.gcpause import freeze_long_lived
from paxwatch.model.watchlist import ListedName, PartialDate, WatchlistEntry
from paxwatch.screening.batch import ScreeningPool
from paxwatch.screening.evaluate import alias_recall, alias_subjects
from paxwatch.screening.names import normalise
from paxwatch.screening.rarity import NameFrequencies
from paxwatch.screening.score import Match
from paxwatch.screening.screen import Screener
from paxwatch.screening.subject import Subject
from paxwatch.screening.watchlists.ofac import read_ofac_csv
from paxwatch.screening.watchlists.un import read_un_xml

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "data" / "watchlists"
UN_FILE = "un_consolidated_2018-10-29.xml"
OFAC_FILE = "ofac_sdn_2024-05-03.csv"
LIST_SIZE = 100_000
N_VARIANTS = 2_000
N_INNOCENT = 10_000
N_REFERENCE = 50_000
BRUTE_CUTOFF = 85
NOMENKLATURA_THRESHOLD = 0.7
WORKERS = 2
LOCALES = ["en_US", "fr_FR", "de_DE", "es_ES", "it_IT", "tr_TR", "ru_RU", "ar_AA", "fa_IR", "pl_PL"]


def children_cpu() -> float:
    """CPU seconds (user + system) of the terminated and reaped child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def random_dob(rng: random.Random) -> date:
    return date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))


def generated_entries(n_names: int, rng: random.Random) -> list[WatchlistEntry]:
    fake = Faker(LOCALES)
    fake.seed_instance(7)
    out = []
    for i in range(n_names):
        dob = random_dob(rng)
        out.append(
            WatchlistEntry(
                source="gen",
                entry_id=f"G{i}",
                names=(ListedName(full_name=f"{fake.first_name()} {fake.last_name()}"),),
                dates_of_birth=(PartialDate.of(dob),),
            )
        )
    return out


def mutate(name: str, rng: random.Random) -> tuple[str, str]:
    tokens = name.split()
    kind = rng.choice(["as listed", "typo", "order", "drop token", "glue", "case"])
    if kind == "typo" and tokens:
        i = rng.randrange(len(tokens))
        t = tokens[i]
        if len(t) > 3:
            j = rng.randrange(1, len(t))
            tokens[i] = t[:j] + rng.choice("aeiouyhnrs") + t[j + 1 :]
    elif kind == "order" and len(tokens) > 1:
        tokens = tokens[-1:] + tokens[:-1]
    elif kind == "drop token" and len(tokens) > 2:
        del tokens[rng.randrange(1, len(tokens) - 1)]
    elif kind == "glue" and len(tokens) > 2:
        i = rng.randrange(len(tokens) - 1)
        tokens[i : i + 2] = [tokens[i] + tokens[i + 1]]
    elif kind == "case":
        tokens = [t.upper() for t in tokens]
    return " ".join(tokens), kind


def found_own(r: list[Match], e: WatchlistEntry) -> bool:
    return any(m.entry_id == e.entry_id and m.source == e.source for m in r)


def nomenklatura_baseline(
    screener: Screener,
    subjects: list[Subject],
    variants: list[tuple[Subject, WatchlistEntry, str]],
) -> list[str]:
    """nomenklatura's name-based matchers on the candidate pairs of paxwatch's index."""
    try:
        from followthemoney import model
        from nomenklatura.matching import NameMatcher, NameQualifiedMatcher
    except ImportError as exc:
        return [f"  nomenklatura: not installed ({exc}; pip install -e '.[bench]'), skipped"]

    def person(key: str, names: list[str], dobs: list[str], countries: list[str]) -> Any:
        proxy = model.make_entity("Person")
        proxy.id = key
        proxy.add("name", names)
        proxy.add("birthDate", dobs)
        proxy.add("nationality", [c for c in countries if c])
        return proxy

    listed: dict[int, Any] = {}

    def entity(idx: int) -> Any:
        if idx not in listed:
            e = screener.entries[idx]
            listed[idx] = person(
                f"e{idx}",
                [n.full_name for n in e.names],
                [str(d) for d in e.dates_of_birth if d.year],
                list(e.nationalities),
            )
        return listed[idx]

    lines = []
    try:
        t0 = time.perf_counter()
        pairs = [list(screener.candidates(s)[0]) for s in subjects]
        candidates_s = time.perf_counter() - t0
        queries = [
            person(
                f"q{i}",
                list(s.names),
                [s.date_of_birth.isoformat()] if s.date_of_birth else [],
                [s.nationality or ""],
            )
            for i, s in enumerate(subjects)
        ]
        for idxs in pairs:  # entity construction is not the matcher's cost
            for idx in idxs:
                entity(idx)
        for algorithm in (NameMatcher, NameQualifiedMatcher):
            config = algorithm.default_config()
            t0 = time.perf_counter()
            hits = [
                {idx for idx in idxs if algorithm.compare(q, entity(idx), config).score >= 0.7}
                for q, idxs in zip(queries, pairs, strict=True)
            ]
            pps = len(subjects) / (candidates_s + time.perf_counter() - t0)
            index_of = {(e.source, e.entry_id): i for i, e in enumerate(screener.entries)}
            recall = sum(
                index_of[(e.source, e.entry_id)] in h
                for (_s, e, _k), h in zip(variants, hits, strict=False)
            ) / len(variants)
            false = sum(bool(h) for h in hits[len(variants) :]) / (len(subjects) - len(variants))
            lines.append(
                f"  nomenklatura {algorithm.NAME:<15} {pps:8,.0f} pax/s  recall {recall:.3f}  "
                f"false hits/10k {false * 10_000:.1f}  (score >= {NOMENKLATURA_THRESHOLD} on "
                f"paxwatch's {sum(map(len, pairs)):,} candidate pairs, candidates included)"
            )
    except Exception as exc:  # a baseline must not break the benchmark
        lines.append(f"  nomenklatura: failed ({type(exc).__name__}: {exc}), skipped")
    return lines


def brute_force(
    screener: Screener,
    subjects: list[Subject],
    variants: list[tuple[Subject, WatchlistEntry, str]],
) -> tuple[float, float, float, float]:
    """Normalised full name against every listed name: (pax/s, pax per CPU-second (all its
    threads), recall, false hits/10k)."""
    choices = [normalise(n.text) for n in screener.names]
    owner = np.array(screener.name_entry)
    queries = [normalise(s.names[0]) for s in subjects]
    t0, c0 = time.perf_counter(), time.process_time()
    brute_hits: list[set[int]] = []
    for start in range(0, len(queries), 250):
        matrix = process.cdist(
            queries[start : start + 250],
            choices,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=BRUTE_CUTOFF,
            workers=-1,
            dtype=np.uint8,
        )
        for row in matrix:
            brute_hits.append({int(i) for i in owner[np.nonzero(row)[0]]})
    brute_s = time.perf_counter() - t0
    brute_pps = len(subjects) / brute_s
    brute_cpu_pps = len(subjects) / (time.process_time() - c0)
    index_of = {(e.source, e.entry_id): i for i, e in enumerate(screener.entries)}
    brute_found = sum(
        index_of[(e.source, e.entry_id)] in h
        for (s, e, k), h in zip(variants, brute_hits, strict=False)
    )
    brute_recall = brute_found / len(variants)
    brute_false = (
        sum(bool(h) for h in brute_hits[len(variants) :]) / (len(subjects) - len(variants)) * 10_000
    )
    return brute_pps, brute_cpu_pps, brute_recall, brute_false


def pooled_passes(
    screener: Screener, subjects: list[Subject]
) -> tuple[list[list[Match]], float, float, float]:
    """Run in a forked copy of this process, whose memos are as cold as this one's (the
    caller screens a share of each batch: this process's memos must stay cold for the
    single-process pass): a first pass with a fresh ``ScreeningPool`` (its workers fork
    with cold memos): the matches, pax/s and CPU seconds (the forked caller's and its
    workers', reaped when the pool closes: fork, page copies and all); then pax/s of a
    second pass on another pool (steady state: pages copied, memos warm)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the forked copy
        os.close(read)
        t0, c0, w0 = time.perf_counter(), time.process_time(), children_cpu()
        with ScreeningPool(screener, WORKERS) as pool:
            pooled = pool.screen_many(subjects)
        t1 = time.perf_counter()
        pool_pps = len(subjects) / (t1 - t0)
        pool_cpu = time.process_time() - c0 + children_cpu() - w0
        with ScreeningPool(screener, WORKERS) as pool:
            pool.screen_many(subjects)
            t1 = time.perf_counter()
            pool.screen_many(subjects)
            pool_warm_pps = len(subjects) / (time.perf_counter() - t1)
        with os.fdopen(write, "wb") as out:
            pickle.dump((pooled, pool_pps, pool_cpu, pool_warm_pps), out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as answer:
        passes: tuple[list[list[Match]], float, float, float] = pickle.load(answer)
    os.waitpid(pid, 0)
    return passes


def draw_subjects(
    real: list[WatchlistEntry], rng: random.Random
) -> tuple[list[tuple[Subject, WatchlistEntry, str]], list[Subject]]:
    """The travellers screened: ``N_VARIANTS`` alias variants of the real entries (subject,
    its entry, the kind of variant) and ``N_INNOCENT`` innocent travellers (Faker names,
    random dates of birth); the same draws for the same ``rng`` state."""
    pairs = alias_subjects(real)
    variants = []
    for subject, entry in rng.sample(pairs, min(N_VARIANTS, len(pairs))):
        name, kind = mutate(subject.names[0], rng)
        variants.append((replace(subject, names=(name,)), entry, kind))
    fake = Faker(LOCALES)
    fake.seed_instance(99)
    innocents = [
        Subject(names=(f"{fake.first_name()} {fake.last_name()}",), date_of_birth=random_dob(rng))
        for _ in range(N_INNOCENT)
    ]
    return variants, innocents


def reference_names() -> NameFrequencies:
    """Name statistics of generated travellers (another seed than the innocent ones)."""
    fake = Faker(LOCALES)
    fake.seed_instance(2024)
    names = [f"{fake.first_name()} {fake.last_name()}" for _ in range(N_REFERENCE)]
    return NameFrequencies.count(names, source="generated travellers")


def watchlist_folder() -> Path:
    """The folder of the real lists (argument, default ``../shared/data/watchlists``); exits
    with what is missing rather than benchmarking empty lists."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=DEFAULT_FOLDER,
        help=f"folder holding {UN_FILE} and {OFAC_FILE} (default: {DEFAULT_FOLDER})",
    )
    folder: Path = parser.parse_args().folder
    missing = [name for name in (UN_FILE, OFAC_FILE) if not (folder / name).is_file()]
    if missing:
        parser.error(f"{', '.join(missing)} not found in {folder}: pass the watch-list folder")
    return folder


def main() -> None:
    folder = watchlist_folder()
    rng = random.Random(42)
    un = read_un_xml(folder / UN_FILE).entries
    ofac = read_ofac_csv(folder / OFAC_FILE).entries
    freq = reference_names()
    print("(1) real-alias recall (subject = a strong alias + the entry's first DOB)")
    for label, entries in (("UN", un), ("OFAC", ofac), ("UN+OFAC", un + ofac)):
        listed = alias_recall(Screener(entries, frequencies=freq), entries)
        primary_only = [replace(e, names=e.names[:1]) for e in entries]
        held = alias_recall(Screener(primary_only, frequencies=freq), entries)
        print(
            f"  {label:8} listed aliases {listed.value:.4f} ({listed.found}/{listed.total});"
            f" held out (primary names only indexed) {held.value:.4f}"
        )

    real = un + ofac
    n_real = sum(len(e.names) for e in real)
    big = real + generated_entries(LIST_SIZE - n_real, rng)
    t0, c0 = time.perf_counter(), time.process_time()
    screener = Screener(big, frequencies=freq)
    freeze_long_lived()  # as assess.screen.current_screener does with the screener it caches
    build, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    variants, innocents = draw_subjects(real, rng)
    subjects = [v[0] for v in variants] + innocents
    print(
        f"(2) speed: {len(screener.names):,} names ({n_real:,} real), screener built in"
        f" {build:.1f}s ({build_cpu:.1f}s CPU: index, listed tokens' neighbourhoods, entry"
        " digests, then frozen out of the collector's reach; once per active-list set, cached);"
        f" {len(variants):,} alias variants + {len(innocents):,} innocent travellers"
    )
    # the pool first: its workers fork with cold memos, as the single process starts
    pooled, pool_pps, pool_cpu, pool_warm_pps = pooled_passes(screener, subjects)
    t0, c0 = time.perf_counter(), time.process_time()
    results = [screener.screen(s) for s in subjects[: len(variants)]]
    t1 = time.perf_counter()
    results += [screener.screen(s) for s in innocents]
    t2, c2 = time.perf_counter(), time.process_time()
    ours_s, ours_cpu = t2 - t0, c2 - c0
    ours_pps = len(subjects) / ours_s
    innocent_pps = len(innocents) / (t2 - t1)
    t0 = time.perf_counter()
    for s in subjects:
        screener.screen(s)
    warm_pps = len(subjects) / (time.perf_counter() - t0)
    assert pooled == results, "batch results differ from single-process results"
    found = sum(found_own(r, e) for (s, e, k), r in zip(variants, results, strict=False))
    ours_recall = found / len(variants)
    by_kind: dict[str, list[int]] = {}
    for (_s, e, k), r in zip(variants, results, strict=False):
        by_kind.setdefault(k, [0, 0])
        by_kind[k][1] += 1
        by_kind[k][0] += found_own(r, e)
    ours_false = sum(bool(r) for r in results[len(variants) :]) / len(innocents) * 10_000

    brute_pps, brute_cpu_pps, brute_recall, brute_false = brute_force(screener, subjects, variants)
    print(
        f"  paxwatch     {ours_pps:10,.0f} pax/s  recall {ours_recall:.3f}  "
        f"false hits/10k {ours_false:.1f}  (single process, wall clock; "
        f"{len(subjects) / ours_cpu:,.0f} pax/s of CPU time; innocent travellers alone "
        f"{innocent_pps:,.0f} pax/s)"
    )
    print(
        f"  paxwatch x{WORKERS}  {pool_pps:10,.0f} pax/s  same results  "
        f"(ScreeningPool, {WORKERS} processes: the caller and {WORKERS - 1} forked, fork and "
        f"cold memos included; {len(subjects) / pool_cpu:,.0f} pax per CPU-second of them all, "
        f"~{len(subjects) / pool_cpu * WORKERS:,.0f} pax/s if {WORKERS} cores were free); "
        f"again: {pool_warm_pps:,.0f} pax/s with {WORKERS} workers vs {warm_pps:,.0f} "
        "single process (memos warm)"
    )
    print(
        f"  brute force  {brute_pps:10,.0f} pax/s  recall {brute_recall:.3f}  "
        f"false hits/10k {brute_false:.1f}  (cdist token_sort_ratio >= {BRUTE_CUTOFF}, workers=-1; "
        f"{brute_cpu_pps:,.0f} pax per CPU-second)"
    )
    for line in nomenklatura_baseline(screener, subjects, variants):
        print(line)
    print(
        "  recall per variant kind: "
        + ", ".join(f"{k} {f / t:.3f}" for k, (f, t) in sorted(by_kind.items()))
    )
    # Most PNRs carry no date of birth (no DOCS, no API yet): the same innocents without it.
    undated = [replace(s, date_of_birth=None) for s in innocents]
    undated_false = sum(bool(screener.screen(s)) for s in undated) / len(undated) * 10_000
    print(
        f"(3) false hits per 10,000 innocent travellers: paxwatch {ours_false:.1f}, "
        f"brute force {brute_false:.1f}; the same travellers without their date of birth: "
        f"paxwatch {undated_false:.1f}"
    )
    listed = alias_recall(Screener(real, frequencies=freq), real)
    print(
        f"screening: recall {listed.value:.3f}, {ours_false:.1f} false hits/10k, "
        f"{ours_pps:,.0f} pax/s single process = {ours_pps / brute_pps:.1f}x brute force, "
        f"{pool_pps:,.0f} pax/s with {WORKERS} workers "
        f"(variant recall {ours_recall:.3f} vs {brute_recall:.3f})"
    )


if __name__ == "__main__":
    main()

"""Regenerate the romanisation table from the real lists.

    python -m paxwatch.screening.learn ../shared/data/watchlists [-o path/to/equivalences.json]

Reads the UN consolidated XML and the OFAC ``sdn.csv`` found in the folder, tokenises every
name of every listed person (``names.split_tokens``) and runs ``equivalences.learn``. The
output replaces ``src/paxwatch/screening/data/equivalences.json`` by default; review the diff
before committing it (it changes ``ALGORITHM_VERSION``-relevant behaviour).
"""

from __future__ import annotations

import argparse
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.screening.equivalences import DATA_FILE, Equivalences, learn, save
from paxwatch.screening.names import normalise, split_tokens
from paxwatch.screening.watchlists.ofac import read_ofac_csv
from paxwatch.screening.watchlists.un import read_un_xml

log = logging.getLogger(__name__)
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "data" / DATA_FILE


def real_entries(folder: Path) -> list[WatchlistEntry]:
    """The persons of every UN XML and OFAC CSV list in ``folder``."""
    entries: list[WatchlistEntry] = []
    for path in sorted(folder.glob("un_*.xml")):
        entries.extend(read_un_xml(path).entries)
    for path in sorted(folder.glob("ofac_*.csv")):
        entries.extend(read_ofac_csv(path).entries)
    return entries


def tokenised(entries: Iterable[WatchlistEntry]) -> list[list[list[str]]]:
    """Per entry, the token list of each of its names (without learned canonicalisation)."""
    out = []
    for entry in entries:
        names = [split_tokens(normalise(n.full_name)) for n in entry.names]
        out.append([n for n in names if n])
    return out


def learn_from(folder: Path) -> Equivalences:
    per_entry = tokenised(real_entries(folder))
    counts: Counter[str] = Counter(t for names in per_entry for n in names for t in n)
    eq = learn(per_entry, token_counts=counts)
    eq.meta["lists"] = list_files(folder)
    return eq


def list_files(folder: Path) -> list[str]:
    """The names of the list files in ``folder`` (recorded in a learned file's metadata)."""
    return sorted(p.name for p in folder.iterdir() if p.suffix in (".xml", ".csv"))


def learn_arguments(
    argv: Sequence[str] | None, doc: str | None, default_output: Path
) -> argparse.Namespace:
    """The command line of a learning script (``folder``, ``-o/--output``), logging set up."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("folder", type=Path, help="folder holding un_*.xml and ofac_*.csv")
    parser.add_argument("-o", "--output", type=Path, default=default_output)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = learn_arguments(argv, __doc__, DEFAULT_OUTPUT)
    eq = learn_from(args.folder)
    save(eq, args.output)
    log.info(
        "%s: %d token classes, letters %s, silent %s",
        args.output,
        len(eq.tokens),
        dict(eq.letter_map),
        "".join(sorted(eq.silent)),
    )


if __name__ == "__main__":
    main()

"""Ingest files and directories: resumable and idempotent, with progress and a summary.

Files are taken in sorted path order (directories recursively; hidden files and ``*.md``
skipped). Each batch of files is stored in one transaction (so a crash loses at most the
batch in flight, which the next run stores); inputs already archived (same
content hash) are acknowledged without being read again, so re-running after an
interruption continues where it stopped and a second run changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from paxwatch.ingest.pipeline import (
    DEFAULT_BATCH,
    DUPLICATE,
    QUARANTINED,
    STORED,
    IngestItem,
    IngestResult,
)
from paxwatch.ingest.stream import ingest_stream
from paxwatch.privacy.minimise import MinimiseConfig
from paxwatch.store.engine import Store

Progress = Callable[[Path, IngestResult], None]
_SKIP_SUFFIXES = {".md"}


@dataclass(slots=True)
class DirectorySummary:
    """Counts of one run over files."""

    files: int = 0
    stored: int = 0
    duplicate: int = 0
    quarantined: int = 0
    bookings: int = 0
    new_versions: int = 0
    api_travellers: int = 0
    seconds: float = 0.0
    quarantined_files: list[str] = field(default_factory=list)

    def add(self, path: Path, result: IngestResult) -> None:
        self.files += 1
        if result.status == STORED:
            self.stored += 1
        elif result.status == DUPLICATE:
            self.duplicate += 1
        elif result.status == QUARANTINED:
            self.quarantined += 1
            self.quarantined_files.append(str(path))
        self.bookings += result.bookings
        self.new_versions += result.new_versions
        self.api_travellers += result.api_travellers


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The input files under ``paths``, in sorted order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() not in _SKIP_SUFFIXES:
                    yield child
        elif path.is_file():
            yield path
        else:
            raise FileNotFoundError(path)


def _items(files: list[Path], source: str, throttle: float) -> Iterator[IngestItem]:
    for path in files:
        yield IngestItem(data=path.read_bytes(), source=source, name=str(path))
        if throttle > 0:
            time.sleep(throttle)


def ingest_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    batch: int = DEFAULT_BATCH,
    jobs: int = 1,
    throttle: float = 0.0,
    progress: Progress | None = None,
    source: str = "directory",
    config: MinimiseConfig | None = None,
) -> DirectorySummary:
    """Ingest every file under ``paths`` (``jobs`` processes read and store them in turn).

    ``throttle`` pauses after reading each file (seconds), to spare a shared database.
    """
    files = list(iter_files(paths))
    summary = DirectorySummary()
    started = time.perf_counter()
    stream = ingest_stream(
        store, _items(files, source, throttle), batch=max(batch, 1), jobs=jobs, config=config
    )
    for path, result in zip(files, stream, strict=True):
        summary.add(path, result)
        if progress is not None:
            progress(path, result)
    summary.seconds = time.perf_counter() - started
    return summary

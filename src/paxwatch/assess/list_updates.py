"""Watch-list updates with the re-screening they call for: what the CLI, the API and the
UI do when a supervisor imports a new version of a list, activates or deactivates it.

An import into an active list re-screens the stored travellers of the legal window against
the entries it added or changed; an activation, against the whole list. A deactivation stops
the list screening from now on; the hits it raised stay as they are (reviewed or not).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from paxwatch.assess import watchlists as wl
from paxwatch.assess.jobs import rescreen_entries
from paxwatch.assess.run import AssessCounts
from paxwatch.assess.screen import AssessConfig
from paxwatch.store.engine import Store

Progress = Callable[[int, int], None]

_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class ListImport:
    """An import and, when the list is active and re-screening was asked, its re-screen."""

    outcome: wl.ImportOutcome
    rescreened: AssessCounts | None


@dataclass(frozen=True, slots=True)
class ListActivation:
    """A change of a source's state and, for an activation, its re-screen."""

    source: wl.SourceInfo
    rescreened: AssessCounts | None


def import_list(
    store: Store,
    path: Path,
    source_id: str,
    fmt: wl.ListFormat,
    *,
    meta: wl.SourceMeta,
    by: str | None,
    rescreen: bool = True,
    config: AssessConfig | None = None,
    progress: Progress | None = None,
) -> ListImport:
    """Import ``path`` as a new version of ``source_id`` (raises :class:`wl.SourceError`
    when nothing in it can be read) and re-screen the added and changed entries."""
    outcome = wl.import_file(store, path, source_id, fmt, meta=meta, by=by)
    return _rescreened(store, outcome, rescreen, config, progress)


def _rescreened(
    store: Store,
    outcome: wl.ImportOutcome,
    rescreen: bool,
    config: AssessConfig | None,
    progress: Progress | None,
) -> ListImport:
    counts = None
    if outcome.active and rescreen and outcome.to_rescreen:
        scope = (config or AssessConfig()).scope()
        counts = rescreen_entries(store, outcome.to_rescreen, scope, progress=progress)
    return ListImport(outcome, counts)


def upload_name(name: str | None, content_type: str = "") -> str:
    """A plain file name for an uploaded list (recorded with the version; ``.csv`` tells
    the EU importer CSV from XML): no directory, no unusual character, at most 100."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = _NAME_CHARS.sub("_", base).strip("._")[-100:]  # keeps the suffix
    if not base:
        base = "upload.csv" if content_type.startswith("text/csv") else "upload"
    return base


def import_upload(
    store: Store,
    data: bytes,
    file_name: str | None,
    source_id: str,
    fmt: wl.ListFormat,
    *,
    meta: wl.SourceMeta,
    by: str | None,
    content_type: str = "",
    rescreen: bool = True,
    config: AssessConfig | None = None,
) -> ListImport:
    """As :func:`import_list`, for the bytes of an upload (API, UI) under a safe name."""
    with tempfile.TemporaryDirectory(prefix="paxwatch-list-") as tmp:
        path = Path(tmp) / upload_name(file_name, content_type)
        path.write_bytes(data)
        outcome = wl.import_file(store, path, source_id, fmt, meta=meta, by=by)
    return _rescreened(store, outcome, rescreen, config, None)


def activate_list(
    store: Store,
    source_id: str,
    *,
    by: str | None,
    rescreen: bool = True,
    config: AssessConfig | None = None,
    progress: Progress | None = None,
) -> ListActivation:
    """Activate a source (refused with the reasons while its registry fields are missing
    or nothing was imported) and re-screen the stored window against all its entries."""
    info = wl.set_active(store, source_id, True, by=by)
    if not rescreen:
        return ListActivation(info, None)
    with store.read() as conn:
        entries = wl.current_entries(conn, [source_id])
    scope = (config or AssessConfig()).scope()
    return ListActivation(info, rescreen_entries(store, entries, scope, progress=progress))


def deactivate_list(store: Store, source_id: str, *, by: str | None) -> ListActivation:
    """Stop a source screening (audited). Its hits stay for review."""
    return ListActivation(wl.set_active(store, source_id, False, by=by), None)

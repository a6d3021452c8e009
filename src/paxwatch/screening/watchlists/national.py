"""National lists: persons sought or under alert, and documents alone (lost, stolen,
sought), in two documented formats.

**JSON lines** (``.jsonl``): one ``to_jsonable(WatchlistEntry)`` object per line, exactly
what ``paxwatch.model.jsonable`` writes (dates of birth ``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD``; ``listed_on`` ISO date). ``write_jsonl`` writes it; the synthetic-traffic
generator writes its watch list this way.

**CSV of persons** (UTF-8, ``,``-separated, header required):
``entry_id, surname, given_names, aliases, gender, dates_of_birth, nationalities,
document_numbers, document_countries, reason``; multi-valued cells are ``|``-separated
(``aliases`` as full names, strong quality; ``document_countries`` aligned with
``document_numbers``).

**CSV of documents** (same conventions): ``entry_id, document_type, document_number,
issuing_country, note``: each row an entry of kind ``document``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from paxwatch.model.jsonable import to_jsonable
from paxwatch.model.watchlist import ListedDocument, ListedName, PartialDate, WatchlistEntry
from paxwatch.screening.watchlists.common import (
    ImportReport,
    clean,
    country_code,
    gender_code,
    parse_partial_date,
)

PERSON_COLUMNS = (
    "entry_id",
    "surname",
    "given_names",
    "aliases",
    "gender",
    "dates_of_birth",
    "nationalities",
    "document_numbers",
    "document_countries",
    "reason",
)
DOCUMENT_COLUMNS = ("entry_id", "document_type", "document_number", "issuing_country", "note")


def _split(cell: str | None) -> list[str]:
    return [v.strip() for v in (cell or "").split("|") if v.strip()]


def _dates(values: Iterable[str]) -> tuple[PartialDate, ...]:
    out = []
    for value in values:
        parsed = parse_partial_date(value)
        if parsed is None:
            raise ValueError(f"date of birth {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        out.append(parsed)
    return tuple(out)


def _person_row(source: str, row: dict[str, str]) -> WatchlistEntry:
    entry_id = clean(row.get("entry_id"))
    surname, given = clean(row.get("surname")), clean(row.get("given_names"))
    if not entry_id or not (surname or given):
        raise ValueError("entry_id and a name are required")
    full = " ".join(p for p in (given, surname) if p)
    names = [ListedName(full_name=full, surname=surname, given_names=given)]
    names += [
        ListedName(full_name=a, kind="alias", quality="strong") for a in _split(row.get("aliases"))
    ]
    countries = _split(row.get("document_countries"))
    docs = tuple(
        ListedDocument(
            type="P",
            number=n,
            issuing_country=country_code(countries[i]) if i < len(countries) else None,
        )
        for i, n in enumerate(_split(row.get("document_numbers")))
    )
    return WatchlistEntry(
        source=source,
        entry_id=entry_id,
        kind="person",
        names=tuple(names),
        gender=gender_code(row.get("gender")),
        dates_of_birth=_dates(_split(row.get("dates_of_birth"))),
        nationalities=tuple(c for v in _split(row.get("nationalities")) if (c := country_code(v))),
        documents=docs,
        reason=clean(row.get("reason")),
    )


def _document_row(source: str, row: dict[str, str]) -> WatchlistEntry:
    entry_id, number = clean(row.get("entry_id")), clean(row.get("document_number"))
    if not entry_id or not number:
        raise ValueError("entry_id and document_number are required")
    doc = ListedDocument(
        type=clean(row.get("document_type")),
        number=number,
        issuing_country=country_code(row.get("issuing_country")),
        note=clean(row.get("note")),
    )
    return WatchlistEntry(source=source, entry_id=entry_id, kind="document", documents=(doc,))


def read_national_csv(source: Path | str, list_id: str, *, documents: bool = False) -> ImportReport:
    """Read a national CSV of persons (or, with ``documents=True``, of documents)."""
    report = ImportReport(source=list_id)
    try:
        text = source.read_text(encoding="utf-8-sig") if isinstance(source, Path) else source
    except (OSError, UnicodeDecodeError) as exc:
        report.problem("file", f"unreadable: {exc}")
        return report
    reader = csv.DictReader(io.StringIO(text))
    required = ("entry_id", "document_number") if documents else ("entry_id",)
    if not reader.fieldnames or not set(required) <= set(reader.fieldnames):
        report.problem("header", f"missing columns, need {', '.join(required)}")
        return report
    for line, row in enumerate(reader, start=2):
        report.read += 1
        try:
            entry = _document_row(list_id, row) if documents else _person_row(list_id, row)
            report.entries.append(entry)
        except ValueError as exc:
            report.problem(f"line {line}", str(exc))
    return report


def entry_from_json(data: dict[str, Any]) -> WatchlistEntry:
    """The inverse of ``to_jsonable`` for a ``WatchlistEntry``."""
    names = tuple(ListedName(**n) for n in data.get("names") or ())
    docs = tuple(ListedDocument(**d) for d in data.get("documents") or ())
    listed_on = data.get("listed_on")
    return WatchlistEntry(
        source=str(data["source"]),
        entry_id=str(data["entry_id"]),
        kind=str(data.get("kind") or "person"),
        names=names,
        gender=data.get("gender"),
        dates_of_birth=_dates(data.get("dates_of_birth") or ()),
        places_of_birth=tuple(data.get("places_of_birth") or ()),
        nationalities=tuple(data.get("nationalities") or ()),
        documents=docs,
        listed_on=date.fromisoformat(listed_on) if listed_on else None,
        reason=data.get("reason"),
    )


def read_jsonl(source: Path | str, list_id: str | None = None) -> ImportReport:
    """Read JSON lines of ``to_jsonable(WatchlistEntry)``; bad lines skipped and reported."""
    report = ImportReport(source=list_id or "jsonl")
    try:
        text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    except (OSError, UnicodeDecodeError) as exc:
        report.problem("file", f"unreadable: {exc}")
        return report
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        report.read += 1
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            entry = entry_from_json(data)
            if entry.kind == "entity":
                report.skipped_entities += 1
                continue
            report.entries.append(entry)
        except (ValueError, TypeError, KeyError) as exc:
            report.problem(f"line {line_no}", f"{type(exc).__name__}: {exc}")
    return report


def write_jsonl(entries: Iterable[WatchlistEntry]) -> str:
    """JSON lines text of ``entries`` (one ``to_jsonable`` object per line)."""
    return "".join(json.dumps(to_jsonable(e), ensure_ascii=False) + "\n" for e in entries)

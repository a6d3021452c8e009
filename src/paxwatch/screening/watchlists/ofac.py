"""OFAC Specially Designated Nationals list: ``sdn.csv`` and ``sdn.xml``.

CSV (no header): ent_num, name, type, program, title, call sign, vessel type, tonnage, GRT,
vessel flag, vessel owner, remarks; ``-0-`` means empty. Only rows of type ``individual``
are persons. Everything else about a person is inside the remarks, ``;``-separated:

* ``a.k.a. 'LAST, First'`` -> alias of quality "strong"; ``f.k.a.`` / ``n.k.a.`` (former or
  new names) -> quality "weak" (the CSV has no other quality mark; the XML has
  ``<category>strong|weak</category>`` and that is used there);
* ``DOB 03 Jun 1962``, ``DOB Jun 1962``, ``DOB 1964``, ``DOB circa 1970``, ``DOB 1964 to
  1966``, ``alt. DOB ...`` -> partial dates (a range gives each of its years);
* ``nationality X`` and ``citizen X`` -> ISO alpha-3; ``Gender Male|Female``;
* ``Passport X (Country)`` / ``National ID No. X (Country)`` -> documents.

Names ``LAST, First`` are stored as ``First LAST`` with surname and given names kept apart.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from lxml import etree

from paxwatch.model.watchlist import ListedDocument, ListedName, PartialDate, WatchlistEntry
from paxwatch.screening.watchlists.common import (
    ImportReport,
    clean,
    country_code,
    gender_code,
    parse_partial_date,
    year_range,
)
from paxwatch.screening.watchlists.scripts import script_of

SOURCE = "ofac"
_EMPTY = "-0-"
_ALIAS = re.compile(r"\b([afn])\.k\.a\.\s+'(.+?)'(?=\s*;|\s*\.?\s*$)")
_DOB = re.compile(r"\bDOB\s+([^;]+)")
_NATIONALITY = re.compile(r"\b(?:nationality|citizen)\s+([^;]+)")
_GENDER = re.compile(r"\bGender\s+(Male|Female)")
_DOCUMENT = re.compile(
    r"\b(Passport|National ID No\.|Cedula No\.|Identification Number)\s+"
    r"([A-Z0-9][A-Z0-9 ./-]*?)\s*(?:\(([^)]*)\))?\s*(?=;|issued|expires|\.?\s*$)"
)
_DOC_TYPES = {"Passport": "P", "National ID No.": "I", "Cedula No.": "I"}


def _split_name(name: str) -> ListedName:
    """``LAST, First`` -> First LAST with surname/given names; other layouts as they are."""
    if "," in name:
        last, _, first = name.partition(",")
        last, first = last.strip(), first.strip()
        full = f"{first} {last}".strip()
        return ListedName(
            full_name=full,
            surname=last or None,
            given_names=first or None,
            script=script_of(full),
        )
    return ListedName(full_name=name.strip(), script=script_of(name))


def parse_dob(text: str) -> list[PartialDate]:
    """One OFAC DOB value: exact, month-year, year, ``circa`` year, or a ``to`` range."""
    text = text.strip().rstrip(".").replace("circa", "").strip()
    if " to " in text:
        start, _, end = text.partition(" to ")
        a, b = parse_partial_date(start), parse_partial_date(end)
        if a and b and a.year and b.year:
            return list(year_range(a.year, b.year))
        return []
    parsed = parse_partial_date(text)
    return [parsed] if parsed else []


def parse_remarks(remarks: str) -> dict[str, list[object]]:
    """Aliases, dates of birth, nationalities, gender and documents from a remarks field."""
    aliases: list[object] = []
    for kind, alias in _ALIAS.findall(remarks):
        base = _split_name(alias)
        quality = "strong" if kind == "a" else "weak"
        aliases.append(
            ListedName(
                full_name=base.full_name,
                surname=base.surname,
                given_names=base.given_names,
                script=base.script,
                kind="alias",
                quality=quality,
            )
        )
    dobs: list[object] = []
    for value in _DOB.findall(remarks):
        dobs.extend(parse_dob(value))
    nats = [c for v in _NATIONALITY.findall(remarks) if (c := country_code(v))]
    docs: list[object] = [
        ListedDocument(
            type=_DOC_TYPES.get(kind, "ID"),
            number=number.strip(" ."),
            issuing_country=country_code(country) if country else None,
        )
        for kind, number, country in _DOCUMENT.findall(remarks)
    ]
    gender = [gender_code(g) for g in _GENDER.findall(remarks)]
    return {
        "aliases": aliases,
        "dobs": list(dict.fromkeys(dobs)),
        "nationalities": list(dict.fromkeys(nats)),
        "documents": docs,
        "gender": [g for g in gender if g],
    }


def _csv_entry(row: list[str]) -> WatchlistEntry:
    if len(row) < 12:
        raise ValueError(f"{len(row)} columns instead of 12")
    ent_num, name = row[0].strip(), row[1].strip()
    if not ent_num.isdigit() or not name or name == _EMPTY:
        raise ValueError("no entry number or no name")
    remarks = "" if row[11].strip() == _EMPTY else row[11]
    parsed = parse_remarks(remarks)
    primary = _split_name(name)
    return WatchlistEntry(
        source=SOURCE,
        entry_id=ent_num,
        kind="person",
        names=(primary, *parsed["aliases"]),  # type: ignore[arg-type]
        gender=parsed["gender"][0] if parsed["gender"] else None,  # type: ignore[arg-type]
        dates_of_birth=tuple(parsed["dobs"]),  # type: ignore[arg-type]
        nationalities=tuple(parsed["nationalities"]),  # type: ignore[arg-type]
        documents=tuple(parsed["documents"]),  # type: ignore[arg-type]
        reason=clean(row[3]) if row[3].strip() != _EMPTY else None,
    )


def read_ofac_csv(source: Path | str) -> ImportReport:
    """Read ``sdn.csv`` (a path, or its text). Non-individuals are counted and skipped."""
    report = ImportReport(source=SOURCE)
    try:
        text = (
            source.read_text(encoding="utf-8", errors="replace")
            if isinstance(source, Path)
            else source
        )
    except OSError as exc:
        report.problem("file", f"unreadable: {exc}")
        return report
    for row in csv.reader(io.StringIO(text)):
        if not row or not "".join(row).strip() or row[0].startswith("\x1a"):
            continue
        report.read += 1
        if len(row) > 2 and row[2].strip().lower() != "individual":
            report.skipped_entities += 1
            continue
        try:
            report.entries.append(_csv_entry(row))
        except (ValueError, IndexError) as exc:
            report.problem(row[0] if row else f"#{report.read}", str(exc))
    return report


def _local(root: etree._Element) -> None:
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]


def _x(el: etree._Element, path: str) -> str | None:
    found = el.find(path)
    return clean(found.text) if found is not None else None


def _xml_name(el: etree._Element, kind: str, quality: str | None) -> ListedName | None:
    last, first = _x(el, "lastName"), _x(el, "firstName")
    full = " ".join(p for p in (first, last) if p)
    if not full:
        return None
    return ListedName(
        full_name=full,
        surname=last,
        given_names=first,
        script=script_of(full),
        kind=kind,
        quality=quality,
    )


def _xml_entry(sdn: etree._Element) -> WatchlistEntry:
    uid = _x(sdn, "uid")
    primary = _xml_name(sdn, "primary", None)
    if not uid or primary is None:
        raise ValueError("no uid or no name")
    names = [primary]
    for aka in sdn.iterfind("akaList/aka"):
        category = (_x(aka, "category") or "strong").lower()
        if alias := _xml_name(aka, "alias", "weak" if category == "weak" else "strong"):
            names.append(alias)
    dobs: list[PartialDate] = []
    for item in sdn.iterfind("dateOfBirthList/dateOfBirthItem"):
        dobs.extend(parse_dob(_x(item, "dateOfBirth") or ""))
    nats = [
        c
        for path in ("nationalityList/nationality", "citizenshipList/citizenship")
        for n in sdn.iterfind(path)
        if (c := country_code(_x(n, "country")))
    ]
    docs = []
    gender = None
    for ident in sdn.iterfind("idList/id"):
        id_type, number = _x(ident, "idType") or "", _x(ident, "idNumber")
        if id_type == "Gender":
            gender = gender_code(number)
        elif number and id_type in _DOC_TYPES:
            docs.append(
                ListedDocument(
                    type=_DOC_TYPES[id_type],
                    number=number,
                    issuing_country=country_code(_x(ident, "idCountry")),
                )
            )
    programs = [p.text for p in sdn.iterfind("programList/program") if p.text]
    return WatchlistEntry(
        source=SOURCE,
        entry_id=uid,
        kind="person",
        names=tuple(names),
        gender=gender,
        dates_of_birth=tuple(dict.fromkeys(dobs)),
        nationalities=tuple(dict.fromkeys(nats)),
        documents=tuple(docs),
        reason=", ".join(programs) or None,
    )


def read_ofac_xml(source: Path | bytes) -> ImportReport:
    """Read ``sdn.xml`` (``sdnList``/``sdnEntry``, any namespace). Non-individuals skipped."""
    report = ImportReport(source=SOURCE)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        data = source.read_bytes() if isinstance(source, Path) else source
        root = etree.fromstring(data, parser)
    except (OSError, etree.XMLSyntaxError) as exc:
        report.problem("file", f"unreadable: {exc}")
        return report
    _local(root)
    for sdn in root.iter("sdnEntry"):
        report.read += 1
        if (_x(sdn, "sdnType") or "").lower() != "individual":
            report.skipped_entities += 1
            continue
        try:
            report.entries.append(_xml_entry(sdn))
        except ValueError as exc:
            report.problem(_x(sdn, "uid") or f"#{report.read}", str(exc))
    return report

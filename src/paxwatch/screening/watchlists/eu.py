"""EU consolidated financial-sanctions list: XML (``eu_fsf_schema_1_1.xsd``) and CSV.

XML: ``export/sanctionEntity`` with ``subjectType@classificationCode`` P (person) or E
(enterprise, skipped and counted); ``nameAlias`` (wholeName or first/middle/lastName,
``strong="true|false"``, gender, nameLanguage); ``citizenship@countryIso2Code``;
``birthdate`` (``birthdate`` full, else ``year``/``monthOfYear``/``dayOfMonth``, else
``yearRangeFrom``/``yearRangeTo``); ``identification`` (number, identificationTypeCode,
countryIso2Code). The first name alias is the primary name.

CSV (``;``-separated, one row per detail, header names as the EU publishes them):
``Entity_LogicalId``, ``Entity_SubjectType_ClassificationCode``, ``NameAlias_WholeName``,
``NameAlias_FirstName``, ``NameAlias_MiddleName``, ``NameAlias_LastName``,
``NameAlias_Gender``, ``Citizenship_CountryIso2Code``, ``BirthDate_BirthDate``,
``BirthDate_Year``, ``BirthDate_Month``, ``BirthDate_Day``, ``Identification_Number``,
``Identification_TypeCode``, ``Identification_CountryIso2Code``. Rows of one logical id
are merged.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from lxml import etree

from paxwatch.model.watchlist import ListedDocument, ListedName, PartialDate, WatchlistEntry
from paxwatch.screening.watchlists.common import (
    ImportReport,
    clean,
    country_code,
    gender_code,
    parse_partial_date,
    valid_partial,
    year_range,
)
from paxwatch.screening.watchlists.scripts import script_of

SOURCE = "eu"


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def _birth(
    full: str | None,
    year: str | None,
    month: str | None,
    day: str | None,
    start: str | None = None,
    end: str | None = None,
) -> list[PartialDate]:
    if full and (parsed := parse_partial_date(full[:10])):
        return [parsed]
    if (y := _int(year)) and (parsed := valid_partial(y, _int(month), _int(day))):
        return [parsed]
    if (a := _int(start)) and (b := _int(end)):
        return list(year_range(a, b))
    return []


def _name(
    whole: str | None,
    first: str | None,
    middle: str | None,
    last: str | None,
    primary: bool,
    strong: bool,
) -> ListedName | None:
    given = " ".join(p for p in (first, middle) if p) or None
    full = clean(whole) or clean(" ".join(p for p in (given, last) if p))
    if not full:
        return None
    return ListedName(
        full_name=full,
        surname=clean(last),
        given_names=clean(given),
        script=script_of(full),
        kind="primary" if primary else "alias",
        quality=None if primary else ("strong" if strong else "weak"),
    )


def _xml_entity(el: etree._Element) -> WatchlistEntry:
    logical = el.get("logicalId")
    if not logical:
        raise ValueError("no logicalId")
    names: list[ListedName] = []
    gender = None
    for alias in el.iterfind("nameAlias"):
        name = _name(
            alias.get("wholeName"),
            alias.get("firstName"),
            alias.get("middleName"),
            alias.get("lastName"),
            not names,
            alias.get("strong", "true") == "true",
        )
        if name:
            names.append(name)
        gender = gender or gender_code(alias.get("gender"))
    if not names:
        raise ValueError("no name")
    dobs: list[PartialDate] = []
    for b in el.iterfind("birthdate"):
        dobs += _birth(
            b.get("birthdate"),
            b.get("year"),
            b.get("monthOfYear"),
            b.get("dayOfMonth"),
            b.get("yearRangeFrom"),
            b.get("yearRangeTo"),
        )
    docs = [
        ListedDocument(
            type="P" if "passport" in (i.get("identificationTypeCode") or "").lower() else "ID",
            number=number,
            issuing_country=country_code(i.get("countryIso2Code")),
        )
        for i in el.iterfind("identification")
        if (number := clean(i.get("number") or i.get("latinNumber")))
    ]
    nats = [c for n in el.iterfind("citizenship") if (c := country_code(n.get("countryIso2Code")))]
    return WatchlistEntry(
        source=SOURCE,
        entry_id=el.get("euReferenceNumber") or logical,
        kind="person",
        names=tuple(names),
        gender=gender,
        dates_of_birth=tuple(dict.fromkeys(dobs)),
        nationalities=tuple(dict.fromkeys(nats)),
        documents=tuple(docs),
        reason=el.get("designationDetails"),
    )


def read_eu_xml(source: Path | bytes) -> ImportReport:
    """Read the EU XML export; enterprises skipped and counted, bad records reported."""
    report = ImportReport(source=SOURCE)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(source.read_bytes() if isinstance(source, Path) else source, parser)
    except (OSError, etree.XMLSyntaxError) as exc:
        report.problem("file", f"unreadable: {exc}")
        return report
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    for entity in root.iterfind("sanctionEntity"):
        report.read += 1
        subject_type = entity.find("subjectType")
        if subject_type is None or subject_type.get("classificationCode") != "P":
            report.skipped_entities += 1
            continue
        try:
            report.entries.append(_xml_entity(entity))
        except ValueError as exc:
            report.problem(entity.get("logicalId") or f"#{report.read}", str(exc))
    return report


def read_eu_csv(source: Path | str) -> ImportReport:
    """Read the EU CSV export (rows of one ``Entity_LogicalId`` merged into one entry)."""
    report = ImportReport(source=SOURCE)
    try:
        text = source.read_text(encoding="utf-8-sig") if isinstance(source, Path) else source
    except (OSError, UnicodeDecodeError) as exc:
        report.problem("file", f"unreadable: {exc}")
        return report
    groups: dict[str, list[dict[str, str]]] = {}
    for row in csv.DictReader(io.StringIO(text), delimiter=";"):
        logical = (row.get("Entity_LogicalId") or "").strip()
        if not logical:
            report.problem(f"line {len(groups) + 2}", "no Entity_LogicalId")
            continue
        groups.setdefault(logical, []).append(row)
    for logical, rows in groups.items():
        report.read += 1
        if rows[0].get("Entity_SubjectType_ClassificationCode", "P").strip() != "P":
            report.skipped_entities += 1
            continue
        names: list[ListedName] = []
        dobs: list[PartialDate] = []
        docs: list[ListedDocument] = []
        nats: list[str] = []
        gender = None
        for r in rows:
            name = _name(
                r.get("NameAlias_WholeName"),
                r.get("NameAlias_FirstName"),
                r.get("NameAlias_MiddleName"),
                r.get("NameAlias_LastName"),
                not names,
                True,
            )
            if name and name.full_name not in (n.full_name for n in names):
                names.append(name)
            gender = gender or gender_code(r.get("NameAlias_Gender"))
            dobs += _birth(
                r.get("BirthDate_BirthDate"),
                r.get("BirthDate_Year"),
                r.get("BirthDate_Month"),
                r.get("BirthDate_Day"),
            )
            if c := country_code(r.get("Citizenship_CountryIso2Code")):
                nats.append(c)
            if number := clean(r.get("Identification_Number")):
                kind = (r.get("Identification_TypeCode") or "").lower()
                docs.append(
                    ListedDocument(
                        type="P" if "passport" in kind else "ID",
                        number=number,
                        issuing_country=country_code(r.get("Identification_CountryIso2Code")),
                    )
                )
        if not names:
            report.problem(logical, "no name")
            continue
        report.entries.append(
            WatchlistEntry(
                source=SOURCE,
                entry_id=logical,
                kind="person",
                names=tuple(names),
                gender=gender,
                dates_of_birth=tuple(dict.fromkeys(dobs)),
                nationalities=tuple(dict.fromkeys(nats)),
                documents=tuple(dict.fromkeys(docs)),
            )
        )
    return report

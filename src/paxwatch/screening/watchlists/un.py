"""UN Security Council consolidated list (XML, ``sc-sanctions.xsd``).

Per ``INDIVIDUAL``: FIRST..FOURTH_NAME joined as the primary name (the UN does not say which
part is the surname); ``NAME_ORIGINAL_SCRIPT`` as a strong alias in its script;
``INDIVIDUAL_ALIAS`` with QUALITY Good -> "strong", Low -> "weak"; dates of birth from
``DATE`` (EXACT), ``YEAR`` (EXACT or APPROXIMATELY) and ``FROM_YEAR``/``TO_YEAR`` (BETWEEN:
every year of the range); NATIONALITY values as ISO alpha-3; INDIVIDUAL_DOCUMENT numbers.
Entities are counted and skipped; a record that cannot be read is skipped and reported.
"""

from __future__ import annotations

from datetime import date
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

SOURCE = "un"
_QUALITY = {"GOOD": "strong", "LOW": "weak", "A.K.A.": "strong", "F.K.A.": "weak"}


def _text(el: etree._Element, tag: str) -> str | None:
    child = el.find(tag)
    return clean(child.text) if child is not None else None


def _dates(ind: etree._Element) -> list[PartialDate]:
    out: list[PartialDate] = []
    for dob in ind.iter("INDIVIDUAL_DATE_OF_BIRTH"):
        if (value := _text(dob, "DATE")) and (parsed := parse_partial_date(value[:10])):
            out.append(parsed)
        elif (year := _text(dob, "YEAR")) and year.isdigit():
            if parsed := valid_partial(int(year), None, None):
                out.append(parsed)
        else:
            start, end = _text(dob, "FROM_YEAR"), _text(dob, "TO_YEAR")
            if start and end and start.isdigit() and end.isdigit():
                out.extend(year_range(int(start), int(end)))
    return list(dict.fromkeys(out))


def _documents(ind: etree._Element) -> list[ListedDocument]:
    out: list[ListedDocument] = []
    for doc in ind.iter("INDIVIDUAL_DOCUMENT"):
        number = _text(doc, "NUMBER")
        if not number:
            continue
        kind = (_text(doc, "TYPE_OF_DOCUMENT") or "").lower()
        doc_type = "P" if "pas" in kind else "I" if "ident" in kind else (kind or None)
        country = _text(doc, "ISSUING_COUNTRY") or _text(doc, "COUNTRY_OF_ISSUE")
        out.append(
            ListedDocument(
                type=doc_type,
                number=number,
                issuing_country=country_code(country),
                note=_text(doc, "NOTE"),
            )
        )
    return out


def _names(ind: etree._Element) -> list[ListedName]:
    parts = [_text(ind, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    primary = " ".join(p for p in parts if p)
    names = [ListedName(full_name=primary, script="Latn", kind="primary")] if primary else []
    if original := _text(ind, "NAME_ORIGINAL_SCRIPT"):
        names.append(
            ListedName(
                full_name=original, script=script_of(original), kind="alias", quality="strong"
            )
        )
    for alias in ind.iter("INDIVIDUAL_ALIAS"):
        if alias_name := _text(alias, "ALIAS_NAME"):
            quality = _QUALITY.get((_text(alias, "QUALITY") or "").upper())
            names.append(
                ListedName(
                    full_name=alias_name,
                    script=script_of(alias_name),
                    kind="alias",
                    quality=quality,
                )
            )
    return names


def _entry(ind: etree._Element) -> WatchlistEntry:
    ref = _text(ind, "REFERENCE_NUMBER") or _text(ind, "DATAID")
    if not ref:
        raise ValueError("no REFERENCE_NUMBER nor DATAID")
    names = _names(ind)
    if not names:
        raise ValueError("no name")
    nationality = ind.find("NATIONALITY")
    nationalities = (
        [c for v in nationality.iter("VALUE") if (c := country_code(v.text))]
        if nationality is not None
        else []
    )
    places = []
    for pob in ind.iter("INDIVIDUAL_PLACE_OF_BIRTH"):
        place = ", ".join(p for t in ("CITY", "STATE_PROVINCE", "COUNTRY") if (p := _text(pob, t)))
        if place:
            places.append(place)
    listed = _text(ind, "LISTED_ON")
    return WatchlistEntry(
        source=SOURCE,
        entry_id=ref,
        kind="person",
        names=tuple(names),
        gender=gender_code(_text(ind, "GENDER")),
        dates_of_birth=tuple(_dates(ind)),
        places_of_birth=tuple(places),
        nationalities=tuple(dict.fromkeys(nationalities)),
        documents=tuple(_documents(ind)),
        listed_on=date.fromisoformat(listed[:10]) if listed and len(listed) >= 10 else None,
        reason=clean(f"{_text(ind, 'UN_LIST_TYPE') or ''} {ref}"),
    )


def read_un_xml(source: Path | bytes) -> ImportReport:
    """Read a UN consolidated list; entities skipped and counted, bad records reported."""
    report = ImportReport(source=SOURCE)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        data = source.read_bytes() if isinstance(source, Path) else source
        root = etree.fromstring(data, parser)
    except (OSError, etree.XMLSyntaxError) as exc:
        report.problem("file", f"unreadable: {exc}")
        return report
    for ind in root.iter("INDIVIDUAL"):
        report.read += 1
        try:
            report.entries.append(_entry(ind))
        except (ValueError, TypeError) as exc:
            report.problem(_text(ind, "DATAID") or f"#{report.read}", str(exc))
    report.skipped_entities = sum(1 for _ in root.iter("ENTITY"))
    report.read += report.skipped_entities
    return report

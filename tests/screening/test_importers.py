"""Importers: fixtures for EU, OFAC XML and national formats; the real UN and OFAC lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from paxwatch.model.watchlist import ListedDocument, ListedName, PartialDate, WatchlistEntry
from paxwatch.screening.watchlists.common import country_code, parse_partial_date
from paxwatch.screening.watchlists.diff import diff_lists
from paxwatch.screening.watchlists.eu import read_eu_csv, read_eu_xml
from paxwatch.screening.watchlists.national import read_jsonl, read_national_csv, write_jsonl
from paxwatch.screening.watchlists.ofac import parse_dob, read_ofac_csv, read_ofac_xml
from paxwatch.screening.watchlists.registry import ListSource, ListType, OffenceCategory
from paxwatch.screening.watchlists.un import read_un_xml
from tests.conftest import FIXTURES

WL = FIXTURES / "watchlists"


def test_eu_xml_fixture() -> None:
    report = read_eu_xml(WL / "eu_sample.xml")
    assert (report.read, report.imported, report.skipped_entities, report.skipped_invalid) == (
        4,
        2,
        1,
        1,
    )
    zawahiri, petrov = report.entries
    assert zawahiri.entry_id == "EU.27.28"
    assert zawahiri.names[0].kind == "primary"
    assert [n.quality for n in zawahiri.names[1:]] == ["strong", "weak", "strong"]
    assert zawahiri.names[3].script == "Arab"
    assert zawahiri.nationalities == ("EGY",)
    assert zawahiri.dates_of_birth == (PartialDate(year=1951, month=6, day=19),)
    assert zawahiri.documents[0] == ListedDocument(
        type="P", number="1084010", issuing_country="EGY"
    )
    assert [d.year for d in petrov.dates_of_birth] == [1970, 1971, 1972]


def test_eu_xml_fixture_follows_the_schema(shared_data: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(shared_data / "watchlists" / "eu_fsf_schema_1_1.xsd")))
    schema.assertValid(etree.parse(str(WL / "eu_sample.xml")))


def test_eu_csv_fixture() -> None:
    report = read_eu_csv(WL / "eu_sample.csv")
    assert report.imported == 1 and report.skipped_entities == 1 and len(report.problems) == 1
    entry = report.entries[0]
    assert [n.full_name for n in entry.names] == ["Aiman Al-Zawahiri", "Ayman Al-Zawahry"]
    assert entry.documents[0].issuing_country == "EGY"


def test_ofac_xml_fixture() -> None:
    report = read_ofac_xml(WL / "ofac_sample.xml")
    assert (report.read, report.imported, report.skipped_entities, report.skipped_invalid) == (
        3,
        1,
        1,
        1,
    )
    entry = report.entries[0]
    assert [(n.full_name, n.quality) for n in entry.names] == [
        ("Ayman AL ZAWAHIRI", None),
        ("Aiman AL-ZAWAHRY", "strong"),
        ("THE DOCTOR", "weak"),
    ]
    assert entry.gender == "M" and entry.nationalities == ("EGY",)
    assert entry.dates_of_birth == (PartialDate(year=1951, month=6, day=19), PartialDate(year=1950))


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("03 Jun 1962", [(1962, 6, 3)]),
        ("1964", [(1964, None, None)]),
        ("circa 1970", [(1970, None, None)]),
        ("Jun 1962", [(1962, 6, None)]),
        ("1964 to 1965", [(1964, None, None), (1965, None, None)]),
        ("nonsense", []),
    ],
)
def test_ofac_dob(text: str, years: list[tuple[int, int | None, int | None]]) -> None:
    assert [(d.year, d.month, d.day) for d in parse_dob(text)] == years


def test_ofac_csv_rows_and_bad_rows() -> None:
    text = (
        '1,"DOE, John","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        '"DOB 1964; alt. DOB 1965; nationality Korea, North; Passport A12345 (Egypt); '
        "a.k.a. 'DOE, Jon'; f.k.a. 'ROE, Johnny'.\"\n"
        '2,"ACME",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
        '3,"SHORT","individual"\n'
    )
    report = read_ofac_csv(text)
    assert report.imported == 1 and report.skipped_entities == 1 and report.skipped_invalid == 1
    entry = report.entries[0]
    assert [(n.full_name, n.quality) for n in entry.names] == [
        ("John DOE", None),
        ("Jon DOE", "strong"),
        ("Johnny ROE", "weak"),
    ]
    assert [d.year for d in entry.dates_of_birth] == [1964, 1965]
    assert entry.nationalities == ("PRK",)
    assert entry.documents == (ListedDocument(type="P", number="A12345", issuing_country="EGY"),)


def test_national_csv_persons_and_documents() -> None:
    persons = read_national_csv(WL / "national_persons.csv", "fr-fpr")
    assert [e.entry_id for e in persons.entries] == ["N-1", "N-2"]
    assert persons.skipped_invalid == 2
    assert persons.entries[0].documents[0].issuing_country == "FRA"
    assert persons.entries[1].dates_of_birth == (PartialDate(year=1988),)
    docs = read_national_csv(WL / "national_documents.csv", "fr-sltd", documents=True)
    assert [e.kind for e in docs.entries] == ["document", "document"]
    assert docs.skipped_invalid == 1


def test_jsonl_round_trip_and_bad_lines() -> None:
    entry = WatchlistEntry(
        source="synth",
        entry_id="S-1",
        names=(ListedName(full_name="Jane ROE", surname="ROE", given_names="Jane"),),
        dates_of_birth=(PartialDate(year=1980, month=2),),
        listed_on=date(2024, 1, 2),
    )
    text = write_jsonl([entry]) + "not json\n[1]\n"
    report = read_jsonl(text, "synth")
    assert report.entries == [entry]
    assert report.skipped_invalid == 2


def test_registry_needs_legal_fields() -> None:
    bare = ListSource(id="x", name="X")
    assert not bare.can_activate() and len(bare.activation_problems()) == 4
    full = ListSource(
        id="un",
        name="UN consolidated",
        type=ListType.PERSONS_UNDER_ALERT,
        owner="UN Security Council",
        legal_basis="UNSCR 1267",
        offence_category=OffenceCategory.TERRORISM,
    )
    assert full.can_activate()


def test_diff() -> None:
    a = WatchlistEntry(source="s", entry_id="1", names=(ListedName(full_name="A B"),))
    b = WatchlistEntry(source="s", entry_id="2", names=(ListedName(full_name="C D"),))
    b2 = WatchlistEntry(source="s", entry_id="2", names=(ListedName(full_name="C E"),))
    c = WatchlistEntry(source="s", entry_id="3")
    diff = diff_lists([a, b], [b2, c])
    assert diff.added == (c,) and diff.removed == (a,) and diff.changed == ((b, b2),)
    assert diff.to_rescreen == (c, b2)


def test_helpers() -> None:
    assert country_code("Democratic People's Republic of Korea") == "PRK"
    assert country_code("Kosovo") == "XKX"
    assert country_code("FR") == "FRA"
    assert country_code("Atlantis") is None
    assert parse_partial_date("1975-13-40") is None


def test_garbage_never_raises() -> None:
    assert read_un_xml(b"<not xml").skipped_invalid == 1
    assert read_ofac_xml(b"").skipped_invalid == 1
    assert read_eu_xml(Path("/nonexistent.xml")).skipped_invalid == 1


@pytest.mark.shared_data
def test_real_un(shared_data: Path) -> None:
    report = read_un_xml(shared_data / "watchlists" / "un_consolidated_2018-10-29.xml")
    assert report.imported == 703 and report.skipped_entities > 0 and not report.problems
    ri = next(e for e in report.entries if e.entry_id == "KPi.033")
    assert ri.nationalities == ("PRK",) and ri.documents[0].number == "381310014"
    assert {n.quality for e in report.entries for n in e.names if n.kind == "alias"} >= {
        "strong",
        "weak",
    }


@pytest.mark.shared_data
def test_real_ofac(shared_data: Path) -> None:
    report = read_ofac_csv(shared_data / "watchlists" / "ofac_sdn_2024-05-03.csv")
    assert report.imported > 6000 and report.skipped_entities > 6000 and not report.problems
    zawahiri = next(e for e in report.entries if e.entry_id == "2676")
    assert zawahiri.dates_of_birth == (PartialDate(year=1951, month=6, day=19),)
    assert zawahiri.documents[0] == ListedDocument(
        type="P", number="1084010", issuing_country="EGY"
    )

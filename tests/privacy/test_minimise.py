"""Minimisation: the Annex I allow-list and the sensitive-data filter (no database)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from paxwatch.model import (
    ApiMessage,
    HistoryEntry,
    NonAirSegment,
    PnrMessage,
    Remark,
    SpecialService,
)
from paxwatch.privacy import Deletion, load_config, minimise, minimise_message, redact_raw
from tests.store.factory import api, api_traveller, booking, pnr


def _one(message: PnrMessage) -> tuple[PnrMessage, dict[tuple[str, str], int]]:
    out, deletions = minimise(message)
    assert isinstance(out, PnrMessage)
    return out, {(d.category, d.element): d.count for d in deletions}


def test_sensitive_and_out_of_scope_ssrs() -> None:
    services = tuple(
        SpecialService(code=code, status="HK")
        for code in ("AVML", "KSML", "WCHR", "MEDA", "DBML", "OTHS", "UMNR", "FQTV", "XBAG")
    )
    out, counts = _one(pnr(booking("ABC123", services=services)))
    assert [s.code for s in out.bookings[0].special_services] == ["UMNR", "FQTV", "XBAG"]
    assert counts == {
        ("sensitive:religion", "ssr"): 2,
        ("sensitive:health", "ssr"): 3,
        ("out_of_scope:not_annex_i", "ssr"): 1,
    }


def test_allowed_ssr_with_sensitive_text_is_deleted() -> None:
    services = (SpecialService(code="CKIN", text="PAX USES WHEELCHAIR AT GATE"),)
    out, counts = _one(pnr(booking("ABC123", services=services)))
    assert out.bookings[0].special_services == ()
    assert counts == {("sensitive:health", "ssr"): 1}


def test_only_minor_remarks_and_other_annex_data_remain() -> None:
    remarks = (
        Remark(kind="OSI", text="THIS PASSENGER IS A VIP"),
        Remark(kind="OSI", text="UMNR 10 YRS SPEAKS FRENCH GUARDIAN MOTHER"),
        Remark(kind="OSI", text="UMNR PREGNANT ESCORT"),
        Remark(kind="IFT", text="PRAYS AT THE MOSQUE"),
        Remark(kind="EBD", text="GBP:40.00+4::N"),
    )
    out, counts = _one(pnr(booking("ABC123", remarks=remarks)))
    kept = [r.text for r in out.bookings[0].remarks]
    assert kept == ["UMNR 10 YRS SPEAKS FRENCH GUARDIAN MOTHER", "GBP:40.00+4::N"]
    assert counts == {
        ("out_of_scope:remark_not_minor", "remark"): 1,
        ("sensitive:health", "remark"): 1,
        ("sensitive:religion", "remark"): 1,
    }


def test_history_non_air_and_terms_across_categories() -> None:
    history = (
        HistoryEntry(element="ssr", text="SSR+KSML:HK:1:DL"),
        HistoryEntry(element="ssr", text="SSR+OTHS:HK:1:DL"),
        HistoryEntry(element="ssr", text="SSR+SEAT:HK:1:DL"),
        HistoryEntry(element="leg", text="TVL+LHR+JFK"),
        HistoryEntry(element="lts", text="member of the trade  union of pilots"),
        HistoryEntry(element="lts", text="gay couple"),
    )
    b = dataclasses.replace(
        booking("ABC123", history=history), non_air=(NonAirSegment(kind="hotel", raw="HTL"),)
    )
    out, counts = _one(pnr(b))
    assert [h.text for h in out.bookings[0].history] == ["SSR+SEAT:HK:1:DL", "TVL+LHR+JFK"]
    assert out.bookings[0].non_air == ()
    assert counts == {
        ("out_of_scope:not_air_itinerary", "non_air"): 1,
        ("out_of_scope:not_annex_i", "history"): 1,
        ("sensitive:religion", "history"): 1,
        ("sensitive:sexuality", "history"): 1,
        ("sensitive:union", "history"): 1,
    }


def test_names_are_never_filtered() -> None:
    from tests.store.factory import traveller

    message = pnr(booking("ABC123", traveller("GAY", "CHRISTIAN")))
    out, counts = _one(message)
    assert out == message and counts == {}


def test_api_fields_outside_item_18_are_dropped() -> None:
    t = dataclasses.replace(api_traveller("SMITH"), residence_country="GBR", birth_place="LEEDS")
    out, deletions = minimise(api(t))
    assert isinstance(out, ApiMessage)
    assert (out.travellers[0].residence_country, out.travellers[0].birth_place) == (None, None)
    assert deletions == [
        Deletion(category="out_of_scope:not_api_field", element="api_field", count=2)
    ]


def test_unchanged_message_is_returned_as_is() -> None:
    message = pnr(booking("ABC123"))
    assert minimise(message) == (message, [])


def test_deletions_carry_no_content() -> None:
    fields = {f.name for f in dataclasses.fields(Deletion)}
    assert fields == {"category", "element", "count"}


def test_override_file_replaces_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "minimise.toml"
    path.write_text('[sensitive_terms]\nhealth = ["FLUBBER"]\n', encoding="utf-8")
    monkeypatch.setenv("PAXWATCH_MINIMISE_CONFIG", str(path))
    config = load_config()
    assert config.text_category("has flubber") == "health"
    assert config.text_category("diabetic") is None  # the health list was replaced
    assert config.code_category("MOML") == "religion"  # other keys keep their defaults


def test_redact_raw_blanks_deleted_text_and_codes() -> None:
    data = b"SSR+MOML:HK:1:YY'IFT+4:28::DL+PAX IS DIABETIC'TIF+GAY+JOHN:A:1'"
    remarks = (Remark(kind="OSI", text="PAX IS DIABETIC"),)
    services = (SpecialService(code="MOML"),)
    result = minimise_message(pnr(booking("ABC123", remarks=remarks, services=services)))
    body, count = redact_raw(data, result.redactions, load_config())
    assert len(body) == len(data) and count == 2
    assert b"MOML" not in body and b"DIABETIC" not in body and b"TIF+GAY+JOHN" in body
    unread, n = redact_raw(b"SRC'LTS+halal meal'TIF+GAY+JOHN'NAD+FL+++GAY:JOHN'", (), load_config())
    assert unread == b"SRC'LTS+XXXXX meal'TIF+GAY+JOHN'NAD+FL+++GAY:JOHN'" and n == 1

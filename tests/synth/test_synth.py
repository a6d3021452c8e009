"""The synthetic day: readable messages, equal models, statistics, determinism."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from paxwatch.model.message import ParseResult
from paxwatch.synth.config import SynthConfig
from paxwatch.synth.day import Delivered, flight_messages, generate_day
from paxwatch.synth.flightgen import plan_flight
from paxwatch.synth.names import romanise
from paxwatch.synth.planting import plan_specials
from paxwatch.synth.population import ORIGINS
from paxwatch.synth.schedule import build_schedule
from paxwatch.synth.watchlist import VARIANT_KINDS, generate_watchlist
from tests.synth.helpers import model_differences

DAY = date(2026, 3, 1)
SMALL = SynthConfig(
    day=DAY,
    scale=0.002,
    seed=7,
    xml_share=0.3,
    deviation_share=0.3,
    broken_share=0.05,
    watchlist_size=200,
)


def _read(d: Delivered) -> ParseResult:
    if d.out.push == "API":
        from paxwatch.formats.paxlst import read_paxlst

        return read_paxlst(d.text)
    if d.out.syntax == "xml":
        from paxwatch.formats.pnrgov_xml import read_pnrgov_xml

        return read_pnrgov_xml(d.text)
    from paxwatch.formats.pnrgov import read_pnrgov

    return read_pnrgov(d.text)


@lru_cache(maxsize=2)
def _messages(config: SynthConfig) -> list[Delivered]:
    schedule = build_schedule(config)
    specials, _ = plan_specials(config, schedule, generate_watchlist(config))
    out: list[Delivered] = []
    for f in schedule:
        out += flight_messages(config, plan_flight(config, f, tuple(specials.get(f.index, ()))))
    return out


def test_every_message_reads_and_clean_ones_read_back_equal() -> None:
    messages = _messages(SMALL)
    assert any(d.broken for d in messages) and any(d.deviations for d in messages)
    checked = 0
    for d in messages:
        result = _read(d)
        errors = [f for f in result.findings if f.severity.value == "error"]
        if d.broken:
            continue
        assert not errors, (d.filename, d.deviations, errors[:3])
        if d.deviations:
            continue
        assert len(result.messages) == 1, d.filename
        diffs = model_differences(d.out.model, result.messages[0])
        assert not diffs, (d.filename, diffs[:5])
        checked += 1
    assert checked > 20


@pytest.fixture(scope="module")
def day_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate_day(SMALL, out)
    return out / DAY.isoformat()


def _truth(day_dir: Path) -> list[dict[str, Any]]:
    lines = (day_dir / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_population_statistics_match_the_configuration(day_dir: Path) -> None:
    truth = _truth(day_dir)
    travellers = [r for r in truth if r["type"] == "traveller" and not r["cancelled"]]
    bookings = [r for r in truth if r["type"] == "booking" and r["cancelled_at"] is None]
    assert len(travellers) > 500
    origins = Counter(r["origin"] for r in travellers)
    total_w = sum(o.weight for o in ORIGINS)
    fr_share = origins["fr"] / len(travellers)
    assert 0.5 * 44 / total_w < fr_share < 1.6 * 44 / total_w + 0.1
    assert len(origins) >= 15  # many origins and scripts on a small day already
    kinds = Counter(r["kind"] for r in bookings)
    for kind, share in SMALL.booking_mix:
        assert kind in kinds or share < 0.05
    sizes = Counter(r["size"] for r in bookings)
    assert sizes[1] > sizes[2] > 0 and any(s >= 3 for s in sizes)
    leads = [r["lead_hours"] for r in bookings]
    assert min(leads) < 24 and max(leads) > 24 * 60  # hours to months
    messages = [r for r in truth if r["type"] == "message"]
    deviated = sum(1 for m in messages if m["deviations"] and not m["broken"])
    assert 0.15 < deviated / len(messages) < 0.45  # configured 0.3
    plants = [r for r in truth if r["type"] == "traveller" and r["role"] == "plant"]
    labels = {v for r in plants for v in r["variants"]}
    assert set(VARIANT_KINDS) - {"given_reordered"} <= labels
    assert any(r["role"] == "decoy" for r in travellers)
    assert any(r["type"] == "network" for r in truth)
    for r in travellers:
        assert r["native_name"] and r["script"]


def test_several_romanisations_of_the_same_native_name() -> None:
    spelled = {romanise("محمد", "Arab", s) for s in ("en", "en2", "fr", "icao")}
    assert {"MUHAMMAD", "MOHAMMAD", "MOHAMED", "MUHAMAD"} <= spelled
    assert {romanise("يوسف", "Arab", s) for s in ("en", "fr")} >= {"YUSUF", "YOUSSOUF"}
    assert romanise("عبد الرحمن", "Arab", "icao") == "ABD AL RAHMAN"
    assert romanise("عبد الرحمن", "Arab", "en2") == "ABDULRAHMAN"
    assert romanise("Юлия", "Cyrl", "icao") == "IULIIA"
    assert romanise("Юлия", "Cyrl", "bgn") == "YULIYA"


def test_population_holds_several_romanisations_of_one_native_name(day_dir: Path) -> None:
    spellings: dict[str, set[str]] = {}
    for r in _truth(day_dir):
        if r["type"] == "traveller" and r["script"] != "Latn":
            for native, booked in zip(
                r["native_given"], [r["booked"]["given_names"]], strict=False
            ):
                spellings.setdefault(native, set()).add(booked.split(" ")[0])
    assert any(len(v) >= 2 for v in spellings.values())


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    config = SynthConfig(day=DAY, scale=0.001, seed=11, watchlist_size=50)
    generate_day(config, tmp_path / "a")
    generate_day(
        SynthConfig(day=DAY, scale=0.001, seed=11, watchlist_size=50, workers=2), tmp_path / "b"
    )
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    generate_day(SynthConfig(day=DAY, scale=0.001, seed=12, watchlist_size=50), tmp_path / "c")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_watchlist_file_is_the_screening_format(day_dir: Path, tmp_path: Path) -> None:
    lines = (day_dir / "watchlist.jsonl").read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[0])
    assert {"source", "entry_id", "names", "dates_of_birth"} <= set(entry)
    # an existing watch list in the same format can be given instead
    config = SynthConfig(day=DAY, scale=0.001, seed=3, watchlist_size=10)
    stats = generate_day(config, tmp_path, watchlist=day_dir / "watchlist.jsonl")
    assert stats["role.plant"] >= 1


@pytest.mark.parametrize("year", [1939, 1949, 1959, 1990, 1991, 1999, 2000, 2009, 2019, 2025])
def test_dob_year_digit_changes_exactly_one_digit_of_the_year(year: int) -> None:
    import random

    from paxwatch.synth.watchlist import _year_digit

    rng = random.Random(year)
    born = date(year, 2, 29 if year % 4 == 0 else 28)
    for _ in range(200):
        typed = _year_digit(born, rng, DAY)
        apart = sum(a != b for a, b in zip(f"{typed.year:04d}", f"{year:04d}", strict=True))
        assert apart == 1, (year, typed.year)
        assert DAY.year - 95 <= typed.year <= DAY.year
        assert (typed.month, typed.day) == (2, min(born.day, 28))

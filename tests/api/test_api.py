"""The HTTP API end to end on SQLite and PostgreSQL: push, lookups, auth, problem details."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from paxwatch.api import ApiSettings, create_app
from paxwatch.api.settings import parse_tokens
from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.model import Flight, FlightLeg
from paxwatch.privacy.access import Role
from paxwatch.store.engine import Store
from tests.api.helpers import PUSH, login
from tests.store.factory import booking, pnr, traveller

PROBLEM = "application/problem+json"
READ: dict[str, str] = {}
"""The DPO's token (reads every record: no window), set by ``_dpo``."""


@pytest.fixture(autouse=True)
def _dpo(store: Store) -> None:
    READ.clear()
    READ.update(login(store, "dora", Role.DPO))


def _assert_problem(response: object, status: int) -> dict[str, object]:
    r = response
    assert r.status_code == status, r.text  # type: ignore[attr-defined]
    assert r.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]
    body: dict[str, object] = r.json()  # type: ignore[attr-defined]
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


def _pnr(locator: str, *names: str, phone: str = "+441234", reference: str = "R1") -> bytes:
    travellers = [traveller(n, ref=str(i)) for i, n in enumerate(names or ("SMITH",), 1)]
    return write_pnrgov(
        pnr(booking(locator, *travellers, phone=phone), reference=reference)
    ).encode()


def test_push_duplicate_and_booking_history(client: TestClient) -> None:
    data = _pnr("HTTP01", "SMITH")
    first = client.post("/api/v1/messages", content=data, headers=PUSH)
    assert first.status_code == 202, first.text
    ack = first.json()
    assert ack["status"] == "stored" and ack["bookings"] == 1 and ack["new_versions"] == 1
    assert ack["ack"] == hashlib.sha256(data).hexdigest()
    again = client.post("/api/v1/messages", content=data, headers=PUSH)
    assert again.status_code == 202
    assert again.json()["status"] == "duplicate" and again.json()["ack"] == ack["ack"]
    assert again.json()["raw_message_id"] == ack["raw_message_id"]
    changed = _pnr("HTTP01", "SMITH", phone="+449999", reference="R2")
    second = client.post(
        "/api/v1/messages",
        content=changed,
        headers={**PUSH, "Content-Type": "application/edifact", "Paxwatch-Name": "b.edi"},
    )
    assert second.json()["new_versions"] == 1

    found = client.get("/api/v1/bookings/http01", headers=READ)
    assert found.status_code == 200, found.text
    [b] = found.json()["bookings"]
    assert [v["version_no"] for v in b["versions"]] == [1, 2]
    assert b["current"]["version_no"] == 2 and b["current"]["content"]["locator"] == "HTTP01"
    assert any(c["path"] == "contacts[0].value" for c in b["versions"][1]["changes"])
    assert b["flights"][0]["status"] == "active"
    _assert_problem(client.get("/api/v1/bookings/NOPE00", headers=READ), 404)


def test_quarantine_empty_and_oversized(client: TestClient) -> None:
    bad = client.post("/api/v1/messages", content=b"not a message", headers=PUSH)
    assert bad.status_code == 202 and bad.json()["status"] == "quarantined"
    listed = client.get("/api/v1/quarantine", headers=READ)
    assert listed.status_code == 200
    page = listed.json()
    assert page["total"] == 1 and page["items"][0]["reason"] == "unknown-format"
    assert page["items"][0]["source"] == "http"
    body = _assert_problem(client.post("/api/v1/messages", content=b"", headers=PUSH), 400)
    assert body["type"] == "urn:paxwatch:problem:empty"
    big = b"X" * (64 * 1024 + 1)
    body = _assert_problem(client.post("/api/v1/messages", content=big, headers=PUSH), 413)
    assert body["type"] == "urn:paxwatch:problem:message-too-large"

    def chunks() -> object:
        for _ in range(100):
            yield b"Y" * 1024

    streamed = client.post("/api/v1/messages", content=chunks(), headers=PUSH)  # type: ignore[arg-type]
    _assert_problem(streamed, 413)


def test_flights_pagination_and_manifest(client: TestClient) -> None:
    dep = datetime(2026, 12, 12, 6)
    for i in range(5):
        fl = Flight(
            carrier="AF",
            number=str(100 + i),
            legs=(FlightLeg(origin="CDG", destination="JFK", departure=dep + timedelta(hours=i)),),
        )
        data = write_pnrgov(pnr(booking(f"PG{i:04d}", traveller("MARTIN")), fl=fl)).encode()
        assert client.post("/api/v1/messages", content=data, headers=PUSH).status_code == 202
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        r = client.get(
            "/api/v1/flights",
            params={"date": "2026-12-12", "limit": 2, "offset": offset},
            headers=READ,
        )
        assert r.status_code == 200, r.text
        page = r.json()
        assert page["total"] == 5 and len(page["items"]) <= 2
        seen += [f["key"] for f in page["items"]]
        offset = page["next_offset"]
    assert seen == [f"AF/{100 + i}/2026-12-12" for i in range(5)]
    other = client.get("/api/v1/flights", params={"date": "2026-12-13"}, headers=READ)
    assert other.json()["total"] == 0

    first = client.get("/api/v1/flights", params={"date": "2026-12-12"}, headers=READ)
    flight_id = first.json()["items"][0]["id"]
    manifest = client.get(f"/api/v1/flights/{flight_id}", headers=READ)
    assert manifest.status_code == 200
    m = manifest.json()
    assert m["flight"]["bookings"] == 1 and [t["surname"] for t in m["booked"]] == ["MARTIN"]
    assert m["unmatched_booked"] == [m["booked"][0]["traveller_id"]] and m["api"] == []
    _assert_problem(client.get("/api/v1/flights/999999", headers=READ), 404)
    invalid = _assert_problem(
        client.get("/api/v1/flights", params={"date": "12/12/2026"}, headers=READ), 422
    )
    assert invalid["errors"]
    _assert_problem(client.get("/api/v1/flights", params={"limit": 0}, headers=READ), 422)


def test_auth_401_403_and_health(client: TestClient, store: Store) -> None:
    data = _pnr("AUTH01")
    _assert_problem(client.post("/api/v1/messages", content=data), 401)
    wrong = {"Authorization": "Bearer nope"}
    r = _assert_problem(client.post("/api/v1/messages", content=data, headers=wrong), 401)
    assert r["type"] == "urn:paxwatch:problem:unauthenticated"
    assert r.get("detail") and "nope" not in str(r)
    # People do not push; carriers' push tokens read nothing.
    _assert_problem(client.post("/api/v1/messages", content=data, headers=READ), 403)
    _assert_problem(client.get("/api/v1/flights", headers=PUSH), 401)
    _assert_problem(client.get("/api/v1/quarantine", headers=PUSH), 401)
    _assert_problem(client.get("/api/v1/bookings/AUTH01", headers=PUSH), 401)
    _assert_problem(client.get("/api/v1/flights/1", headers=PUSH), 401)
    _assert_problem(client.get("/api/v1/flights"), 401)
    basic = {"Authorization": "Basic cmVhZC1zZWNyZXQ="}
    _assert_problem(client.get("/api/v1/flights", headers=basic), 401)
    assert client.post("/api/v1/messages", content=data, headers=PUSH).status_code == 202
    assert client.get("/api/v1/flights", headers=READ).status_code == 200
    health = client.get("/api/v1/health")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "database": store.dialect}
    _assert_problem(client.get("/api/v1/nowhere"), 404)
    _assert_problem(client.delete("/api/v1/health"), 405)


def test_openapi_is_served(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert {"/api/v1/messages", "/api/v1/flights", "/api/v1/flights/{flight_id}"} <= set(paths)
    assert {"/api/v1/bookings/{locator}", "/api/v1/quarantine", "/api/v1/health"} <= set(paths)
    assert "HTTPBearer" in spec.json()["components"]["securitySchemes"]


@pytest.mark.shared_data
def test_samples_pushed_and_correlated(client: TestClient, shared_data: Path) -> None:
    root = shared_data / "samples" / "gtas"
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".txt", ".edi"))
    acks = [client.post("/api/v1/messages", content=f.read_bytes(), headers=PUSH) for f in files]
    assert all(a.status_code == 202 for a in acks)
    statuses = [a.json()["status"] for a in acks]
    assert set(statuses) <= {"stored", "quarantined", "duplicate"}
    assert statuses.count("stored") >= len(files) - 2
    resent = [client.post("/api/v1/messages", content=f.read_bytes(), headers=PUSH) for f in files]
    assert {a.json()["status"] for a in resent} == {"duplicate"}
    assert [a.json()["ack"] for a in resent] == [a.json()["ack"] for a in acks]
    flights = client.get("/api/v1/flights", params={"limit": 1000}, headers=READ).json()
    assert flights["total"] > 0
    with_api = [f for f in flights["items"] if f["api_travellers"]]
    assert with_api
    m = client.get(f"/api/v1/flights/{with_api[0]['id']}", headers=READ).json()
    assert len(m["api"]) == with_api[0]["api_travellers"]


def test_no_content_or_token_in_logs(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client.post("/api/v1/messages", content=_pnr("LOGS01", "SECRETNAME"), headers=PUSH)
    client.get("/api/v1/bookings/LOGS01", headers=READ)
    text = "\n".join(r.getMessage() for r in caplog.records if r.name != "httpx")
    assert "SECRETNAME" not in text and "LOGS01" not in text and "secret" not in text
    assert "/api/v1/bookings/{locator} 200" in text


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch, store: Store) -> None:
    monkeypatch.setenv("PAXWATCH_API_TOKENS", "a:push:tok1")
    monkeypatch.setenv("PAXWATCH_API_MAX_BODY", "10")
    monkeypatch.setenv("PAXWATCH_WINDOW_HOURS_AFTER_ARRIVAL", "48")
    settings = ApiSettings.from_env()
    assert settings.max_body == 10 and settings.tokens["tok1"].scopes == {"push"}
    assert settings.access.window_hours_after_arrival == 48
    with TestClient(create_app(store)) as c:
        pushed = c.post(
            "/api/v1/messages", content=b"x" * 11, headers={"Authorization": "Bearer tok1"}
        )
        assert pushed.status_code == 413
        assert c.get("/api/v1/flights", headers={"Authorization": "Bearer tok1"}).status_code == 401
    for bad in ("a:admin:t", "a:read:t", "a:manage:t", "a:push", "a:push:", "a:push:t,b:push:t"):
        with pytest.raises(ValueError) as err:
            parse_tokens(bad)
        assert ":t" not in str(err.value).replace("name:push:token", "")
    with pytest.raises(ValueError, match="retired"):
        parse_tokens("a:read:t")
    assert date.today()  # keep the import honest

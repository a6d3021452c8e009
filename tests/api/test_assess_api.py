"""Watch lists, screening runs, rules and hits over the HTTP API, on SQLite and PostgreSQL.

The assessment hook is installed as in ``tests/assess``; messages are pushed through
``POST /messages`` so that the hook screens them after the ingest commit.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from fastapi.testclient import TestClient

from paxwatch.api import create_app
from paxwatch.assess import hook
from paxwatch.assess.rules import forget_rulesets
from paxwatch.assess.screen import forget_screeners
from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.model import Booking, RecordLocator, Traveller
from paxwatch.model.jsonable import to_jsonable
from paxwatch.model.watchlist import WatchlistEntry
from paxwatch.privacy.access import Role
from paxwatch.store.engine import Store
from tests.api.helpers import PUSH, login, settings
from tests.assess.helpers import entry
from tests.store.factory import booking, flight, pnr, traveller

PROBLEM = "application/problem+json"
READ: dict[str, str] = {}
"""An analyst's token (set by the ``client`` fixture)."""
CHEF: dict[str, str] = {}
"""A supervisor's token (user ``chef``)."""
AUTHOR: dict[str, str] = {}
"""A supervisor's token (user ``a.martin``, the author of the test rules)."""

BORN = date(1964, 7, 12)
DEP = datetime.combine(date.today() + timedelta(days=20), time(9, 15))
"""Inside the legal window whenever the tests run."""

LIST = "/api/v1/watchlists/NAT"
REGISTRY = {
    "format": "national-jsonl",
    "name": "National list",
    "type": "persons_sought",
    "owner": "Ministry of the Interior",
    "offence": "terrorism",
}


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    """The API with the assessment hook installed, and clean caches around the test."""
    forget_screeners()
    forget_rulesets()
    hook.install(store)
    for headers, name, role in (
        (READ, "alice", Role.ANALYST),
        (CHEF, "chef", Role.SUPERVISOR),
        (AUTHOR, "a.martin", Role.SUPERVISOR),
    ):
        headers.clear()
        headers.update(login(store, name, role))
    try:
        with TestClient(create_app(store, settings=settings())) as c:
            yield c
    finally:
        hook.uninstall(store)
        forget_screeners()
        forget_rulesets()


def _problem(response: object, status: int) -> dict[str, object]:
    r = response
    assert r.status_code == status, r.text  # type: ignore[attr-defined]
    assert r.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]
    body: dict[str, object] = r.json()  # type: ignore[attr-defined]
    assert body["status"] == status and {"type", "title", "detail"} <= set(body)
    return body


def _jsonl(*entries: WatchlistEntry) -> bytes:
    return "".join(json.dumps(to_jsonable(e)) + "\n" for e in entries).encode()


def _message(locator: str, *travellers: Traveller, number: str = "324") -> bytes:
    """A PNRGOV message of one booking made 6 days before its flight, which departs in 20
    days (the creation date travels in RCI)."""
    base = booking(locator, *travellers)
    leg = dataclasses.replace(base.legs[0], number=number, departure=DEP)
    created = DEP - timedelta(days=6)
    made: Booking = dataclasses.replace(
        base,
        legs=(leg,),
        created_at=created,
        record_locators=(RecordLocator(locator=locator, system="DL", created_at=created),),
    )
    return write_pnrgov(pnr(made, fl=flight("DL", number, DEP))).encode()


def _push(client: TestClient, data: bytes) -> None:
    r = client.post("/api/v1/messages", content=data, headers=PUSH)
    assert r.status_code == 202 and r.json()["status"] == "stored", r.text


def _import_without_legal_basis(client: TestClient) -> None:
    """Version 1 (multipart upload) is imported, but the list cannot be activated."""
    listed = _jsonl(entry("E1", "DOE", "JOHN MICHAEL", BORN), entry("E2", "ROE", "RICHARD"))
    first = client.post(
        f"{LIST}/imports",
        params=REGISTRY,
        files={"file": ("national.jsonl", listed, "application/x-ndjson")},
        headers=CHEF,
    )
    assert first.status_code == 201, first.text
    out = first.json()
    assert (out["version_no"], out["added"], out["removed"], out["imported"]) == (1, 2, 0, 2)
    assert out["active"] is False and out["rescreen"] is None and out["to_rescreen"] == 2

    [source] = client.get("/api/v1/watchlists", headers=READ).json()["items"]
    assert source["id"] == "NAT" and source["active"] is False
    assert any("legal basis" in p for p in source["activation_problems"])
    refused = _problem(client.post(f"{LIST}/activate", headers=CHEF), 409)
    assert refused["type"] == "urn:paxwatch:problem:refused"
    assert any("legal basis" in str(p) for p in refused["problems"])  # type: ignore[attr-defined]
    _problem(client.post("/api/v1/watchlists/NOPE/activate", headers=CHEF), 404)


def _import_and_activate(client: TestClient) -> None:
    """Version 2 as a raw body gives the legal basis; the activation re-screens."""
    # Version 2 as a raw body: the legal basis now given, E2 removed, E3 added, E1 unchanged.
    second = client.post(
        f"{LIST}/imports",
        params={"format": "national-jsonl", "legal_basis": "Internal Security Code, L.232-1"},
        content=_jsonl(entry("E1", "DOE", "JOHN MICHAEL", BORN), entry("E3", "POE", "EDGAR")),
        headers={**CHEF, "Paxwatch-Name": "../../etc/national v2.jsonl"},
    )
    assert second.status_code == 201, second.text
    v2 = second.json()
    assert (v2["version_no"], v2["added"], v2["removed"], v2["unchanged"]) == (2, 1, 1, 1)

    activated = client.post(f"{LIST}/activate", headers=CHEF)
    assert activated.status_code == 200, activated.text
    act = activated.json()
    assert act["source"]["active"] is True and act["source"]["activated_by"] == "chef"
    assert act["source"]["activation_problems"] == []
    assert act["rescreen"]["travellers"] >= 1 and act["rescreen"]["watchlist_hits"] == 1

    detail = client.get(LIST, headers=READ).json()
    assert [v["version_no"] for v in detail["versions"]] == [2, 1]
    assert detail["versions"][0]["file_name"] == "national_v2.jsonl"
    assert detail["versions"][0]["imported_by"] == "chef" and detail["entries"] == 2
    _problem(client.get("/api/v1/watchlists/NOPE", headers=READ), 404)


def test_watchlist_import_activation_screening_and_hits(client: TestClient) -> None:
    # A traveller stored before the list exists: found by the re-screen on activation.
    _push(client, _message("EARLY1", traveller("DOE", "JOHN MICHAEL"), number="100"))
    _import_without_legal_basis(client)
    _import_and_activate(client)

    # Pushed after activation: the ingest hook screens the traveller.
    # The passport (SSR DOCS) carries the date of birth in PNRGOV.
    listed_traveller = traveller("DOE", "JOHN MICHAEL", doc="P1234567")
    _push(client, _message("LATE01", listed_traveller, traveller("SMITH", ref="2")))
    hits = client.get("/api/v1/hits", params={"source": "NAT", "status": "new"}, headers=READ)
    assert hits.status_code == 200, hits.text
    page = hits.json()
    assert page["total"] == 2 and {h["entry_id"] for h in page["items"]} == {"E1"}
    assert {h["kind"] for h in page["items"]} == {"watchlist"}
    assert client.get("/api/v1/hits", params={"source": "UN"}, headers=READ).json()["total"] == 0
    one = client.get("/api/v1/hits", params={"limit": 1}, headers=READ).json()
    assert len(one["items"]) == 1 and one["next_offset"] == 1
    newest = one["items"][0]
    by_flight = client.get("/api/v1/hits", params={"flight_id": newest["flight_id"]}, headers=READ)
    assert by_flight.json()["total"] == 1

    traveller_id = newest["traveller_id"]
    grouped = client.get(f"/api/v1/travellers/{traveller_id}/hits", headers=READ)
    assert grouped.status_code == 200, grouped.text
    body = grouped.json()
    assert body["traveller_id"] == traveller_id
    [flight_hits] = body["flights"]
    assert flight_hits["flight_id"] == newest["flight_id"]
    [hit] = flight_hits["hits"]
    assert hit["listed_name"] and hit["subject_name"] and hit["score"] == flight_hits["best_score"]
    features = {f["name"]: f for f in hit["features"]}
    assert features["name"]["value"] == 1.0 and features["name"]["weight"] is not None
    assert features["dob"]["detail"].startswith("exact")
    _problem(client.get("/api/v1/travellers/999999/hits", headers=READ), 404)
    _run_all(client)


def _run_all(client: TestClient) -> None:
    """A run over everyone: nothing new (already stored), the job is listed."""
    ran = client.post("/api/v1/screening/runs", json={"scope": "all"}, headers=CHEF)
    assert ran.status_code == 200, ran.text
    counts = ran.json()
    assert counts["travellers"] == 3 and counts["watchlist_hits"] == 0 and counts["repeated"] == 2
    assert counts["job_id"] is not None and counts["scope"].startswith("all")
    jobs = client.get("/api/v1/screening/jobs", headers=READ).json()
    assert jobs["items"][0]["id"] == counts["job_id"] and jobs["items"][0]["finished_at"]
    assert jobs["total"] == 2  # the re-screen of the activation, and this run


def test_watchlist_import_problems(client: TestClient) -> None:
    url = f"{LIST}/imports"
    invalid = _problem(client.post(url, params={"format": "xls"}, content=b"x", headers=CHEF), 422)
    assert invalid["type"] == "urn:paxwatch:problem:invalid-request"
    bad_type = {**REGISTRY, "type": "persons_of_interest"}
    _problem(client.post(url, params=bad_type, content=b"x", headers=CHEF), 422)
    _problem(client.post(url, params=REGISTRY, content=b"", headers=CHEF), 400)
    form = b'--b0\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--b0--\r\n'
    multipart = {**CHEF, "Content-Type": "multipart/form-data; boundary=b0"}
    no_file = _problem(client.post(url, params=REGISTRY, content=form, headers=multipart), 400)
    assert no_file["type"] == "urn:paxwatch:problem:invalid-upload"
    garbage = _problem(client.post(url, params=REGISTRY, content=b"not json\n", headers=CHEF), 422)
    assert garbage["type"] == "urn:paxwatch:problem:invalid-list"
    assert garbage["problems"]
    big = b"{}\n" * (100 * 1024)
    _problem(client.post(url, params=REGISTRY, content=big, headers=CHEF), 413)
    assert client.get("/api/v1/watchlists", headers=READ).json()["total"] == 0


def test_screening_runs_pending_flight_and_date(client: TestClient, store: Store) -> None:
    hook.uninstall(store)  # ingest without the hook: the travellers stay pending
    _push(client, _message("PEND01", traveller("DOE", "JOHN"), traveller("ROE", ref="2")))
    client.post(
        f"{LIST}/imports",
        params={**REGISTRY, "legal_basis": "Law"},
        content=_jsonl(entry("E1", "DOE", "JOHN", BORN)),
        headers=CHEF,
    )
    assert client.post(f"{LIST}/activate?rescreen=false", headers=CHEF).json()["rescreen"] is None
    assert client.get("/api/v1/hits", headers=READ).json()["total"] == 0
    off = client.post(f"{LIST}/deactivate", headers=CHEF)
    assert off.status_code == 200 and off.json()["source"]["active"] is False
    _problem(client.post(f"{LIST}/deactivate", headers=READ), 403)
    _problem(client.post("/api/v1/watchlists/NOPE/deactivate", headers=CHEF), 404)
    assert client.post(f"{LIST}/activate?rescreen=false", headers=CHEF).status_code == 200
    pending = client.post("/api/v1/screening/runs", json={"scope": "pending"}, headers=CHEF)
    assert pending.status_code == 200, pending.text
    assert (pending.json()["travellers"], pending.json()["watchlist_hits"]) == (2, 1)
    again = client.post("/api/v1/screening/runs", json={"scope": "pending"}, headers=CHEF)
    assert again.json()["travellers"] == 0

    flight_id = client.get("/api/v1/hits", headers=READ).json()["items"][0]["flight_id"]
    by_flight = client.post(
        "/api/v1/screening/runs", json={"scope": "flight", "flight_id": flight_id}, headers=CHEF
    )
    assert by_flight.json()["travellers"] == 2 and by_flight.json()["repeated"] == 1
    day = {"scope": "date", "date": DEP.date().isoformat(), "restart": True}
    by_day = client.post("/api/v1/screening/runs", json=day, headers=CHEF)
    assert by_day.status_code == 200 and by_day.json()["travellers"] == 2
    assert by_day.json()["scope"].startswith(f"date:{DEP.date().isoformat()}")
    other = {"scope": "date", "date": "2026-01-01"}
    assert client.post("/api/v1/screening/runs", json=other, headers=CHEF).json()["travellers"] == 0

    for wrong in (
        {"scope": "flight"},
        {"scope": "date", "date": "01/01/2026"},
        {"scope": "everything"},
        {"scope": "all", "flight_id": 3},
        {"scope": "all", "window_days": 0},
    ):
        r = client.post("/api/v1/screening/runs", json=wrong, headers=CHEF)
        assert _problem(r, 422)["errors"], wrong


def _rule_text(review: date, *, author: str = "a.martin", version: int = 1) -> str:
    return f"""
rule R-0001 "Card payment on the London - New York route, no frequent flyer number"
  offence: drug-trafficking
  author: {author}
  version: {version}
  review: {review.isoformat()}
  score: 40
  status: active
when
  booking.payment in [card] and flight.origin in [LHR] and booking.lead_time_days < 30
unless
  traveller.frequent_flyer
end
"""


REVIEW = date.today() + timedelta(days=90)
PLAIN = {"Content-Type": "text/plain; charset=utf-8"}


def test_rules_check(client: TestClient) -> None:
    text = _rule_text(REVIEW)
    checked = client.post("/api/v1/rules/check", content=text, headers={**READ, **PLAIN})
    assert checked.status_code == 200 and checked.json() == {"ok": True, "issues": []}
    sensitive = text.replace("flight.origin in [LHR]", "traveller.surname = SMITH")
    issues = client.post("/api/v1/rules/check", content=sensitive, headers=READ).json()
    assert issues["ok"] is False and "S001" in {i["code"] for i in issues["issues"]}
    assert all(i["message"] for i in issues["issues"])
    broken = client.post("/api/v1/rules/check", content="rule R-1 when", headers=READ).json()
    [syntax] = broken["issues"]
    assert syntax["code"] == "P001" and "line 1" in syntax["message"]
    _problem(client.post("/api/v1/rules/check", content=b"", headers=READ), 400)


def _import(client: TestClient) -> None:
    """Version 1 is imported as a draft, once; an edit of it is refused."""
    text = _rule_text(REVIEW)
    imported = client.post("/api/v1/rules/imports", content=text, headers={**CHEF, **PLAIN})
    assert imported.status_code == 200, imported.text
    assert imported.json()["imported"] == [{"rule_id": "R-0001", "version": 1}]
    assert imported.json()["made_draft"] == [{"rule_id": "R-0001", "version": 1}]
    again = client.post("/api/v1/rules/imports", content=text, headers=CHEF).json()
    assert again["unchanged"] == [{"rule_id": "R-0001", "version": 1}] and again["imported"] == []
    edited = text.replace("score: 40", "score: 50")
    assert client.post("/api/v1/rules/imports", content=edited, headers=CHEF).json()["refused"]
    bad = _problem(client.post("/api/v1/rules/imports", content="rule R-1 when", headers=CHEF), 422)
    assert bad["type"] == "urn:paxwatch:problem:invalid-rules"
    assert bad["issues"][0]["code"] == "P001" and bad["issues"][0]["line"] == 1  # type: ignore[index]
    _problem(client.post("/api/v1/rules/imports", content=b"\xff\xfe", headers=CHEF), 422)
    _problem(client.post("/api/v1/rules/imports", content=b"  \n", headers=CHEF), 400)

    [listed] = client.get("/api/v1/rules", params={"status": "draft"}, headers=READ).json()["items"]
    assert (listed["rule_id"], listed["status"], listed["author"]) == (
        "R-0001",
        "draft",
        "a.martin",
    )
    assert listed["imported_by"] == "chef" and "text" not in listed
    assert (
        client.get("/api/v1/rules", params={"status": "active"}, headers=READ).json()["total"] == 0
    )
    _problem(client.get("/api/v1/rules", params={"status": "gone"}, headers=READ), 422)


ACTIVATE = "/api/v1/rules/R-0001/activate"


def _four_eyes(client: TestClient) -> None:
    """The author is refused (A001), an analyst may not (403); another supervisor
    activates, once, and is recorded as the approver."""
    refused = _problem(client.post(ACTIVATE, headers=AUTHOR), 409)
    assert refused["type"] == "urn:paxwatch:problem:refused"
    assert "A001" in {i["code"] for i in refused["issues"]}  # type: ignore[attr-defined]
    forbidden = _problem(client.post(ACTIVATE, headers=READ), 403)
    assert "activate_rule" in str(forbidden["detail"])
    # The former interim body (by, role) is refused: the caller decides.
    _problem(client.post(ACTIVATE, json={"by": "b.chef"}, headers=CHEF), 422)
    _problem(client.post(ACTIVATE, json={"x": 1}, headers=CHEF), 422)
    _problem(client.post("/api/v1/rules/R-9999/activate", headers=CHEF), 404)
    active = client.post(ACTIVATE, json={"version": None}, headers=CHEF)
    assert active.status_code == 200, active.text
    assert (active.json()["status"], active.json()["approved_by"]) == ("active", "chef")
    assert "approved_by: chef" in active.json()["text"]
    twice = _problem(client.post(ACTIVATE, headers=CHEF), 409)
    assert "A003" in {i["code"] for i in twice["issues"]}  # type: ignore[attr-defined]


def _rule_hit_at_ingest(client: TestClient) -> None:
    """A traveller without a frequent flyer number is hit; the other is let go by the
    unless condition."""
    no_ff = dataclasses.replace(traveller("ROE", ref="2"), frequent_flyers=())
    _push(client, _message("RULE01", traveller("DOE"), no_ff))
    [hit] = client.get("/api/v1/hits", params={"kind": "rule"}, headers=READ).json()["items"]
    assert (hit["rule_id"], hit["rule_version"], hit["score"]) == ("R-0001", 1, 40.0)
    seen = {f["field"]: f for f in hit["features"]}
    assert seen["booking.payment"]["value"] == ["card"] and seen["flight.origin"]["value"] == "LHR"
    assert all(f["held"] is True for f in hit["features"])


def _backtest(client: TestClient) -> None:
    """The backtest of the rule over the stored day, another range, and refusals."""
    url = "/api/v1/rules/R-0001/backtest"
    day = DEP.date().isoformat()
    backtest = client.get(url, params={"from": day, "to": day}, headers=CHEF)
    assert backtest.status_code == 200, backtest.text
    report = backtest.json()
    assert (report["evaluated"], report["hits"], report["exonerated"]) == (2, 1, 1)
    assert report["hits_per_day"] == {day: 1} and report["hits_per_route"] == {"LHR-JFK": 1}
    assert report["truth_used"] is False and report["known_true_share"] is None
    assert report["dismissed_hits"] == 0 and report["overlap"] == {} and report["unique_hits"] == 1
    assert report["summary"] and not any("known of interest" in s for s in report["summary"])
    elsewhere = client.get(url, params={"from": "2026-01-01", "to": "2026-01-02"}, headers=CHEF)
    assert elsewhere.json()["evaluated"] == 0 and elsewhere.json()["hits"] == 0
    _problem(client.get(url, params={"from": day, "to": "2026-01-01"}, headers=CHEF), 422)
    _problem(client.get("/api/v1/rules/R-9999/backtest", headers=CHEF), 404)
    _problem(client.get(url, params={"version": 7}, headers=CHEF), 404)


def _new_version_export_retire(client: TestClient) -> None:
    """Activating version 2 retires version 1; export; a supervisor retires version 2."""
    client.post("/api/v1/rules/imports", content=_rule_text(REVIEW, version=2), headers=CHEF)
    v2 = client.post(ACTIVATE, headers=CHEF).json()
    assert (v2["version"], v2["status"]) == (2, "active")
    detail = client.get("/api/v1/rules/R-0001", headers=READ).json()
    assert detail["active_version"] == 2 and detail["latest_version"] == 2
    statuses = [(v["version"], v["status"]) for v in detail["versions"]]
    assert statuses == [(2, "active"), (1, "retired")]
    _problem(client.get("/api/v1/rules/R-9999", headers=READ), 404)

    exported = client.get("/api/v1/rules/export", params={"status": "active"}, headers=READ)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/plain")
    assert "rule R-0001" in exported.text and "version: 2" in exported.text
    assert "version: 1" not in exported.text
    assert client.get("/api/v1/rules/export", headers=READ).text.count("rule R-0001") == 2

    retire = "/api/v1/rules/R-0001/retire"
    _problem(client.post(retire, headers=READ), 403)
    retired = client.post(retire, headers=AUTHOR)
    assert retired.status_code == 200 and retired.json()["status"] == "retired"
    _problem(client.post(retire, headers=CHEF), 404)


def test_rules_import_activate_ingest_backtest_export(client: TestClient) -> None:
    _import(client)
    _four_eyes(client)
    _rule_hit_at_ingest(client)
    _backtest(client)
    _new_version_export_retire(client)


def test_openapi_describes_the_assessment_routes(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    paths = spec["paths"]
    assert {
        "/api/v1/watchlists",
        "/api/v1/watchlists/{source_id}",
        "/api/v1/watchlists/{source_id}/imports",
        "/api/v1/watchlists/{source_id}/activate",
        "/api/v1/watchlists/{source_id}/deactivate",
        "/api/v1/screening/runs",
        "/api/v1/screening/jobs",
        "/api/v1/rules",
        "/api/v1/rules/export",
        "/api/v1/rules/imports",
        "/api/v1/rules/check",
        "/api/v1/rules/{rule_id}",
        "/api/v1/rules/{rule_id}/activate",
        "/api/v1/rules/{rule_id}/retire",
        "/api/v1/rules/{rule_id}/backtest",
        "/api/v1/hits",
        "/api/v1/travellers/{traveller_id}/hits",
    } <= set(paths)
    assert all(op.get("description") for path in paths.values() for op in path.values())
    imports = paths["/api/v1/watchlists/{source_id}/imports"]["post"]
    assert "multipart/form-data" in imports["requestBody"]["content"]
    assert imports["description"]
    assert "409" in paths["/api/v1/rules/{rule_id}/activate"]["post"]["responses"]
    assert "text/plain" in paths["/api/v1/rules/export"]["get"]["responses"]["200"]["content"]

"""The issue-7 API on SQLite and PostgreSQL: real tokens, the role × endpoint matrix,
travellers (visibility window, masking), the queue, hit detail, decisions, history,
transmissions, audit, users and metrics; every read of personal data audited."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from paxwatch.api import create_app
from paxwatch.assess.hook import install, uninstall
from paxwatch.assess.rules import forget_rulesets
from paxwatch.assess.screen import forget_screeners
from paxwatch.assess.watchlists import import_entries, set_active
from paxwatch.ingest import hooks
from paxwatch.privacy.access import Role
from paxwatch.privacy.audit import PersonalDataRead, list_events
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from paxwatch.store.schema_review import api_token
from tests.api.helpers import PUSH, ROLE_USERS, everyone, login, settings
from tests.assess.helpers import META, entry, push
from tests.store.factory import booking, flight, pnr, traveller

PROBLEM = "application/problem+json"
BORN = date(1964, 7, 12)
SOON = datetime.combine(date.today() + timedelta(days=3), time(9, 15))
"""A flight inside the assessment window whenever the tests run."""
LONG_AGO = datetime(2024, 1, 10, 9, 15)
"""A flight whose window closed long ago."""


@dataclass(frozen=True, slots=True)
class World:
    """What the tests read: ids, and one token per role."""

    roles: dict[Role, dict[str, str]]
    hit_id: int
    hit_traveller: int
    flight_id: int
    old_traveller: int
    old_flight: int


@pytest.fixture
def world(store: Store) -> Iterator[World]:
    """A listed traveller on a flight in three days (a new hit), and an unlisted traveller
    on a flight of 2024 (no hit, window closed)."""
    forget_screeners()
    forget_rulesets()
    import_entries(store, "NAT", [entry("E1", "DOE", "JOHN MICHAEL", BORN)], meta=META)
    set_active(store, "NAT", True, by="chef")
    install(store)
    soon = flight("DL", "100", dep=SOON)
    hooks.notify(*push(store, pnr(booking("SOON01", traveller("DOE", "JOHN MICHAEL")), fl=soon)))
    old = flight("DL", "200", dep=LONG_AGO)
    hooks.notify(*push(store, pnr(booking("OLD001", traveller("ROE", "JANE")), fl=old)))
    with store.read() as conn:
        hit = conn.execute(select(s.flight.c.id).where(s.flight.c.number == "100")).scalar_one()
        old_flight = conn.execute(select(s.flight.c.id).where(s.flight.c.number == "200")).scalar()
        t = s.traveller
        old_traveller = conn.execute(select(t.c.id).where(t.c.surname == "ROE")).scalar()
        from paxwatch.store import schema_assess as sa_

        row = conn.execute(select(sa_.hit.c.id, sa_.hit.c.traveller_id)).one()
    yield World(
        roles=everyone(store),
        hit_id=int(row.id),
        hit_traveller=int(row.traveller_id),
        flight_id=int(hit),
        old_traveller=int(old_traveller or 0),
        old_flight=int(old_flight or 0),
    )
    uninstall(store)
    forget_screeners()
    forget_rulesets()


@pytest.fixture
def api(store: Store, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(store, settings=settings())) as c:
        yield c


def _problem(r: object, status: int) -> dict[str, object]:
    assert r.status_code == status, r.text  # type: ignore[attr-defined]
    assert r.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]
    body: dict[str, object] = r.json()  # type: ignore[attr-defined]
    assert body["status"] == status
    return body


def _reads(store: Store, view: str) -> list[PersonalDataRead]:
    with store.read() as conn:
        events = [e.event() for e in list_events(conn, event_type=PersonalDataRead)]
    return [e for e in events if isinstance(e, PersonalDataRead) and e.view == view]


A, S, D, AU, AD = (Role.ANALYST, Role.SUPERVISOR, Role.DPO, Role.AUDITOR, Role.ADMINISTRATOR)
READERS = {A, S, D}
EVERY_STATS = {A, S, D, AU, AD}

# (method, path template, roles allowed). {hit}, {flight}, {traveller} are filled in.
MATRIX: list[tuple[str, str, set[Role]]] = [
    ("get", "/api/v1/flights", READERS),
    ("get", "/api/v1/flights/{flight}", READERS),
    ("get", "/api/v1/bookings/SOON01", READERS),
    ("get", "/api/v1/travellers/{traveller}", READERS),
    ("get", "/api/v1/travellers/{traveller}/hits", READERS),
    ("get", "/api/v1/queue", READERS),
    ("get", "/api/v1/hits", READERS),
    ("get", "/api/v1/hits/{hit}", READERS),
    ("get", "/api/v1/hits/{hit}/history", READERS),
    ("post", "/api/v1/hits/{hit}/decisions", {A, S}),
    ("post", "/api/v1/hits/{hit}/transmissions", {A, S}),
    ("get", "/api/v1/transmissions", READERS),
    ("get", "/api/v1/quarantine", READERS),
    ("get", "/api/v1/watchlists", READERS),
    ("get", "/api/v1/watchlists/NAT", READERS),
    ("post", "/api/v1/watchlists/NAT/imports?format=national-jsonl", {S}),
    ("post", "/api/v1/watchlists/NAT/activate", {S}),
    ("post", "/api/v1/screening/runs", {S}),
    ("get", "/api/v1/screening/jobs", READERS),
    ("get", "/api/v1/rules", READERS),
    ("get", "/api/v1/rules/R-0001", READERS),
    ("get", "/api/v1/rules/export", READERS),
    ("post", "/api/v1/rules/imports", {S}),
    ("post", "/api/v1/rules/check", READERS),
    ("post", "/api/v1/rules/R-0001/activate", {S}),
    ("post", "/api/v1/rules/R-0001/retire", {S}),
    ("get", "/api/v1/rules/R-0001/backtest", {S}),
    ("get", "/api/v1/audit", {D, AU}),
    ("get", "/api/v1/audit/verify", {D, AU, AD}),
    ("get", "/api/v1/users", {AD}),
    ("post", "/api/v1/users", {AD}),
    ("post", "/api/v1/users/nobody/disable", {AD}),
    ("post", "/api/v1/users/nobody/enable", {AD}),
    ("post", "/api/v1/users/nobody/tokens", {AD}),
    ("get", "/api/v1/metrics", EVERY_STATS),
]


def test_role_endpoint_matrix(api: TestClient, world: World) -> None:
    """No token: 401 everywhere. A role outside the route's permission: 403 naming the
    missing permission. An allowed role gets past authorisation."""
    for method, template, allowed in MATRIX:
        path = template.format(
            hit=world.hit_id, flight=world.flight_id, traveller=world.hit_traveller
        )
        call = getattr(api, method)
        body = {"content": b"{}"} if method == "post" else {}
        r = _problem(call(path, **body), 401)
        assert r["type"] == "urn:paxwatch:problem:unauthenticated", path
        assert call(path, headers=PUSH, **body).status_code == 401, path
        for role, headers in world.roles.items():
            answer = call(path, headers=headers, **body)
            if role in allowed:
                assert answer.status_code not in (401, 403), (path, role, answer.text)
            else:
                denied = _problem(answer, 403)
                assert denied["type"] == "urn:paxwatch:problem:forbidden", (path, role)
                assert "Missing permission" in str(denied["detail"]), (path, role)


def test_bad_expired_disabled_tokens(api: TestClient, store: Store, world: World) -> None:
    analyst = world.roles[Role.ANALYST]
    assert api.get("/api/v1/queue", headers=analyst).status_code == 200
    _problem(api.get("/api/v1/queue", headers={"Authorization": "Bearer pxw_nope"}), 401)
    _problem(api.get("/api/v1/queue", headers={"Authorization": "Basic eDp5"}), 401)
    short = login(store, "shorty", Role.ANALYST, days=1)
    assert api.get("/api/v1/queue", headers=short).status_code == 200
    with store.write() as conn:
        conn.execute(update(api_token).values(expires_at=datetime(2000, 1, 1)))
    # Changed behind the API's back: the token cache (5 s) would trust it a little longer.
    api.app.state.tokens.clear()
    expired = _problem(api.get("/api/v1/queue", headers=short), 401)
    assert "expired" in str(expired["detail"])
    admin = login(store, "root", Role.ADMINISTRATOR, days=0)
    fresh = login(store, "later", Role.ANALYST, days=0)
    assert api.post("/api/v1/users/later/disable", headers=admin).json()["active"] is False
    _problem(api.get("/api/v1/queue", headers=fresh), 401)
    assert api.post("/api/v1/users/later/enable", headers=admin).json()["active"] is True
    assert api.get("/api/v1/queue", headers=fresh).status_code == 200


def test_traveller_visibility_and_audit(api: TestClient, store: Store, world: World) -> None:
    """An analyst reads the hit's traveller (open hit) but not a traveller with no open hit
    on a flight whose window closed; the DPO reads both; each read is audited."""
    analyst, dpo = world.roles[Role.ANALYST], world.roles[Role.DPO]
    url = f"/api/v1/travellers/{world.hit_traveller}"
    seen = api.get(url, headers=analyst, params={"purpose": "case 12"})
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert body["surname"] == "DOE" and body["masked"] is False
    assert body["open_hit_ids"] == [world.hit_id] and body["flights"][0]["number"] == "100"
    [event] = _reads(store, "traveller")
    assert event.actor == ROLE_USERS[Role.ANALYST] and event.purpose == "case 12"
    assert event.traveller_ids == (world.hit_traveller,)

    old = f"/api/v1/travellers/{world.old_traveller}"
    refused = _problem(api.get(old, headers=analyst), 403)
    assert "assessment window" in str(refused["detail"]) and "ROE" not in str(refused)
    _problem(api.get(f"/api/v1/flights/{world.old_flight}", headers=analyst), 403)
    _problem(api.get("/api/v1/bookings/OLD001", headers=analyst), 403)
    assert len(_reads(store, "traveller")) == 1  # refusals read nothing
    assert api.get(old, headers=dpo).json()["surname"] == "ROE"
    assert api.get("/api/v1/bookings/OLD001", headers=dpo).status_code == 200
    _problem(api.get("/api/v1/travellers/999999", headers=dpo), 404)

    manifest = api.get(f"/api/v1/flights/{world.flight_id}", headers=analyst)
    assert manifest.status_code == 200 and manifest.json()["booked"][0]["surname"] == "DOE"
    [read] = _reads(store, "flight_manifest")
    assert read.flight_ids == (world.flight_id,) and read.traveller_ids == (world.hit_traveller,)
    assert api.get("/api/v1/bookings/SOON01", headers=analyst).status_code == 200
    assert _reads(store, "booking")[0].booking_ids


def test_no_personal_data_for_other_roles(api: TestClient, world: World) -> None:
    for role in (Role.ADMINISTRATOR, Role.AUDITOR, Role.PARTNER_PIU, Role.INDEPENDENT_APPROVER):
        headers = world.roles[role]
        for path in (
            f"/api/v1/travellers/{world.hit_traveller}",
            f"/api/v1/hits/{world.hit_id}",
            f"/api/v1/flights/{world.flight_id}",
            "/api/v1/queue",
            "/api/v1/bookings/SOON01",
        ):
            r = api.get(path, headers=headers)
            assert r.status_code == 403 and "DOE" not in r.text, (role, path)
    partner = world.roles[Role.PARTNER_PIU]
    assert all(
        api.get(p.format(hit=1, flight=1, traveller=1), headers=partner).status_code == 403
        for m, p, _ in MATRIX
        if m == "get"
    )


def test_masked_values_stay_masked(api: TestClient, store: Store, world: World) -> None:
    with store.write() as conn:
        conn.execute(
            update(s.traveller)
            .where(s.traveller.c.id == world.hit_traveller)
            .values(surname="*MASKED*", given_names="*MASKED*", date_of_birth=None)
        )
        conn.execute(update(s.document).values(number="*MASKED*"))
        conn.execute(update(s.contact).values(value="*MASKED*"))
    for role in (Role.ANALYST, Role.DPO, Role.SUPERVISOR):
        body = api.get(f"/api/v1/travellers/{world.hit_traveller}", headers=world.roles[role])
        t = body.json()
        assert t["masked"] is True and t["surname"] == "[masked]", t
        assert t["date_of_birth"] == "[masked]" and "*MASKED*" not in body.text
        assert all(c["value"] == "[masked]" for c in t["contacts"])
        detail = api.get(f"/api/v1/hits/{world.hit_id}", headers=world.roles[role])
        assert detail.json()["traveller"]["surname"] == "[masked]"
        manifest = api.get(f"/api/v1/flights/{world.flight_id}", headers=world.roles[role])
        assert manifest.json()["booked"][0]["surname"] == "[masked]"
        assert "*MASKED*" not in manifest.text


def test_queue_hit_detail_decisions_history_transmission(
    api: TestClient, store: Store, world: World
) -> None:
    analyst, chef = world.roles[Role.ANALYST], world.roles[Role.SUPERVISOR]
    queue = api.get("/api/v1/queue", headers=analyst, params={"kind": "watchlist"})
    assert queue.status_code == 200, queue.text
    [group] = queue.json()["items"]
    assert group["visible"] and group["hits"][0]["hit_id"] == world.hit_id
    assert group["urgency_event"] == "departure" and queue.json()["next_offset"] is None
    assert _reads(store, "hit_queue")[0].traveller_ids == (world.hit_traveller,)
    assert api.get("/api/v1/queue", headers=analyst, params={"min_score": 9}).json()["items"] == []

    url = f"/api/v1/hits/{world.hit_id}"
    detail = api.get(url, headers=analyst)
    assert detail.status_code == 200, detail.text
    d = detail.json()
    assert d["entry"]["entry_id"] == "E1" and d["traveller"]["surname"] == "DOE"
    assert d["hit"]["features"] and d["review"]["state"] == "new"
    [read] = _reads(store, "hit_detail")
    assert read.hit_id == world.hit_id and read.purpose == f"hit {world.hit_id}"
    _problem(api.get("/api/v1/hits/999999", headers=analyst), 404)

    decide = f"{url}/decisions"
    _problem(api.post(decide, json={"action": "confirm"}, headers=analyst), 409)
    _problem(api.post(decide, json={"action": "fly"}, headers=analyst), 422)
    taken = api.post(decide, json={"action": "take", "note": "looking"}, headers=analyst)
    assert taken.status_code == 201 and taken.json()["to_state"] == "in_review"
    _problem(api.post(decide, json={"action": "dismiss"}, headers=analyst), 422)
    send = {"recipient": "police", "legal_basis": "CSI L.232-1", "offence_category": "terrorism"}
    _problem(api.post(f"{url}/transmissions", json=send, headers=analyst), 409)
    confirmed = api.post(decide, json={"action": "confirm"}, headers=analyst)
    assert confirmed.json()["to_state"] == "confirmed"
    _problem(api.post(decide, json={"action": "reopen", "note": "x"}, headers=analyst), 403)
    _problem(api.post("/api/v1/hits/999999/decisions", json={"action": "take"}, headers=chef), 404)

    history = api.get(f"{url}/history", headers=chef).json()
    assert [h["action"] for h in history["decisions"]] == ["take", "confirm"]
    assert history["decisions"][0]["note"] == "looking"

    bad = {**send, "recipient": "nobody"}
    _problem(api.post(f"{url}/transmissions", json=bad, headers=analyst), 422)
    sent = api.post(f"{url}/transmissions", json=send, headers=analyst)
    assert sent.status_code == 201, sent.text
    assert sent.json()["payload"]["data"]["identity"]["surname"] == "DOE"
    listed = api.get("/api/v1/transmissions", headers=world.roles[Role.DPO]).json()
    assert listed["total"] == 1 and "payload" not in listed["items"][0]
    assert listed["items"][0]["payload_sha256"] == sent.json()["payload_sha256"]
    reopen = {"action": "reopen", "note": "second look"}
    _problem(api.post(decide, json=reopen, headers=chef), 409)


def test_audit_and_verify(api: TestClient, store: Store, world: World) -> None:
    api.get(f"/api/v1/hits/{world.hit_id}", headers=world.roles[Role.ANALYST])
    for role in (Role.DPO, Role.AUDITOR):
        page = api.get("/api/v1/audit", headers=world.roles[role], params={"kind": "read"})
        assert page.status_code == 200
        [entry_] = page.json()["items"]
        assert entry_["data"]["hit_id"] == world.hit_id and "DOE" not in page.text
    every = api.get("/api/v1/audit", headers=world.roles[Role.DPO], params={"limit": 2}).json()
    assert len(every["items"]) == 2 and every["next_offset"] == 2
    ok = api.get("/api/v1/audit/verify", headers=world.roles[Role.AUDITOR]).json()
    assert ok["ok"] is True and ok["checked"] > 0


def test_users(api: TestClient, store: Store, world: World) -> None:
    admin = world.roles[Role.ADMINISTRATOR]
    names = [u["username"] for u in api.get("/api/v1/users", headers=admin).json()["items"]]
    assert set(ROLE_USERS.values()) <= set(names)
    made = api.post("/api/v1/users", json={"username": "bob", "role": "analyst"}, headers=admin)
    assert made.status_code == 201 and made.json()["generated_password"]
    assert "password_hash" not in made.text
    _problem(api.post("/api/v1/users", json={"username": "bob", "role": "dpo"}, headers=admin), 409)
    weak = {"username": "eve", "role": "dpo", "password": "short"}
    _problem(api.post("/api/v1/users", json=weak, headers=admin), 422)
    _problem(api.post("/api/v1/users", json={"username": "x1", "role": "king"}, headers=admin), 422)
    token = api.post("/api/v1/users/bob/tokens", json={"name": "cli"}, headers=admin).json()
    bob = {"Authorization": f"Bearer {token['token']}"}
    assert api.get("/api/v1/queue", headers=bob).status_code == 200
    assert api.post("/api/v1/users/bob/disable", headers=admin).json()["active"] is False
    _problem(api.get("/api/v1/queue", headers=bob), 401)
    _problem(api.post("/api/v1/users/nobody/disable", headers=admin), 404)


def test_metrics(api: TestClient, world: World) -> None:
    api.get(f"/api/v1/hits/{world.hit_id}", headers=world.roles[Role.ANALYST])
    r = api.get("/api/v1/metrics", headers=world.roles[Role.ADMINISTRATOR])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'paxwatch_hits{status="new"} 1' in text and "paxwatch_queue_size 1" in text
    assert 'route="/api/v1/hits/{hit_id}",status="200"} 1' in text
    assert "paxwatch_http_request_duration_seconds_bucket" in text
    assert "DOE" not in text and f"/hits/{world.hit_id}" not in text


def test_openapi_lists_every_route(api: TestClient) -> None:
    spec = api.get("/api/v1/openapi.json").json()
    paths = set(spec["paths"])
    wanted = {t.split("?")[0].replace("{hit}", "{hit_id}") for _, t, _ in MATRIX}
    wanted = {
        w.replace("{flight}", "{flight_id}").replace("{traveller}", "{traveller_id}")
        for w in wanted
    }
    concrete = {"/api/v1/bookings/SOON01", "/api/v1/watchlists/NAT", "/api/v1/rules/R-0001"}
    assert {w for w in wanted if "NAT" not in w and "R-0001" not in w and "nobody" not in w}
    assert not concrete & paths
    assert {"/api/v1/queue", "/api/v1/hits/{hit_id}/decisions", "/api/v1/metrics"} <= paths
    assert {"/api/v1/travellers/{traveller_id}", "/api/v1/audit/verify", "/api/v1/users"} <= paths
    ops = [op for p in spec["paths"].values() for op in p.values()]
    assert all(op.get("description") for op in ops)

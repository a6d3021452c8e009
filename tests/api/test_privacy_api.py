"""The privacy routes of issue 8: unmasking, retention flags, the selection register,
data-subject requests and statistics (permissions, refusals, audit)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import timedelta

import pytest

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from paxwatch.api import create_app
from paxwatch.api import models_privacy as mp
from paxwatch.model import PushAction
from paxwatch.privacy.access import Role
from paxwatch.privacy.depersonalise import KEY_ENV, Vault
from paxwatch.privacy.policies import add_months, load_policy, privacy_history
from paxwatch.privacy.retention import run_retention
from paxwatch.store.engine import Store
from tests.api.helpers import everyone, settings
from tests.privacy.test_retention_support import booking_id, flight, push, traveller_id
from tests.store.factory import booking, pnr, traveller
from tests.store.helpers import make_store

T0 = flight().legs[0].departure - timedelta(days=2)
AT = add_months(T0, 6) + timedelta(days=3)
KEY = Vault.generate_key()
VAULT = Vault([KEY])


def privacy_app(store: Store) -> TestClient:
    """The API over ``store``; the privacy routers are part of it."""
    app = create_app(store, settings=settings(64 * 1024))
    assert "/api/v1/unmasking" in app.openapi()["paths"]
    return TestClient(app)


@pytest.fixture
def world(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Store, TestClient]]:
    monkeypatch.setenv(KEY_ENV, KEY.decode("ascii"))
    clock = [T0]
    mp.set_clock(lambda: clock[0])
    with make_store("sqlite", tmp_path) as st, privacy_app(st) as client:  # type: ignore[arg-type]
        client.app.state.clock = clock  # type: ignore[attr-defined]
        yield st, client
    mp.set_clock(None)


def _load(st: Store, client: TestClient) -> int:
    push(
        st,
        pnr(
            booking("QQQ111", traveller("ZORGLUB", "ANNA", doc="P7654321")),
            action=PushAction.FULL,
            fl=flight(),
        ),
        T0,
    )
    bid = booking_id(st, "QQQ111")
    assert bid is not None
    return bid


def test_flag_unmask_review_workflow(world: tuple[Store, TestClient]) -> None:
    st, client = world
    clock = client.app.state.clock  # type: ignore[attr-defined]
    h = everyone(st)
    bid = _load(st, client)
    tid = traveller_id(st, "QQQ111", "1")
    body = {
        "kind": "objective_evidence",
        "reason": "case 17",
        "review_on": (T0 + timedelta(days=300)).date().isoformat(),
        "traveller_id": tid,
    }
    assert (
        client.post("/api/v1/retention/flags", json=body, headers=h[Role.ANALYST]).status_code
        == 403
    )
    made = client.post("/api/v1/retention/flags", json=body, headers=h[Role.SUPERVISOR])
    assert made.status_code == 201, made.text
    assert made.json()["booking_id"] == bid
    listed = client.get("/api/v1/retention/flags", headers=h[Role.DPO]).json()["items"]
    assert [f["id"] for f in listed] == [made.json()["id"]]
    assert client.get("/api/v1/retention/flags", headers=h[Role.AUDITOR]).status_code == 403

    run_retention(st, AT, load_policy("eu"), vault=VAULT)
    clock[0] = AT
    ask = {
        "booking_ids": [bid],
        "reason": "New evidence",
        "legal_basis": "Art 12(3)",
        "offence": "terrorism",
        "authority": "DGSI",
        "valid_hours": 24,
    }
    assert client.post("/api/v1/unmasking", json=ask, headers=h[Role.DPO]).status_code == 403
    created = client.post("/api/v1/unmasking", json=ask, headers=h[Role.ANALYST])
    assert created.status_code == 201, created.text
    rid = created.json()["id"]
    url = f"/api/v1/unmasking/{rid}"
    assert client.get(url, headers=h[Role.SUPERVISOR]).status_code == 404  # not theirs
    assert client.get(url, headers=h[Role.INDEPENDENT_APPROVER]).json()["status"] == "pending"
    assert client.get(f"{url}/records", headers=h[Role.ANALYST]).status_code == 409
    note = {"approve": True, "note": "proportionate"}
    for role in (Role.ANALYST, Role.SUPERVISOR, Role.DPO):
        refused = client.post(f"{url}/decision", json=note, headers=h[role])
        assert refused.status_code == 409, (role, refused.text)
        assert "role" in refused.json()["detail"] or "requester" in refused.json()["detail"]
    assert client.post(f"{url}/decision", json=note, headers=h[Role.PARTNER_PIU]).status_code in (
        403,
        409,
    )
    ok = client.post(f"{url}/decision", json=note, headers=h[Role.INDEPENDENT_APPROVER])
    assert ok.status_code == 200, ok.text
    assert ok.json()["open"] is True
    assert client.get(f"{url}/records", headers=h[Role.SUPERVISOR]).status_code == 403
    got = client.get(f"{url}/records", headers=h[Role.ANALYST])
    assert got.status_code == 200, got.text
    assert "ZORGLUB" in got.text and "P7654321" in got.text
    clock[0] = AT + timedelta(hours=25)
    assert client.get(f"{url}/records", headers=h[Role.ANALYST]).status_code == 409

    queue = client.get("/api/v1/unmasking/reviews", headers=h[Role.DPO]).json()["items"]
    assert [r["id"] for r in queue] == [rid]
    review = {"outcome": "lawful", "note": "checked"}
    assert client.post(f"{url}/review", json=review, headers=h[Role.ANALYST]).status_code == 403
    done = client.post(f"{url}/review", json=review, headers=h[Role.DPO])
    assert done.json()["dpo_outcome"] == "lawful"

    with st.read() as conn:
        kinds = {e.kind for e in privacy_history(conn)}
    assert {
        "unmask.requested",
        "unmask.decision_refused",
        "unmask.approved",
        "unmask.accessed",
        "unmask.access_refused",
        "unmask.dpo_reviewed",
        "flag.set",
    } <= kinds


def test_selection_subjects_and_stats(world: tuple[Store, TestClient]) -> None:
    st, client = world
    h = everyone(st)
    bid = _load(st, client)
    sel = {
        "scope": "route",
        "origin": "CDG",
        "destination": "FRA",
        "valid_from": "2026-12-01",
        "valid_until": "2027-06-01",
        "review_on": "2027-03-01",
        "decision": "Assessment 2026/12",
        "legal_basis": "Art 6 PNR law",
    }
    assert client.post("/api/v1/selection", json=sel, headers=h[Role.ANALYST]).status_code == 403
    added = client.post("/api/v1/selection", json=sel, headers=h[Role.SUPERVISOR])
    assert added.status_code == 201, added.text
    sid = added.json()["id"]
    revoked = client.post(f"/api/v1/selection/{sid}/revoke", headers=h[Role.SUPERVISOR])
    assert revoked.json()["revoked_by"] == "chef"
    assert (
        client.post(f"/api/v1/selection/{sid}/revoke", headers=h[Role.SUPERVISOR]).status_code
        == 404
    )
    assert len(client.get("/api/v1/selection", headers=h[Role.AUDITOR]).json()["items"]) == 1

    who = {"surname": "Zorglub", "date_of_birth": "1964-07-12", "reference": "DSR-1"}
    assert (
        client.post("/api/v1/subjects/search", json=who, headers=h[Role.ANALYST]).status_code == 403
    )
    found = client.post("/api/v1/subjects/search", json=who, headers=h[Role.DPO]).json()
    assert found["travellers"] == [{"booking_id": bid, "traveller_ref": "1"}]
    exported = client.post("/api/v1/subjects/export", json=who, headers=h[Role.DPO])
    assert "P7654321" in exported.text
    erase = {**who, "kind": "erasure", "received_on": "2026-12-11"}
    erased = client.post("/api/v1/subjects/requests", json=erase, headers=h[Role.DPO])
    assert erased.status_code == 201, erased.text
    assert erased.json()["removed"] >= 1
    assert booking_id(st, "QQQ111") is None

    year = client.get("/api/v1/stats/art20?year=2026", headers=h[Role.AUDITOR])
    assert year.status_code == 200 and len(year.json()["months"]) == 12
    csv = client.get(
        "/api/v1/stats/art20?year=2026", headers={**h[Role.AUDITOR], "Accept": "text/csv"}
    )
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("period,flights")
    month = client.get("/api/v1/stats/compliance?month=2026-12&format=csv", headers=h[Role.DPO])
    assert month.text.startswith("carrier,")
    assert (
        client.get("/api/v1/stats/compliance?month=2026-13", headers=h[Role.DPO]).status_code == 422
    )
    assert (
        client.get("/api/v1/stats/art20?year=2026", headers=h[Role.PARTNER_PIU]).status_code == 403
    )

"""Hits of API travellers that match no booking through the API (SQLite and PostgreSQL):
the queue groups them per API traveller, the hit detail shows the API traveller (masked
values masked), decisions and transmission work, every read is audited with the API
traveller, and roles without ``read_hits`` are refused."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from paxwatch.api import create_app
from paxwatch.assess.hook import install, uninstall
from paxwatch.assess.rules import forget_rulesets
from paxwatch.assess.screen import forget_screeners
from paxwatch.assess.watchlists import import_entries, set_active
from paxwatch.formats.paxlst_write import write_paxlst
from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.ingest import ingest_bytes
from paxwatch.model.common import ApiRole
from paxwatch.privacy.access import Role
from paxwatch.privacy.audit import PersonalDataRead, list_events
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from tests.api.helpers import everyone, settings
from tests.assess.helpers import META, entry
from tests.store.factory import api, api_traveller, booking, flight, pnr, traveller

BORN = date(1964, 7, 12)
SOON = datetime.combine(date.today() + timedelta(days=3), time(9, 15))


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    """A listed crew member (no booking) and an unlisted booked passenger on a flight in
    three days, assessed at ingest."""
    forget_screeners()
    forget_rulesets()
    import_entries(
        store,
        "NAT",
        [entry("E1", "DOE", "JOHN MICHAEL", BORN), entry("E2", "ZED", "OMAR", BORN)],
        meta=META,
    )
    set_active(store, "NAT", True, by="chef")
    install(store)
    soon = flight("DL", "100", dep=SOON)
    ingest_bytes(
        store,
        write_pnrgov(pnr(booking("SOON01", traveller("ROE", "JANE")), fl=soon)).encode(),
        source="test",
    )
    crew = dataclasses.replace(
        api_traveller("DOE", "JOHN MICHAEL", doc="C1234567", dob=BORN), role=ApiRole.CREW
    )
    transit = dataclasses.replace(
        api_traveller("ZED", "OMAR", doc="P9990001", dob=BORN), role=ApiRole.TRANSIT_PASSENGER
    )
    ingest_bytes(store, write_paxlst(api(crew, transit, fl=soon)).encode(), source="test")
    with TestClient(create_app(store, settings=settings())) as c:
        yield c
    uninstall(store)
    forget_screeners()
    forget_rulesets()


def _api_id(store: Store, surname: str) -> int:
    with store.read() as conn:
        a = s.api_traveller
        return int(conn.execute(select(a.c.id).where(a.c.surname == surname)).scalar_one())


def _reads(store: Store, view: str) -> list[PersonalDataRead]:
    with store.read() as conn:
        events = [e.event() for e in list_events(conn, event_type=PersonalDataRead)]
    return [e for e in events if isinstance(e, PersonalDataRead) and e.view == view]


def test_queue_detail_decisions_and_transmission(client: TestClient, store: Store) -> None:
    roles = everyone(store)
    analyst = roles[Role.ANALYST]
    doe, zed = _api_id(store, "DOE"), _api_id(store, "ZED")
    queue = client.get("/api/v1/queue", headers=analyst)
    assert queue.status_code == 200, queue.text
    groups = queue.json()["items"]
    assert sorted(g["api_traveller_id"] for g in groups) == sorted([doe, zed])
    assert all(g["traveller_id"] is None and g["booking_id"] is None for g in groups)
    assert all(g["visible"] and len(g["hits"]) == 1 for g in groups)
    by_api = {g["api_traveller_id"]: g for g in groups}
    assert "DOE" in by_api[doe]["subject_name"]
    assert set(_reads(store, "hit_queue")[0].api_traveller_ids) == {doe, zed}

    hit_id = by_api[doe]["hits"][0]["hit_id"]
    url = f"/api/v1/hits/{hit_id}"
    detail = client.get(url, headers=analyst)
    assert detail.status_code == 200, detail.text
    d = detail.json()
    assert d["traveller"] is None and d["hit"]["api_traveller_id"] == doe
    shown = d["api_traveller"]
    assert shown["surname"] == "DOE" and shown["role"] == "crew" and not shown["masked"]
    assert shown["date_of_birth"] == BORN.isoformat()
    assert [x["number"] for x in shown["documents"]] == ["C1234567"]
    assert [f["number"] for f in shown["flights"]] == ["100"]
    assert shown["open_hit_ids"] == [hit_id] and shown["linked_traveller_id"] is None
    [read] = _reads(store, "hit_detail")
    assert read.api_traveller_ids == (doe,) and read.traveller_ids == ()
    listed = client.get("/api/v1/hits", headers=analyst).json()
    assert {h["api_traveller_id"] for h in listed["items"]} == {doe, zed}

    for refused in (Role.AUDITOR, Role.ADMINISTRATOR):
        assert client.get(url, headers=roles[refused]).status_code == 403
        assert client.get("/api/v1/queue", headers=roles[refused]).status_code == 403

    decide = f"{url}/decisions"
    assert client.post(decide, json={"action": "take"}, headers=analyst).status_code == 201
    confirmed = client.post(decide, json={"action": "confirm"}, headers=analyst)
    assert confirmed.json()["to_state"] == "confirmed"
    send = {"recipient": "police", "legal_basis": "CSI L.232-1", "offence_category": "terrorism"}
    sent = client.post(f"{url}/transmissions", json=send, headers=analyst)
    assert sent.status_code == 201, sent.text
    data = sent.json()["payload"]["data"]
    assert data["identity"]["surname"] == "DOE" and data["identity"]["role"] == "crew"
    assert [x["number"] for x in data["documents"]] == ["C1234567"]
    assert "booking" not in data and data["itinerary"]["number"] == "100"

    other = f"/api/v1/hits/{by_api[zed]['hits'][0]['hit_id']}/decisions"
    client.post(other, json={"action": "take"}, headers=analyst)
    dismissed = client.post(
        other, json={"action": "dismiss", "reason": "data_quality"}, headers=analyst
    )
    assert dismissed.status_code == 201 and dismissed.json()["to_state"] == "dismissed"
    assert client.get("/api/v1/queue", headers=analyst).json()["items"] == []

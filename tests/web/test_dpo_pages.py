"""The DPO / statistics pages: Art 20 chart and table, compliance, CSV, unmasking requests
with the approver's decision (CSRF, refusals) and the DPO's review, flags; permissions."""

from __future__ import annotations

import contextlib

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from paxwatch.privacy.access import Role
from paxwatch.privacy.unmask import Actor, get_request, request_unmasking
from paxwatch.privacy.users import create_user
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from tests.web.conftest import FAST, PASSWORD, csrf_of, sign_in


def _approver(store: Store) -> str:
    with contextlib.suppress(Exception):  # made by an earlier test of the package
        create_user(
            store, "ivana", Role.INDEPENDENT_APPROVER, password=PASSWORD, actor="t", config=FAST
        )
    return "ivana"


def _request(store: Store) -> int:
    with store.write() as conn:
        bid = conn.execute(select(s.booking.c.id)).scalars().first()
        assert bid is not None
        return request_unmasking(
            conn,
            Actor(username="alice", role="analyst"),
            booking_ids=[bid],
            reason="case 9",
            legal_basis="Art 12(3)",
            offence="terrorism",
            valid_hours=2,
            now=utcnow(),
        )


def test_statistics_page_chart_table_and_csv(client: TestClient) -> None:
    assert sign_in(client, "otto") == 303
    page = client.get("/ui/dpo/stats")
    assert page.status_code == 200
    assert page.text.count("<svg") == 2 and "Article 20 figures" in page.text
    assert "art20.csv" in page.text and "compliance.csv" in page.text
    csv = client.get("/ui/dpo/stats/art20.csv?year=2026")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.startswith("period,flights")
    assert client.get("/ui/dpo/stats/compliance.csv").text.startswith("carrier,")
    assert client.get("/ui/dpo/unmasking").status_code == 403
    assert client.get("/ui/dpo/flags").status_code == 403


def test_approver_decides_with_csrf_and_dpo_reviews(client: TestClient, day_store: Store) -> None:
    rid = _request(day_store)
    assert sign_in(client, "carla") == 303  # a supervisor: not their request, no decision
    listed = client.get("/ui/dpo/unmasking")
    assert listed.status_code == 200 and f">{rid}<" not in listed.text
    csrf = csrf_of(listed.text)
    refused = client.post(
        f"/ui/dpo/unmasking/{rid}/decision",
        data={"csrf_token": csrf, "decision": "approve", "note": "ok"},
    )
    assert refused.status_code == 403
    client.cookies.clear()

    assert sign_in(client, _approver(day_store)) == 303
    page = client.get("/ui/dpo/unmasking")
    assert "Approve" in page.text
    stale = client.post(
        f"/ui/dpo/unmasking/{rid}/decision",
        data={"csrf_token": "forged", "decision": "approve", "note": "ok"},
    )
    assert stale.status_code == 403
    done = client.post(
        f"/ui/dpo/unmasking/{rid}/decision",
        data={"csrf_token": csrf_of(page.text), "decision": "approve", "note": "proportionate"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    with day_store.read() as conn:
        assert get_request(conn, rid).status == "approved"
    again = client.post(
        f"/ui/dpo/unmasking/{rid}/decision",
        data={"csrf_token": csrf_of(page.text), "decision": "refuse", "note": "x"},
    )
    assert again.status_code == 409 and "not pending" in again.text
    client.cookies.clear()

    assert sign_in(client, "dora") == 303
    dpo = client.get("/ui/dpo/unmasking")
    assert "Awaiting your ex-post review" in dpo.text and "Record the review" in dpo.text
    reviewed = client.post(
        f"/ui/dpo/unmasking/{rid}/review",
        data={"csrf_token": csrf_of(dpo.text), "outcome": "lawful", "note": "fine"},
        follow_redirects=False,
    )
    assert reviewed.status_code == 303
    with day_store.read() as conn:
        assert get_request(conn, rid).dpo_outcome == "lawful"
    assert client.get("/ui/dpo/flags").status_code == 200


@pytest.mark.parametrize("user", ["alice", "carla", "dora"])
def test_flags_page_and_nav(client: TestClient, user: str) -> None:
    assert sign_in(client, user) == 303
    page = client.get("/ui/dpo/flags?lifted=true")
    assert page.status_code == 200 and "Retention flags" in page.text
    home = client.get("/ui/dpo/unmasking")
    assert "/ui/dpo/flags" in home.text and "/ui/dpo/unmasking" in home.text

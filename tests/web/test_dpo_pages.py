"""The DPO / statistics pages: Art 20 chart and table, compliance, CSV, unmasking requests
with the approver's decision (CSRF, refusals) and the DPO's review, flags; permissions."""

from __future__ import annotations

import contextlib
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from paxwatch.privacy.access import Role
from paxwatch.privacy.audit import list_events
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


def test_supervisor_sets_and_lifts_a_flag_from_a_booking(
    client: TestClient, day_store: Store
) -> None:
    sign_in(client, "alice")
    hit = re.findall(r'/ui/hits/(\d+)"', client.get("/ui/queue").text)[0]
    booking = re.findall(r'href="[^"]*(/ui/bookings/[^"]+)"', client.get(f"/ui/hits/{hit}").text)
    assert "Keep (flag)" not in client.get(booking[0].replace("&amp;", "&")).text  # analyst

    sign_in(client, "carla")
    page = client.get(booking[0].replace("&amp;", "&"))
    link = re.findall(r'href="([^"]*/ui/dpo/flags\?booking_id=\d+&amp;ref=[^"]*)"', page.text)[0]
    form = client.get(link.replace("&amp;", "&"))
    booking_id = re.findall(r'name="booking_id" type="number" min="1" required value="(\d+)"',
                            form.text)[0]  # fmt: skip
    ref = re.findall(r'name="traveller_ref" maxlength="20" value="([^"]*)"', form.text)[0]
    fields = {
        "csrf_token": csrf_of(form.text),
        "booking_id": booking_id,
        "traveller_ref": ref,
        "kind": "objective_evidence",
        "reason": "case 2026/118",
        "evidence_ref": "F-118",
    }
    too_late = client.post("/ui/dpo/flags", data={**fields, "review_on": "2099-01-01"})
    assert too_late.status_code == 409 and "review date" in too_late.text
    review_on = (utcnow().date() + timedelta(days=90)).isoformat()
    done = client.post("/ui/dpo/flags", data={**fields, "review_on": review_on})
    assert done.status_code == 200 and "Recorded." in done.text and "case 2026/118" in done.text
    flag_id = re.findall(r"/ui/dpo/flags/(\d+)/lift", done.text)[-1]
    no_reason = client.post(
        f"/ui/dpo/flags/{flag_id}/lift", data={"csrf_token": csrf_of(done.text)}
    )
    assert no_reason.status_code == 409
    lifted = client.post(
        f"/ui/dpo/flags/{flag_id}/lift",
        data={"csrf_token": csrf_of(done.text), "reason": "case closed"},
    )
    assert lifted.status_code == 200 and f"/ui/dpo/flags/{flag_id}/lift" not in lifted.text
    with day_store.read() as conn:
        events = list_events(conn, actor="carla", kind="privacy.flag", limit=20)
    assert {e.data()["action"] for e in events} == {"set", "lifted"}

    sign_in(client, "alice")
    denied = client.post(
        "/ui/dpo/flags",
        data={**fields, "csrf_token": csrf_of(client.get("/ui/dpo/flags").text),
              "review_on": review_on},
    )  # fmt: skip
    assert denied.status_code == 403

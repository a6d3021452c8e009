"""The UI over TestClient: login, lockout, CSRF, access control, audit of hit reads."""

from __future__ import annotations

import re

from paxwatch.privacy.audit import list_events
from paxwatch.store.engine import Store
from paxwatch.web.auth import SESSION_COOKIE
from tests.web.conftest import TestClient, csrf_of, make_app, sign_in


def test_login_required_and_wrong_password(client: TestClient) -> None:
    first = client.get("/ui/queue", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].endswith("/ui/login")
    assert sign_in(client, "alice", "not the password") == 401
    page = client.get("/ui/login")
    assert "Content-Security-Policy" in page.headers
    assert sign_in(client, "alice") == 303
    assert client.get("/ui/queue").status_code == 200


def test_lockout_message(day_store: Store) -> None:
    with TestClient(make_app(day_store), base_url="http://127.0.0.1") as c:
        for _ in range(5):
            sign_in(c, "admin", "wrong password 1234")
        c.get("/ui/login")
        token = c.get("/ui/login").text.split('name="login_token" value="')[1].split('"')[0]
        answer = c.post(
            "/ui/login", data={"username": "admin", "password": "x", "login_token": token}
        )
    assert answer.status_code == 401 and "locked" in answer.text


def test_session_cookie_flags(day_store: Store) -> None:
    with TestClient(make_app(day_store, secure=True), base_url="https://127.0.0.1") as c:
        sign_in(c, "alice")
        page = c.get("/ui/login")
        token = page.text.split('name="login_token" value="')[1].split('"')[0]
        answer = c.post(
            "/ui/login",
            data={"username": "alice", "password": "correct horse battery 9", "login_token": token},
            follow_redirects=False,
        )
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(SESSION_COOKIE)
    for flag in ("HttpOnly", "Secure", "SameSite=strict", "Path=/ui"):
        assert flag.lower() in cookie.lower()


def test_roles_see_only_their_pages(client: TestClient) -> None:
    sign_in(client, "otto")  # auditor: audit trail, no personal data
    assert client.get("/ui/audit").status_code == 200
    denied = client.get("/ui/queue")
    assert denied.status_code == 403 and "may not" in denied.text
    assert client.get("/ui/flights").status_code == 403
    sign_in(client, "alice")
    assert client.get("/ui/audit").status_code == 403
    assert client.get("/ui/rules/editor").status_code == 403
    for path in ("/ui/", "/ui/flights", "/ui/rules", "/ui/watchlists"):
        assert client.get(path).status_code == 200, path


def test_hit_page_is_audited_and_forms_need_csrf(client: TestClient, day_store: Store) -> None:
    sign_in(client, "bruno")
    queue = client.get("/ui/queue")
    hit_id = int(re.findall(r'/ui/hits/(\d+)"', queue.text)[-1])
    page = client.get(f"/ui/hits/{hit_id}")
    assert page.status_code == 200 and "Feature scores" in page.text
    with day_store.read() as conn:
        reads = [e.data() for e in list_events(conn, actor="bruno", kind="read", limit=5)]
    assert any(r.get("hit_id") == hit_id and r.get("view") == "hit_detail" for r in reads)
    stale = client.post(f"/ui/hits/{hit_id}/decision", data={"action": "take"})
    assert stale.status_code == 403
    taken = client.post(
        f"/ui/hits/{hit_id}/decision", data={"action": "take", "csrf_token": csrf_of(page.text)}
    )
    assert taken.status_code == 200 and "in_review" in taken.text
    refused = client.post(
        f"/ui/hits/{hit_id}/decision",
        data={"action": "dismiss", "csrf_token": csrf_of(page.text)},
    )
    assert refused.status_code == 409 and "reason" in refused.text


def test_booking_and_rule_editor(client: TestClient) -> None:
    sign_in(client, "alice")
    hit_page = client.get(
        "/ui/hits/" + re.findall(r'/ui/hits/(\d+)"', client.get("/ui/queue").text)[0]
    )
    booking = re.findall(r'href="[^"]*(/ui/bookings/[^"]+)"', hit_page.text)[0]
    page = client.get(booking.replace("&amp;", "&"))
    assert page.status_code == 200 and "Push history" in page.text
    sign_in(client, "carla")
    editor = client.get("/ui/rules/editor")
    checked = client.post(
        "/ui/rules/editor",
        data={"text": "rule X", "intent": "check", "csrf_token": csrf_of(editor.text)},
    )
    assert checked.status_code == 200 and "P001" in checked.text

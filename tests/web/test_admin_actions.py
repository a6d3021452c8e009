"""The supervisor's actions in the UI: import a watch list, activate and deactivate it,
activate a rule (four eyes) and retire it; analysts may do none of it."""

from __future__ import annotations

from datetime import date

from paxwatch.assess import rules as ar
from paxwatch.assess import watchlists as wl
from paxwatch.privacy.access import Role
from paxwatch.privacy.audit import list_events
from paxwatch.privacy.users import create_user
from paxwatch.screening.watchlists.national import write_jsonl
from paxwatch.store.engine import Store
from paxwatch.web.routes_admin import _TEMPLATE
from tests.assess.helpers import entry
from tests.web.conftest import FAST, PASSWORD, TestClient, csrf_of, sign_in

SOURCE = "NAT-UI"
RULE_ID = "R-0988"

# A listed person no synthetic traveller is: activation re-screens the shared day store
# without adding hits that other tests of the package would see.
LISTED = write_jsonl([entry("E1", "QWXZYK", "VLORBENTH", date(1931, 2, 3))])


def _import(client: TestClient, csrf: str, **fields: str) -> tuple[int, str]:
    answer = client.post(
        "/ui/watchlists/import",
        data={"csrf_token": csrf, "source_id": SOURCE, "format": "national-jsonl",
              "rescreen": "true", **fields},
        files={"file": ("national list.jsonl", LISTED.encode(), "application/x-ndjson")},
    )  # fmt: skip
    return answer.status_code, answer.text


def test_supervisor_imports_activates_and_deactivates_a_list(
    client: TestClient, day_store: Store
) -> None:
    sign_in(client, "carla")
    page = client.get("/ui/watchlists")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    csrf = csrf_of(page.text)

    status, text = _import(client, csrf, name="National list (UI)")
    assert status == 200 and f"{SOURCE} version 1: 1 entries (1 added" in text
    assert "not active" in text
    with day_store.read() as conn:
        source = wl.get_source(conn, SOURCE)
        assert source is not None and source.name == "National list (UI)"
        version = wl.source_versions(conn, SOURCE)[0]
    assert version.file_name == "national_list.jsonl" and version.imported_by == "carla"

    refused = client.post(
        f"/ui/watchlists/{SOURCE}/state", data={"csrf_token": csrf, "action": "activate"}
    )
    assert refused.status_code == 409 and "not activated" in refused.text
    assert "legal basis" in refused.text

    status, text = _import(
        client, csrf, type="persons_sought", owner="Ministry", legal_basis="Law 2016-1",
        offence="terrorism",
    )  # fmt: skip
    assert status == 200 and "version 2" in text and "1 unchanged" in text
    active = client.post(
        f"/ui/watchlists/{SOURCE}/state", data={"csrf_token": csrf, "action": "activate"}
    )
    assert active.status_code == 200 and f"{SOURCE} is active" in active.text
    assert "Re-screened" in active.text and "0 hit(s)" in active.text
    off = client.post(
        f"/ui/watchlists/{SOURCE}/state", data={"csrf_token": csrf, "action": "deactivate"}
    )
    assert off.status_code == 200 and "no longer screens" in off.text
    unknown = client.post(
        "/ui/watchlists/NOPE-UI/state", data={"csrf_token": csrf, "action": "deactivate"}
    )
    assert unknown.status_code == 409 and "NOPE-UI not deactivated" in unknown.text
    assert "no such list" in unknown.text
    with day_store.read() as conn:
        source = wl.get_source(conn, SOURCE)
        assert source is not None and not source.active
        actions = [
            e.data().get("action")
            for e in list_events(conn, kind="watchlist", actor="carla", limit=50)
        ]
    assert {"imported", "activated", "deactivated"} <= set(actions)


def test_import_refuses_bad_input_with_a_reason(client: TestClient) -> None:
    sign_in(client, "carla")
    csrf = csrf_of(client.get("/ui/watchlists").text)
    bad_id = client.post(
        "/ui/watchlists/import",
        data={"csrf_token": csrf, "source_id": "../etc", "format": "national-jsonl"},
        files={"file": ("x.jsonl", LISTED.encode(), "application/x-ndjson")},
    )
    assert bad_id.status_code == 409 and "source id must be" in bad_id.text
    unreadable = client.post(
        "/ui/watchlists/import",
        data={"csrf_token": csrf, "source_id": "NAT-BAD", "format": "un"},
        files={"file": ("x.xml", b"<not a list", "text/xml")},
    )
    assert unreadable.status_code == 409 and "Not imported" in unreadable.text
    no_csrf = client.post(
        "/ui/watchlists/import",
        data={"source_id": "NAT-BAD", "format": "un"},
        files={"file": ("x.xml", b"<x/>", "text/xml")},
    )
    assert no_csrf.status_code == 403


def test_analyst_has_no_list_or_rule_actions(client: TestClient) -> None:
    sign_in(client, "alice")
    page = client.get("/ui/watchlists")
    assert page.status_code == 200 and "Import a list file" not in page.text
    assert "Deactivate" not in page.text and 'value="activate"' not in page.text
    csrf = csrf_of(page.text)
    status, _ = _import(client, csrf)
    assert status == 403
    denied = client.post(
        "/ui/watchlists/DEMO/state", data={"csrf_token": csrf, "action": "deactivate"}
    )
    assert denied.status_code == 403
    denied = client.post(
        "/ui/rules/R-0100/state", data={"csrf_token": csrf, "version": "1", "action": "retire"}
    )
    assert denied.status_code == 403


def test_rule_is_activated_by_another_supervisor_then_retired(
    client: TestClient, day_store: Store
) -> None:
    create_user(day_store, "sam", Role.SUPERVISOR, password=PASSWORD, actor="test", config=FAST)
    sign_in(client, "carla")
    editor = client.get("/ui/rules/editor")
    saved = client.post(
        "/ui/rules/editor",
        data={"text": _TEMPLATE.replace("R-0100", RULE_ID).replace("your.name", "carla"),
              "intent": "save", "csrf_token": csrf_of(editor.text)},
    )  # fmt: skip
    assert saved.status_code == 200
    page = client.get(f"/ui/rules/{RULE_ID}")
    assert "Approve and activate v1" in page.text
    own = client.post(
        f"/ui/rules/{RULE_ID}/state",
        data={"csrf_token": csrf_of(page.text), "version": "1", "action": "activate"},
    )
    assert own.status_code == 409 and "A001" in own.text  # four eyes: not its author

    sign_in(client, "sam")
    page = client.get(f"/ui/rules/{RULE_ID}")
    done = client.post(
        f"/ui/rules/{RULE_ID}/state",
        data={"csrf_token": csrf_of(page.text), "version": "1", "action": "activate"},
    )
    assert done.status_code == 200 and "activated" in done.text and "Retire v1" in done.text
    with day_store.read() as conn:
        stored = ar.get_rule(conn, RULE_ID, 1)
    assert stored is not None and stored.status == "active" and stored.approved_by == "sam"
    retired = client.post(
        f"/ui/rules/{RULE_ID}/state",
        data={"csrf_token": csrf_of(done.text), "version": "1", "action": "retire"},
    )
    assert retired.status_code == 200 and "retired" in retired.text
    with day_store.read() as conn:
        stored = ar.get_rule(conn, RULE_ID, 1)
    assert stored is not None and stored.status == "retired"

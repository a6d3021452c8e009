"""Security regressions of the UI: permissions that must match the API's."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from paxwatch.web.routes_admin import _TEMPLATE
from tests.web.conftest import csrf_of, sign_in

RULE_ID = "R-0977"


def test_backtest_needs_manage_rules_as_in_the_api(client: TestClient) -> None:
    sign_in(client, "carla")  # supervisor: manages rules
    editor = client.get("/ui/rules/editor")
    saved = client.post(
        "/ui/rules/editor",
        data={
            "text": _TEMPLATE.replace("R-0100", RULE_ID),
            "intent": "save",
            "csrf_token": csrf_of(editor.text),
        },
    )
    assert saved.status_code == 200
    page = client.get(f"/ui/rules/{RULE_ID}?backtest=true")
    assert page.status_code == 200 and "hits over" in page.text

    sign_in(client, "alice")  # analyst: reads rules, may not backtest (API: manage_rules)
    page = client.get(f"/ui/rules/{RULE_ID}")
    assert page.status_code == 200 and "backtest=true" not in page.text
    denied = client.get(f"/ui/rules/{RULE_ID}?backtest=true")
    assert denied.status_code == 403 and "hits over" not in denied.text

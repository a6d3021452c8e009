"""The analyst's journey in headless Chromium (Debian's ``/usr/bin/chromium``): dismiss a hit,
confirm and transmit another, then the DPO sees both decisions in the audit trail.
Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (/usr/bin/chromium)"),
]


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        yield context.new_page()
        browser.close()


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _sign_in(page: Any, server: str, username: str) -> None:
    page.goto(f"{server}/ui/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{server}/ui/")


def _open_new_hit(page: Any, server: str) -> int:
    page.goto(f"{server}/ui/queue?status=new")
    link = page.locator("table.queue a[href*='/ui/hits/']").first
    hit_id = int(link.inner_text().lstrip("#"))
    link.click()
    page.get_by_role("button", name="Take").click()
    return hit_id


def test_dismiss_confirm_transmit_then_audit(page: Any, server: str) -> None:
    _sign_in(page, server, "bruno")
    _shot(page, "01-dashboard")
    page.goto(f"{server}/ui/flights")
    _shot(page, "02-flights")
    page.goto(f"{server}/ui/queue")
    _shot(page, "03-queue")

    dismissed = _open_new_hit(page, server)
    _shot(page, "04-hit")
    page.get_by_label("Reason").select_option("name_only_common")
    page.get_by_label("Note").fill("common name, date of birth differs")
    page.get_by_role("button", name="Dismiss").click()
    assert "now dismissed" in page.locator("p.notice").inner_text()

    confirmed = _open_new_hit(page, server)
    page.get_by_role("button", name="Confirm").click()
    assert "now confirmed" in page.locator("p.notice").inner_text()
    page.get_by_role("link", name="Transmit to a competent authority…").click()
    page.get_by_label("Legal basis").fill("Directive (EU) 2016/681 Art 6(2)(b)")
    _shot(page, "05-transmit")
    page.get_by_role("button", name="Transmit").click()
    assert "Transmission recorded" in page.locator("h1").inner_text()

    booking = page.goto(f"{server}/ui/hits/{confirmed}")
    assert booking is not None and booking.ok
    page.locator("a[href*='/ui/bookings/']").first.click()
    _shot(page, "06-booking")
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, server, "dora")
    page.goto(f"{server}/ui/audit?kind=decision")
    text = page.locator("table.audit").inner_text()
    assert f"hit_id={dismissed}" in text and f"hit_id={confirmed}" in text
    assert "Hash chain verified" in page.locator("p.notice").inner_text()
    _shot(page, "07-audit")

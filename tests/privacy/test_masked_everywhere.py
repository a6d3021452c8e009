"""Masked everywhere: once the retention job has depersonalised a booking, none of its
identifying values shows in any API answer, UI page, CSV export or log line, for any role;
an approved unmasking shows them to its requester only, and only until it expires."""

from __future__ import annotations

import dataclasses
import itertools
import logging
import re
import warnings
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from paxwatch.api import models_privacy as mp
from paxwatch.model import Address, Contact, ContactKind, Payment, PaymentMethod, PushAction
from paxwatch.privacy.access import Role
from paxwatch.privacy.depersonalise import KEY_ENV, Vault
from paxwatch.privacy.policies import load_policy
from paxwatch.privacy.retention import run_retention, set_flag
from paxwatch.privacy.tokens import create_token
from paxwatch.privacy.users import create_user
from paxwatch.store.engine import Store
from paxwatch.web import WebSettings, install
from tests.api.helpers import FAST, ROLE_USERS
from tests.api.test_privacy_api import AT, T0, privacy_app
from tests.privacy.test_retention_support import booking_id, flight, push, traveller_id
from tests.store.factory import booking, pnr, traveller
from tests.store.helpers import make_store

KEY = Vault.generate_key()
VAULT = Vault([KEY])
PASSWORD = "correct horse battery 9"
VALID_HOURS = 6
UI_PAGES = (
    "/ui/",
    "/ui/flights",
    "/ui/queue",
    "/ui/rules",
    "/ui/watchlists",
    "/ui/audit",
    "/ui/bookings/{locator}",
    "/ui/dpo/stats?year=2026&month=2026-12",
    "/ui/dpo/stats/art20.csv?year=2026",
    "/ui/dpo/stats/compliance.csv?month=2026-12",
    "/ui/dpo/unmasking",
    "/ui/dpo/flags?lifted=true",
)


class _Lines(logging.Handler):
    """Every log line of the run, formatted (with tracebacks)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@dataclasses.dataclass
class World:
    store: Store
    api: TestClient
    tokens: dict[Role, dict[str, str]]
    ui: dict[Role, TestClient]
    clock: list[object]
    log: _Lines


def _sign_in(client: TestClient, username: str) -> None:
    page = client.get("/ui/login")
    token = page.text.split('name="login_token" value="')[1].split('"')[0]
    response = client.post(
        "/ui/login",
        data={"username": username, "password": PASSWORD, "login_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    patch = pytest.MonkeyPatch()
    patch.setenv(KEY_ENV, KEY.decode("ascii"))
    clock: list[object] = [T0]
    mp.set_clock(lambda: clock[0])  # type: ignore[arg-type, return-value]
    log = _Lines()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(log)
    root.setLevel(logging.DEBUG)
    tmp: Path = tmp_path_factory.mktemp("masked")
    try:
        with make_store("sqlite", tmp) as store:
            tokens = {}
            for role, name in ROLE_USERS.items():
                create_user(store, name, role, password=PASSWORD, actor="test", config=FAST)
                made = create_token(store, name, name="t", actor="test", config=FAST)
                tokens[role] = {"Authorization": f"Bearer {made.token}"}
            api = privacy_app(store)
            install(api.app, WebSettings(secure_cookies=False, access=FAST))  # type: ignore[arg-type]
            with api:
                ui = {}
                for role, name in ROLE_USERS.items():
                    client = TestClient(api.app, base_url="http://127.0.0.1")
                    client.__enter__()
                    if role != Role.PARTNER_PIU:
                        _sign_in(client, name)
                    ui[role] = client
                try:
                    yield World(store, api, tokens, ui, clock, log)
                finally:
                    for client in ui.values():
                        client.__exit__(None, None, None)
    finally:
        root.removeHandler(log)
        root.setLevel(old_level)
        mp.set_clock(None)
        patch.undo()


_UPPER = st.text(alphabet="BCDFGHJKLMNPQRSTVWXZ", min_size=7, max_size=10)
_DIGITS = st.text(alphabet="0123456789", min_size=10, max_size=10)
PEOPLE = st.fixed_dictionaries(
    {
        "surname": _UPPER.map(lambda s: "QX" + s),
        "given": _UPPER.map(lambda s: "JV" + s),
        "phone": _DIGITS.map(lambda s: "+447" + s[:9]),
        "email": _UPPER.map(lambda s: f"zq.{s.lower()}@mail.example"),
        "card": _DIGITS.map(lambda s: "4929" + s + "71"),
        "doc": _UPPER.map(lambda s: "P" + s),
        "street": _UPPER.map(lambda s: f"{s.title()} Crescent"),
    }
)
_LOCATORS = (f"M{n:05d}" for n in itertools.count(1))


def _store_person(w: World, person: dict[str, str]) -> tuple[str, int]:
    locator = next(_LOCATORS)
    who = traveller(person["surname"], person["given"], doc=person["doc"])
    who = dataclasses.replace(
        who, addresses=(Address(kind="home", street=person["street"], city="Leeds"),)
    )
    made = booking(locator, who, phone=person["phone"], email=person["email"])
    card = Payment(method=PaymentMethod.CARD, card_vendor="VI", card_number=person["card"])
    post = Address(kind="billing", street=person["street"], city="Leeds")
    made = dataclasses.replace(
        made,
        payments=(card,),
        contacts=(
            *made.contacts,
            Contact(kind=ContactKind.OTHER, value=person["street"], address=post),
        ),
    )
    push(w.store, pnr(made, action=PushAction.FULL, fl=flight()), T0)
    with w.store.write() as conn:
        set_flag(
            conn,
            by="chef",
            role="supervisor",
            kind="objective_evidence",
            reason="case",
            review_on=(T0 + timedelta(days=300)).date(),
            traveller_id=traveller_id(w.store, locator, "1"),
            now=T0,
        )
    run_retention(w.store, AT, load_policy("eu"), vault=VAULT)
    bid = booking_id(w.store, locator)
    assert bid is not None
    return locator, bid


def _api_urls(w: World, values: dict[str, object]) -> list[str]:
    urls = []
    for path, ops in w.api.app.openapi()["paths"].items():  # type: ignore[attr-defined]
        if "get" not in ops or path.endswith("/records"):
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), 1)), path)
        urls.append(url + ("?year=2026" if "art20" in path else ""))
    urls += [
        "/api/v1/stats/compliance?month=2026-12",
        "/api/v1/stats/art20?year=2026&format=csv",
        "/api/v1/stats/compliance?month=2026-12&format=csv",
        "/api/v1/audit?limit=1000",
        "/api/v1/retention/flags?include_lifted=true",
    ]
    return urls


def _sweep(w: World, values: dict[str, object], rid: int) -> list[str]:
    """Everything every role gets from every GET of the API and every UI page."""
    seen: list[str] = []
    api_urls = _api_urls(w, values)
    for role, headers in w.tokens.items():
        for url in api_urls:
            seen.append(w.api.get(url, headers=headers).text)
        if role != Role.ANALYST:
            seen.append(w.api.get(f"/api/v1/unmasking/{rid}/records", headers=headers).text)
        for page in UI_PAGES:
            seen.append(w.ui[role].get(page.format(**values)).text)
    return seen


def _leaks(texts: list[str], person: dict[str, str]) -> set[str]:
    blob = "\n".join(texts).upper()
    return {
        name
        for name, value in person.items()
        if value.upper() in blob or value.upper().lstrip("+") in blob
    }


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(person=PEOPLE)
def test_masked_for_every_role_until_an_approved_unmasking(
    world: World, person: dict[str, str]
) -> None:
    w = world
    w.clock[0] = T0
    w.log.lines.clear()
    locator, bid = _store_person(w, person)
    w.clock[0] = AT
    ask = {
        "booking_ids": [bid],
        "reason": "New evidence",
        "legal_basis": "Art 12(3)",
        "offence": "terrorism",
        "valid_hours": VALID_HOURS,
    }
    created = w.api.post("/api/v1/unmasking", json=ask, headers=w.tokens[Role.ANALYST])
    rid = created.json()["id"]
    decision = {"approve": True, "note": "proportionate"}
    approver = w.tokens[Role.INDEPENDENT_APPROVER]
    assert w.api.post(
        f"/api/v1/unmasking/{rid}/decision", json=decision, headers=approver
    ).is_success
    with w.store.read() as conn:
        from sqlalchemy import select

        from paxwatch.store import schema as s

        flight_id = conn.execute(select(s.flight.c.id)).scalars().first()
        tid = traveller_id(w.store, locator, "1")
    values = {
        "locator": locator,
        "flight_id": flight_id,
        "traveller_id": tid,
        "request_id": rid,
        "hit_id": 1,
        "source_id": "x",
        "rule_id": "x",
        "username": "alice",
    }
    seen = _sweep(w, values, rid)
    assert _leaks(seen + w.log.lines, person) == set()

    mine = w.api.get(f"/api/v1/unmasking/{rid}/records", headers=w.tokens[Role.ANALYST])
    assert mine.status_code == 200
    assert {"surname", "doc", "card"} <= _leaks([mine.text], person)

    w.clock[0] = AT + timedelta(hours=VALID_HOURS, minutes=1)
    after = [
        w.api.get(f"/api/v1/unmasking/{rid}/records", headers=h).text for h in w.tokens.values()
    ]
    assert _leaks(after + w.log.lines, person) == set()

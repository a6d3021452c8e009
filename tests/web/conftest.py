"""Fixtures of the UI tests: a store with a tiny synthetic day (assessed: it has hits) and
the demo accounts with known passwords; the UI app over it, for TestClient or a real server.
"""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from paxwatch.api import create_app
from paxwatch.api.settings import ApiSettings
from paxwatch.assess.hook import install as install_assessment
from paxwatch.cli import demo
from paxwatch.ingest import hooks
from paxwatch.privacy.access import AccessConfig
from paxwatch.privacy.users import create_user
from paxwatch.store.engine import Store, open_store
from paxwatch.store.keys import utcnow
from paxwatch.web import WebSettings, install

PASSWORD = "correct horse battery 9"
FAST = AccessConfig(argon2_time_cost=1, argon2_memory_kib=1024, argon2_parallelism=1)


@pytest.fixture(scope="package")
def day_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    out: Path = tmp_path_factory.mktemp("web")
    messages = demo._generate(out, utcnow().date(), 0.002, 7)
    store = open_store(f"sqlite:///{out / 'ui.db'}", upgrade=True)
    try:
        demo._watchlist(store, messages)
        install_assessment(store)
        demo._ingest(store, messages, 1)
        for username, role in demo.DEMO_USERS:
            create_user(store, username, role, password=PASSWORD, actor="test", config=FAST)
        yield store
    finally:
        for hook in hooks.registered():
            hooks.unregister(hook)
        from paxwatch.assess import hook as hook_module

        hook_module._INSTALLED.clear()
        store.close()


def make_app(store: Store, *, secure: bool = False) -> FastAPI:
    app = create_app(store, settings=ApiSettings(tokens={}))
    install(app, WebSettings(secure_cookies=secure, access=FAST))
    return app


@pytest.fixture()
def client(day_store: Store) -> Iterator[TestClient]:
    with TestClient(make_app(day_store), base_url="http://127.0.0.1") as c:
        yield c


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> int:
    page = client.get("/ui/login")
    token = page.text.split('name="login_token" value="')[1].split('"')[0]
    response = client.post(
        "/ui/login",
        data={"username": username, "password": password, "login_token": token},
        follow_redirects=False,
    )
    return response.status_code


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


@pytest.fixture(scope="package")
def server(day_store: Store) -> Iterator[str]:
    """The UI served by uvicorn in a thread on a free port of 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        make_app(day_store), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)

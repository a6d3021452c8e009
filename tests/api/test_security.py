"""Security regressions of the API: request bodies are bounded before anything reads them."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from paxwatch.api import create_app
from paxwatch.store.engine import Store
from paxwatch.web import WebSettings, install
from tests.api.helpers import FAST, settings

LIMIT = 4096


def _chunks() -> Iterator[bytes]:
    yield b'{"username": "'
    for _ in range(10):
        yield b"x" * 1024
    yield b'"}'


def test_every_body_is_bounded_before_authentication(store: Store) -> None:
    app = create_app(store, settings=settings(LIMIT))
    install(app, WebSettings(secure_cookies=False, access=FAST))
    big = b'{"username": "' + b"x" * (2 * LIMIT) + b'"}'
    with TestClient(app, base_url="http://127.0.0.1") as c:
        # Without a token: FastAPI would read the whole JSON body before answering 401.
        declared = c.post(
            "/api/v1/users", content=big, headers={"Content-Type": "application/json"}
        )
        assert declared.status_code == 413
        assert declared.json()["type"] == "urn:paxwatch:problem:message-too-large"
        streamed = c.post(
            "/api/v1/users",
            content=_chunks(),  # type: ignore[arg-type]
            headers={"Content-Type": "application/json"},
        )
        assert streamed.status_code == 413
        login = c.post("/ui/login", data={"username": "u" * (2 * LIMIT), "password": "p"})
        assert login.status_code == 413
        # Small bodies still reach the routes.
        assert c.post("/api/v1/users", json={"username": "x"}).status_code == 401

"""``paxwatch serve``: the analyst UI (``paxwatch.web``) and the HTTP API (``paxwatch.api``)
with uvicorn over the configured store.

With ``--workers N`` (N > 1) uvicorn runs N worker processes that share the listening
socket; each opens the store itself (``worker_app``) and has its own token cache and audit
group commit. The audit chain stays one chain: every append reads the chain's head inside
its write transaction (``BEGIN IMMEDIATE`` on SQLite, ``SELECT … FOR UPDATE`` on
PostgreSQL), so the writers of all processes chain one after the other. The retention
schedule runs once, in the supervising process.
"""

from __future__ import annotations

import gc
import os
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from paxwatch.api.settings import ApiSettings
from paxwatch.cli import app
from paxwatch.cli.store import DatabaseUrl
from paxwatch.store.flight_times import utc_of
from paxwatch.web import WebSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

console = Console()

SERVER_OPTIONS: dict[str, Any] = {
    "http": "httptools",  # the C HTTP parser (h11, the fallback, is pure Python)
    "loop": "uvloop",  # libuv's event loop
    "access_log": False,  # the API logs route templates itself, never paths (locators)
    "log_level": "info",
}
"""Uvicorn's settings for ``paxwatch serve`` (docs/operators.md)."""


def warm_up() -> None:
    """Load now what the first requests would otherwise load while every client waits: the
    airports' time zones (``airportsdata``, about a second of CPU), which the visibility
    check of a booking needs (``paxwatch.store.flight_times``)."""
    utc_of(datetime(2000, 1, 1), "CDG")


def freeze_startup_objects() -> None:
    """Warm up (:func:`warm_up`), then move everything built so far (modules, the
    application, settings, the airports' table) out of the garbage collector's reach: it
    lives as long as the server process. A full collection then walks only what requests
    created since; without this, its pauses (tens of milliseconds with the whole
    application tracked) made the p99 latency of the hit queue at 50 clients
    (docs/benchmarks.md, "API"). Called once per server process, just before serving."""
    warm_up()
    gc.collect()
    gc.freeze()


def worker_app() -> FastAPI:
    """The application of one worker process (``--workers`` > 1): the store of
    ``PAXWATCH_DATABASE_URL`` (set by :func:`run_api`), settings from the environment."""
    from paxwatch.api import create_app
    from paxwatch.assess.hook import install as install_assessment
    from paxwatch.store.engine import open_store
    from paxwatch.web import install as install_web

    store = open_store()
    install_assessment(store)
    api = create_app(store, settings=ApiSettings.from_env())
    install_web(api, WebSettings.from_env())
    freeze_startup_objects()
    return api


def run_api(
    host: str,
    port: int,
    database_url: str | None,
    *,
    settings: ApiSettings | None = None,
    web: WebSettings | None = None,
    upgrade: bool = True,
    workers: int = 1,
) -> None:
    """Serve the UI and the API until interrupted (Ctrl-C). Uvicorn's access log is off: the
    API logs route templates only, never paths with locators or bodies. ``workers`` > 1
    needs the settings from the environment (``settings`` and ``web`` must be None)."""
    import uvicorn

    from paxwatch.api import create_app
    from paxwatch.assess.hook import install as install_assessment
    from paxwatch.privacy.schedule import RetentionSchedule, interval_hours
    from paxwatch.store.engine import DATABASE_URL_ENV, open_store
    from paxwatch.store.engine import database_url as resolve_url
    from paxwatch.web import install as install_web

    if workers > 1 and (settings is not None or web is not None):
        raise ValueError("several workers read their settings from the environment")
    store = open_store(database_url, upgrade=upgrade)
    # Retention (mask, delete) runs inside the server every PAXWATCH_RETENTION_INTERVAL_HOURS.
    schedule = RetentionSchedule(store, interval_hours()).start()
    try:
        if workers > 1:
            ApiSettings.from_env()  # refuse bad settings here, not in every worker
            os.environ[DATABASE_URL_ENV] = resolve_url(database_url)
            uvicorn.run(
                f"{__name__}:worker_app",
                factory=True,
                workers=workers,
                host=host,
                port=port,
                **SERVER_OPTIONS,
            )
            return
        # Messages pushed to the API are screened and assessed against the rules as they are
        # stored, like those of ``paxwatch ingest`` and ``paxwatch worker``.
        install_assessment(store)
        api = create_app(
            store, settings=settings if settings is not None else ApiSettings.from_env()
        )
        install_web(api, web if web is not None else WebSettings.from_env())
        freeze_startup_objects()
        uvicorn.run(api, host=host, port=port, **SERVER_OPTIONS)
    finally:
        schedule.stop()
        store.close()


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    database_url: DatabaseUrl = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes (uvicorn). On SQLite 2 uses both cores of a small machine.",
        ),
    ] = 1,
) -> None:
    """Serve the analyst UI (/ui/) and the HTTP API (/api/v1) over the configured store.

    People sign in with accounts (``paxwatch users add``); API callers use account tokens
    (``paxwatch users token create``); carriers push with PAXWATCH_API_TOKENS (docs/api.md).
    """
    console.print(f"paxwatch UI on http://{host}:{port}/ui/, API on http://{host}:{port}/api/v1")
    run_api(host, port, database_url, workers=workers)

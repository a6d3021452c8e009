"""``paxwatch serve``: the analyst UI (``paxwatch.web``) and the HTTP API (``paxwatch.api``)
with uvicorn over the configured store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from paxwatch.api.settings import ApiSettings
from paxwatch.cli import app
from paxwatch.cli.store import DatabaseUrl
from paxwatch.web import WebSettings

console = Console()


def run_api(
    host: str,
    port: int,
    database_url: str | None,
    *,
    settings: ApiSettings | None = None,
    web: WebSettings | None = None,
    upgrade: bool = True,
) -> None:
    """Serve the UI and the API until interrupted (Ctrl-C). Uvicorn's access log is off: the
    API logs route templates only, never paths with locators or bodies."""
    import uvicorn

    from paxwatch.api import create_app
    from paxwatch.assess.hook import install as install_assessment
    from paxwatch.privacy.schedule import RetentionSchedule, interval_hours
    from paxwatch.store.engine import open_store
    from paxwatch.web import install as install_web

    settings = settings if settings is not None else ApiSettings.from_env()
    store = open_store(database_url, upgrade=upgrade)
    # Messages pushed to the API are screened and assessed against the rules as they are
    # stored, like those of ``paxwatch ingest`` and ``paxwatch worker``.
    install_assessment(store)
    # Retention (mask, delete) runs inside the server every PAXWATCH_RETENTION_INTERVAL_HOURS.
    schedule = RetentionSchedule(store, interval_hours()).start()
    try:
        api = create_app(store, settings=settings)
        install_web(api, web if web is not None else WebSettings.from_env())
        uvicorn.run(api, host=host, port=port, access_log=False, log_level="info")
    finally:
        schedule.stop()
        store.close()


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    database_url: DatabaseUrl = None,
) -> None:
    """Serve the analyst UI (/ui/) and the HTTP API (/api/v1) over the configured store.

    People sign in with accounts (``paxwatch users add``); API callers use account tokens
    (``paxwatch users token create``); carriers push with PAXWATCH_API_TOKENS (docs/api.md).
    """
    console.print(f"paxwatch UI on http://{host}:{port}/ui/, API on http://{host}:{port}/api/v1")
    run_api(host, port, database_url)

"""The HTTP API (FastAPI): message push, flights, bookings, quarantine, health.

``create_app(store)`` builds the application; ``paxwatch serve`` runs it with uvicorn. Every
route is thin: it checks the caller's token, makes one call into ``paxwatch.ingest`` or
``paxwatch.store.repository`` and turns the frozen dataclasses it gets into the pydantic
models of ``paxwatch.api.models``. Errors are RFC 9457 problem details.
"""

from paxwatch.api.app import API_PREFIX, create_app
from paxwatch.api.settings import ApiSettings, ApiToken

__all__ = ["API_PREFIX", "ApiSettings", "ApiToken", "create_app"]

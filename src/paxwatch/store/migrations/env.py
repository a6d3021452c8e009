"""Alembic environment for the paxwatch store.

Run through ``paxwatch db upgrade`` (``paxwatch.store.migrate.upgrade``), which passes an
open connection in ``config.attributes["connection"]``; without one, the URL comes from
``PAXWATCH_DATABASE_URL`` as everywhere else.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from paxwatch.store.engine import create_store_engine
from paxwatch.store.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_store_engine()
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():  # pragma: no cover - SQL scripts are not used
    raise SystemExit("paxwatch migrations run online only")
run_migrations_online()

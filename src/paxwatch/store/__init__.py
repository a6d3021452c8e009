"""The store: SQLAlchemy Core tables, migrations, and the repository functions over them.

SQLite (one file, WAL, one writer) by default, PostgreSQL in production; the same functions
and the same tests run on both.
"""

from paxwatch.store.engine import Store, database_url, open_store

__all__ = ["Store", "database_url", "open_store"]

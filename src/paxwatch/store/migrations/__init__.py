"""Alembic migrations of the paxwatch store (``paxwatch db upgrade``)."""

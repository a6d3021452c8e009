"""Shared support of the retention, depersonalisation, unmasking, selection and data-subject
tests (no tests here): a ``store`` fixture on SQLite and PostgreSQL, writers with a chosen
receipt time, and a scan of every stored value for leaked personal data."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select

from paxwatch.model import ApiMessage, Flight, FlightLeg, PnrMessage
from paxwatch.privacy.depersonalise import Vault
from paxwatch.privacy.purge import orphan_counts
from paxwatch.store import repository as repo
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from tests.store.helpers import BACKENDS, make_store

VAULT = Vault([Vault.generate_key()])


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with make_store(request.param, tmp_path) as st:
        yield st


def flight(
    carrier: str = "DL",
    number: str = "324",
    origin: str = "LHR",
    destination: str = "JFK",
    dep: datetime = datetime(2026, 12, 12, 9, 15),
    arr: datetime | None = datetime(2026, 12, 12, 12, 30),
) -> Flight:
    return Flight(
        carrier=carrier,
        number=number,
        legs=(FlightLeg(origin=origin, destination=destination, departure=dep, arrival=arr),),
    )


def raw(conn: Connection, at: datetime, body: bytes = b"raw") -> int:
    return repo.archive_raw(
        conn,
        content_hash=uuid.uuid4().hex,
        body=body,
        size=len(body),
        redacted=0,
        received_at=at,
        source="test",
        name=None,
        format="pnrgov",
        status="stored",
    )


def push(store: Store, message: PnrMessage, at: datetime, body: bytes = b"raw") -> int:
    """Store a PNR push received at ``at``; returns the flight id."""
    with store.write() as conn:
        out = repo.write_pnr_message(conn, message, raw_id=raw(conn, at, body), at=at)
    assert out.flight_id is not None
    return out.flight_id


def push_api(store: Store, message: ApiMessage, at: datetime, body: bytes = b"api") -> None:
    with store.write() as conn:
        out = repo.write_api_message(conn, message, raw_id=raw(conn, at, body), at=at)
        for flight_id in out.flight_ids:
            repo.correlate_flight(conn, flight_id, at)


def count(store: Store, table: str) -> int:
    with store.read() as conn:
        # Not the columns: a test at an older revision may lack later ones (0015).
        return int(
            conn.execute(select(func.count()).select_from(s.metadata.tables[table])).scalar_one()
        )


def orphans(store: Store) -> dict[str, int]:
    """Rows whose owning booking, version, traveller, API list or traveller is gone (the
    store has no foreign keys on them since migration 0006: ``purge`` keeps them whole)."""
    with store.read() as conn:
        return orphan_counts(conn)


def booking_id(store: Store, locator: str) -> int | None:
    with store.read() as conn:
        return conn.execute(select(s.booking.c.id).where(s.booking.c.locator == locator)).scalar()


def traveller_id(store: Store, locator: str, ref: str) -> int:
    with store.read() as conn:
        return int(
            conn.execute(
                select(s.traveller.c.id)
                .join(s.booking, s.booking.c.id == s.traveller.c.booking_id)
                .where(s.booking.c.locator == locator, s.traveller.c.ref == ref)
                .order_by(s.traveller.c.id.desc())
            )
            .scalars()
            .first()
            or 0
        )


def _text(value: object) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, date | datetime):
        return value.isoformat()
    return "" if value is None else str(value)


SKIPPED = {("masked_record", "sealed")}
"""Columns holding ciphertext (opened only through an approved unmasking)."""


def leaks(store: Store, needles: Iterable[str]) -> list[tuple[str, str, str]]:
    """(table, column, needle) for every stored value that contains a needle (case-blind)."""
    wanted = [n.upper() for n in needles if n]
    found: list[tuple[str, str, str]] = []
    with store.read() as conn:
        for table in s.metadata.sorted_tables:
            for row in conn.execute(select(table)).mappings():
                for column, value in row.items():
                    if (table.name, column) in SKIPPED:
                        continue
                    text = _text(value).upper()
                    found.extend((table.name, column, n) for n in wanted if n in text)
    return found

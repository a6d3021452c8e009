"""Small builders for assessment tests."""

from __future__ import annotations

from datetime import date

from paxwatch.assess.watchlists import SourceMeta
from paxwatch.model import ApiMessage, PnrMessage
from paxwatch.model.watchlist import ListedName, PartialDate, WatchlistEntry
from paxwatch.store import repository as repo
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from tests.store.factory import raw_id

META = SourceMeta(
    name="National list",
    type="persons_sought",
    owner="Ministry of the Interior",
    legal_basis="Internal Security Code, art. L.232-1",
    offence_category="terrorism",
)


def entry(entry_id: str, surname: str, given: str, born: date | None = None) -> WatchlistEntry:
    return WatchlistEntry(
        source="NAT",
        entry_id=entry_id,
        names=(ListedName(full_name=f"{given} {surname}", surname=surname, given_names=given),),
        dates_of_birth=(PartialDate.of(born),) if born else (),
    )


def push(store: Store, message: PnrMessage) -> tuple[int, tuple[int, ...]]:
    """Store a PNR message as ingest does (without calling hooks): (flight id, travellers)."""
    with store.write() as conn:
        out = repo.write_pnr_message(conn, message, raw_id=raw_id(conn), at=utcnow())
    assert out.flight_id is not None
    return out.flight_id, tuple(out.new_traveller_ids)


def push_api(store: Store, message: ApiMessage) -> int:
    """Store a PAXLST message and correlate its flight, as ingest does (no hooks): the
    flight id."""
    with store.write() as conn:
        out = repo.write_api_message(conn, message, raw_id=raw_id(conn), at=utcnow())
        repo.correlate_flight(conn, out.flight_ids[0], utcnow())
    return out.flight_ids[0]

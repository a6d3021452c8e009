"""Writing API lists (PAXLST): the messages, their travellers, documents and bags.

``write_api_messages`` stores the API messages of a whole batch with one statement per
table (``api_message``, ``api_message_flight``, ``api_traveller``, its child tables,
``api_traveller_flight``), inside the caller's transaction. Each traveller's canonical
content may come computed beforehand (``ApiToWrite.contents``, see ``ingest.prepare``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from paxwatch.model import ApiMessage, ApiTraveller
from paxwatch.store import schema as s
from paxwatch.store.content import content_json
from paxwatch.store.keys import name_key
from paxwatch.store.records import ApiWriteOutcome
from paxwatch.store.row_builders import Rows, bag_row, document_row
from paxwatch.store.rows import insert_ids, insert_many
from paxwatch.store.write import ensure_flight


class ApiToWrite(NamedTuple):
    """One (minimised) PAXLST message to store, with the ids of ``message.flights``."""

    message: ApiMessage
    raw_id: int
    at: datetime
    flight_ids: Sequence[int]
    #: ``api_contents(message)`` when computed beforehand.
    contents: Sequence[str] | None = None


def api_contents(message: ApiMessage) -> tuple[str, ...]:
    """The canonical content of each traveller of the message (stored with it)."""
    return tuple(content_json(t) for t in message.travellers)


def _api_flights(message: ApiMessage, traveller: ApiTraveller, flight_ids: list[int]) -> list[int]:
    """The flights of the message the traveller is on (by embarkation and debarkation)."""
    flights = message.flights
    if len(flights) <= 1 or not traveller.embarkation or not traveller.debarkation:
        return flight_ids
    start = next((i for i, f in enumerate(flights) if f.origin == traveller.embarkation), None)
    end = next((i for i, f in enumerate(flights) if f.destination == traveller.debarkation), None)
    if start is None or end is None or end < start:
        return flight_ids
    return flight_ids[start : end + 1]


def _message_row(item: ApiToWrite) -> dict[str, Any]:
    message = item.message
    party = message.reporting_party
    return {
        "raw_message_id": item.raw_id,
        "reference": message.reference,
        "document": message.document,
        "variant": message.variant,
        "sender": message.sender,
        "part_number": message.part.number if message.part else None,
        "part_final": message.part.final if message.part else None,
        "prepared_at": message.prepared_at,
        "received_at": item.at,
        "reporting_party": content_json(party) if party else None,
    }


def _traveller_row(api_id: int, seq: int, t: ApiTraveller, content: str) -> dict[str, Any]:
    return {
        "api_message_id": api_id,
        "seq": seq,
        "role": t.role.value,
        "surname": t.surname[:100],
        "given_names": t.given_names[:200] or None,
        "gender": t.gender.value if t.gender else None,
        "date_of_birth": t.date_of_birth,
        "nationality": t.nationality,
        "embarkation": t.embarkation,
        "debarkation": t.debarkation,
        "seat": t.seat,
        "booking_locator": t.booking_locator.strip().upper()[:20] if t.booking_locator else None,
        "unique_ref": t.unique_ref,
        "raw_name": t.raw_name[:300] or None,
        "content": content,
        "name_key": name_key(t.surname[:100], t.given_names[:200], t.date_of_birth),
    }


def write_api_messages(conn: Connection, items: Sequence[ApiToWrite]) -> list[ApiWriteOutcome]:
    """Store (minimised) PAXLST messages with one statement per table; one outcome each."""
    if not items:
        return []
    api_ids = insert_ids(conn, s.api_message, [_message_row(item) for item in items])
    message_flights: list[dict[str, Any]] = []
    travellers: list[dict[str, Any]] = []
    for item, api_id in zip(items, api_ids, strict=True):
        message_flights.extend(
            {"api_message_id": api_id, "flight_id": f} for f in dict.fromkeys(item.flight_ids)
        )
        contents = item.contents or api_contents(item.message)
        travellers.extend(
            _traveller_row(api_id, i, t, content)
            for i, (t, content) in enumerate(zip(item.message.travellers, contents, strict=True), 1)
        )
    insert_many(conn, s.api_message_flight, message_flights)
    ids = iter(insert_ids(conn, s.api_traveller, travellers))
    child = Rows()
    links: list[dict[str, Any]] = []
    out: list[ApiWriteOutcome] = []
    for item, api_id in zip(items, api_ids, strict=True):
        flight_ids = list(item.flight_ids)
        tids = [next(ids) for _ in item.message.travellers]
        for t, tid in zip(item.message.travellers, tids, strict=True):
            for doc in t.documents:
                child.add("document", document_row(doc, None, tid))
            for bag in t.bags:
                child.add("bag", bag_row(bag, None, tid))
            for f in dict.fromkeys(_api_flights(item.message, t, flight_ids)):
                links.append({"api_traveller_id": tid, "flight_id": f})
        out.append(
            ApiWriteOutcome(
                api_message_id=api_id,
                flight_ids=tuple(dict.fromkeys(flight_ids)),
                api_traveller_ids=tuple(tids),
            )
        )
    child.flush(conn)
    insert_many(conn, s.api_traveller_flight, links)
    return out


def write_api_message(
    conn: Connection,
    message: ApiMessage,
    *,
    raw_id: int,
    at: datetime,
    flight_ids: Sequence[int] | None = None,
) -> ApiWriteOutcome:
    """Store one (minimised) PAXLST message: its flights, travellers and documents.

    ``flight_ids`` (of ``message.flights``, in order) when the caller resolved them already.
    """
    if flight_ids is None:
        flight_ids = [ensure_flight(conn, f, at) for f in message.flights]
    return write_api_messages(conn, [ApiToWrite(message, raw_id, at, flight_ids)])[0]


def flight_has_api(conn: Connection, flight_id: int) -> bool:
    """Whether any API traveller is listed for the flight (correlation is needed)."""
    query = select(s.api_traveller_flight.c.flight_id).where(
        s.api_traveller_flight.c.flight_id == flight_id
    )
    return conn.execute(query.limit(1)).first() is not None

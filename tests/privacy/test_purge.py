"""``purge``: identifiers without an index on their traveller or booking (migration 0008)
go with their owners, through their version; the flight figures count API passengers
once per person."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import Connection, insert, select

from paxwatch.model import Address, Traveller
from paxwatch.privacy.flight_figures import ComplianceSchedule, compute_flights
from paxwatch.privacy.purge import IdList, id_in, purge, purge_ids
from paxwatch.store import schema as s
from paxwatch.store.engine import Store
from paxwatch.store.schema_parts import identifier_key
from tests.privacy.test_retention_support import (
    booking_id,
    flight,
    orphans,
    push,
    push_api,
    store,
    traveller_id,
)
from tests.store.factory import api, api_traveller, booking, pnr, traveller, with_office

__all__ = ["store"]

T0 = datetime(2026, 12, 10, 10, 0)


def _identifiers(conn: Connection) -> list[tuple[str, int | None, int | None]]:
    i = s.identifier
    query = select(i.c.kind, i.c.traveller_id, i.c.api_traveller_id).order_by(i.c.id)
    return [(r[0], r[1], r[2]) for r in conn.execute(query).all()]


def _housed(t: Traveller, street: str) -> Traveller:
    """``t`` with an address: a traveller's own identifier row (its documents and
    frequent-flyer numbers are keyed in their own rows since migrations 0017 and 0018)."""
    return replace(t, addresses=(Address(street=street, city="LONDON", country="GB"),))


def _two(store: Store) -> None:
    two = booking(
        "AAA111",
        _housed(traveller("SMITH", "ANNA", ref="1", doc="P1234567"), "1 HIGH STREET"),
        _housed(traveller("JONES", "BOB", ref="2", doc="P7654321"), "2 HIGH STREET"),
        email="anna.smith@example.org",
    )
    other = booking(
        "BBB222",
        _housed(traveller("BROWN", "CARL", ref="1", doc="P5555555"), "3 HIGH STREET"),
    )
    # Each booking's own identifier row: an address contact.
    two, other = with_office(two, "9 LOW STREET"), with_office(other, "8 LOW STREET")
    fl = flight()
    push(store, pnr(two, other, fl=fl), T0)
    push_api(store, api(api_traveller("SMITH", "ANNA", locator="AAA111", doc="P1234567")), T0)
    # The ingest writes no identifier row for API travellers (their documents are found in
    # ``document``: migration 0017), but ``api_traveller_id`` is an owner column of
    # ``identifier``: one such row, as another kind of API data would have.
    with store.write() as conn:
        listed = conn.execute(select(s.api_traveller.c.id)).scalar_one()
        conn.execute(
            insert(s.identifier).values(
                kind="phone",
                value="+441753637285",
                api_traveller_id=listed,
                value_key=identifier_key("phone", "+441753637285"),
            )
        )


def test_purging_a_traveller_deletes_its_identifiers_only(store: Store) -> None:
    _two(store)
    anna, bob = traveller_id(store, "AAA111", "1"), traveller_id(store, "AAA111", "2")
    carl = traveller_id(store, "BBB222", "1")
    with store.read() as conn:
        before = _identifiers(conn)
    mine = [r for r in before if r[1] == anna]
    assert mine and [r for r in before if r[1] == bob] and [r for r in before if r[1] == carl]
    assert any(r[1] is None and r[2] is None for r in before)  # the booking's own (address)
    assert any(r[2] is not None for r in before)  # the API traveller's

    with store.write() as conn:
        assert purge(conn, s.traveller, s.traveller.c.id == anna) == 1
        after = _identifiers(conn)
    assert after == [r for r in before if r[1] != anna]
    assert orphans(store) == {}


def test_purging_a_booking_or_an_api_traveller_deletes_all_their_identifiers(
    store: Store,
) -> None:
    _two(store)
    first = booking_id(store, "AAA111")
    carl = traveller_id(store, "BBB222", "1")
    assert first is not None
    with store.write() as conn:
        assert purge_ids(conn, s.booking, [first]) == 1
        left = _identifiers(conn)
    assert {r[1] for r in left if r[2] is None} == {carl, None}
    with store.read() as conn:
        i = s.identifier
        owners = conn.execute(select(i.c.booking_id).where(i.c.api_traveller_id.is_(None)))
        assert set(owners.scalars().all()) == {booking_id(store, "BBB222")}
    assert orphans(store) == {}
    with store.write() as conn:
        ids = conn.execute(select(s.api_traveller.c.id)).scalars().all()
        assert purge_ids(conn, s.api_traveller, ids) == 1
        assert [r[2] for r in _identifiers(conn)] == [None] * len(_identifiers(conn))
        assert purge(conn, s.booking_version, s.booking_version.c.id > 0) == 1
        assert _identifiers(conn) == []
        assert purge(conn, s.booking, s.booking.c.id > 0) == 1
    assert orphans(store) == {}


def test_purge_of_nothing_deletes_nothing(store: Store) -> None:
    _two(store)
    with store.read() as conn:
        before = _identifiers(conn)
    with store.write() as conn:
        assert purge_ids(conn, s.traveller, []) == 0
        assert purge(conn, s.booking, s.booking.c.id < 0) == 0
        assert _identifiers(conn) == before


def test_id_lists_match_like_in_and_keep_one_statement_text(store: Store) -> None:
    """``IdList`` matches what ``IN`` matches, on several columns at once, whatever the
    number of ids (more than SQLite's 32,766 parameters; none); on PostgreSQL the ids are
    one parameter, so the statement text is the same for any list (compiled and prepared
    once, planned without looking at each id)."""
    _two(store)
    t, d = s.traveller, s.document
    with store.read() as conn:
        everyone = sorted(conn.execute(select(t.c.id)).scalars())
        for ids in ([], everyone[:1], everyone, [*everyone, *range(10**6, 10**6 + 40_000)]):
            listed = IdList(conn, ids)
            query = (
                select(t.c.id, d.c.id)
                .join(d, d.c.traveller_id == t.c.id)
                .where(listed.match(t.c.id), listed.match(d.c.traveller_id))
                .order_by(t.c.id)
            )
            plain = (
                select(t.c.id, d.c.id)
                .join(d, d.c.traveller_id == t.c.id)
                .where(t.c.id.in_(everyone if ids else []))
                .order_by(t.c.id)
            )
            expected = [tuple(r) for r in conn.execute(plain).all()]
            if len(ids) == 1:
                expected = [r for r in expected if r[0] == ids[0]]
            assert [tuple(r) for r in conn.execute(query).all()] == expected
        if conn.dialect.name == "postgresql":
            texts = {
                str(select(t.c.id).where(id_in(conn, t.c.id, ids)).compile(conn))
                for ids in (everyone[:1], everyone, list(range(1, 50_000)))
            }
            assert len(texts) == 1


def test_id_list_is_one_cast_array_behind_an_init_plan_on_postgresql(store: Store) -> None:
    """On PostgreSQL the ids reach each statement as the value of an init plan that casts
    the text parameter once: no ``unnest`` of it into rows gathered back into an array
    (a pass over every id, once per statement of a chunk), and the statement still finds
    its rows through the column's index (``= ANY`` as the index condition)."""
    _two(store)
    t = s.traveller
    with store.read() as conn:
        if conn.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's plan")
        ids = sorted(conn.execute(select(t.c.id)).scalars())
        query = select(t.c.id).where(id_in(conn, t.c.version_id, [*ids, *range(10**6, 10**6 + 5)]))
        compiled = query.compile(conn)
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # the two rows' table is tiny
        plan = "\n".join(
            r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).all()
        )
    assert "InitPlan" in plan
    assert "ProjectSet" not in plan  # no unnest
    assert "ix_traveller_version_id" in plan and "= ANY ($0)" in plan.replace("'", "")


def test_api_passengers_of_a_flight_count_each_person_once(store: Store) -> None:
    fl = flight()
    born = date(1980, 1, 2)
    first = api(
        api_traveller("SMITH", "ANNA", dob=born),
        api_traveller("SMITH", "ANNA", dob=date(1990, 3, 4)),  # another Anna Smith
        api_traveller("LEE", "KIM", dob=None),
        fl=fl,
    )
    resent = api(
        api_traveller("SMITH", "ANNA", dob=born),  # the same person again
        api_traveller("LEE", "KIM", dob=None),  # no date of birth: counted again
        fl=fl,
    )
    push_api(store, first, T0)
    push_api(store, resent, T0)
    with store.read() as conn:
        flight_id = conn.execute(select(s.flight.c.id)).scalar_one()
        [row] = compute_flights(conn, [flight_id], T0, ComplianceSchedule())
    assert row["api_passengers"] == 4

"""Incremental correlation (``store.relink``) gives the links of the full recompute.

Seeded random days on two or three flights: batches of PNR change pushes, full pushes that
cancel bookings, bookings sent again unchanged (on their flight or another: reinstated or
new there, no new version), and API lists (some on two flights) arriving before and after the
bookings, drawn from small pools of locators, names, dates of birth and document numbers
(written differently: ``P-123`` / ``p123``) so that the rules collide and tie. After every
batch the stored links must equal ``correlate.recomputed_links`` of every flight; both
databases.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, select, text

from paxwatch.model import (
    ApiMessage,
    ApiRole,
    ApiTraveller,
    Booking,
    Document,
    Flight,
    FlightLeg,
    Leg,
    MessagePart,
    PnrMessage,
    PushAction,
    Traveller,
)
from paxwatch.store import relink as relink_module
from paxwatch.store import repository as repo
from paxwatch.store import schema as s
from paxwatch.store.correlate import recomputed_links
from paxwatch.store.engine import Store
from paxwatch.store.keys import utcnow
from paxwatch.store.relink import RELINK_TABLES
from paxwatch.store.rows import run_sql
from paxwatch.store.statistics import stale_tables
from tests.store.factory import raw_id

DEP = datetime(2026, 12, 12, 9, 15)
LOCATORS = ["AAA111", "BBB222", "CCC333", "DDD444", "EEE555", "FFF666"]
SURNAMES = ["SMITH", "SMITHJR", "SMI-TH", "JONES", "O'NEIL"]
GIVEN = ["JOHN", "JOHN PAUL", "ANN", ""]
BIRTHS = [date(1964, 7, 12), date(1990, 1, 2), None]
NUMBERS = [None, "P123", "p-123", "P124", "X 9", "x9"]
COUNTRIES = ["GBR", "FRA", None]


def _flight(i: int) -> Flight:
    return Flight(
        carrier="DL",
        number=str(300 + i),
        legs=(FlightLeg(origin="LHR", destination="JFK", departure=DEP),),
    )


def _documents(rng: random.Random) -> tuple[Document, ...]:
    number = rng.choice(NUMBERS)
    if number is None:
        return ()
    return (Document(type="P", number=number, issuing_country=rng.choice(COUNTRIES)),)


def _traveller(rng: random.Random, ref: int) -> Traveller:
    surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
    return Traveller(
        ref=str(ref),
        surname=surname,
        given_names=given,
        raw_name=f"{surname}/{given}",
        date_of_birth=rng.choice(BIRTHS),
        documents=_documents(rng),
    )


def _booking(rng: random.Random, locator: str, fl: Flight) -> Booking:
    return Booking(
        locator=locator,
        created_at=DEP - timedelta(days=5),
        travellers=tuple(_traveller(rng, i + 1) for i in range(rng.randint(1, 3))),
        legs=(
            Leg(
                carrier=fl.carrier,
                number=fl.number,
                origin="LHR",
                destination="JFK",
                departure=DEP,
                status="HK",
            ),
        ),
    )


def _pnr(rng: random.Random, fl: Flight, n: int, sent: list[Booking]) -> PnrMessage:
    if sent and rng.random() < 0.25:  # a booking sent before, unchanged (maybe elsewhere)
        return PnrMessage(
            sender="DL",
            reference=f"RE{n}",
            action=PushAction.CHANGES,
            flight=fl,
            bookings=(rng.choice(sent),),
        )
    if rng.random() < 0.25:  # a full push: the bookings it leaves out are cancelled
        locators = rng.sample(LOCATORS, rng.randint(1, 4))
        return PnrMessage(
            sender="DL",
            reference=f"FULL{n}",
            action=PushAction.FULL,
            flight=fl,
            part=MessagePart(number=1, final=True),
            bookings=tuple(_booking(rng, loc, fl) for loc in locators),
        )
    locators = rng.sample(LOCATORS, rng.randint(1, 2))
    return PnrMessage(
        sender="DL",
        reference=f"CHG{n}",
        action=PushAction.CHANGES,
        flight=fl,
        bookings=tuple(_booking(rng, loc, fl) for loc in locators),
    )


def _api(rng: random.Random, flights: list[Flight], n: int) -> ApiMessage:
    travellers = []
    for _ in range(rng.randint(1, 6)):
        surname = rng.choice(SURNAMES)
        travellers.append(
            ApiTraveller(
                role=ApiRole.PASSENGER,
                surname=surname,
                given_names=rng.choice(GIVEN),
                date_of_birth=rng.choice(BIRTHS),
                booking_locator=rng.choice([*LOCATORS, "ZZZ999", None]),
                documents=_documents(rng),
            )
        )
    on = (
        rng.sample(flights, 2) if len(flights) > 1 and rng.random() < 0.2 else [rng.choice(flights)]
    )
    return ApiMessage(
        sender="DL", reference=f"API{n}", flights=tuple(on), travellers=tuple(travellers)
    )


def _stored(conn: Connection) -> dict[tuple[int, int], tuple[int, int, str]]:
    link = s.api_pnr_link
    query = select(
        link.c.api_traveller_id,
        link.c.flight_id,
        link.c.traveller_id,
        link.c.booking_id,
        link.c.rule,
    )
    return {(int(a), int(f)): (int(t), int(b), str(r)) for a, f, t, b, r in conn.execute(query)}


def _flight_ids(conn: Connection) -> list[int]:
    return [int(i) for i in conn.execute(select(s.flight.c.id)).scalars()]


def _day(store: Store, seed: int) -> int:
    """Ingest a random day in batches, checking the links after each; the links made."""
    rng = random.Random(seed)
    flights = [_flight(i) for i in range(rng.randint(2, 3))]
    sent: list[Booking] = []
    n = 0
    for _ in range(14):
        with store.write() as conn:
            writer = repo.BatchWriter(conn)
            at = utcnow()
            for _ in range(rng.randint(1, 4)):
                n += 1
                if rng.random() < 0.35:
                    writer.add_api(_api(rng, flights, n), raw_id=raw_id(conn), at=at)
                else:
                    message = _pnr(rng, rng.choice(flights), n, sent)
                    sent.extend(message.bookings)
                    writer.add_pnr(message, raw_id=raw_id(conn), at=at)
            writer.flush(at)
        with store.read() as conn:
            stored = _stored(conn)
            assert stored == recomputed_links(conn, _flight_ids(conn)), f"seed {seed}"
    return len(stored)


def _batch(store: Store, *messages: PnrMessage | ApiMessage) -> None:
    """Store ``messages`` as one batch (one write transaction, one ``relink``)."""
    with store.write() as conn:
        writer = repo.BatchWriter(conn)
        at = utcnow()
        for m in messages:
            if isinstance(m, PnrMessage):
                writer.add_pnr(m, raw_id=raw_id(conn), at=at)
            else:
                writer.add_api(m, raw_id=raw_id(conn), at=at)
        writer.flush(at)


@pytest.mark.parametrize("whole_pool", [1, 10**9], ids=["whole-pools", "keyed-pools"])
@pytest.mark.parametrize("seed", range(8))
def test_incremental_links_equal_the_full_recompute(
    store: Store, seed: int, whole_pool: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both ways of reading a flight's pool (the whole pool for a long list, the
    travellers sharing a key for a short one: ``relink.WHOLE_POOL``) give the links."""
    monkeypatch.setattr(relink_module, "WHOLE_POOL", whole_pool)
    assert _day(store, seed) >= 0


def test_random_days_link_by_every_rule(store: Store) -> None:
    """The random days do exercise the rules (else the equality above proves little)."""
    rules: set[Any] = set()
    linked = 0
    for seed in range(8, 12):
        linked += _day(store, seed)
        with store.read() as conn:
            rules.update(r for (r,) in conn.execute(select(s.api_pnr_link.c.rule)))
    assert linked > 0
    assert rules == {"locator+name", "locator", "document", "name+dob"}


def test_a_booking_moving_to_a_flight_with_a_new_list_links_the_earlier_lists(
    store: Store,
) -> None:
    """An unchanged booking becoming active on a flight that is correlated anyway (a new
    API list in the same batch) links the travellers of the flight's earlier lists."""
    first, second = _flight(1), _flight(2)
    smith = Traveller(ref="1", surname="SMITH", given_names="ANN", raw_name="SMITH/ANN")
    pushed = _booking(random.Random(0), "AAA111", second)
    pushed = Booking(
        locator=pushed.locator, created_at=pushed.created_at, travellers=(smith,), legs=pushed.legs
    )

    def pnr_on(fl: Flight) -> PnrMessage:
        return PnrMessage(
            sender="DL", reference="R", action=PushAction.CHANGES, flight=fl, bookings=(pushed,)
        )

    def api_on(fl: Flight, surname: str, locator: str) -> ApiMessage:
        t = ApiTraveller(
            role=ApiRole.PASSENGER, surname=surname, given_names="ANN", booking_locator=locator
        )
        return ApiMessage(sender="DL", reference="A", flights=(fl,), travellers=(t,))

    _batch(store, pnr_on(second))
    _batch(store, api_on(first, "SMITH", "AAA111"))
    _batch(store, api_on(first, "NOBODY", "ZZZ999"), pnr_on(first))
    with store.read() as conn:
        stored = _stored(conn)
        assert stored == recomputed_links(conn, _flight_ids(conn))
    assert sorted(rule for _, _, rule in stored.values()) == ["locator+name"]


@pytest.mark.postgres
def test_ingest_keeps_the_statistics_of_the_correlation_tables(store: Store) -> None:
    """Without planner statistics (autovacuum off or behind, a bulk load) PostgreSQL scans
    whole tables for each batch's key look-ups: a batch analyses the tables whose
    statistics are missing or stale (``store.statistics``)."""
    if store.engine.dialect.name != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    with store.read() as conn:
        assert set(stale_tables(conn, RELINK_TABLES)) == set(RELINK_TABLES)
    _day(store, 5)
    with store.read() as conn:
        analysed = set(
            conn.execute(
                text(
                    "SELECT relname FROM pg_stat_user_tables WHERE schemaname ="
                    " current_schema() AND last_analyze IS NOT NULL"
                )
            ).scalars()
        )
    assert analysed >= set(RELINK_TABLES)
    assert "booking_version" not in analysed  # only what the look-ups read


def test_a_flight_without_api_travellers_looks_no_key_up(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PNR pushes on a flight that no API list names yet (before check-in) cannot change a
    link: ``relink`` reads none of their keys and looks none up; once a list is in, a
    changed booking's keys are looked up again and its travellers linked."""
    fl = _flight(1)
    smith = Traveller(ref="1", surname="SMITH", given_names="ANN", raw_name="SMITH/ANN")
    jones = Traveller(ref="2", surname="JONES", given_names="BOB", raw_name="JONES/BOB")
    seen: list[str] = []

    def capture(conn: Connection, sql: str, params: Any = ()) -> Any:
        seen.append(sql)
        return run_sql(conn, sql, params)

    # ``relink`` sends its statements on the DB-API cursor (``rows.run_sql``).
    monkeypatch.setattr(relink_module, "run_sql", capture)

    def push(*messages: PnrMessage | ApiMessage) -> list[str]:
        seen.clear()
        _batch(store, *messages)
        # The look-ups of API travellers by key and the read of versions' keys (not the
        # check of which flights have a list, nor the statistics' upkeep).
        keyed = ("FROM api_traveller a", "FROM document k", "b.locator, t.name_key, d.number_key")
        return [q for q in seen if q.startswith("SELECT") and any(k in q for k in keyed)]

    def pnr(*travellers: Traveller) -> PnrMessage:
        legs = _booking(random.Random(0), "AAA111", fl).legs
        b = Booking(locator="AAA111", created_at=DEP, travellers=travellers, legs=legs)
        return PnrMessage(
            sender="DL", reference="R", action=PushAction.CHANGES, flight=fl, bookings=(b,)
        )

    assert push(pnr(smith)) == []
    assert push(pnr(smith, jones)) == []  # a new version, still no list: nothing looked up
    listed = ApiTraveller(
        role=ApiRole.PASSENGER, surname="SMITH", given_names="ANN", booking_locator="AAA111"
    )
    push(ApiMessage(sender="DL", reference="A", flights=(fl,), travellers=(listed,)))
    assert push(pnr(smith)) != []  # a new version (JONES left) on a listed flight: looked up
    with store.read() as conn:
        stored = _stored(conn)
        assert stored == recomputed_links(conn, _flight_ids(conn))
    assert [rule for _, _, rule in stored.values()] == ["locator+name"]

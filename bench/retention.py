"""Retention benchmark: time to depersonalise and delete a month of data, SQLite and PostgreSQL.

A synthetic slice is written straight into a fresh store (no parsing): bookings of two
travellers with documents, contacts, payments and frequent-flyer numbers, a third with a
second version, 100 bookings per flight, an API list per flight, 1% of travellers flagged.
Then the EU profile runs twice (default chunk size): at 6 months + 1 day (the unflagged 99%
are deleted, the flagged 1% masked and sealed) and at 5 years + 1 day (everything is
deleted). The rate per passenger is extrapolated to a France-scale month
(``bench/synth.py`` at scale 1.0: 561,460 passengers a day, i.e. about 16.8 million a
month). On PostgreSQL the tables are vacuumed after the 6-month run (timed apart, wall-clock
and CPU incl. the server, and added to the month): its ``DELETE`` leaves the rows' index
entries and dead versions to (auto)vacuum, which SQLite's ``DELETE`` removes at once.

Wall-clock time on a shared machine mostly measures the other processes, so the CPU time
is printed as well: this process (``resource.getrusage``; SQLite works in it) plus, on
PostgreSQL, the server processes serving the bench's connections (``/proc/<pid>/stat``,
when the server runs on this machine), with the month extrapolated from it too. The
airport tables (time zones, and the countries of the intra-EU check) are loaded before the
clock starts (a fixed 0.3-0.5 s per process, not a cost per passenger). So is the
PostgreSQL ``ANALYZE`` of the freshly loaded tables (what autovacuum does after a bulk load,
and a retention run does first when it has not: a cost per run bounded by its sample),
timed and printed apart, as is the one before the 5-year run (the 6-month run's deletions
leave the statistics stale in a store of several months).

PostgreSQL runs once per ``--pg-jobs`` value (default ``1,2``: the serial walk, then the
5-year and mask-age steps on two connections at once, ``privacy.retention_fanout``), each
on a freshly loaded schema of its own, in this process: the comparison is made on the same
host at the same moment. The CPU line splits this process's CPU (the client, all its
threads) from the server's. The PostgreSQL month of the headline is the last run's (the
parallel one by default), from its wall-clock time.

Usage: ``python bench/retention.py [--bookings 20000] [--no-postgres] [--no-sqlite]
[--chunk N] [--pg-jobs 1,2] [--younger-months N]``. With ``--younger-months 5`` the store
holds five younger months of the same size beside the month deleted, as a store under the
EU profile holds six months: each deletion then works in tables and indexes six times the
month's size (and PostgreSQL's VACUUM scans indexes of six months). PostgreSQL:
``PAXWATCH_BENCH_POSTGRES_URL`` (default the local server, database ``test``).
Goal: under 10 minutes per month of data. The audit trail (one ``DeletionEvent`` per kind of
record and chunk) is verified at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, event, select

from paxwatch.model import (
    ApiMessage,
    ApiRole,
    ApiTraveller,
    Booking,
    Contact,
    ContactKind,
    Document,
    Flight,
    FlightLeg,
    FrequentFlyer,
    Gender,
    Leg,
    Payment,
    PaymentMethod,
    PnrMessage,
    PushAction,
    Traveller,
)
from paxwatch.privacy import audit
from paxwatch.privacy.depersonalise import Vault
from paxwatch.privacy.policies import add_months, load_policy, local_to_utc
from paxwatch.privacy.retention import DEFAULT_CHUNK, run_retention, set_flag
from paxwatch.rules.places import airport_country
from paxwatch.store import repository as repo
from paxwatch.store import schema as s
from paxwatch.store.engine import Store, open_store
from paxwatch.store.statistics import refresh_statistics
from pg_measure import ScratchSchema
from proc_cpu import cpu_seconds

MONTH_PASSENGERS = 561_460 * 30
GOAL_S = 600
T0 = datetime(2026, 3, 1, 6, 0)
NAMES = ["MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "SMITH", "KHAN", "GARCIA"]


def _traveller(rng: random.Random, ref: int) -> Traveller:
    number = f"{rng.randrange(10**8, 10**9)}"
    return Traveller(
        ref=str(ref),
        surname=rng.choice(NAMES),
        given_names="JEAN",
        date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(20000)),
        gender=Gender.MALE,
        documents=(Document(type="P", number=number, issuing_country="FRA", nationality="FRA"),),
        frequent_flyers=(FrequentFlyer(airline="AF", number=number[:8]),),
    )


def _booking(rng: random.Random, i: int, dep: datetime, version: int) -> Booking:
    phone = f"+336{rng.randrange(10**7, 10**8)}"
    return Booking(
        locator=f"B{i:07d}",
        created_at=dep - timedelta(days=20),
        # A string seed each: random.Random(-i) seeds as Random(i) (the sign of an int seed is
        # dropped), which gave both travellers the same document and frequent-flyer numbers.
        travellers=(_traveller(random.Random(f"{i}/1"), 1), _traveller(random.Random(f"{i}/2"), 2)),
        legs=(
            Leg(carrier="AF", number=str(i // 100), origin="CDG", destination="JFK", departure=dep),
        ),
        contacts=(Contact(kind=ContactKind.PHONE, value=phone, raw=phone, source="ADD"),),
        payments=(
            Payment(
                method=PaymentMethod.CARD,
                card_vendor="VI",
                card_number=f"4{i:015d}",
                card_expiry=f"{version:04d}",
            ),
        ),
    )


def load(store: Store, bookings: int, first: int = 0, t0: datetime = T0) -> int:
    """Write the slice (bookings ``first`` to ``first + bookings - 1``, received at ``t0``;
    flags only on the month at ``T0``); returns the number of booked passengers."""
    rng = random.Random(7 + first)
    per_flight = 100
    for start in range(first, first + bookings, per_flight):
        dep = t0 + timedelta(days=2, minutes=start // per_flight)
        fl = Flight(
            carrier="AF",
            number=str(start // per_flight),
            legs=(FlightLeg(origin="CDG", destination="JFK", departure=dep),),
        )
        end = min(start + per_flight, first + bookings)
        items = [_booking(rng, i, dep, 1) for i in range(start, end)]
        changed = [_booking(rng, i, dep, 2) for i in range(start, end, 3)]
        with store.write() as conn:
            for version, batch in enumerate((items, changed)):
                raw = repo.archive_raw(
                    conn,
                    content_hash=uuid.uuid4().hex,
                    body=b"X" * 4000,
                    size=4000,
                    redacted=0,
                    received_at=t0 + timedelta(hours=version),
                    source="bench",
                    name=None,
                    format="pnrgov",
                    status="stored",
                )
                message = PnrMessage(
                    sender="AF", action=PushAction.FULL, flight=fl, bookings=tuple(batch)
                )
                repo.write_pnr_message(conn, message, raw_id=raw, at=t0 + timedelta(hours=version))
            api = ApiMessage(
                sender="AF",
                flights=(fl,),
                travellers=tuple(
                    ApiTraveller(
                        role=ApiRole.PASSENGER,
                        surname=t.surname,
                        given_names=t.given_names,
                        booking_locator=b.locator,
                        documents=t.documents,
                    )
                    for b in items
                    for t in b.travellers
                ),
            )
            raw = repo.archive_raw(
                conn,
                content_hash=uuid.uuid4().hex,
                body=b"A" * 4000,
                size=4000,
                redacted=0,
                received_at=t0,
                source="bench",
                name=None,
                format="paxlst",
                status="stored",
            )
            out = repo.write_api_message(conn, api, raw_id=raw, at=t0)
            for flight_id in out.flight_ids:
                repo.correlate_flight(conn, flight_id, t0)
    if t0 != T0:
        return bookings * 2
    with store.write() as conn:
        ids = list(conn.execute(select(s.traveller.c.id).where(s.traveller.c.ref == "1")).scalars())
        for tid in ids[:: max(1, len(ids) // max(1, bookings * 2 // 100))]:
            set_flag(
                conn,
                by="sup",
                role="supervisor",
                kind="objective_evidence",
                reason="bench",
                review_on=(T0 + timedelta(days=360)).date(),
                traveller_id=tid,
                now=T0,
            )
    return bookings * 2


class CpuClock:
    """CPU seconds of this process plus the PostgreSQL backends of ``engine`` (if local)."""

    def __init__(self, engine: Engine) -> None:
        self.backends: set[int] = set()
        self.postgres = engine.dialect.name == "postgresql"
        if self.postgres:

            @event.listens_for(engine, "connect")
            def _on_connect(dbapi: object, _record: object) -> None:
                cursor = dbapi.cursor()  # type: ignore[attr-defined]
                cursor.execute("SELECT pg_backend_pid()")
                self.backends.add(int(cursor.fetchone()[0]))
                cursor.close()

            engine.dispose()

    def server(self) -> float | None:
        if not self.postgres:
            return None
        return cpu_seconds(self.backends)  # None: not on this machine (or gone)

    def read(self) -> tuple[float, float | None]:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime, self.server()


def _spent(start: tuple[float, float | None], end: tuple[float, float | None]) -> float:
    own = end[0] - start[0]
    if start[1] is None or end[1] is None:
        return own
    return own + end[1] - start[1]


def measure(
    label: str, url: str, bookings: int, chunk: int, jobs: int | None = None, younger: int = 0
) -> float:
    store = open_store(url, upgrade=True)
    vault = Vault([Vault.generate_key()])
    started = time.perf_counter()
    passengers = load(store, bookings)
    # Younger months beside it (``--younger-months``): received 1 to N months before the
    # 5-year clock, after the 6-month one, so that neither run is due to touch them; they
    # make the store as large as the one a month is deleted from (six months of data).
    kept = sum(
        load(store, bookings, k * bookings, add_months(T0, 60 - k)) for k in range(1, younger + 1)
    )
    loaded = time.perf_counter() - started
    # Planner statistics as autovacuum keeps them after a bulk load (PostgreSQL): the run
    # would analyse the tables itself first (``store.statistics``), a cost per run
    # bounded by ANALYZE's sample, not one per passenger; measured and printed apart.
    clock = CpuClock(store.engine)
    cpu_stats, started = clock.read(), time.perf_counter()
    with store.write() as conn:
        analysed = refresh_statistics(conn)
    stats_s, stats_cpu = time.perf_counter() - started, _spent(cpu_stats, clock.read())
    eu = load_policy("eu")
    # Load the airport tables (time zones; countries, for the intra-EU check) before the
    # clock starts: a fixed cost per process, not per passenger.
    local_to_utc(T0, "CDG")
    airport_country("CDG")
    cpu0, started = clock.read(), time.perf_counter()
    mask = run_retention(
        store, add_months(T0, 6) + timedelta(days=1), eu, vault=vault, chunk=chunk, jobs=jobs
    )
    mask_s, cpu1 = time.perf_counter() - started, clock.read()
    vacuum = _vacuum(store, clock)
    # The deletions left the statistics stale (in a store of several months): the 5-year
    # run would analyse first, a cost per run, not per passenger; done and timed apart.
    started = time.perf_counter()
    with store.write() as conn:
        reanalysed = refresh_statistics(conn)
    restats_s = time.perf_counter() - started
    cpu_v, started = clock.read(), time.perf_counter()
    final = run_retention(
        store, add_months(T0, 60) + timedelta(days=1), eu, vault=vault, chunk=chunk, jobs=jobs
    )
    final_s, cpu2 = time.perf_counter() - started, clock.read()
    verified = audit.verify(store)
    store.close()
    rate = passengers / mask_s
    month_s = MONTH_PASSENGERS / rate + MONTH_PASSENGERS * 0.01 / (passengers * 0.01 / final_s)
    mask_cpu, final_cpu = _spent(cpu0, cpu1), _spent(cpu_v, cpu2)
    month_cpu = MONTH_PASSENGERS * (mask_cpu + final_cpu) / passengers
    if vacuum is not None:
        # the index entries and dead rows the month's DELETEs left, cleaned by (auto)vacuum
        month_s += MONTH_PASSENGERS * vacuum[0] / passengers
        month_cpu += MONTH_PASSENGERS * vacuum[1] / passengers
    server = ""
    if cpu0[1] is not None and cpu1[1] is not None:
        server = (
            f" incl. server (6 months: client {cpu1[0] - cpu0[0]:.2f}s, "
            f"server {cpu1[1] - cpu0[1]:.2f}s)"
        )
    print(
        f"  {label:<10} {passengers:,} pax{f' (+{kept:,} younger, kept)' if kept else ''} "
        f"(load {loaded:.0f}s; ANALYZE of {len(analysed)} "
        f"tables {stats_s:.1f}s, CPU {stats_cpu:.2f}s): 6 months {mask_s:.1f}s "
        f"({mask.versions_deleted:,} versions deleted, {mask.versions_masked:,} masked, "
        f"{mask.api_travellers_masked:,} API masked) = {rate:,.0f} pax/s; "
        f"5 years {final_s:.1f}s ({final.bookings_deleted:,} bookings; ANALYZE of "
        f"{len(reanalysed)} tables before it {restats_s:.1f}s; the runs analysed "
        f"{len(mask.analyzed)} and {len(final.analyzed)} themselves); "
        f"audit trail {'verified' if verified.ok else 'BROKEN'} ({verified.checked:,} entries)"
    )
    print(
        f"  {label:<10} CPU{server}: 6 months {mask_cpu:.2f}s = "
        f"{passengers / mask_cpu:,.0f} pax/s, 5 years {final_cpu:.2f}s; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    if vacuum is not None:
        print(
            f"  {label:<10} VACUUM after the 6-month step: {vacuum[0]:.1f}s wall-clock, "
            f"{vacuum[1]:.2f}s CPU incl. server (index entries and dead rows the DELETEs left; "
            f"in the month below)"
        )
    print(
        f"  {label:<10} France-scale month ({MONTH_PASSENGERS:,} pax): "
        f"~{month_s / 60:.1f} min wall-clock, ~{month_cpu / 60:.1f} min CPU (extrapolated)"
    )
    return month_s


def _vacuum(store: Store, clock: CpuClock) -> tuple[float, float] | None:
    """On PostgreSQL, VACUUM the store's tables: what the step's DELETEs leave to do.

    PostgreSQL's ``DELETE`` marks rows dead and leaves their index entries; (auto)vacuum
    removes both later, scanning every index of a table it cleans. That work is part of
    deleting a month (SQLite does it in the ``DELETE``), so it is timed, with the server's
    CPU, and added to the month. ``None`` on SQLite.
    """
    if store.engine.dialect.name != "postgresql":
        return None
    before, started = clock.read(), time.perf_counter()
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        tables = conn.exec_driver_sql(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()"
        ).scalars()
        conn.exec_driver_sql(f"VACUUM {', '.join(tables)}")
    return time.perf_counter() - started, _spent(before, clock.read())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=20_000)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK)
    parser.add_argument(
        "--younger-months",
        type=int,
        default=0,
        help="younger months of the same size in the store, which neither run touches",
    )
    parser.add_argument(
        "--pg-jobs", default="1,2", help="PostgreSQL runs, one per value of jobs (comma list)"
    )
    args = parser.parse_args()
    pg_jobs = [int(j) for j in args.pg_jobs.split(",") if j.strip()]
    results: dict[str, float] = {}
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            results["SQLite"] = measure(
                "SQLite",
                f"sqlite:///{Path(tmp) / 'bench.db'}",
                args.bookings,
                args.chunk,
                younger=args.younger_months,
            )
    for jobs in [] if args.no_postgres else pg_jobs:
        schema = ScratchSchema("pw_bench_")
        try:
            label = f"PG jobs={jobs}"
            month = measure(
                label, schema.url(), args.bookings, args.chunk, jobs, args.younger_months
            )
            results["PostgreSQL" if jobs == pg_jobs[-1] else label] = month
        finally:
            schema.drop()
    headline = {k: v for k, v in results.items() if k in ("SQLite", "PostgreSQL")}
    others = [f"{k} ~{v / 60:.1f} min" for k, v in results.items() if k not in headline]
    if others:
        print(f"  (also: {', '.join(others)})")
    summary = ", ".join(f"{k} ~{v / 60:.1f} min" for k, v in headline.items())
    if "PostgreSQL" in headline:
        summary += f" (jobs={pg_jobs[-1]})"
    verdict = "met" if all(v <= GOAL_S for v in headline.values()) else "not met"
    print(
        f"retention: a France-scale month depersonalised and deleted in {summary} "
        f"(goal 10 min: {verdict})"
    )


if __name__ == "__main__":
    main()

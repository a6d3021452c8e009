"""Ingest benchmark: end-to-end messages/s and passengers/s on SQLite and PostgreSQL.

A slice of PNRGOV pushes (and some PAXLST lists) is generated from model objects with the
writers (``write_pnrgov``, ``write_paxlst``), then ingested through the real pipeline
(``ingest_stream`` in batches, as ``paxwatch ingest`` does): read, minimise, store,
correlate. It runs once in one process, then with ``--jobs`` worker processes (default: the
number of CPUs) that read their batches in parallel and store them one at a time, in
order; the shares of parse and minimise are per worker process. The slice is mostly
change pushes (MSG 141) of 1-3 bookings with some full pushes (MSG 22) of 20 bookings,
travellers with documents, contacts, payments, frequent-flyer numbers, seats, and
remarks/SSRs of which some are sensitive.

Usage: ``python bench/ingest.py [--messages 3000] [--batch 200] [--no-postgres]
[--no-sqlite] [--skip-single] [--day DIR]``. ``--day DIR`` ingests a day written by
``paxwatch synth --out DIR`` instead of the slice, in the order carriers send it
(``day_slice``: no API list before a flight's check-in, lists of whole flights), which is
what the API ↔ PNR correlation's cost depends on; its messages are whole-flight pushes, so
its msg/s is not comparable with the slice's. ``--skip-single`` leaves out SQLite's
one-process run (on a France-scale day, the run with workers is the one that matters).
Besides wall-clock rates it prints the CPU time per message (this process and its worker
processes; not the database server), which a busy shared machine hardly affects, and the
part of it spent inside the write transactions, which run one at a time: that part bounds
the rate however many processes read.
PostgreSQL: ``PAXWATCH_BENCH_POSTGRES_URL`` (default the local server, database ``test``);
a schema is created for the run and dropped after.

Goal: >= 1,100 messages/s (a France-scale day of about 2 million pushes in 30 minutes).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.pool import Pool

from paxwatch.formats.paxlst_write import write_paxlst
from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.ingest import stream
from paxwatch.ingest.pipeline import DEFAULT_BATCH, IngestItem
from paxwatch.ingest.stream import ingest_stream
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
    MessagePart,
    Payment,
    PaymentMethod,
    PnrMessage,
    PushAction,
    Remark,
    SpecialService,
    Traveller,
)
from paxwatch.privacy.minimise import load_config
from paxwatch.store.engine import open_store

sys.path.insert(0, str(Path(__file__).parent))
from pg_measure import ScratchSchema, ServerCpu, StatementCounter
from proc_cpu import run_ns

GOAL = 1100
SURNAMES = ["MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "SMITH", "KHAN", "GARCIA", "MULLER"]
GIVEN = ["JEAN", "MARIE", "PIERRE", "ANNE", "ALI", "SOFIA", "LUCAS", "EMMA", "OMAR", "LEA"]
AIRPORTS = ["CDG", "ORY", "NCE", "LYS", "JFK", "DXB", "LHR", "YUL", "ALG", "CMN", "IST"]


@dataclass(frozen=True, slots=True)
class Slice:
    items: list[IngestItem]
    passengers: int


def _traveller(rng: random.Random, ref: int) -> Traveller:
    surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
    dob = date(1950, 1, 1) + timedelta(days=rng.randrange(25000))
    doc = Document(
        type="P",
        number=f"{rng.randrange(10**8, 10**9)}",
        issuing_country="FRA",
        nationality="FRA",
        date_of_birth=dob,
        gender=Gender.MALE,
        surname=surname,
        given_names=given,
    )
    return Traveller(
        ref=str(ref),
        surname=surname,
        given_names=given,
        raw_name=f"{surname}/{given}",
        date_of_birth=dob,
        documents=(doc,),
        frequent_flyers=(FrequentFlyer(airline="AF", number=f"{rng.randrange(10**9)}"),),
    )


def _booking(rng: random.Random, locator: str, flight: Flight, travellers: int) -> Booking:
    dep = flight.departure or datetime(2026, 12, 1)
    services = [SpecialService(code=rng.choice(["FQTV", "CKIN", "XBAG"]), status="HK")]
    remarks = []
    if rng.random() < 0.3:
        services.append(SpecialService(code=rng.choice(["MOML", "WCHR", "KSML"]), status="HK"))
    if rng.random() < 0.3:
        remarks.append(Remark(kind="OSI", text="PAX NEEDS INSULIN", code="AF"))
    if rng.random() < 0.1:
        remarks.append(Remark(kind="OSI", text="UMNR 9 YRS SPEAKS FRENCH", code="AF"))
    return Booking(
        locator=locator,
        created_at=dep - timedelta(days=20),
        travellers=tuple(_traveller(rng, i + 1) for i in range(travellers)),
        legs=(
            Leg(
                carrier=flight.carrier,
                number=flight.number,
                origin=flight.origin or "CDG",
                destination=flight.destination or "JFK",
                departure=dep,
                status="HK",
            ),
        ),
        contacts=(
            Contact(kind=ContactKind.PHONE, value=f"+3361{rng.randrange(10**7):07d}"),
            Contact(kind=ContactKind.EMAIL, value=f"p{rng.randrange(10**6)}@example.com"),
        ),
        payments=(
            Payment(
                method=PaymentMethod.CARD,
                card_vendor="VI",
                card_number=f"XXXXXXXXXXXX{rng.randrange(10**4):04d}",
            ),
        ),
        special_services=tuple(services),
        remarks=tuple(remarks),
    )


def _flight(rng: random.Random, i: int) -> Flight:
    origin, destination = rng.sample(AIRPORTS, 2)
    dep = datetime(2026, 12, 1, 6) + timedelta(minutes=17 * i)
    return Flight(
        carrier="AF",
        number=str(100 + i),
        legs=(FlightLeg(origin=origin, destination=destination, departure=dep),),
    )


#: The pushes of a synthetic day's flight, in the order they are sent (file name labels).
SCHEDULE = ("T-72", "T-48", "T-24", "API", "T0")


def day_slice(folder: Path) -> Slice:
    """The messages of a day written by ``paxwatch synth --out folder`` in the order the
    carriers send them: every flight's T-72 push, then the T-48, the T-24, the API lists
    (check-in) and the T0 (closure) pushes (each label for all flights in turn; the files
    name it). Unlike ``make_slice`` (flights and API lists of 5-30 travellers drawn in
    random order), a flight has no API list before its check-in, and a list holds the
    whole flight: what the API ↔ PNR correlation costs depends on both."""
    files = sorted(p for p in folder.glob("*/messages/*") if p.is_file())
    if not files:
        raise SystemExit(f"no messages under {folder}/*/messages: run `paxwatch synth --out DIR`")
    labels = "|".join(re.escape(x) for x in SCHEDULE)
    label = re.compile(rf"_({labels})(?:_p\d+of\d+)?\.")
    rank = {name: i for i, name in enumerate(SCHEDULE)}

    def order(path: Path) -> tuple[int, str]:
        found = label.search(path.name)
        return (rank[found.group(1)] if found else len(SCHEDULE), path.name)

    items = [
        IngestItem(data=p.read_bytes(), source="bench", name=p.name)
        for p in sorted(files, key=order)
    ]
    passengers = 0
    for truth in folder.glob("*/truth.jsonl"):
        summary = json.loads(truth.read_text(encoding="utf-8").splitlines()[-1])
        passengers += int(summary.get("passengers", 0))
    return Slice(items, passengers)


def make_slice(messages: int, seed: int = 7) -> Slice:
    """Generate ``messages`` inputs (PNRGOV change and full pushes, some PAXLST)."""
    rng = random.Random(seed)
    flights = [_flight(rng, i) for i in range(max(messages // 40, 1))]
    items: list[IngestItem] = []
    passengers = 0
    n = 0
    while len(items) < messages:
        flight = rng.choice(flights)
        roll = rng.random()
        if roll < 0.08:
            bookings = tuple(
                _booking(rng, f"F{n:05d}{k}", flight, rng.randint(1, 3)) for k in range(20)
            )
            msg = PnrMessage(
                sender="AF",
                reference=f"M{n}",
                action=PushAction.FULL,
                flight=flight,
                part=MessagePart(number=1, final=True),
                bookings=bookings,
            )
            data = write_pnrgov(msg)
            passengers += sum(len(b.travellers) for b in bookings)
        elif roll < 0.18:
            travellers = tuple(
                ApiTraveller(
                    role=ApiRole.PASSENGER,
                    surname=rng.choice(SURNAMES),
                    given_names=rng.choice(GIVEN),
                    booking_locator=f"C{rng.randrange(n + 1):06d}",
                    documents=(Document(type="P", number=f"{rng.randrange(10**9)}"),),
                )
                for _ in range(rng.randint(5, 30))
            )
            api = ApiMessage(
                sender="AF", reference=f"A{n}", flights=(flight,), travellers=travellers
            )
            data = write_paxlst(api)
            passengers += len(travellers)
        else:
            bookings = tuple(
                _booking(rng, f"C{rng.randrange(n + 1):06d}", flight, rng.randint(1, 3))
                for _ in range(rng.randint(1, 3))
            )
            msg = PnrMessage(
                sender="AF",
                reference=f"M{n}",
                action=PushAction.CHANGES,
                flight=flight,
                bookings=bookings,
            )
            data = write_pnrgov(msg)
            passengers += sum(len(b.travellers) for b in bookings)
        items.append(IngestItem(data=data.encode("utf-8"), source="bench", name=f"m{n}"))
        n += 1
    return Slice(items=items, passengers=passengers)


@dataclass(frozen=True, slots=True)
class Figures:
    backend: str
    messages: int
    passengers: int
    seconds: float
    parse: float
    minimise: float
    cpu: float = 0.0
    #: CPU seconds inside the write transactions, which run one at a time whatever the
    #: number of processes: this bounds the rate.
    store_cpu: float = 0.0
    #: CPU seconds of the database server processes serving the run (PostgreSQL only).
    server_cpu: float | None = None
    #: Statements sent to the database server (``--count-statements``).
    statements: int | None = None
    #: Wall seconds the worker processes waited for the turn to store, and held it.
    wait: float = 0.0
    turn: float = 0.0
    #: PostgreSQL with worker processes: server and worker CPU seconds spent inserting rows
    #: before the turn (``prepare.stage_early``), off the serial path.
    early_server: float = 0.0
    early_cpu: float = 0.0
    #: With worker processes on PostgreSQL: server and worker CPU seconds spent holding
    #: the turn (the serial path: the rate is at most 1 / their sum per message).
    turn_server: float = 0.0
    turn_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return self.messages / self.seconds

    @property
    def pax_rate(self) -> float:
        return self.passengers / self.seconds

    def line(self) -> str:
        store = max(self.seconds - self.parse - self.minimise, 0.0)
        share = [100 * x / self.seconds for x in (self.parse, self.minimise, store)]
        return (
            f"{self.backend:10} {self.messages:6} msgs {self.seconds:6.2f}s "
            f"{self.rate:8,.0f} msg/s {self.pax_rate:9,.0f} pax/s   "
            f"parse {share[0]:4.1f}%  minimise {share[1]:4.1f}%  store {share[2]:4.1f}%  "
            f"cpu {1000 * self.cpu / self.messages:.2f} ms/msg "
            f"(of which storing, one at a time: {1000 * self.store_cpu / self.messages:.2f})"
            + (
                f" server cpu {1000 * self.server_cpu / self.messages:.2f} ms/msg"
                if self.server_cpu is not None
                else ""
            )
            + (
                f" statements {self.statements / self.messages:.1f}/msg"
                if self.statements is not None
                else ""
            )
            + (
                f" turn {1000 * self.turn / self.messages:.2f} ms/msg"
                f" (wait {1000 * self.wait / self.messages:.2f})"
                if self.turn
                else ""
            )
            + (
                f" in the turn: server {1000 * self.turn_server / self.messages:.2f}"
                f" worker {1000 * self.turn_cpu / self.messages:.2f} ms/msg"
                if self.turn_cpu
                else ""
            )
            + (
                f" before the turn: server {1000 * self.early_server / self.messages:.2f}"
                f" worker {1000 * self.early_cpu / self.messages:.2f} ms/msg"
                if self.early_cpu
                else ""
            )
        )


def run(
    url: str,
    backend: str,
    data: Slice,
    batch: int,
    jobs: int = 1,
    server: ServerCpu | None = None,
    counter: StatementCounter | None = None,
) -> Figures:
    store = open_store(url, upgrade=True)
    config = load_config()
    for i in range(4):
        _SPLIT[i] = 0.0
    parse = minimise = serial = wait = turn = 0.0
    try:
        if server is not None:
            server.start()
        if counter is not None:
            counter.reset()
        cpu0 = _cpu()
        start = time.perf_counter()
        for result in ingest_stream(store, data.items, batch=batch, jobs=jobs, config=config):
            parse += result.timings.parse
            minimise += result.timings.minimise
            serial += result.timings.store_cpu
            # (getattr: the same script measures code before these timings existed)
            wait += getattr(result.timings, "wait", 0.0)
            turn += getattr(result.timings, "turn", 0.0)
        seconds = time.perf_counter() - start
        cpu = _cpu() - cpu0
    finally:
        server_cpu = server.stop() if server is not None else None
        store.close()
    label = backend if jobs == 1 else f"{backend} x{jobs}"
    return Figures(
        label,
        len(data.items),
        data.passengers,
        seconds,
        parse / jobs,
        minimise / jobs,
        cpu,
        serial,
        server_cpu,
        counter.total() if counter is not None else None,
        wait / jobs,
        turn,
        _SPLIT[0],
        _SPLIT[1],
        _SPLIT[2],
        _SPLIT[3],
    )


#: Server and worker CPU seconds spent in ``stage_early`` (before the turn, off the serial path)
#: then in the turn (server, worker), summed over the worker processes (shared memory:
#: the workers are forked after ``_measure_split`` wraps the functions).
_SPLIT = multiprocessing.Array("d", 4)
#: The PostgreSQL backends of the connections of each process: (process, backend).
_BACKENDS: list[tuple[int, int]] = []
_TURN_START: list[tuple[dict[int, int], float]] = []


def _backends_ns() -> dict[int, int]:
    out = {}
    me = os.getpid()
    for process, pid in _BACKENDS:
        ns = run_ns(pid) if process == me else None
        if ns is not None:
            out[pid] = ns
    return out


def _measure_split() -> None:
    """Wrap ``stream.stage_early`` (if the code has it) and the turn's ``wait`` / ``done``
    to add up the CPU time before and in the turn, the server's read from
    ``/proc/<backend>/schedstat`` of this worker's own backends (the server must run on
    this machine)."""
    if multiprocessing.get_start_method() != "fork":
        return

    def connected(dbapi_connection: Any, _record: Any) -> None:
        info = getattr(dbapi_connection, "info", None)
        pid = getattr(info, "backend_pid", None)
        if isinstance(pid, int):
            _BACKENDS.append((os.getpid(), pid))

    event.listen(Pool, "connect", connected)
    turns = stream._Turns
    wait, done = turns.wait, turns.done

    def measured_wait(self: Any, number: int) -> None:
        wait(self, number)
        _TURN_START.append((_backends_ns(), time.process_time()))

    def measured_done(self: Any, number: int) -> None:
        if _TURN_START:
            before, c0 = _TURN_START.pop()
            now = _backends_ns()
            server = sum(ns - before.get(pid, ns) for pid, ns in now.items()) / 1e9
            with _SPLIT.get_lock():
                _SPLIT[2] += server
                _SPLIT[3] += time.process_time() - c0
        done(self, number)

    turns.wait = measured_wait  # type: ignore[method-assign]
    turns.done = measured_done  # type: ignore[method-assign]
    original = getattr(stream, "stage_early", None)
    if original is None:
        return

    def measured(conn: Any, prepared: Any, *args: Any) -> Any:
        pid = conn.connection.driver_connection.info.backend_pid
        s0, c0 = run_ns(pid), time.process_time()
        try:
            return original(conn, prepared, *args)
        finally:
            s1, c1 = run_ns(pid), time.process_time()
            with _SPLIT.get_lock():
                _SPLIT[0] += (s1 - s0) / 1e9 if s0 is not None and s1 is not None else 0.0
                _SPLIT[1] += c1 - c0

    stream.stage_early = measured


def _cpu() -> float:
    """CPU seconds of this process and its finished worker processes (not the database
    server's): unlike wall time, hardly affected by other load on a shared machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_postgres(
    data: Slice, batch: int, jobs: int, counter: StatementCounter | None = None
) -> Figures | None:
    try:
        schema = ScratchSchema("pw_bench_")
    except Exception as exc:
        print(f"PostgreSQL skipped: {exc}")
        return None
    try:
        dsn = make_url(schema.base).set(drivername="postgresql")
        server = (
            ServerCpu(dsn.render_as_string(hide_password=False), schema.name)
            if sys.platform.startswith("linux")
            else None
        )
        return run(schema.url(tagged=True), "PostgreSQL", data, batch, jobs, server, counter)
    finally:
        schema.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH)
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: CPUs)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--count-statements",
        action="store_true",
        help="count the statements sent to PostgreSQL (slows the client a little)",
    )
    parser.add_argument(
        "--skip-single",
        action="store_true",
        help="SQLite: only the run with worker processes, not the one-process run first",
    )
    parser.add_argument(
        "--day",
        type=Path,
        help="a `paxwatch synth --out DIR` day, in the order carriers send it (not the slice)",
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    data = day_slice(args.day) if args.day else make_slice(args.messages)
    size = sum(len(i.data) for i in data.items)
    print(
        f"slice: {len(data.items)} messages, {data.passengers} passengers, "
        f"{size / 1e6:.1f} MB, generated in {time.perf_counter() - t0:.1f}s; batch {args.batch}"
    )
    jobs = args.jobs or os.cpu_count() or 1
    sqlite = None
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            if not (args.skip_single and jobs > 1):
                sqlite = run(f"sqlite:///{Path(tmp) / 'one.db'}", "SQLite", data, args.batch)
                print(sqlite.line())
            if jobs > 1:
                many = run(f"sqlite:///{Path(tmp) / 'many.db'}", "SQLite", data, args.batch, jobs)
                print(many.line())
                sqlite = many if sqlite is None else max(sqlite, many, key=lambda f: f.rate)
    counter = StatementCounter() if args.count_statements else None
    _measure_split()
    pg = None if args.no_postgres else run_postgres(data, args.batch, jobs, counter)
    if pg is not None:
        print(pg.line())
    parts = []
    if sqlite is not None:
        parts.append(f"{sqlite.rate:,.0f} msg/s ({sqlite.pax_rate:,.0f} pax/s) on SQLite")
    if pg is not None:
        parts.append(f"{pg.rate:,.0f} msg/s ({pg.pax_rate:,.0f} pax/s) on PostgreSQL")
    print(f"ingest: {', '.join(parts) or 'nothing run'} (goal {GOAL:,} msg/s)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

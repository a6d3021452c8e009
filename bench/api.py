"""API latency under load: the hit queue and booking look-ups, 50 concurrent clients.

Generates a synthetic day (``paxwatch.synth``, departing the day after tomorrow so that
every flight is inside the analysts' assessment window), imports its watch list as an
active list, ingests the day with the assessment hook (so there are hits) into a temporary
SQLite store (or ``--url``; ``--keep DIR`` keeps the SQLite day and reuses it next time),
creates an analyst with an API token, then starts ``paxwatch serve --workers N`` in a
second process on 127.0.0.1 and drives ``--clients`` concurrent clients against
``GET /queue?limit=50`` and ``GET /bookings/{locator}`` (alternately) until ``--requests``
requests or ``--seconds`` have passed. Each request of both endpoints also writes its
``PersonalDataRead`` audit event.

The load client (``--client raw``, the default) writes its HTTP/1.1 requests by hand on
keep-alive connections and reads each answer by its ``Content-Length``: about 0.2 ms of CPU
per request, so that on a small machine the figures measure the server and not the client
(httpx, ``--client httpx``, spends about 4 ms per request on the same cores).

    .venv/bin/python bench/api.py [--scale 0.01] [--clients 50] [--requests 3000]
        [--workers 1] [--client raw|httpx] [--keep DIR]

Prints p50/p95/p99 latency per endpoint, the throughput, the CPU time per request of the
server's processes and of the load client, and the load average; the last line is the
headline (goal: p99 < 100 ms on SQLite with a day of data).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import func, select

from paxwatch.assess.hook import install, uninstall
from paxwatch.assess.watchlists import ListFormat, SourceMeta, import_file, set_active
from paxwatch.ingest.directory import ingest_paths
from paxwatch.privacy.access import Role
from paxwatch.privacy.tokens import create_token
from paxwatch.privacy.users import create_user
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import open_store
from proc_cpu import cpu_seconds

META = SourceMeta(
    name="Synthetic national list",
    type="persons_sought",
    owner="PIU (synthetic)",
    legal_basis="synthetic test data",
    offence_category="terrorism",
)
ROOT = Path(__file__).resolve().parent.parent


def _prepare(
    url: str, work: Path, scale: float, seed: int
) -> tuple[str, list[str], dict[str, int]]:
    """Generate and ingest the day; the analyst's token, locators to look up, figures."""
    from paxwatch.synth.config import SynthConfig
    from paxwatch.synth.day import generate_day

    day = date.today() + timedelta(days=2)
    generate_day(SynthConfig(day=day, seed=seed, scale=scale), work)
    folder = work / day.isoformat()
    store = open_store(url, upgrade=True)
    try:
        import_file(store, folder / "watchlist.jsonl", "SYN", ListFormat.NATIONAL_JSONL, meta=META)
        set_active(store, "SYN", True, by="bench")
        install(store)
        summary = ingest_paths(store, [folder / "messages"])
        uninstall(store)
        create_user(store, "bench.analyst", Role.ANALYST, actor="bench")
        token = create_token(store, "bench.analyst", name="bench", actor="bench").token
        with store.read() as conn:
            b, h = s.booking, sa_.hit
            locators = list(conn.execute(select(b.c.locator).order_by(b.c.id)).scalars())
            figures = {
                "messages": summary.files if hasattr(summary, "files") else 0,
                "bookings": len(locators),
                "travellers": int(
                    conn.execute(select(func.count()).select_from(s.traveller)).scalar_one()
                ),
                "hits": int(conn.execute(select(func.count()).select_from(h)).scalar_one()),
            }
    finally:
        store.close()
    return token, locators, figures


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PAXWATCH_API_TOKENS": ""}
    command = [
        sys.executable,
        "-c",
        "from paxwatch.cli import main; main()",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--database-url",
        url,
    ]
    if workers > 1:
        command += ["--workers", str(workers)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait(base: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("paxwatch serve stopped before answering")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("paxwatch serve did not answer in time")


class Result:
    """Latencies per endpoint, errors by kind, and the wall time of a run."""

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {"queue": [], "booking": []}
        self.errors: dict[str, int] = {}
        self.elapsed = 0.0

    def error(self, key: str) -> None:
        self.errors[key] = self.errors.get(key, 0) + 1


def _plan(locators: list[str], requests: int) -> list[tuple[str, str]]:
    """The requests to send, alternately the queue's first page and a random booking."""
    rng = random.Random(7)
    return [
        ("queue", "/queue?limit=50") if n % 2 else ("booking", f"/bookings/{rng.choice(locators)}")
        for n in range(requests)
    ]


async def _drive_httpx(
    base: str, token: str, plan: list[tuple[str, str]], clients: int, seconds: float
) -> Result:
    """The load through httpx ``AsyncClient`` (about 4 ms of client CPU per request)."""
    result = Result()
    work = iter(plan)
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(http: httpx.AsyncClient) -> None:
        for name, path in work:
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            try:
                r = await http.get(path)
            except httpx.TransportError as exc:  # counted, not fatal: the report says how many
                result.error(f"{name} {type(exc).__name__}")
                continue
            result.latencies[name].append(time.perf_counter() - started)
            if r.status_code != 200:
                result.error(f"{name} {r.status_code}")

    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as http:
        await http.get("/queue?limit=1")  # warm the token's last-use and caches
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        result.elapsed = time.perf_counter() - started
    return result


class _Connection:
    """One keep-alive HTTP/1.1 connection: hand-written requests, answers read by their
    ``Content-Length`` (a few microseconds of client CPU per request)."""

    def __init__(self, host: str, port: int, prefix: str, token: str) -> None:
        self.host, self.port, self.prefix = host, port, prefix
        self.tail = f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        """Send ``GET path`` and read the whole answer; its status."""
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(b"GET " + (self.prefix + path).encode() + b" HTTP/1.1\r\n" + self.tail)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length, close = -1, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            lowered = name.strip().lower()
            if lowered == b"content-length":
                length = int(value)
            elif lowered == b"connection" and value.strip().lower() == b"close":
                close = True
            elif lowered == b"transfer-encoding":
                raise ConnectionError("chunked answer: the raw client reads Content-Length only")
        if length < 0:
            raise ConnectionError("answer without Content-Length")
        await self.reader.readexactly(length)
        if close:
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _drive_raw(
    base: str, token: str, plan: list[tuple[str, str]], clients: int, seconds: float
) -> Result:
    """The load through raw keep-alive connections (one per client)."""
    parsed = urlsplit(base)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    result = Result()
    work = iter(plan)

    async def client(conn: _Connection) -> None:
        for name, path in work:
            if time.monotonic() >= deadline:
                break
            started = time.perf_counter()
            try:
                status = await conn.get(path)
            except (OSError, ConnectionError, asyncio.IncompleteReadError) as exc:
                result.error(f"{name} {type(exc).__name__}")
                conn.close()
                continue
            result.latencies[name].append(time.perf_counter() - started)
            if status != 200:
                result.error(f"{name} {status}")
        conn.close()

    connections = [_Connection(host, port, parsed.path, token) for _ in range(clients)]
    for conn in connections:  # open every connection (and warm the token) before timing
        await conn.get("/queue?limit=1")
    deadline = time.monotonic() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(client(conn) for conn in connections))
    result.elapsed = time.perf_counter() - started
    return result


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux ``/proc``)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            tasks = Path(f"/proc/{current}/task").iterdir()
            for task in tasks:
                text = (task / "children").read_text()
                todo.extend(int(c) for c in text.split())
        except OSError:
            continue
    return out


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _day(url: str, work: Path, keep: Path | None, scale: float, seed: int) -> tuple[str, list[str]]:
    """Prepare the day, or reuse the one kept in ``keep`` (same scale and seed)."""
    saved = keep / "bench-api.json" if keep is not None else None
    if saved is not None and saved.exists():
        data = json.loads(saved.read_text())
        if data["scale"] == scale and data["seed"] == seed:
            print(f"day reused from {keep}: {data['figures']}")
            return str(data["token"]), list(data["locators"])
    t0 = time.perf_counter()
    token, locators, figures = _prepare(url, work, scale, seed)
    print(
        f"day ready in {time.perf_counter() - t0:.0f}s: {figures['bookings']} bookings, "
        f"{figures['travellers']} traveller rows, {figures['hits']} hits"
    )
    if saved is not None:
        record = {"scale": scale, "seed": seed, "token": token, "locators": locators}
        saved.write_text(json.dumps({**record, "figures": figures}))
    return token, locators


def _report(result: Result, args: argparse.Namespace, backend: str, cpu: float | None) -> None:
    total = sum(len(v) for v in result.latencies.values())
    rate = total / result.elapsed if result.elapsed else 0.0
    for name, values in result.latencies.items():
        mean = 1000 * statistics.fmean(values) if values else float("nan")
        print(
            f"{name:8s} n={len(values):5d}  p50 {_pct(values, 0.5):6.1f} ms  "
            f"p95 {_pct(values, 0.95):6.1f} ms  p99 {_pct(values, 0.99):6.1f} ms  "
            f"mean {mean:6.1f} ms"
        )
    print(f"{total} requests in {result.elapsed:.1f}s: {rate:.0f} requests/s")
    if cpu is not None and total:
        # The machine may be shared: the server's own CPU time per request does not depend
        # on what else runs (the latencies do).
        print(f"server CPU {1000 * cpu / total:.2f} ms per request")
    if result.errors:
        print("errors:", ", ".join(f"{k}: {n}" for k, n in sorted(result.errors.items())))
    workers = f"{args.workers} worker{'s' if args.workers > 1 else ''}"
    print(
        f"api: queue p99 {_pct(result.latencies['queue'], 0.99):.0f} ms, booking p99 "
        f"{_pct(result.latencies['booking'], 0.99):.0f} ms at {args.clients} clients "
        f"({backend}, {workers}, {args.client} client, {rate:.0f} req/s, "
        f"load {os.getloadavg()[0]:.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01, help="Synthetic day scale.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1, help="paxwatch serve --workers.")
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw")
    parser.add_argument("--url", help="Store URL (default: a temporary SQLite file).")
    parser.add_argument(
        "--keep", type=Path, help="Keep the SQLite day in this folder and reuse it next time."
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pxw-bench-api-"))
    store_dir = args.keep if args.keep is not None and not args.url else work
    store_dir.mkdir(parents=True, exist_ok=True)
    url = args.url or f"sqlite:///{store_dir / 'paxwatch.db'}"
    try:
        token, locators = _day(
            url, work, args.keep if not args.url else None, args.scale, args.seed
        )
        if url.startswith("sqlite"):
            size = sum(f.stat().st_size for f in store_dir.glob("paxwatch.db*"))
            print(f"store {size / 2**20:.0f} MiB")
        port = _free_port()
        process = _serve(url, port, args.workers)
        base = f"http://127.0.0.1:{port}/api/v1"
        plan = _plan(locators, args.requests)
        drive = _drive_raw if args.client == "raw" else _drive_httpx
        try:
            _wait(base, process)
            time.sleep(1 if args.workers > 1 else 0)  # every worker up
            pids = _tree(process.pid)
            cpu_before = cpu_seconds(pids)
            client_before = time.process_time()
            result = asyncio.run(drive(base, token, plan, args.clients, args.seconds))
            client_cpu = time.process_time() - client_before
            cpu_after = cpu_seconds(pids)
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    backend = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    total = sum(len(v) for v in result.latencies.values())
    if total:
        print(f"load client CPU {1000 * client_cpu / total:.2f} ms per request")
    _report(result, args, backend, cpu)
    sys.stdout.flush()


if __name__ == "__main__":
    main()

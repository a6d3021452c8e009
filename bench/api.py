"""API latency under load: the hit queue and booking look-ups, 50 concurrent clients.

Generates a synthetic day (``paxwatch.synth``, departing the day after tomorrow so that
every flight is inside the analysts' assessment window), imports its watch list as an
active list, ingests the day with the assessment hook (so there are hits) into a temporary
SQLite store (or ``--url``), creates an analyst with an API token, then starts
``paxwatch serve`` (uvicorn, one worker) in a second process on 127.0.0.1 and drives
``--clients`` concurrent clients (httpx ``AsyncClient``) against ``GET /queue`` and
``GET /bookings/{locator}`` until ``--requests`` requests or ``--seconds`` have passed.
Each request of both endpoints also writes its ``PersonalDataRead`` audit event.

    .venv/bin/python bench/api.py [--scale 0.01] [--clients 50] [--requests 3000]

Prints p50/p95/p99 latency per endpoint and the throughput; the last line is the headline
(goal: p99 < 100 ms on SQLite with a day of data).
"""

from __future__ import annotations

import argparse
import asyncio
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


def _serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PAXWATCH_API_TOKENS": ""}
    command = [
        str(ROOT / ".venv" / "bin" / "paxwatch"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--database-url",
        url,
    ]
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


async def _drive(
    base: str, token: str, locators: list[str], clients: int, requests: int, seconds: float
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    latencies: dict[str, list[float]] = {"queue": [], "booking": []}
    errors: dict[str, int] = {}
    budget = [requests]
    rng = random.Random(7)
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(http: httpx.AsyncClient, n: int) -> None:
        turn = n
        while budget[0] > 0 and time.monotonic() < deadline:
            budget[0] -= 1
            turn += 1
            if turn % 2:
                name, path = "queue", "/queue?limit=50"
            else:
                name, path = "booking", f"/bookings/{rng.choice(locators)}"
            started = time.perf_counter()
            try:
                r = await http.get(path)
            except httpx.TransportError as exc:  # counted, not fatal: the report says how many
                key = f"{name} {type(exc).__name__}"
                errors[key] = errors.get(key, 0) + 1
                continue
            latencies[name].append(time.perf_counter() - started)
            if r.status_code != 200:
                key = f"{name} {r.status_code}"
                errors[key] = errors.get(key, 0) + 1

    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as http:
        await http.get("/queue?limit=1")  # warm the token's last-use and caches
        started = time.perf_counter()
        await asyncio.gather(*(client(http, n) for n in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, errors, elapsed


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux ``/proc``; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01, help="Synthetic day scale.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--url", help="Store URL (default: a temporary SQLite file).")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pxw-bench-api-"))
    url = args.url or f"sqlite:///{work / 'paxwatch.db'}"
    try:
        t0 = time.perf_counter()
        token, locators, figures = _prepare(url, work, args.scale, args.seed)
        print(
            f"day ready in {time.perf_counter() - t0:.0f}s: {figures['bookings']} bookings, "
            f"{figures['travellers']} traveller rows, {figures['hits']} hits"
        )
        port = _free_port()
        process = _serve(url, port)
        base = f"http://127.0.0.1:{port}/api/v1"
        try:
            _wait(base, process)
            cpu_before = _cpu_seconds(process.pid)
            latencies, errors, elapsed = asyncio.run(
                _drive(base, token, locators, args.clients, args.requests, args.seconds)
            )
            cpu_after = _cpu_seconds(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    total = sum(len(v) for v in latencies.values())
    backend = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    for name, values in latencies.items():
        print(
            f"{name:8s} n={len(values):5d}  p50 {_pct(values, 0.5):6.1f} ms  "
            f"p95 {_pct(values, 0.95):6.1f} ms  p99 {_pct(values, 0.99):6.1f} ms  "
            f"mean {1000 * statistics.fmean(values):6.1f} ms"
        )
    print(f"{total} requests in {elapsed:.1f}s: {total / elapsed:.0f} requests/s")
    if cpu_before is not None and cpu_after is not None and total:
        # The machine may be shared: the server's own CPU time per request does not depend
        # on what else runs (the latencies do).
        print(f"server CPU {1000 * (cpu_after - cpu_before) / total:.2f} ms per request")
    if errors:
        print("non-200 answers:", ", ".join(f"{k}: {n}" for k, n in sorted(errors.items())))
    print(
        f"api: queue p99 {_pct(latencies['queue'], 0.99):.0f} ms, booking p99 "
        f"{_pct(latencies['booking'], 0.99):.0f} ms at {args.clients} clients "
        f"({backend}, 1 worker, {total / elapsed:.0f} req/s)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()

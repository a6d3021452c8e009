"""Crash tests: a worker killed with SIGKILL mid-ingest, then restarted, stores every input
exactly once (the directory loader and the JetStream worker, on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from paxwatch.formats.pnrgov_write import write_pnrgov
from paxwatch.ingest.worker import WorkerConfig, publish_files
from paxwatch.store import repository as repo
from paxwatch.store.engine import Store, open_store
from paxwatch.store.keys import sha256_hex
from paxwatch.store.schema import booking_version, raw_message
from tests.store.factory import booking, pnr, traveller
from tests.store.helpers import BACKENDS, store_url

CLI = "from paxwatch.cli import app; import paxwatch.cli.ingest, paxwatch.cli.store; app()"
N_FILES = 30


def _write_messages(folder: Path) -> list[Path]:
    """30 messages: 24 bookings, 6 of them pushed again with a change (a second version)."""
    folder.mkdir()
    files = []
    for i in range(N_FILES):
        n = i % 24
        phone = f"+4417536{n:05d}" if i < 24 else f"+3314000{n:05d}"
        b = booking(f"CR{n:04d}", traveller(f"NAME{n}"), phone=phone)
        path = folder / f"{i:03d}.edi"
        path.write_text(write_pnrgov(pnr(b, reference=f"R{i}")), encoding="utf-8")
        files.append(path)
    return files


def _count(store: Store) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(raw_message)).scalar_one()


def _kill_when(proc: subprocess.Popen[bytes], store: Store, at_least: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        stored = _count(store)
        if stored >= at_least:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return stored
        time.sleep(0.01)
    raise AssertionError(f"the worker ended before it was killed: {proc.poll()}")


def _check_exactly_once(store: Store, files: list[Path]) -> None:
    with store.read() as conn:
        rows = {r.content_hash: r for r in repo.list_raw(conn)}
        versions = conn.execute(select(func.count()).select_from(booking_version)).scalar_one()
        bodies = {h: repo.raw_body(conn, r.id) for h, r in rows.items()}
        histories = [repo.booking_history(conn, f"CR{n:04d}") for n in range(24)]
    assert len(rows) == len(files)
    for path in files:
        data = path.read_bytes()
        digest = sha256_hex(data)
        assert digest in rows and rows[digest].status == "stored"
        assert bodies[digest] == data
    assert versions == N_FILES
    assert all(len(h) == 1 for h in histories)
    assert sorted(len(h[0].versions) for h in histories) == [1] * 18 + [2] * 6
    for h in histories:
        last = h[0].versions[-1]
        n = int(h[0].locator[2:])
        expected = f"+3314000{n:05d}" if n < N_FILES - 24 else f"+4417536{n:05d}"
        assert expected in last.content_json


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "PAXWATCH_DATABASE_URL": url}


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Store]]:
    with store_url(request.param, tmp_path) as url:
        store = open_store(url, upgrade=True)
        try:
            yield url, store
        finally:
            store.close()


def test_directory_ingest_killed_and_resumed(db: tuple[str, Store], tmp_path: Path) -> None:
    url, store = db
    files = _write_messages(tmp_path / "in")
    args = [sys.executable, "-c", CLI, "ingest", str(tmp_path / "in")]
    slow = subprocess.Popen(
        [*args, "--batch", "1", "--throttle", "0.05"],
        env=_env(url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stored = _kill_when(slow, store, at_least=5)
    assert stored < N_FILES
    done = subprocess.run(args, env=_env(url), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "already stored" in done.stdout
    _check_exactly_once(store, files)


def _nats_or_skip(config: WorkerConfig) -> None:
    async def probe() -> None:
        import nats

        nc = await nats.connect(config.url, connect_timeout=2, max_reconnect_attempts=0)
        await nc.close()

    try:
        asyncio.run(probe())
    except Exception as exc:  # pragma: no cover - CI has the server
        pytest.skip(f"NATS not reachable at {config.url}: {exc}")


def _delete_stream(config: WorkerConfig) -> None:
    async def delete() -> None:
        import nats

        nc = await nats.connect(config.url)
        try:
            await nc.jetstream().delete_stream(config.stream)
        finally:
            await nc.close()

    asyncio.run(delete())


@pytest.mark.nats
def test_jetstream_worker_killed_and_restarted(db: tuple[str, Store], tmp_path: Path) -> None:
    url, store = db
    tag = uuid.uuid4().hex[:10]
    config = WorkerConfig.from_env(
        stream=f"PWTEST_{tag}", subject=f"pwtest_{tag}.messages", durable=f"pwtest-{tag}"
    )
    _nats_or_skip(config)
    files = _write_messages(tmp_path / "in")
    try:
        assert publish_files(files, config=config) == N_FILES
        assert publish_files(files[:3], config=config) == 0  # JetStream drops resends too
        args = [
            sys.executable,
            "-c",
            CLI,
            "worker",
            "--nats-url",
            config.url,
            "--stream",
            config.stream,
            "--subject",
            config.subject,
            "--durable",
            config.durable,
            "--ack-wait",
            "2",
        ]
        slow = subprocess.Popen(
            [*args, "--batch", "1", "--throttle", "0.05"],
            env=_env(url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stored = _kill_when(slow, store, at_least=5)
        assert stored < N_FILES
        done = subprocess.run(
            [*args, "--idle-exit", "5"], env=_env(url), capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        _check_exactly_once(store, files)
    finally:
        _delete_stream(config)

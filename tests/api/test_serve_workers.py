"""``paxwatch serve --workers 2``: two worker processes answer on one port, every read is
audited once, and the audit trail is still one verifying chain."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from paxwatch.privacy.access import Role
from paxwatch.privacy.audit import PersonalDataRead, list_events, verify
from paxwatch.privacy.tokens import create_token
from paxwatch.privacy.users import create_user
from paxwatch.store.engine import open_store

REQUESTS = 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "paxwatch serve stopped"
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail("paxwatch serve --workers 2 did not answer")


def _worker_pids(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_two_workers_audit_one_chain(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'paxwatch.db'}"
    store = open_store(url, upgrade=True)
    create_user(store, "ana", Role.ANALYST, actor="test")
    token = create_token(store, "ana", name="t", actor="test").token
    port = _free_port()
    env = {**os.environ, "PAXWATCH_API_TOKENS": "", "PAXWATCH_RETENTION_INTERVAL_HOURS": "0"}
    command = [sys.executable, "-c", "from paxwatch.cli import main; main()", "serve"]
    command += ["--port", str(port), "--workers", "2", "--database-url", url]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        _wait(base, process)
        assert len(_worker_pids(process.pid)) >= 2

        def get(n: int) -> int:
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
                return client.get("/queue", params={"purpose": f"check {n}"}).status_code

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(get, range(REQUESTS)))
        unauthenticated = httpx.get(f"{base}/queue", timeout=10).status_code
    finally:
        process.terminate()
        process.wait(timeout=60)
    assert statuses == [200] * REQUESTS
    assert unauthenticated == 401
    result = verify(store)
    assert result.ok, result.problem
    with store.read() as conn:
        reads = list_events(conn, event_type=PersonalDataRead, limit=None)
    purposes = sorted(str(e.data()["purpose"]) for e in reads)
    assert purposes == sorted(f"check {n}" for n in range(REQUESTS))
    store.close()


def test_worker_app_freezes_what_start_up_built(tmp_path: Path) -> None:
    """A worker's start-up objects are out of the collector's reach (its full collections
    were the p99 of the API benchmark); the count is read in a fresh interpreter."""
    url = f"sqlite:///{tmp_path / 'paxwatch.db'}"
    open_store(url, upgrade=True).close()
    code = (
        "import gc; from paxwatch.cli.serve import worker_app; "
        "before = gc.get_freeze_count(); worker_app(); "
        "print(before, gc.get_freeze_count())"
    )
    env = {**os.environ, "PAXWATCH_DATABASE_URL": url, "PAXWATCH_API_TOKENS": ""}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    before, after = (int(x) for x in done.stdout.split())
    assert before == 0
    assert after > 10_000  # the modules and the application, not a handful of objects

"""``paxwatch demo``: the product tour. A small synthetic day, ingested into a fresh embedded
store, then the analyst UI and the API served.

1. ``paxwatch synth`` at a small scale (fixed seed) for today (``--day``) into ``OUT/demo/``;
2. a fresh SQLite store ``OUT/paxwatch.db`` (the previous demo database is removed), migrated;
   the day's generated watch list imported as source ``DEMO`` and activated;
3. the day ingested with a progress bar, every traveller screened and assessed against the
   rules at ingest, and a summary table;
4. demo accounts (two analysts, a supervisor, a DPO, an administrator, an auditor) with
   passwords generated for this run and printed once;
5. unless ``--no-serve``, the UI on ``http://127.0.0.1:8000/ui/`` and the API on
   ``http://127.0.0.1:8000/api/v1`` with a read and a push token generated for this run
   (printed), until Ctrl-C. The session cookie is not ``Secure`` here (plain HTTP on the
   loopback); production serves the UI behind TLS with secure cookies on.
"""

from __future__ import annotations

import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Table as SqlTable
from sqlalchemy import func, select

from paxwatch.assess.hook import install
from paxwatch.assess.watchlists import ListFormat, SourceMeta, import_file, set_active
from paxwatch.cli import app
from paxwatch.ingest.directory import DirectorySummary, ingest_paths, iter_files
from paxwatch.ingest.pipeline import IngestResult
from paxwatch.privacy.access import Role
from paxwatch.privacy.users import create_user
from paxwatch.store import repository as repo
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa
from paxwatch.store.engine import Store, open_store

console = Console()

DEMO_USERS: tuple[tuple[str, Role], ...] = (
    ("alice", Role.ANALYST),
    ("bruno", Role.ANALYST),
    ("carla", Role.SUPERVISOR),
    ("dora", Role.DPO),
    ("admin", Role.ADMINISTRATOR),
    ("otto", Role.AUDITOR),
)
"""The demo accounts: user name and role (passwords are generated at each run)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoTotals:
    """The figures of the summary table."""

    messages: int
    stored: int
    quarantined: int
    flights: int
    bookings: int
    versions: int
    travellers: int
    api_travellers: int
    api_matched: int
    sensitive_deletions: int
    hits: int


def _count(store: Store, table: SqlTable) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def totals(store: Store, summary: DirectorySummary) -> DemoTotals:
    """Count what the demo day left in the store."""
    with store.read() as conn:
        flights = repo.list_flights(conn)
        deletions = repo.deletion_counts(conn)
    return DemoTotals(
        messages=summary.files,
        stored=summary.stored,
        quarantined=summary.quarantined,
        flights=len(flights),
        bookings=_count(store, s.booking),
        versions=_count(store, s.booking_version),
        travellers=sum(f.booked_travellers for f in flights),
        api_travellers=sum(f.api_travellers for f in flights),
        api_matched=sum(f.matched for f in flights),
        sensitive_deletions=sum(d.count for d in deletions if d.category.startswith("sensitive")),
        hits=_count(store, sa.hit),
    )


def _fresh_database(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)


def _generate(out: Path, day: date, scale: float, seed: int) -> Path:
    from paxwatch.synth.config import SynthConfig
    from paxwatch.synth.day import generate_day

    demo = out / "demo"
    shutil.rmtree(demo, ignore_errors=True)
    config = SynthConfig(day=day, seed=seed, scale=scale)
    columns = (TextColumn("synth  "), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("synth", total=config.flights)
        generate_day(
            config, demo, progress=lambda done, total, _s: bar.update(task, completed=done)
        )
    return demo / day.isoformat() / "messages"


DEMO_LIST = SourceMeta(
    name="Synthetic persons sought (demo)",
    type="persons_sought",
    owner="paxwatch demo",
    legal_basis="demonstration on synthetic data only",
    offence_category="terrorism",
)


def _watchlist(store: Store, messages: Path) -> int:
    """Import and activate the day's generated watch list; returns its number of entries."""
    outcome = import_file(
        store,
        messages.parent / "watchlist.jsonl",
        "DEMO",
        ListFormat.NATIONAL_JSONL,
        meta=DEMO_LIST,
        by="demo",
    )
    set_active(store, "DEMO", True, by="demo")
    return outcome.imported


def _ingest(store: Store, messages: Path, jobs: int) -> DirectorySummary:
    total = sum(1 for _ in iter_files([messages]))
    columns = (TextColumn("ingest "), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("ingest", total=total)

        def advance(_path: Path, _result: IngestResult) -> None:
            bar.advance(task)

        return ingest_paths(store, [messages], jobs=jobs, progress=advance, source="demo")


def create_demo_users(store: Store) -> list[tuple[str, Role, str]]:
    """The demo accounts with generated passwords: (user name, role, password)."""
    out = []
    for username, role in DEMO_USERS:
        created = create_user(store, username, role, actor="demo")
        out.append((username, role, created.generated_password or ""))
    return out


def _table(t: DemoTotals, day: date, seconds: float) -> Table:
    table = Table(title=f"paxwatch demo: synthetic day {day} ingested in {seconds:.1f}s")
    table.add_column("figure")
    table.add_column("value", justify="right")
    rows = (
        ("messages ingested", f"{t.messages:,}"),
        ("flights", f"{t.flights:,}"),
        ("bookings", f"{t.bookings:,}"),
        ("booking versions", f"{t.versions:,}"),
        ("travellers on flights now", f"{t.travellers:,}"),
        ("API travellers matched to a booking", f"{t.api_matched:,}"),
        ("API travellers unmatched", f"{t.api_travellers - t.api_matched:,}"),
        ("quarantined inputs", f"{t.quarantined:,}"),
        ("sensitive data deleted (items)", f"{t.sensitive_deletions:,}"),
        ("automated hits to review", f"{t.hits:,}"),
    )
    for name, value in rows:
        table.add_row(name, value)
    return table


@app.command("demo")
def demo(
    scale: Annotated[float, typer.Option(help="Size of the day (1.0 = France scale).")] = 0.01,
    day: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Day to generate (today).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed of the synthetic day.")] = 7,
    out: Annotated[Path, typer.Option(help="Data directory.")] = Path("paxwatch-data"),
    jobs: Annotated[int, typer.Option(help="Processes reading messages.")] = 1,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the UI and the API after.")
    ] = True,
    host: Annotated[str, typer.Option(help="Address of the UI and the API.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the UI and the API.")] = 8000,
) -> None:
    """The product tour: generate a synthetic day, ingest and assess it into a fresh store,
    create demo accounts, summarise, and serve the analyst UI and the API."""
    started = time.perf_counter()
    the_day = day.date() if day is not None else datetime.now(UTC).date()
    messages = _generate(out, the_day, scale, seed)
    db = out / "paxwatch.db"
    _fresh_database(db)
    url = f"sqlite:///{db}"
    store = open_store(url, upgrade=True)
    try:
        _watchlist(store, messages)
        install(store)
        summary = _ingest(store, messages, jobs)
        figures = totals(store, summary)
        accounts = create_demo_users(store)
    finally:
        store.close()
    console.print(_table(figures, the_day, time.perf_counter() - started))
    console.print(f"messages in {messages}, store {db}")
    console.print("demo accounts (passwords generated for this run, shown once):")
    for username, role, password in accounts:
        console.print(f"  {role.value:<14} {username:<8} {password}", highlight=False)
    if not serve:
        return
    _serve(host, port, url, the_day)


def _serve(host: str, port: int, url: str, day: date) -> None:
    """Serve the UI and the API over the demo store until Ctrl-C."""
    from paxwatch.api.settings import ApiSettings, ApiToken
    from paxwatch.cli.serve import run_api
    from paxwatch.privacy.tokens import create_token
    from paxwatch.review.reasons import load_review_config
    from paxwatch.web import WebSettings

    store = open_store(url, upgrade=False)
    try:
        analyst = create_token(store, "alice", name="demo", days=1, actor="demo")
    finally:
        store.close()
    push_token = secrets.token_urlsafe(18)
    settings = ApiSettings(
        tokens={push_token: ApiToken(name="demo-carrier", scopes=frozenset({"push"}))}
    )
    base = f"http://{host}:{port}/api/v1"
    console.print(f"analyst UI on [bold]http://{host}:{port}/ui/[/] (sign in as alice)")
    console.print(f"API on [bold]{base}[/] (docs {base}/docs); Ctrl-C stops")
    console.print(f"alice's API token: [bold]{analyst.token}[/]   carrier push token: {push_token}")
    console.print(f'try: curl -H "Authorization: Bearer {analyst.token}" "{base}/queue"')
    web = WebSettings(secure_cookies=False, review=load_review_config())
    run_api(host, port, url, settings=settings, web=web, upgrade=False)

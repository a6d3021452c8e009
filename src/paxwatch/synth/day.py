"""Generating a whole day, flight by flight, streaming to disk.

Layout of the output (``OUT/<day>/``): ``messages/`` with one file per message or part
(``AF0596_20260301_FDFCDG_T-72.edi``, ``..._T0_p02of03.xml``, ``..._API.edi``),
``watchlist.jsonl`` and ``truth.jsonl``. Flights are independent (each has its own random
stream, seeded by the seed, the day and the flight id), so they can be generated in worker
processes; results are written in schedule order, so the bytes do not depend on the
number of workers. Memory holds the schedule, the special bookings and one flight per
worker, never the day.
"""

from __future__ import annotations

import multiprocessing
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from paxwatch.synth.config import SynthConfig
from paxwatch.synth.deviations import deviate
from paxwatch.synth.flightgen import FlightPlan, plan_flight
from paxwatch.synth.planting import plan_specials
from paxwatch.synth.pushes import OutMessage, api_messages, pnr_messages
from paxwatch.synth.schedule import ScheduledFlight, build_schedule
from paxwatch.synth.specials import SpecialBooking
from paxwatch.synth.truth import booking_record, dumps, flight_record, traveller_record
from paxwatch.synth.watchlist import generate_watchlist, read_watchlist, write_watchlist


@dataclass(frozen=True, slots=True)
class Delivered:
    """A message as generated (``out.model``, ``clean`` text) and as delivered (``text``)."""

    out: OutMessage
    filename: str
    clean: str
    text: str
    deviations: tuple[str, ...]
    broken: bool


def serialise(out: OutMessage) -> str:
    """The message in its syntax, by the formats writers (imported when first needed)."""
    from paxwatch.model.message import ApiMessage

    if isinstance(out.model, ApiMessage):
        from paxwatch.formats.paxlst_write import write_paxlst

        return write_paxlst(out.model)
    if out.syntax == "xml":
        from paxwatch.formats.pnrgov_xml_write import write_pnrgov_xml

        return write_pnrgov_xml(out.model)
    from paxwatch.formats.pnrgov_write import write_pnrgov

    return write_pnrgov(out.model)


def flight_messages(config: SynthConfig, plan: FlightPlan) -> Iterator[Delivered]:
    """Every message of a planned flight, serialised, with its deviations applied."""
    rng = random.Random(f"{config.seed}|{config.day.isoformat()}|{plan.flight.flight_id}|msg")
    for out in [*pnr_messages(config, plan, rng), *api_messages(config, plan)]:
        clean = serialise(out)
        mrng = random.Random(f"{config.seed}|{out.stem}")
        text, kinds, broken = deviate(
            clean, out.syntax, mrng, config.deviation_share, config.broken_share
        )
        ext = ".xml" if out.syntax == "xml" else ".edi"
        yield Delivered(out, out.stem + ext, clean, text, kinds, broken)


@dataclass(frozen=True, slots=True)
class FlightJob:
    config: SynthConfig
    flight: ScheduledFlight
    specials: tuple[SpecialBooking, ...]
    messages_dir: str


@dataclass(slots=True)
class FlightResult:
    lines: list[str]
    stats: Counter[str] = field(default_factory=Counter)


def run_flight(job: FlightJob) -> FlightResult:
    """Generate one flight: write its message files, return its truth lines and counts."""
    plan = plan_flight(job.config, job.flight, job.specials)
    stats: Counter[str] = Counter()
    lines: list[str] = []
    files: list[str] = []
    msg_lines: list[str] = []
    directory = Path(job.messages_dir)
    for d in flight_messages(job.config, plan):
        (directory / d.filename).write_bytes(d.text.encode("utf-8"))
        files.append(d.filename)
        stats[f"messages.{d.out.push if d.out.push == 'API' else d.out.syntax}"] += 1
        stats["messages"] += 1
        stats["deviated"] += bool(d.deviations and d.deviations != ("truncated",))
        stats["broken"] += d.broken
        for kind in d.deviations:
            stats[f"deviation.{kind}"] += 1
        msg_lines.append(
            dumps(
                {
                    "type": "message",
                    "file": d.filename,
                    "flight_id": plan.flight.flight_id,
                    "push": d.out.push,
                    "syntax": d.out.syntax,
                    "part": d.out.model.part.number if d.out.model.part else None,
                    "final_part": d.out.model.part.final if d.out.model.part else None,
                    "count": d.out.model.declared_count,
                    "deviations": list(d.deviations),
                    "broken": d.broken,
                }
            )
        )
    lines.append(dumps(flight_record(plan, files)))
    stats["flights"] += 1
    for b in plan.bookings:
        lines.append(dumps(booking_record(plan, b)))
        if b.cancelled_at is None:
            stats["bookings"] += 1
            stats[f"booking.{b.kind}"] += 1
            lead = (plan.flight.departure - b.created_at).total_seconds() / 86400
            bucket = (
                "<1d"
                if lead < 1
                else "<7d"
                if lead < 7
                else "<30d"
                if lead < 30
                else ("<90d" if lead < 90 else ">=90d")
            )
            stats[f"lead.{bucket}"] += 1
        else:
            stats["bookings.cancelled"] += 1
        for t in b.travellers:
            lines.append(dumps(traveller_record(plan, b, t)))
            if b.cancelled_at is None:
                stats["passengers"] += 1
                stats[f"origin.{t.person.origin}"] += 1
            stats[f"role.{t.role}"] += 1
            for label in t.labels if t.role == "plant" else ():
                stats[f"variant.{label}"] += 1
    lines.extend(msg_lines)
    return FlightResult(lines, stats)


ProgressFn = Callable[[int, int, Counter[str]], None]


def generate_day(
    config: SynthConfig,
    out_dir: Path,
    *,
    watchlist: Path | None = None,
    progress: ProgressFn | None = None,
) -> Counter[str]:
    """Write the day under ``out_dir/<day>/`` and return its figures."""
    day_dir = out_dir / config.day.isoformat()
    messages = day_dir / "messages"
    messages.mkdir(parents=True, exist_ok=True)
    schedule = build_schedule(config)
    listed = read_watchlist(watchlist, config.day) if watchlist else generate_watchlist(config)
    write_watchlist((e for e, _ in listed), day_dir / "watchlist.jsonl")
    specials, plan_records = plan_specials(config, schedule, listed)
    jobs = (FlightJob(config, f, tuple(specials.get(f.index, ())), str(messages)) for f in schedule)
    total: Counter[str] = Counter()
    with (day_dir / "truth.jsonl").open("w", encoding="utf-8", newline="\n") as truth:
        conf: dict[str, Any] = asdict(config)
        conf.pop("workers")
        truth.write(dumps({"type": "config", **conf}) + "\n")
        for record in plan_records:
            truth.write(dumps(record) + "\n")
        for i, result in enumerate(_results(config, jobs)):
            truth.write("\n".join(result.lines) + "\n")
            total.update(result.stats)
            if progress is not None:
                progress(i + 1, len(schedule), total)
        summary = {"type": "summary", **{k: total[k] for k in sorted(total)}}
        truth.write(dumps(summary) + "\n")
    return total


def _results(config: SynthConfig, jobs: Iterator[FlightJob]) -> Iterator[FlightResult]:
    if config.workers <= 1:
        yield from map(run_flight, jobs)
        return
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(config.workers) as pool:
        yield from pool.imap(run_flight, jobs, chunksize=4)

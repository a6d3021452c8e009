"""The NATS JetStream ingest worker, and ``publish`` to feed it.

Carriers' messages (or the router in front of them) are published to subject
``paxwatch.messages`` of stream ``PAXWATCH``. Workers share one durable pull consumer
(``paxwatch-ingest``): each fetches a batch, ingests it (one transaction, see
``ingest_many``) and acknowledges the messages only after the commit. A worker killed
before its acknowledgement leaves the messages to be redelivered after ``ack_wait``; the
content-hash dedupe then stores each input exactly once, whether or not the first attempt
had committed.

A message that keeps failing (``max_deliver`` attempts, e.g. the database rejects it) is
archived in quarantine with the error on its last delivery, so nothing is dropped silently.

Headers: ``Paxwatch-Source`` (default ``nats``) and ``Paxwatch-Name`` describe the input;
``publish`` sets ``Nats-Msg-Id`` to the content hash, so JetStream also drops resends inside
its duplicate window.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, StreamConfig
from nats.js.errors import NotFoundError

from paxwatch.ingest.pipeline import IngestItem, IngestResult, ingest_many
from paxwatch.model import Finding, Severity
from paxwatch.privacy.minimise import load_config
from paxwatch.privacy.redact import redact_raw
from paxwatch.store import repository as repo
from paxwatch.store.engine import Store
from paxwatch.store.keys import sha256_hex, utcnow

NATS_URL_ENV = "PAXWATCH_NATS_URL"
DEFAULT_NATS_URL = "nats://127.0.0.1:4222"
STREAM = "PAXWATCH"
SUBJECT = "paxwatch.messages"
DURABLE = "paxwatch-ingest"
SOURCE_HEADER = "Paxwatch-Source"
NAME_HEADER = "Paxwatch-Name"
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkerConfig:
    """Where the worker reads from and how (defaults from ``PAXWATCH_NATS_*``)."""

    url: str = DEFAULT_NATS_URL
    stream: str = STREAM
    subject: str = SUBJECT
    durable: str = DURABLE
    batch: int = 64
    ack_wait: float = 60.0
    max_deliver: int = 5
    idle_exit: float | None = None
    throttle: float = 0.0

    @classmethod
    def from_env(cls, **overrides: object) -> WorkerConfig:
        env = {
            "url": os.environ.get(NATS_URL_ENV),
            "stream": os.environ.get("PAXWATCH_NATS_STREAM"),
            "subject": os.environ.get("PAXWATCH_NATS_SUBJECT"),
            "durable": os.environ.get("PAXWATCH_NATS_DURABLE"),
        }
        values: dict[str, object] = {k: v for k, v in env.items() if v}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


@dataclass(slots=True)
class WorkerStats:
    """What a worker did since it started."""

    received: int = 0
    stored: int = 0
    duplicate: int = 0
    quarantined: int = 0
    failed: int = 0


async def ensure_stream(js: JetStreamContext, config: WorkerConfig) -> None:
    """Create the stream if it does not exist (file storage, 2-minute duplicate window)."""
    try:
        await js.stream_info(config.stream)
    except NotFoundError:
        await js.add_stream(
            StreamConfig(
                name=config.stream,
                subjects=[config.subject],
                duplicate_window=120.0,
            )
        )


async def _connect(url: str) -> tuple[Client, JetStreamContext]:
    nc = await nats.connect(url, connect_timeout=5, max_reconnect_attempts=-1)
    return nc, nc.jetstream()


async def publish(
    items: Iterable[tuple[bytes, str | None]],
    *,
    config: WorkerConfig | None = None,
    source: str = "nats",
) -> int:
    """Publish inputs ``(data, name)`` to the ingest stream; return how many were accepted."""
    config = config or WorkerConfig.from_env()
    nc, js = await _connect(config.url)
    count = 0
    try:
        await ensure_stream(js, config)
        for data, name in items:
            headers = {"Nats-Msg-Id": sha256_hex(data), SOURCE_HEADER: source}
            if name:
                headers[NAME_HEADER] = name
            ack = await js.publish(config.subject, data, headers=headers, stream=config.stream)
            count += 0 if ack.duplicate else 1
    finally:
        await nc.close()
    return count


def publish_files(paths: Iterable[Path], *, config: WorkerConfig | None = None) -> int:
    """Publish files (synchronously; for operators and tests)."""
    return asyncio.run(publish(((p.read_bytes(), str(p)) for p in paths), config=config))


def _item(msg: Msg) -> IngestItem:
    headers = msg.headers or {}
    return IngestItem(
        data=msg.data, source=headers.get(SOURCE_HEADER, "nats"), name=headers.get(NAME_HEADER)
    )


def _count(stats: WorkerStats, results: Iterable[IngestResult]) -> None:
    for result in results:
        if result.status == "stored":
            stats.stored += 1
        elif result.status == "duplicate":
            stats.duplicate += 1
        else:
            stats.quarantined += 1


def _quarantine_failure(store: Store, item: IngestItem, error: str) -> None:
    """Keep an input that the pipeline could not store, with the error, in quarantine."""
    finding = Finding(
        severity=Severity.ERROR,
        code="ingest-failed",
        message=f"storing failed on every delivery: {error}. Retry it from quarantine.",
    )
    digest = sha256_hex(item.data)
    body, redacted = redact_raw(item.data, (), load_config())
    with store.write() as conn:
        if repo.find_raw(conn, digest) is not None:
            return
        raw_id = repo.archive_raw(
            conn,
            content_hash=digest,
            body=body,
            size=len(item.data),
            redacted=redacted,
            received_at=utcnow(),
            source=item.source,
            name=item.name,
            format=None,
            status="quarantined",
        )
        repo.quarantine_raw(conn, raw_id, reason="ingest-failed", findings=[finding], at=utcnow())


async def _handle_one(store: Store, msg: Msg, config: WorkerConfig, stats: WorkerStats) -> None:
    item = _item(msg)
    try:
        results = await asyncio.to_thread(ingest_many, store, [item])
        _count(stats, results)
        await msg.ack_sync()
    except Exception as exc:
        stats.failed += 1
        delivered = msg.metadata.num_delivered if msg.metadata else 1
        _log.exception("ingest failed", extra={"delivered": delivered})
        if delivered >= config.max_deliver:
            await asyncio.to_thread(_quarantine_failure, store, item, f"{type(exc).__name__}")
            await msg.ack_sync()
        else:
            await msg.nak(delay=min(2.0**delivered, 60.0))


async def _handle(store: Store, msgs: list[Msg], config: WorkerConfig, stats: WorkerStats) -> None:
    stats.received += len(msgs)
    try:
        results = await asyncio.to_thread(ingest_many, store, [_item(m) for m in msgs])
    except Exception:
        _log.warning("batch failed; handling its messages one by one")
        for msg in msgs:
            await _handle_one(store, msg, config, stats)
        return
    _count(stats, results)
    # Acknowledge only now that the batch is committed.
    for msg in msgs:
        await msg.ack_sync()


async def run_worker(
    store: Store, config: WorkerConfig | None = None, stop: asyncio.Event | None = None
) -> WorkerStats:
    """Consume the stream until ``stop`` is set (or, with ``idle_exit``, until it is idle)."""
    config = config or WorkerConfig.from_env()
    stop = stop or asyncio.Event()
    stats = WorkerStats()
    nc, js = await _connect(config.url)
    try:
        await ensure_stream(js, config)
        sub = await js.pull_subscribe(
            config.subject,
            durable=config.durable,
            stream=config.stream,
            config=ConsumerConfig(
                ack_policy=AckPolicy.EXPLICIT,
                ack_wait=config.ack_wait,
                max_deliver=config.max_deliver,
            ),
        )
        idle = 0.0
        while not stop.is_set():
            try:
                msgs = await sub.fetch(config.batch, timeout=1.0)
            except (TimeoutError, NatsTimeout):
                # nats-py raises its own TimeoutError, or asyncio's when a batch fetch
                # runs out of time between two requests: both mean "nothing to do".
                idle += 1.0
                if config.idle_exit is not None and idle >= config.idle_exit:
                    break
                continue
            idle = 0.0
            await _handle(store, msgs, config, stats)
            if config.throttle > 0:
                await asyncio.sleep(config.throttle)
    finally:
        await nc.close()
    return stats

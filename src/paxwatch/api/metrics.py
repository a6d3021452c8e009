"""``GET /api/v1/metrics``: Prometheus text format (version 0.0.4), no personal data.

What it exposes:

- ``paxwatch_messages_total{status}``: messages ingested, by status (stored, duplicate,
  quarantined, …), from the store;
- ``paxwatch_hits{status}``: stored hits by status, and ``paxwatch_queue_size``: hits
  waiting for a human decision (``new`` and ``in_review``);
- ``paxwatch_http_requests_total{method,route,status}`` and
  ``paxwatch_http_request_duration_seconds{method,route}`` (a histogram): requests of this
  process by route *template* (``/api/v1/hits/{hit_id}``, never the id).

Who may read it: a token whose role has ``read_stats`` (administrator, auditor, DPO,
analyst, supervisor; a Prometheus scraper uses an administrator's or auditor's token).
The request figures are per process: with several workers, scrape each.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse
from sqlalchemy import func, select

from paxwatch.api.deps import StoreDep, permit
from paxwatch.api.problems import PROBLEM_RESPONSES
from paxwatch.privacy.access import Action, Principal
from paxwatch.store import schema as s
from paxwatch.store import schema_assess as sa_
from paxwatch.store.engine import Store

router = APIRouter(tags=["metrics"])

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
QUEUE_STATUSES = ("new", "in_review")

StatsReader = Annotated[Principal, Depends(permit(Action.READ_STATS))]


class RequestMetrics:
    """Request counts and latency histograms by route template (thread safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str, int], int] = defaultdict(int)
        self._buckets: dict[tuple[str, str], list[int]] = {}
        self._sums: dict[tuple[str, str], float] = defaultdict(float)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one request."""
        key = (method, route)
        with self._lock:
            self._counts[(method, route, status)] += 1
            buckets = self._buckets.setdefault(key, [0] * (len(BUCKETS) + 1))
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    buckets[i] += 1
            buckets[-1] += 1
            self._sums[key] += seconds

    def lines(self) -> list[str]:
        """The request metrics in the text format."""
        with self._lock:
            counts = sorted(self._counts.items())
            hists = sorted((k, list(v), self._sums[k]) for k, v in self._buckets.items())
        out = [
            "# HELP paxwatch_http_requests_total HTTP requests by route template and status.",
            "# TYPE paxwatch_http_requests_total counter",
        ]
        for (method, route, status), n in counts:
            out.append(
                f'paxwatch_http_requests_total{{method="{method}",route="{_esc(route)}",'
                f'status="{status}"}} {n}'
            )
        name = "paxwatch_http_request_duration_seconds"
        out += [
            f"# HELP {name} HTTP request latency by route template.",
            f"# TYPE {name} histogram",
        ]
        for (method, route), buckets, total in hists:
            labels = f'method="{method}",route="{_esc(route)}"'
            for bound, n in zip(BUCKETS, buckets, strict=False):
                out.append(f'{name}_bucket{{{labels},le="{bound}"}} {n}')
            out.append(f'{name}_bucket{{{labels},le="+Inf"}} {buckets[-1]}')
            out.append(f"{name}_sum{{{labels}}} {total:.6f}")
            out.append(f"{name}_count{{{labels}}} {buckets[-1]}")
        return out


def _esc(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def store_lines(store: Store) -> list[str]:
    """Messages by status, hits by status and the queue size, from the store."""
    with store.read() as conn:
        raw = s.raw_message
        messages = conn.execute(
            select(raw.c.status, func.count()).group_by(raw.c.status).order_by(raw.c.status)
        ).all()
        h = sa_.hit
        hits = conn.execute(
            select(h.c.status, func.count()).group_by(h.c.status).order_by(h.c.status)
        ).all()
    out = [
        "# HELP paxwatch_messages_total Messages ingested, by status.",
        "# TYPE paxwatch_messages_total counter",
    ]
    out += [f'paxwatch_messages_total{{status="{_esc(st)}"}} {n}' for st, n in messages]
    out += ["# HELP paxwatch_hits Stored hits, by status.", "# TYPE paxwatch_hits gauge"]
    out += [f'paxwatch_hits{{status="{_esc(st)}"}} {n}' for st, n in hits]
    queue = sum(n for st, n in hits if st in QUEUE_STATUSES)
    out += [
        "# HELP paxwatch_queue_size Hits waiting for a human decision.",
        "# TYPE paxwatch_queue_size gauge",
        f"paxwatch_queue_size {queue}",
    ]
    return out


@router.get(
    "/metrics",
    response_class=PlainTextResponse,
    responses={**PROBLEM_RESPONSES, 200: {"content": {CONTENT_TYPE: {}}, "description": "ok"}},
)
def get_metrics(request: Request, store: StoreDep, _caller: StatsReader) -> PlainTextResponse:
    """Operational figures in the Prometheus text format, no personal data: messages by
    status, hits by status, the queue size, request counts and latency by route template.
    Permission: ``read_stats``."""
    recorded: RequestMetrics = request.app.state.metrics
    lines = store_lines(store) + recorded.lines()
    return PlainTextResponse("\n".join(lines) + "\n", media_type=CONTENT_TYPE)

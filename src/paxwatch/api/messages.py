"""``POST /api/v1/messages``: push one message (PNRGOV EDIFACT or XML, PAXLST) as raw bytes.

The body is the message, in any content type. It goes through ``ingest_bytes`` (archive,
read, minimise, store) and the answer is ``202`` with the acknowledgement: ``stored``,
``duplicate`` (the same bytes were received before: same ``ack``) or ``quarantined`` (kept
with its findings). An empty body is 400; one over the size limit is 413.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from starlette.concurrency import run_in_threadpool

from paxwatch.api.body import read_limited
from paxwatch.api.deps import Pusher, SettingsDep, StoreDep
from paxwatch.api.models import IngestAck
from paxwatch.api.problems import PROBLEM_JSON, PROBLEM_RESPONSES, Problem, ProblemError
from paxwatch.ingest.pipeline import ingest_bytes

router = APIRouter(tags=["messages"])
SOURCE = "http"


@router.post(
    "/messages",
    status_code=202,
    response_model=IngestAck,
    summary="Push one message",
    responses={
        **PROBLEM_RESPONSES,
        400: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Empty body"},
        413: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Too large"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The message as sent by the carrier (any content type).",
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def push_message(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    caller: Pusher,
    name: Annotated[
        str | None, Header(alias="Paxwatch-Name", description="File name, for operators.")
    ] = None,
) -> IngestAck:
    """Ingest the body: archive, read, minimise and store it (one transaction)."""
    data = await read_limited(request, settings.max_body, "message")
    if not data:
        raise ProblemError(400, "The request body is empty: send the message.", kind="empty")
    result = await run_in_threadpool(ingest_bytes, store, data, source=SOURCE, name=name)
    return IngestAck.of(result)

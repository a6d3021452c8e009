"""Watch-list sources: ``GET /api/v1/watchlists``, ``GET /api/v1/watchlists/{source_id}``,
``POST /api/v1/watchlists/{source_id}/imports``, ``POST .../{source_id}/activate`` and
``POST .../{source_id}/deactivate``.

An import stores the file as a new version of the source and answers what was added,
changed and removed; an activation is refused (409, with the reasons) while the source's
type, owner, legal basis or offence category is missing. As ``paxwatch watchlist``, an
import into an active list re-screens the stored travellers of the legal window against
the added and changed entries, and an activation against the whole list (``rescreen=false``
skips it); a deactivation stops the list screening (its hits stay). Reads need
``read_hits``; imports ``manage_watchlists``, activations and deactivations
``activate_watchlist`` (supervisors), recording the caller's username.
"""

from __future__ import annotations

import email.parser
import email.policy
import re
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from paxwatch.api.body import read_limited
from paxwatch.api.deps import SettingsDep, StoreDep, permit
from paxwatch.api.models_assess import RefusalProblem
from paxwatch.api.models_watchlists import ActivationOut, ImportOut, SourceDetail, SourcePage
from paxwatch.api.problems import PROBLEM_RESPONSES, ProblemError, problem_doc
from paxwatch.assess import list_updates as lu
from paxwatch.assess import watchlists as wl
from paxwatch.privacy.access import Action, Principal
from paxwatch.screening.watchlists.registry import ListType, OffenceCategory

router = APIRouter(tags=["watch lists"])

Reader = Annotated[Principal, Depends(permit(Action.READ_HITS))]
Importer = Annotated[Principal, Depends(permit(Action.MANAGE_WATCHLISTS))]
Activator = Annotated[Principal, Depends(permit(Action.ACTIVATE_WATCHLIST))]

_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
SourceId = Annotated[str, PathParam(min_length=1, max_length=60, description="The source id.")]
Rescreen = Annotated[
    bool, Query(description="Re-screen the stored travellers of the legal window (as the CLI).")
]


def _file_part(content_type: str, body: bytes) -> tuple[bytes, str | None]:
    """The part named ``file`` (else the first file part) of a multipart/form-data body.

    The standard library's MIME parser reads it (the body is already bounded by the size
    limit): no extra dependency for one upload field.
    """
    head = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n"
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ProblemError(400, "The multipart body could not be read.", kind="invalid-upload")
    files = [p for p in message.iter_parts() if p.get_filename() is not None]
    named = [p for p in files if p.get_param("name", header="content-disposition") == "file"]
    if not files:
        raise ProblemError(
            400, "The multipart body has no file part (field file).", kind="invalid-upload"
        )
    part = (named or files)[0]
    payload = part.get_payload(decode=True)
    return (payload if isinstance(payload, bytes) else b""), part.get_filename()


@router.get("/watchlists", response_model=SourcePage, responses=PROBLEM_RESPONSES)
def list_watchlists(
    store: StoreDep,
    _caller: Reader,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SourcePage:
    """Every registered watch-list source, by id: registry fields, current version, entry
    count, whether it is active and what blocks its activation."""
    with store.read() as conn:
        sources = wl.list_sources(conn)
    return SourcePage.of(sources, limit, offset)


@router.get(
    "/watchlists/{source_id}",
    response_model=SourceDetail,
    responses={**PROBLEM_RESPONSES, 404: problem_doc("No such source")},
)
def get_watchlist(source_id: SourceId, store: StoreDep, _caller: Reader) -> SourceDetail:
    """One source with its versions (latest first): what each import added, changed and
    removed."""
    with store.read() as conn:
        info = wl.get_source(conn, source_id)
        versions = wl.source_versions(conn, source_id) if info is not None else []
    if info is None:
        raise ProblemError(404, f"There is no watch list {source_id}.", kind="not-found")
    return SourceDetail.of(info, versions)


@router.post(
    "/watchlists/{source_id}/imports",
    status_code=201,
    response_model=ImportOut,
    summary="Import a list file as a new version",
    responses={
        **PROBLEM_RESPONSES,
        400: problem_doc("Empty body, or a multipart body without a file part"),
        413: problem_doc("Too large"),
        422: problem_doc(
            "Invalid parameters, or a file none of whose records could be read", RefusalProblem
        ),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The list file: the raw body (any content type; name it with "
            "the Paxwatch-Name header) or a multipart/form-data upload in the field file.",
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
                "*/*": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def import_watchlist(
    source_id: SourceId,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    caller: Importer,
    fmt: Annotated[wl.ListFormat, Query(alias="format", description="The file's format.")],
    name: Annotated[str | None, Query(max_length=200, description="Name of the list.")] = None,
    type_: Annotated[ListType | None, Query(alias="type", description="What it lists.")] = None,
    owner: Annotated[
        str | None, Query(max_length=200, description="Who owns and maintains the list.")
    ] = None,
    legal_basis: Annotated[
        str | None, Query(max_length=2000, description="The legal basis of its use.")
    ] = None,
    offence: Annotated[
        OffenceCategory | None,
        Query(description="Offence category: terrorism or a Directive Annex II category."),
    ] = None,
    rescreen: Rescreen = True,
    file_name: Annotated[
        str | None,
        Header(alias="Paxwatch-Name", description="File name of a raw body (EU CSV: *.csv)."),
    ] = None,
) -> ImportOut | JSONResponse:
    """Store the file as a new version of the source (registered on first import; the
    registry fields given are recorded) and answer what changed. Unreviewed hits of removed
    entries are closed. An active list re-screens the stored travellers against the added
    and changed entries, synchronously: large re-screens belong to the CLI."""
    content_type = request.headers.get("content-type", "")
    data = await read_limited(request, settings.max_body)
    if content_type.startswith("multipart/form-data"):
        data, file_name = _file_part(content_type, data)
    if not data:
        raise ProblemError(400, "The list file is empty: send the file.", kind="empty")
    meta = wl.SourceMeta(
        name=name,
        type=type_.value if type_ else None,
        owner=owner,
        legal_basis=legal_basis,
        offence_category=offence.value if offence else None,
    )
    try:
        done = await run_in_threadpool(
            lambda: lu.import_upload(
                store,
                data,
                file_name,
                source_id,
                fmt,
                meta=meta,
                by=caller.username,
                content_type=content_type,
                rescreen=rescreen,
            )
        )
    except wl.SourceError as error:
        return RefusalProblem.response(
            422, "invalid-list", "List not imported", str(error), problems=error.problems
        )
    return ImportOut.of(done.outcome, done.rescreened)


@router.post(
    "/watchlists/{source_id}/activate",
    response_model=ActivationOut,
    responses={
        **PROBLEM_RESPONSES,
        404: problem_doc("No such source"),
        409: problem_doc("Refused: registry fields missing, or nothing imported", RefusalProblem),
    },
)
async def activate_watchlist(
    source_id: SourceId,
    store: StoreDep,
    caller: Activator,
    rescreen: Rescreen = True,
) -> ActivationOut | JSONResponse:
    """Activate a source: it screens from now on (at ingest, in runs). Refused (409, with
    the reasons in ``problems``) while its type, owner, legal basis or offence category is
    missing, or when nothing was imported. The stored travellers of the legal window are
    then re-screened against the whole list, synchronously."""
    try:
        done = await run_in_threadpool(
            lambda: lu.activate_list(store, source_id, by=caller.username, rescreen=rescreen)
        )
    except wl.SourceError as error:
        if error.problems == ("no such list",):
            raise ProblemError(
                404, f"There is no watch list {source_id}.", kind="not-found"
            ) from None
        return RefusalProblem.response(
            409, "refused", "Activation refused", str(error), problems=error.problems
        )
    return ActivationOut.of(done.source, done.rescreened)


@router.post(
    "/watchlists/{source_id}/deactivate",
    response_model=ActivationOut,
    responses={**PROBLEM_RESPONSES, 404: problem_doc("No such source")},
)
def deactivate_watchlist(source_id: SourceId, store: StoreDep, caller: Activator) -> ActivationOut:
    """Deactivate a source: it no longer screens (at ingest, in runs); the hits it raised
    stay for review. ``rescreen`` is always null."""
    try:
        done = lu.deactivate_list(store, source_id, by=caller.username)
    except wl.SourceError:
        raise ProblemError(404, f"There is no watch list {source_id}.", kind="not-found") from None
    return ActivationOut.of(done.source, None)

"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error response has ``type``, ``title``, ``status`` and ``detail``; validation errors
add ``errors`` (where and what, never the submitted values). ``type`` is ``about:blank``
for plain HTTP errors (the title is then the status phrase) and a ``urn:paxwatch:problem:``
URN for paxwatch's own problems.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from paxwatch.privacy.access import AccessDenied
from paxwatch.review.decisions import ReviewError, ReviewErrorCode

PROBLEM_JSON = "application/problem+json"
_log = logging.getLogger(__name__)


class FieldError(BaseModel):
    """One invalid request parameter: where it is and what is wrong (not its value)."""

    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


TOO_LARGE_TYPE = "urn:paxwatch:problem:message-too-large"
"""The problem type of a request body over the limit (413)."""


class ProblemError(Exception):
    """Raise in a route to answer with a problem details response."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        title: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.title = title or HTTPStatus(status).phrase
        self.headers = headers


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    """The JSON response of a problem (``None`` members left out)."""
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


async def _on_problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    kind = f"urn:paxwatch:problem:{exc.kind}" if exc.kind else "about:blank"
    problem = Problem(type=kind, title=exc.title, status=exc.status, detail=exc.detail)
    return problem_response(problem, exc.headers)


async def _on_http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else _phrase(exc.status_code)
    problem = Problem(title=_phrase(exc.status_code), status=exc.status_code, detail=detail)
    if exc.status_code == 413:  # the body limit (``paxwatch.api.app.BodyLimit``)
        problem = problem.model_copy(update={"type": TOO_LARGE_TYPE})
    return problem_response(problem, dict(exc.headers) if exc.headers else None)


async def _on_denied(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AccessDenied)
    problem = Problem(
        type="urn:paxwatch:problem:forbidden",
        title="Forbidden",
        status=403,
        detail=f"Missing permission {exc.action.value}: {exc.reason}.",
    )
    return problem_response(problem)


REVIEW_STATUS: dict[ReviewErrorCode, int] = {
    ReviewErrorCode.NOT_FOUND: 404,
    ReviewErrorCode.ILLEGAL_TRANSITION: 409,
    ReviewErrorCode.FOUR_EYES: 409,
    ReviewErrorCode.ALREADY_TRANSMITTED: 409,
    ReviewErrorCode.NOT_ASSIGNEE: 409,
    ReviewErrorCode.NOT_CONFIRMED: 409,
}
"""HTTP status of each review refusal (422 for the others)."""


async def _on_review(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ReviewError)
    status = REVIEW_STATUS.get(exc.code, 422)
    problem = Problem(
        type=f"urn:paxwatch:problem:{exc.code.value.replace('_', '-')}",
        title=_phrase(status),
        status=status,
        detail=exc.reason,
    )
    return problem_response(problem)


async def _on_validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldError(loc=list(e.get("loc", ())), msg=str(e.get("msg", "")), type=str(e["type"]))
        for e in exc.errors()
    ]
    problem = Problem(
        type="urn:paxwatch:problem:invalid-request",
        title="Invalid request",
        status=422,
        detail="The request's parameters are not valid; see errors.",
        errors=errors,
    )
    return problem_response(problem)


async def _on_error(_request: Request, exc: Exception) -> JSONResponse:
    # The type only: an exception message may quote message content.
    _log.error("unhandled error in the API: %s", type(exc).__name__)
    problem = Problem(
        title="Internal Server Error",
        status=500,
        detail="The server failed to answer; the error is logged.",
    )
    return problem_response(problem)


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` with problem details."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(AccessDenied, _on_denied)
    app.add_exception_handler(ReviewError, _on_review)
    app.add_exception_handler(Exception, _on_error)


PROBLEM_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": description}
    for status, description in (
        (401, "No token, or a token that is not valid (unknown, revoked, expired, disabled)"),
        (403, "The caller's role may not do this, or may not see this record"),
        (422, "Invalid parameters"),
    )
}
"""The error responses every authenticated route documents in OpenAPI."""


def problem_doc(description: str, model: type[Problem] = Problem) -> dict[str, object]:
    """The OpenAPI documentation of one problem response."""
    return {"model": model, "content": {PROBLEM_JSON: {}}, "description": description}

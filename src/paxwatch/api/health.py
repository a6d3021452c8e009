"""``GET /api/v1/health``: no token; 200 when the database answers, 503 when it does not."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError

from paxwatch.api.deps import StoreDep
from paxwatch.api.models import Health
from paxwatch.api.problems import PROBLEM_JSON, Problem, ProblemError

router = APIRouter(tags=["health"])
_log = logging.getLogger(__name__)


@router.get(
    "/health",
    response_model=Health,
    responses={
        503: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": "Database down"}
    },
)
def health(store: StoreDep) -> Health:
    """Whether the service and its database are up."""
    try:
        store.ping()
    except SQLAlchemyError as exc:
        _log.warning("health check: the database does not answer (%s)", type(exc).__name__)
        raise ProblemError(
            503, "The database does not answer.", kind="database-unavailable"
        ) from None
    return Health(status="ok", database=store.dialect)
